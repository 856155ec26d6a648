//! PostgreSQL through the `tokio-postgres` driver (pure Rust, no TLS), each
//! connection on a single-threaded runtime of its own.
//!
//! Every wait has a bound: the TCP connection and then the login each
//! [`Timeouts::connect`], the answer to each statement or query
//! [`Timeouts::statement`] (the server's own `statement_timeout` is set to
//! it as well). When a bound runs out the connection is given up: later
//! calls fail at once, and dropping the session closes the socket, so that
//! the server rolls back an open transaction.
//!
//! Lock waits: while a statement runs under a lock timeout, a watcher thread
//! asks the server on a second connection, every 100 ms, which sessions block
//! it (`pg_blocking_pids`), so that when the timeout fires the error can name
//! them. If the wait was too short to be seen, the sessions holding locks on
//! the run's tables (`pg_locks`) are reported instead.

use std::future::Future;
use std::str::FromStr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio::io::{AsyncRead, AsyncWrite};
use tokio::runtime::Runtime;
use tokio::time::timeout;
use tokio_postgres::config::Host;
use tokio_postgres::types::ToSql;
use tokio_postgres::{Client, Config, NoTls, Row, SimpleQueryMessage};

use super::session::{Blocker, DbError, LockCapacity, Rows, Session, TableObjects, Timeouts, Wait};
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

/// A client whose every wait is bounded.
struct PgClient {
    runtime: Runtime,
    client: Client,
    /// The bound of each answer.
    answer: Duration,
    /// The error of the wait that ran out: the connection is given up.
    failed: Option<DbError>,
}

/// Waits for `f` on `runtime` at most `bound`; a wait that runs out gives
/// the connection up (`failed`).
fn bounded<T>(
    runtime: &Runtime,
    bound: Duration,
    failed: &mut Option<DbError>,
    f: impl Future<Output = Result<T, tokio_postgres::Error>>,
) -> Result<T, DbError> {
    if let Some(e) = failed {
        return Err(e.clone());
    }
    // The timer is made inside the runtime, which drives it.
    match runtime.block_on(async { timeout(bound, f).await }) {
        Ok(r) => r.map_err(map_err),
        Err(_) => {
            let e = DbError::timeout(Wait::Statement, bound);
            *failed = Some(e.clone());
            Err(e)
        }
    }
}

impl PgClient {
    /// Connects: the TCP connection (or Unix socket) and then the login,
    /// each within `timeouts.connect`.
    fn connect(config: &Config, timeouts: Timeouts) -> Result<PgClient, DbError> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| DbError::msg(format!("cannot start the PostgreSQL driver: {e}")))?;
        let client = runtime.block_on(open(config, timeouts.connect))?;
        Ok(PgClient {
            runtime,
            client,
            answer: timeouts.statement,
            failed: None,
        })
    }

    fn batch_execute(&mut self, sql: &str) -> Result<(), DbError> {
        let f = self.client.batch_execute(sql);
        bounded(&self.runtime, self.answer, &mut self.failed, f)
    }

    fn execute(&mut self, sql: &str, params: &[&(dyn ToSql + Sync)]) -> Result<u64, DbError> {
        let f = self.client.execute(sql, params);
        bounded(&self.runtime, self.answer, &mut self.failed, f)
    }

    fn simple_query(&mut self, sql: &str) -> Result<Vec<SimpleQueryMessage>, DbError> {
        let f = self.client.simple_query(sql);
        bounded(&self.runtime, self.answer, &mut self.failed, f)
    }

    fn query(&mut self, sql: &str, params: &[&(dyn ToSql + Sync)]) -> Result<Vec<Row>, DbError> {
        let f = self.client.query(sql, params);
        bounded(&self.runtime, self.answer, &mut self.failed, f)
    }

    fn query_one(&mut self, sql: &str, params: &[&(dyn ToSql + Sync)]) -> Result<Row, DbError> {
        let f = self.client.query_one(sql, params);
        bounded(&self.runtime, self.answer, &mut self.failed, f)
    }
}

