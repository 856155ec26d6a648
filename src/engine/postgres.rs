//! PostgreSQL through the `postgres` driver (pure Rust, no TLS).
//!
//! Lock waits: while a statement runs under a lock timeout, a watcher thread
//! asks the server on a second connection, every 100 ms, which sessions block
//! it (`pg_blocking_pids`), so that when the timeout fires the error can name
//! them. If the wait was too short to be seen, the sessions holding locks on
//! the run's tables (`pg_locks`) are reported instead.

use std::str::FromStr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use postgres::{Client, Config, NoTls, SimpleQueryMessage};

use super::session::{Blocker, DbError, Rows, Session, TableObjects};
use crate::dialect::{Dialect, PostgreSql};

const BLOCKERS_BY_PID: &str = "SELECT a.pid::text, a.usename::text, a.application_name::text, a.state::text, \
     (to_char(COALESCE(a.state_change, a.xact_start), 'YYYY-MM-DD HH24:MI:SS TZ') || ' (' || \
      date_trunc('second', now() - COALESCE(a.state_change, a.xact_start))::text || ' ago)'), a.query::text \
     FROM pg_stat_activity a WHERE a.pid = ANY(pg_blocking_pids($1::int4)) ORDER BY a.pid";

const BLOCKERS_BY_TABLE: &str = "SELECT DISTINCT a.pid::text, a.usename::text, a.application_name::text, a.state::text, \
     (to_char(COALESCE(a.state_change, a.xact_start), 'YYYY-MM-DD HH24:MI:SS TZ') || ' (' || \
      date_trunc('second', now() - COALESCE(a.state_change, a.xact_start))::text || ' ago)'), a.query::text \
     FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid \
     WHERE l.granted AND l.pid <> $1::int4 AND l.pid <> pg_backend_pid() \
       AND l.relation IN (SELECT to_regclass(x) FROM unnest($2::text[]) AS x) ORDER BY 1";

pub(crate) struct PgSession {
    client: Client,
    config: Config,
    pid: Option<u32>,
    watch: Option<Arc<Watch>>,
}

#[derive(Default)]
struct Watch {
    running_since: Mutex<Option<Instant>>,
    found: Mutex<Vec<Blocker>>,
    stop: AtomicBool,
}

pub(crate) fn connect(url: &str) -> Result<PgSession, DbError> {
    let mut config =
        Config::from_str(url).map_err(|e| DbError::msg(format!("invalid PostgreSQL URL: {e}")))?;
    if config.get_application_name().is_none() {
        config.application_name("nomenclator");
    }
    if config.get_connect_timeout().is_none() {
        config.connect_timeout(Duration::from_secs(10));
    }
    let client = config.connect(NoTls).map_err(map_err)?;
    Ok(PgSession {
        client,
        config,
        pid: None,
        watch: None,
    })
}

fn map_err(e: postgres::Error) -> DbError {
    match e.as_db_error() {
        Some(db) => {
            let mut message = db.message().to_owned();
            if let Some(d) = db.detail() {
                message.push_str(&format!(" ({d})"));
            }
            let code = db.code().code().to_owned();
            DbError {
                lock_timeout: code == "55P03",
                message,
                code: Some(code),
            }
        }
        None => DbError::msg(e.to_string()),
    }
}

fn to_blockers(rows: Vec<postgres::Row>) -> Vec<Blocker> {
    rows.iter()
        .filter_map(|r| {
            let pid: Option<String> = r.get(0);
            Some(Blocker {
                pid: pid?.parse().ok()?,
                user: r.get(1),
                application: r.get(2),
                state: r.get(3),
                since: r.get(4),
                query: r.get(5),
            })
        })
        .collect()
}

impl PgSession {
    fn pid(&mut self) -> Option<u32> {
        if self.pid.is_none() {
            self.pid = self
                .client
                .query_one("SELECT pg_backend_pid()", &[])
                .ok()
                .map(|r| r.get::<_, i32>(0) as u32);
        }
        self.pid
    }

    /// Starts the watcher thread, once.
    fn start_watch(&mut self) {
        if self.watch.is_some() {
            return;
        }
        let Some(pid) = self.pid() else { return };
        let watch = Arc::new(Watch::default());
        let w = watch.clone();
        let config = self.config.clone();
        std::thread::spawn(move || {
            let mut client: Option<Client> = None;
            while !w.stop.load(Ordering::Relaxed) {
                std::thread::sleep(Duration::from_millis(100));
                let waiting = w
                    .running_since
                    .lock()
                    .map(|s| s.is_some_and(|t| t.elapsed() > Duration::from_millis(80)));
                if !waiting.unwrap_or(false) {
                    continue;
                }
                if client.is_none() {
                    client = config.connect(NoTls).ok();
                }
                let Some(c) = client.as_mut() else { continue };
                if let Ok(rows) = c.query(BLOCKERS_BY_PID, &[&(pid as i32)]) {
                    let found = to_blockers(rows);
                    if !found.is_empty() {
                        if let Ok(mut f) = w.found.lock() {
                            *f = found;
                        }
                    }
                }
            }
        });
        self.watch = Some(watch);
    }
}

impl PgSession {
    /// Runs `run` on the client, the watcher told that a statement is running.
    fn watched(
        &mut self,
        run: impl FnOnce(&mut Client) -> Result<(), postgres::Error>,
    ) -> Result<(), DbError> {
        if let Some(w) = &self.watch {
            if let Ok(mut f) = w.found.lock() {
                f.clear();
            }
            if let Ok(mut s) = w.running_since.lock() {
                *s = Some(Instant::now());
            }
        }
        let r = run(&mut self.client).map_err(map_err);
        if let Some(w) = &self.watch {
            if let Ok(mut s) = w.running_since.lock() {
                *s = None;
            }
        }
        r
    }
}