/// Opens the connection to the first host that answers.
async fn open(config: &Config, bound: Duration) -> Result<Client, DbError> {
    let ports = config.get_ports();
    let mut last = None;
    for (i, host) in config.get_hosts().iter().enumerate() {
        let port = ports.get(i).or(ports.first()).copied().unwrap_or(5432);
        match host {
            Host::Tcp(name) => {
                let stream =
                    match timeout(bound, tokio::net::TcpStream::connect((name.as_str(), port)))
                        .await
                    {
                        Err(_) => {
                            last = Some(DbError::timeout(Wait::Connect, bound));
                            continue;
                        }
                        Ok(Err(e)) => {
                            last = Some(DbError::msg(format!("{name}:{port}: {e}")));
                            continue;
                        }
                        Ok(Ok(s)) => s,
                    };
                let _ = stream.set_nodelay(true);
                return login(config, stream, bound).await;
            }
            #[cfg(unix)]
            Host::Unix(dir) => {
                let path = dir.join(format!(".s.PGSQL.{port}"));
                let stream = match timeout(bound, tokio::net::UnixStream::connect(&path)).await {
                    Err(_) => {
                        last = Some(DbError::timeout(Wait::Connect, bound));
                        continue;
                    }
                    Ok(Err(e)) => {
                        last = Some(DbError::msg(format!("{}: {e}", path.display())));
                        continue;
                    }
                    Ok(Ok(s)) => s,
                };
                return login(config, stream, bound).await;
            }
        }
    }
    Err(last.unwrap_or_else(|| DbError::msg("the URL names no host")))
}

/// The startup and authentication on an open stream, within `bound`; the
/// connection then runs as a task of the client's runtime.
async fn login<S>(config: &Config, stream: S, bound: Duration) -> Result<Client, DbError>
where
    S: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    match timeout(bound, config.connect_raw(stream, NoTls)).await {
        Err(_) => Err(DbError::timeout(Wait::Login, bound)),
        Ok(Err(e)) => Err(map_err(e)),
        Ok(Ok((client, connection))) => {
            tokio::spawn(async move {
                let _ = connection.await;
            });
            Ok(client)
        }
    }
}

pub(crate) struct PgSession {
    client: PgClient,
    config: Config,
    timeouts: Timeouts,
    pid: Option<u32>,
    watch: Option<Arc<Watch>>,
}

#[derive(Default)]
struct Watch {
    running_since: Mutex<Option<Instant>>,
    found: Mutex<Vec<Blocker>>,
    stop: AtomicBool,
}

pub(crate) fn connect(url: &str, timeouts: Timeouts) -> Result<PgSession, DbError> {
    let mut config =
        Config::from_str(url).map_err(|e| DbError::msg(format!("invalid PostgreSQL URL: {e}")))?;
    if config.get_application_name().is_none() {
        config.application_name("nomenclator");
    }
    let mut client = PgClient::connect(&config, timeouts)?;
    // The server stops a statement that runs too long by itself (57014),
    // which leaves the connection usable. Part of the login: bounded by the
    // connect timeout.
    client.answer = timeouts.connect;
    let ms = timeouts.statement.as_millis().clamp(1, i32::MAX as u128);
    client
        .batch_execute(&format!("SET statement_timeout = {ms}"))
        .map_err(|e| match e.timed_out {
            Some(_) => DbError::timeout(Wait::Login, timeouts.connect),
            None => e,
        })?;
    client.answer = timeouts.statement;
    Ok(PgSession {
        client,
        config,
        timeouts,
        pid: None,
        watch: None,
    })
}

/// The server's message, code, detail and hint; a statement the server
/// stopped after `statement_timeout` is a timeout of the statement.
fn map_err(e: tokio_postgres::Error) -> DbError {
    match e.as_db_error() {
        Some(db) => {
            let code = db.code().code().to_owned();
            let statement_timeout = code == "57014" && db.message().contains("statement timeout");
            DbError {
                message: db.message().to_owned(),
                detail: db.detail().map(str::to_owned),
                hint: db.hint().map(str::to_owned),
                lock_timeout: code == "55P03",
                timed_out: statement_timeout.then_some(Wait::Statement),
                code: Some(code),
            }
        }
        None => DbError::msg(e.to_string()),
    }
}

fn to_blockers(rows: Vec<Row>) -> Vec<Blocker> {
    rows.iter()
        .filter_map(|r| {
            let text = |i: usize| r.try_get::<_, Option<String>>(i).ok().flatten();
            let pid: u64 = text(0)?.parse().ok()?;
            Some(Blocker {
                pid,
                user: text(1),
                application: text(2),
                state: text(3),
                since: text(4),
                query: text(5),
                reason: None,
                certain: true,
                terminate: Some(format!("SELECT pg_terminate_backend({pid})")),
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
                .and_then(|r| r.try_get::<_, i32>(0).ok())
                .map(|p| p as u32);
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
        let timeouts = self.timeouts;
        std::thread::spawn(move || {
            let mut client: Option<PgClient> = None;
            while !w.stop.load(Ordering::Relaxed) {
                std::thread::sleep(Duration::from_millis(100));
                let waiting = w
                    .running_since
                    .lock()
                    .map(|s| s.is_some_and(|t| t.elapsed() > Duration::from_millis(80)));
                if !waiting.unwrap_or(false) {
                    continue;
                }
                if client.as_ref().is_none_or(|c| c.failed.is_some()) {
                    client = PgClient::connect(&config, timeouts).ok();
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
    fn watched<T>(
        &mut self,
        run: impl FnOnce(&mut PgClient) -> Result<T, DbError>,
    ) -> Result<T, DbError> {
        if let Some(w) = &self.watch {
            if let Ok(mut s) = w.running_since.lock() {
                *s = Some(Instant::now());
            }
        }
        let r = run(&mut self.client);
        if let Some(w) = &self.watch {
            if let Ok(mut s) = w.running_since.lock() {
                *s = None;
            }
            // What a failed statement waited for is kept for `blockers`,
            // past the statements that fail after it in the same
            // (aborted) transaction; a statement that got its locks
            // forgets it.
            if r.is_ok() {
                if let Ok(mut f) = w.found.lock() {
                    f.clear();
                }
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
        // Watched too: reading a catalog waits for the locks DDL holds.
        let msgs = self.watched(|client| client.simple_query(sql))?;
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
        // At most i32::MAX ms (RunOptions::validate); 0 would mean no limit.
        let ms = timeout.as_millis().clamp(1, i32::MAX as u128);
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
        let row = self.client.query_one(
            "SELECT count(*) FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace \
             WHERE c.relname = $2::text AND c.relkind IN ('r', 'p', 'v', 'm', 'f') \
               AND n.nspname = COALESCE($1::text, current_schema())",
            &[&schema, &name],
        )?;
        Ok(row.try_get::<_, i64>(0).map_err(map_err)? > 0)
    }

    fn table_objects(
        &mut self,
        schema: Option<&str>,
        table: &str,
    ) -> Result<TableObjects, DbError> {
        let rows = self.client.query(
            "WITH t AS (SELECT k.oid FROM pg_catalog.pg_class k \
               JOIN pg_catalog.pg_namespace n ON n.oid = k.relnamespace \
               WHERE k.relname = $2::text AND n.nspname = COALESCE($1::text, current_schema())) \
             SELECT c.conname::text, c.contype::text FROM pg_catalog.pg_constraint c \
               JOIN t ON c.conrelid = t.oid \
             UNION ALL \
             SELECT i.relname::text, 'i' FROM pg_catalog.pg_index x JOIN t ON x.indrelid = t.oid \
               JOIN pg_catalog.pg_class i ON i.oid = x.indexrelid",
            &[&schema, &table],
        )?;
        let mut objects = TableObjects::default();
        for r in rows {
            let name: String = r.try_get(0).map_err(map_err)?;
            let kind: String = r.try_get(1).map_err(map_err)?;
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
        let Ok(mut other) = PgClient::connect(&self.config, self.timeouts) else {
            return Vec::new();
        };
        let mut found = other
            .query(BLOCKERS_BY_TABLE, &[&pid, &names])
            .map(to_blockers)
            .unwrap_or_default();
        for b in &mut found {
            b.reason = Some("holds a lock on a table of the run".into());
        }
        found
    }

    fn lock_capacity(&mut self) -> Result<Option<LockCapacity>, DbError> {
        let row = self.client.query_one(
            "SELECT current_setting('max_locks_per_transaction')::int8, \
                    current_setting('max_connections')::int8, \
                    current_setting('max_prepared_transactions')::int8",
            &[],
        )?;
        let get = |i: usize| {
            row.try_get::<_, i64>(i)
                .ok()
                .and_then(|v| u64::try_from(v).ok())
                .unwrap_or(0)
        };
        Ok(Some(LockCapacity {
            per_transaction: get(0),
            connections: get(1),
            prepared: get(2),
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A session on the live server of the engine tests; fails the test
    /// when the server does not answer.
    fn live() -> PgSession {
        let timeouts = Timeouts {
            connect: Duration::from_secs(10),
            statement: Duration::from_secs(60),
        };
        connect("postgres://postgres@127.0.0.1:5432/test", timeouts).unwrap_or_else(|e| {
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