impl Drop for PgSession {
    fn drop(&mut self) {
        if let Some(w) = &self.watch {
            w.stop.store(true, Ordering::Relaxed);
        }
    }
}

impl Session for PgSession {
    fn dialect(&self) -> &'static dyn Dialect {
        &PostgreSql
    }

    fn transactional_ddl(&self) -> bool {
        true
    }

    fn execute(&mut self, sql: &str) -> Result<(), DbError> {
        self.watched(|client| client.batch_execute(sql))
    }

    fn execute_one(&mut self, sql: &str) -> Result<(), DbError> {
        // The extended protocol parses one statement: the server refuses
        // text that holds several ("cannot insert multiple commands into a
        // prepared statement") before running any.
        self.watched(|client| client.execute(sql, &[]).map(drop))
    }

    fn query(&mut self, sql: &str) -> Result<Rows, DbError> {
        let msgs = self.client.simple_query(sql).map_err(map_err)?;
        Ok(msgs
            .into_iter()
            .filter_map(|m| match m {
                SimpleQueryMessage::Row(r) => {
                    Some((0..r.len()).map(|i| r.get(i).map(str::to_owned)).collect())
                }
                _ => None,
            })
            .collect())
    }

    fn begin(&mut self) -> Result<(), DbError> {
        self.execute("BEGIN")
    }

    fn commit(&mut self) -> Result<(), DbError> {
        self.execute("COMMIT")
    }

    fn rollback(&mut self) -> Result<(), DbError> {
        self.execute("ROLLBACK")
    }

    fn set_lock_timeout(&mut self, timeout: Duration) -> Result<(), DbError> {
        let ms = timeout.as_millis().max(1);
        // For the session (a run has a connection of its own), so that it
        // holds across the commits around a statement run outside the transaction.
        self.execute(&format!("SET lock_timeout = '{ms}ms'"))?;
        self.start_watch();
        Ok(())
    }

    fn prepare_schemas(&mut self, _schemas: &[String]) -> Result<(), DbError> {
        Ok(())
    }

    fn relation_exists(&mut self, schema: Option<&str>, name: &str) -> Result<bool, DbError> {
        let row = self
            .client
            .query_one(
                "SELECT count(*) FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace \
                 WHERE c.relname = $2::text AND c.relkind IN ('r', 'p', 'v', 'm', 'f') \
                   AND n.nspname = COALESCE($1::text, current_schema())",
                &[&schema, &name],
            )
            .map_err(map_err)?;
        Ok(row.get::<_, i64>(0) > 0)
    }

    fn table_objects(
        &mut self,
        schema: Option<&str>,
        table: &str,
    ) -> Result<TableObjects, DbError> {
        let rows = self
            .client
            .query(
                "WITH t AS (SELECT k.oid FROM pg_catalog.pg_class k \
                   JOIN pg_catalog.pg_namespace n ON n.oid = k.relnamespace \
                   WHERE k.relname = $2::text AND n.nspname = COALESCE($1::text, current_schema())) \
                 SELECT c.conname::text, c.contype::text FROM pg_catalog.pg_constraint c \
                   JOIN t ON c.conrelid = t.oid \
                 UNION ALL \
                 SELECT i.relname::text, 'i' FROM pg_catalog.pg_index x JOIN t ON x.indrelid = t.oid \
                   JOIN pg_catalog.pg_class i ON i.oid = x.indexrelid",
                &[&schema, &table],
            )
            .map_err(map_err)?;
        let mut objects = TableObjects::default();
        for r in rows {
            let name: String = r.get(0);
            let kind: String = r.get(1);
            objects.primary_key |= kind == "p";
            objects.add(&name);
        }
        Ok(objects)
    }

    fn backend_pid(&mut self) -> Option<u64> {
        self.pid().map(u64::from)
    }

    fn blockers(&mut self, tables: &[(Option<String>, String)]) -> Vec<Blocker> {
        if let Some(w) = &self.watch {
            if let Ok(mut f) = w.found.lock() {
                if !f.is_empty() {
                    return std::mem::take(&mut *f);
                }
            }
        }
        let pid = self.pid().unwrap_or(0) as i32;
        let names: Vec<String> = tables
            .iter()
            .map(|(s, t)| PostgreSql.qualified(s.as_deref(), t))
            .collect();
        let Ok(mut other) = self.config.connect(NoTls) else {
            return Vec::new();
        };
        other
            .query(BLOCKERS_BY_TABLE, &[&pid, &names])
            .map(to_blockers)
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A session on the live server of the engine tests; fails the test
    /// when the server does not answer.
    fn live() -> PgSession {
        connect("postgres://postgres@127.0.0.1:5432/test").unwrap_or_else(|e| {
            panic!("PostgreSQL is unreachable ({e}): this test needs it (cargo test -- --include-ignored)")
        })
    }

    #[test]
    #[ignore = "needs PostgreSQL at 127.0.0.1:5432 (cargo test -- --include-ignored)"]
    fn a_plan_step_runs_one_statement() {
        let mut s = live();
        let e = s
            .execute_one("CREATE TEMP TABLE a (x int); CREATE TEMP TABLE b (y int)")
            .unwrap_err();
        assert!(e.message.contains("multiple commands"), "{e}");
        let made = s
            .query("SELECT to_regclass('pg_temp.a') IS NULL AND to_regclass('pg_temp.b') IS NULL")
            .unwrap();
        assert_eq!(made[0][0].as_deref(), Some("t"));
        s.execute_one("CREATE TEMP TABLE a (x int);").unwrap();
        s.execute_one("SELECT 1").unwrap();
    }
}
