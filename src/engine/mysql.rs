//! MySQL and MariaDB through the `mysql` driver (pure Rust, no TLS).
//!
//! DDL is not transactional there: each statement commits on its own, so a
//! run cannot be rolled back; the engine reports what ran instead.
//!
//! Every wait has a bound: the TCP connection the driver's connect timeout,
//! the login a thread that gives up after [`Timeouts::connect`], and each
//! answer the socket's read and write timeouts ([`Timeouts::statement`]).
//! After a wait runs out the connection is given up: later calls fail at
//! once.

use std::collections::{HashMap, HashSet};
use std::sync::mpsc;
use std::time::Duration;

use mysql::prelude::Queryable;
use mysql::{Conn, Opts, OptsBuilder, Value};

use super::session::{Blocker, DbError, Rows, Session, TableObjects, Timeouts, Wait};
use crate::dialect::{Dialect, MariaDb, MySql};

pub(crate) struct MySqlSession {
    conn: Conn,
    opts: Opts,
    timeouts: Timeouts,
    /// The error of the wait that ran out: the connection is given up.
    failed: Option<DbError>,
    /// [`MariaDb`] on a MariaDB server, [`MySql`] otherwise: the two differ
    /// in what DDL they take (MariaDB has no expression indexes).
    dialect: &'static dyn Dialect,
}

/// The URL's options with the bounds of `timeouts`.
fn options(url: &str, timeouts: Timeouts) -> Result<Opts, DbError> {
    let opts = Opts::from_url(url).map_err(|e| DbError::msg(format!("invalid MySQL URL: {e}")))?;
    Ok(OptsBuilder::from_opts(opts)
        .tcp_connect_timeout(Some(timeouts.connect))
        .read_timeout(Some(timeouts.statement))
        .write_timeout(Some(timeouts.statement))
        .into())
}

/// Connects on a thread of its own, given up after `timeouts.connect`:
/// the driver bounds the TCP connection, but reads the server's greeting and
/// the login answer under the statement timeout. A thread given up ends by
/// itself once that runs out.
fn open(opts: &Opts, timeouts: Timeouts) -> Result<Conn, DbError> {
    let (tx, rx) = mpsc::channel();
    let o = opts.clone();
    std::thread::Builder::new()
        .name("nomenclator-mysql-connect".into())
        .spawn(move || {
            let _ = tx.send(Conn::new(o));
        })
        .map_err(|e| DbError::msg(format!("cannot start a thread to connect: {e}")))?;
    let answer = match rx.recv_timeout(timeouts.connect) {
        Ok(r) => r,
        // The driver's own TCP connect timeout is as long: give it a moment
        // to say that it was the connection, not the login, that never came.
        Err(mpsc::RecvTimeoutError::Timeout) => match rx.recv_timeout(Duration::from_millis(250)) {
            Ok(r @ Err(mysql::Error::DriverError(mysql::DriverError::ConnectTimeout))) => r,
            _ => return Err(DbError::timeout(Wait::Login, timeouts.connect)),
        },
        Err(mpsc::RecvTimeoutError::Disconnected) => {
            return Err(DbError::msg("the thread connecting to MySQL ended"))
        }
    };
    answer.map_err(|e| match e {
        mysql::Error::DriverError(mysql::DriverError::ConnectTimeout) => {
            DbError::timeout(Wait::Connect, timeouts.connect)
        }
        e if io_timeout(&e) => DbError::timeout(Wait::Login, timeouts.connect),
        e => map_err(e, timeouts),
    })
}

pub(crate) fn connect(url: &str, timeouts: Timeouts) -> Result<MySqlSession, DbError> {
    let opts = options(url, timeouts)?;
    let mut conn = open(&opts, timeouts)?;
    backslash_escapes(&mut conn, timeouts)?;
    let dialect = server_dialect(&mut conn, timeouts)?;
    Ok(MySqlSession {
        conn,
        opts,
        timeouts,
        failed: None,
        dialect,
    })
}

/// The dialect of the server: MariaDB says so in its version
/// (`10.11.6-MariaDB-0+deb12u1`), MySQL does not.
fn server_dialect(conn: &mut Conn, timeouts: Timeouts) -> Result<&'static dyn Dialect, DbError> {
    let version = rows(conn, "SELECT VERSION()", timeouts)?;
    let mariadb = version
        .first()
        .and_then(|r| r.first())
        .and_then(Option::as_deref)
        .is_some_and(|v| v.to_ascii_lowercase().contains("mariadb"));
    Ok(if mariadb { &MariaDb } else { &MySql })
}

/// Turns `NO_BACKSLASH_ESCAPES` off for the session where the server has it
/// on: the dialect writes string literals (comments) with backslashes
/// escaped, as the server reads them by default, and a run must store them
/// exactly as written. (Under `NO_BACKSLASH_ESCAPES` they would be safe but
/// stored with each backslash doubled.)
pub(crate) fn backslash_escapes(conn: &mut Conn, timeouts: Timeouts) -> Result<(), DbError> {
    if conn.no_backslash_escape() {
        conn.query_drop(
            "SET SESSION sql_mode = REPLACE(@@SESSION.sql_mode, 'NO_BACKSLASH_ESCAPES', '')",
        )
        .map_err(|e| map_err(e, timeouts))?;
    }
    Ok(())
}

/// MySQL's error for a statement that cannot be prepared
/// (`ER_UNSUPPORTED_PS`: `CREATE TRIGGER`, `CREATE PROCEDURE`, ... on MySQL).
const UNSUPPORTED_PS: u16 = 1295;

/// Whether a socket error is a read or write timeout running out.
fn is_timeout(e: &std::io::Error) -> bool {
    matches!(
        e.kind(),
        std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
    )
}

/// Whether the driver's error is a socket timeout running out (reported
/// as such, or inside a packet codec error).
fn io_timeout(e: &mysql::Error) -> bool {
    match e {
        mysql::Error::IoError(io) => is_timeout(io),
        mysql::Error::CodecError(c) => std::error::Error::source(c)
            .and_then(|s| s.downcast_ref::<std::io::Error>())
            .is_some_and(is_timeout),
        _ => false,
    }
}

fn map_err(e: mysql::Error, timeouts: Timeouts) -> DbError {
    match &e {
        mysql::Error::MySqlError(m) => DbError {
            code: Some(m.code.to_string()),
            lock_timeout: m.code == 1205,
            ..DbError::msg(m.message.clone())
        },
        e if io_timeout(e) => DbError::timeout(Wait::Statement, timeouts.statement),
        _ => DbError::msg(e.to_string()),
    }
}

fn text(v: &Value) -> Option<String> {
    match v {
        Value::NULL => None,
        Value::Bytes(b) => Some(String::from_utf8_lossy(b).into_owned()),
        Value::Int(i) => Some(i.to_string()),
        Value::UInt(u) => Some(u.to_string()),
        Value::Float(f) => Some(f.to_string()),
        Value::Double(d) => Some(d.to_string()),
        other => Some(other.as_sql(true).trim_matches('\'').to_owned()),
    }
}

fn rows(conn: &mut Conn, sql: &str, timeouts: Timeouts) -> Result<Rows, DbError> {
    let rows: Vec<mysql::Row> = conn.query(sql).map_err(|e| map_err(e, timeouts))?;
    Ok(rows
        .into_iter()
        .map(|r| r.unwrap().iter().map(text).collect())
        .collect())
}

/// Rows of a query with parameters (`?`), every value as text.
fn rows_with(
    conn: &mut Conn,
    sql: &str,
    params: Vec<Value>,
    timeouts: Timeouts,
) -> Result<Rows, DbError> {
    let rows: Vec<mysql::Row> = conn.exec(sql, params).map_err(|e| map_err(e, timeouts))?;
    Ok(rows
        .into_iter()
        .map(|r| r.unwrap().iter().map(text).collect())
        .collect())
}

impl MySqlSession {
    /// Runs `f` on the connection unless it was given up; a wait that runs
    /// out gives it up.
    fn guarded<T>(
        &mut self,
        f: impl FnOnce(&mut Conn, Timeouts) -> Result<T, DbError>,
    ) -> Result<T, DbError> {
        if let Some(e) = &self.failed {
            return Err(e.clone());
        }
        let r = f(&mut self.conn, self.timeouts);
        if let Err(e) = &r {
            if e.timed_out.is_some() {
                self.failed = Some(e.clone());
            }
        }
        r
    }
}

impl Session for MySqlSession {
    fn dialect(&self) -> &'static dyn Dialect {
        self.dialect
    }

    fn transactional_ddl(&self) -> bool {
        false
    }

    fn execute(&mut self, sql: &str) -> Result<(), DbError> {
        self.guarded(|c, t| c.query_drop(sql).map_err(|e| map_err(e, t)))
    }

    fn execute_one(&mut self, sql: &str) -> Result<(), DbError> {
        // A prepared statement is one statement: the server refuses text
        // that holds several. The driver reads `?` and `:name` outside
        // quotes as parameters, and MySQL cannot prepare a few statements
        // (`CREATE TRIGGER`, ...): those go as text, which the plan has
        // checked to be one statement (dialect::check_sql).
        let parameters = sql.contains('?') || sql.contains(':');
        self.guarded(|c, t| {
            if !parameters {
                match c.prep(sql) {
                    Ok(stmt) => {
                        let ran = c.exec_drop(&stmt, ()).map_err(|e| map_err(e, t));
                        let _ = c.close(stmt);
                        return ran;
                    }
                    Err(mysql::Error::MySqlError(e)) if e.code == UNSUPPORTED_PS => {}
                    Err(e) => return Err(map_err(e, t)),
                }
            }
            c.query_drop(sql).map_err(|e| map_err(e, t))
        })
    }

    fn query(&mut self, sql: &str) -> Result<Rows, DbError> {
        self.guarded(|c, t| rows(c, sql, t))
    }

    fn begin(&mut self) -> Result<(), DbError> {
        self.execute("START TRANSACTION")
    }

    fn commit(&mut self) -> Result<(), DbError> {
        self.execute("COMMIT")
    }

    fn rollback(&mut self) -> Result<(), DbError> {
        self.execute("ROLLBACK")
    }

    fn set_lock_timeout(&mut self, timeout: Duration) -> Result<(), DbError> {
        // Whole seconds, 1 to 31536000 (RunOptions::validate).
        let secs = timeout
            .as_secs()
            .saturating_add(u64::from(timeout.subsec_nanos() > 0))
            .clamp(1, 31_536_000);
        self.execute(&format!("SET SESSION lock_wait_timeout = {secs}"))
    }

    fn prepare_schemas(&mut self, _schemas: &[String]) -> Result<(), DbError> {
        Ok(())
    }

    fn relation_exists(&mut self, schema: Option<&str>, name: &str) -> Result<bool, DbError> {
        let params = vec![schema.into(), name.into()];
        let n = self.guarded(|c, t| {
            rows_with(
                c,
                "SELECT count(*) FROM information_schema.TABLES \
                 WHERE TABLE_SCHEMA = COALESCE(?, DATABASE()) AND TABLE_NAME = ?",
                params,
                t,
            )
        })?;
        Ok(n.first()
            .and_then(|r| r.first())
            .cloned()
            .flatten()
            .is_some_and(|v| v != "0"))
    }

    fn table_objects(
        &mut self,
        schema: Option<&str>,
        table: &str,
    ) -> Result<TableObjects, DbError> {
        let sql =
            "SELECT CONSTRAINT_NAME, CONSTRAINT_TYPE FROM information_schema.TABLE_CONSTRAINTS \
             WHERE TABLE_SCHEMA = COALESCE(?, DATABASE()) AND TABLE_NAME = ? \
             UNION ALL \
             SELECT INDEX_NAME, 'INDEX' FROM information_schema.STATISTICS \
             WHERE TABLE_SCHEMA = COALESCE(?, DATABASE()) AND TABLE_NAME = ?";
        let params = vec![schema.into(), table.into(), schema.into(), table.into()];
        let mut objects = TableObjects::default();
        for r in self.guarded(|c, t| rows_with(c, sql, params, t))? {
            let mut r = r.into_iter();
            let (Some(Some(name)), Some(kind)) = (r.next(), r.next()) else {
                continue;
            };
            objects.primary_key |= kind.as_deref() == Some("PRIMARY KEY");
            objects.add(&name);
        }
        Ok(objects)
    }

    fn backend_pid(&mut self) -> Option<u64> {
        Some(u64::from(self.conn.connection_id()))
    }

    fn blockers(&mut self, tables: &[(Option<String>, String)]) -> Vec<Blocker> {
        let me = self.conn.connection_id();
        let Ok(mut other) = open(&self.opts, self.timeouts) else {
            return Vec::new();
        };
        find_blockers(&mut other, me, tables, self.timeouts)
    }
}

/// One row of `information_schema.PROCESSLIST`.
struct Process {
    id: u64,
    user: Option<String>,
    host: Option<String>,
    db: Option<String>,
    command: String,
    time: Option<String>,
    state: Option<String>,
    info: Option<String>,
}

impl Process {
    /// The session as a blocker.
    fn blocker(&self, in_transaction: bool, reason: String, certain: bool) -> Blocker {
        let state = if self.command.eq_ignore_ascii_case("Sleep") {
            if in_transaction {
                "idle in transaction".to_owned()
            } else {
                "idle".to_owned()
            }
        } else {
            match self.state.as_deref().filter(|s| !s.is_empty()) {
                Some(s) => format!("{} ({s})", self.command),
                None => self.command.clone(),
            }
        };
        Blocker {
            pid: self.id,
            user: self.user.clone(),
            application: self.host.clone(),
            state: Some(state),
            since: self.time.as_ref().map(|t| format!("{t}s ago")),
            query: self.info.clone(),
            reason: Some(reason),
            certain,
            terminate: Some(format!("KILL {}", self.id)),
        }
    }
}

/// The sessions that hold (or probably hold) the metadata locks on
/// `tables` that session `me` waited for, looked up on `conn`.
///
/// Exact where the server says who holds a table's metadata lock (MariaDB's
/// `metadata_lock_info` plugin, MySQL's `performance_schema.metadata_locks`,
/// InnoDB's lock waits); otherwise inferred, and marked as a guess: a
/// session running a statement that names a table; when a table is in use
/// (`SHOW OPEN TABLES`) with no statement running on it, the idle sessions
/// outside any transaction (as `LOCK TABLES` leaves its holder); else the
/// sessions idle in a transaction. Sessions whose default database is the
/// tables' come first, and only they when there are any.
fn find_blockers(
    conn: &mut Conn,
    me: u32,
    tables: &[(Option<String>, String)],
    timeouts: Timeouts,
) -> Vec<Blocker> {
    if tables.is_empty() {
        return Vec::new();
    }
    let current = rows(conn, "SELECT DATABASE(), CONNECTION_ID()", timeouts)
        .ok()
        .and_then(|r| r.into_iter().next())
        .unwrap_or_default();
    let database = current.first().cloned().flatten();
    let lookup = current
        .get(1)
        .cloned()
        .flatten()
        .and_then(|v| v.parse::<u64>().ok())
        .unwrap_or(0);
    let skip = |id: u64| id == u64::from(me) || id == lookup;
    // (schema, table), lower-cased for comparisons.
    let wanted: Vec<(String, String)> = tables
        .iter()
        .filter_map(|(s, t)| {
            let s = s.clone().or_else(|| database.clone())?;
            Some((s.to_lowercase(), t.to_lowercase()))
        })
        .collect();
    let is_wanted = |s: &str, t: &str| {
        let key = (s.to_lowercase(), t.to_lowercase());
        wanted.contains(&key)
    };
    let processes: Vec<Process> = rows(
        conn,
        "SELECT ID, USER, HOST, DB, COMMAND, TIME, STATE, INFO FROM information_schema.PROCESSLIST \
         WHERE COMMAND NOT IN ('Daemon', 'Binlog Dump', 'Killed') AND USER <> 'system user' ORDER BY ID",
        timeouts,
    )
    .unwrap_or_default()
    .into_iter()
    .filter_map(|r| {
        let id: u64 = r.first()?.as_ref()?.parse().ok()?;
        Some(Process {
            id,
            user: r.get(1).cloned().flatten(),
            host: r.get(2).cloned().flatten(),
            db: r.get(3).cloned().flatten(),
            command: r.get(4).cloned().flatten().unwrap_or_default(),
            time: r.get(5).cloned().flatten(),
            state: r.get(6).cloned().flatten(),
            info: r.get(7).cloned().flatten(),
        })
    })
    .filter(|p| !skip(p.id))
    .collect();
    let by_id: HashMap<u64, &Process> = processes.iter().map(|p| (p.id, p)).collect();
    let transactions: HashSet<u64> = rows(
        conn,
        "SELECT trx_mysql_thread_id FROM information_schema.INNODB_TRX",
        timeouts,
    )
    .unwrap_or_default()
    .into_iter()
    .filter_map(|r| r.first()?.as_ref()?.parse().ok())
    .collect();
    let exact = |found: Vec<(u64, String)>| -> Vec<Blocker> {
        let mut seen = HashSet::new();
        found
            .into_iter()
            .filter(|(id, _)| seen.insert(*id))
            .filter_map(|(id, reason)| {
                by_id
                    .get(&id)
                    .map(|p| p.blocker(transactions.contains(&id), reason, true))
            })
            .collect()
    };

    // 1. The server says who holds the metadata locks.
    let pairs = vec!["(?, ?)"; wanted.len()].join(", ");
    let params: Vec<Value> = wanted
        .iter()
        .flat_map(|(s, t)| [Value::from(s.as_str()), Value::from(t.as_str())])
        .collect();
    for sql in [
        format!(
            "SELECT THREAD_ID, LOCK_MODE, TABLE_SCHEMA, TABLE_NAME FROM information_schema.METADATA_LOCK_INFO \
             WHERE (lower(TABLE_SCHEMA), lower(TABLE_NAME)) IN ({pairs})"
        ),
        format!(
            "SELECT t.PROCESSLIST_ID, m.LOCK_TYPE, m.OBJECT_SCHEMA, m.OBJECT_NAME \
             FROM performance_schema.metadata_locks m JOIN performance_schema.threads t ON t.THREAD_ID = m.OWNER_THREAD_ID \
             WHERE m.OBJECT_TYPE = 'TABLE' AND m.LOCK_STATUS = 'GRANTED' \
               AND (lower(m.OBJECT_SCHEMA), lower(m.OBJECT_NAME)) IN ({pairs})"
        ),
    ] {
        let Ok(found) = rows_with(conn, &sql, params.clone(), timeouts) else {
            continue;
        };
        let found = exact(
            found
                .iter()
                .filter_map(|r| {
                    let id: u64 = r.first()?.as_ref()?.parse().ok()?;
                    let mode = r.get(1).cloned().flatten().unwrap_or_default();
                    let schema = r.get(2).cloned().flatten().unwrap_or_default();
                    let table = r.get(3).cloned().flatten().unwrap_or_default();
                    Some((
                        id,
                        format!("holds a metadata lock ({mode}) on {schema}.{table}"),
                    ))
                })
                .filter(|(id, _)| !skip(*id))
                .collect(),
        );
        if !found.is_empty() {
            return found;
        }
    }

    // 2. InnoDB says who holds row or table locks on them that others wait
    // for: such a transaction also holds the table's metadata lock.
    let mut found: Vec<(u64, String)> = rows(
        conn,
        "SELECT DISTINCT t.trx_mysql_thread_id, l.lock_table FROM information_schema.INNODB_LOCK_WAITS w \
         JOIN information_schema.INNODB_LOCKS l ON l.lock_id = w.blocking_lock_id \
         JOIN information_schema.INNODB_TRX t ON t.trx_id = w.blocking_trx_id",
        timeouts,
    )
    .unwrap_or_default()
    .iter()
    .filter_map(|r| {
        let id: u64 = r.first()?.as_ref()?.parse().ok()?;
        let table = r.get(1).cloned().flatten()?;
        let unquoted = table.replace('`', "");
        let (s, t) = unquoted.split_once('.')?;
        is_wanted(s, t).then(|| (id, format!("holds InnoDB locks on {unquoted}")))
    })
    .filter(|(id, _)| !skip(*id))
    .collect();
    if !found.is_empty() {
        found.sort();
        return exact(found);
    }

    // 3. Guesses.
    let ours = |p: &Process| {
        p.db.as_deref()
            .is_some_and(|d| wanted.iter().any(|(s, _)| s.eq_ignore_ascii_case(d)))
    };
    let guess = |candidates: Vec<(&Process, String)>| -> Vec<Blocker> {
        let narrowed: Vec<&(&Process, String)> =
            candidates.iter().filter(|(p, _)| ours(p)).collect();
        let chosen: Vec<&(&Process, String)> = if narrowed.is_empty() {
            candidates.iter().collect()
        } else {
            narrowed
        };
        chosen
            .into_iter()
            .map(|(p, reason)| p.blocker(transactions.contains(&p.id), reason.clone(), false))
            .collect()
    };
    let waiting = |p: &Process| {
        p.state
            .as_deref()
            .is_some_and(|s| s.to_lowercase().contains("waiting for") && s.contains("lock"))
    };
    // A statement running on one of the tables: named with their schema,
    // or bare by a session whose default database is theirs (the same bare
    // name in another database is another table).
    let running: Vec<(&Process, String)> = processes
        .iter()
        .filter(|p| !p.command.eq_ignore_ascii_case("Sleep") && !waiting(p))
        .filter_map(|p| {
            let info = p.info.as_deref()?;
            let (_, table) = tables.iter().find(|(s, t)| {
                s.as_deref()
                    .or(database.as_deref())
                    .is_some_and(|s| refers_to(info, p.db.as_deref(), s, t))
            })?;
            Some((p, format!("running a statement that names {table}")))
        })
        .collect();
    if !running.is_empty() {
        return guess(running);
    }
    // A table in use with no statement running on it: LOCK TABLES.
    let in_use: Vec<String> = rows(conn, "SHOW OPEN TABLES WHERE In_use > 0", timeouts)
        .unwrap_or_default()
        .iter()
        .filter_map(|r| {
            let s = r.first().cloned().flatten()?;
            let t = r.get(1).cloned().flatten()?;
            is_wanted(&s, &t).then(|| format!("{s}.{t}"))
        })
        .collect();
    if !in_use.is_empty() {
        let locked = in_use.join(", ");
        let idle: Vec<(&Process, String)> = processes
            .iter()
            .filter(|p| p.command.eq_ignore_ascii_case("Sleep") && !transactions.contains(&p.id))
            .map(|p| {
                (
                    p,
                    format!(
                        "idle outside any transaction while {locked} is in use (SHOW OPEN TABLES), as \
                         LOCK TABLES leaves a table; UNLOCK TABLES in that session releases it"
                    ),
                )
            })
            .collect();
        if !idle.is_empty() {
            return guess(idle);
        }
    }
    // Otherwise: a transaction that read or changed a table keeps its
    // metadata lock until it ends.
    let open: Vec<(&Process, String)> = processes
        .iter()
        .filter(|p| transactions.contains(&p.id) && !waiting(p))
        .map(|p| {
            (
                p,
                "inside a transaction, which keeps a metadata lock on every table it read or changed until it ends"
                    .to_owned(),
            )
        })
        .collect();
    guess(open)
}

/// Whether `sql`, run by a session whose default database is `db`, names
/// the table `table` of database `schema`: as `schema.table`, or bare when
/// `db` is `schema` (any case, quoted or not).
fn refers_to(sql: &str, db: Option<&str>, schema: &str, table: &str) -> bool {
    let unquoted = sql.replace('`', "");
    names_table(&unquoted, &format!("{schema}.{table}"))
        || (db.is_some_and(|d| d.eq_ignore_ascii_case(schema)) && names_table(&unquoted, table))
}

/// Whether SQL text names the table `name` (as a whole word, any case,
/// quoted or not, and not qualified by a schema).
fn names_table(sql: &str, name: &str) -> bool {
    let sql = sql.to_lowercase();
    let name = name.to_lowercase();
    let word = |c: char| c.is_alphanumeric() || c == '_' || c == '$';
    sql.match_indices(&name).any(|(i, _)| {
        // A `.` before it qualifies it with a schema.
        let before = sql[..i].chars().next_back();
        let after = sql[i + name.len()..].chars().next();
        !before.is_some_and(|c| word(c) || c == '.') && !after.is_some_and(word)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A session on the live server of the engine tests; fails the test
    /// when the server does not answer.
    fn live() -> MySqlSession {
        let timeouts = Timeouts {
            connect: Duration::from_secs(10),
            statement: Duration::from_secs(60),
        };
        connect("mysql://root@127.0.0.1:3306/test", timeouts).unwrap_or_else(|e| {
            panic!("MariaDB is unreachable ({e}): this test needs it (cargo test -- --include-ignored)")
        })
    }

    #[test]
    #[ignore = "needs MariaDB at 127.0.0.1:3306 (cargo test -- --include-ignored)"]
    fn a_plan_step_runs_one_statement() {
        let mut s = live();
        let e = s
            .execute_one("CREATE TEMPORARY TABLE a (x int); CREATE TEMPORARY TABLE b (y int)")
            .unwrap_err();
        assert_eq!(e.code.as_deref(), Some("1064"), "{e}");
        assert!(s.query("SELECT * FROM a").is_err());
        assert!(s.query("SELECT * FROM b").is_err());
        s.execute_one("CREATE TEMPORARY TABLE a (x int);").unwrap();
        s.execute_one("SELECT 1").unwrap();
        // Text with `?` or `:` outside quotes goes as text, once checked.
        s.execute_one("SELECT 'a?:b'").unwrap();
    }

    #[test]
    #[ignore = "needs MariaDB at 127.0.0.1:3306 (cargo test -- --include-ignored)"]
    fn a_session_reads_backslashes_as_the_dialect_writes_them() {
        let mut s = live();
        s.execute("SET SESSION sql_mode = CONCAT(@@SESSION.sql_mode, ',NO_BACKSLASH_ESCAPES')")
            .unwrap();
        assert!(s.conn.no_backslash_escape());
        // What `connect` does after connecting.
        backslash_escapes(&mut s.conn, s.timeouts).unwrap();
        assert!(!s.conn.no_backslash_escape());
        let literal = MySql.string_literal("a\\'b");
        let got = s.query(&format!("SELECT {literal}")).unwrap();
        assert_eq!(got[0][0].as_deref(), Some("a\\'b"));
    }

    #[test]
    fn statements_name_tables_as_whole_words() {
        assert!(names_table("SELECT * FROM `Parent` WHERE x", "parent"));
        assert!(names_table("update parent set a = 1", "parent"));
        assert!(!names_table("SELECT * FROM grandparent", "parent"));
        assert!(!names_table("SELECT * FROM parent_item", "parent"));
        assert!(!names_table("SELECT * FROM other.parent", "parent"));
    }

    /// A bare name refers to the session's default database: a statement
    /// in another database (another test's `CREATE TABLE` with a column of
    /// the same name, as CI once met) does not name the table.
    #[test]
    fn statements_name_tables_of_their_own_database() {
        let create = "CREATE TABLE role_invoice ( id INTEGER, ledger VARCHAR(120) )";
        assert!(!refers_to(create, Some("t_other"), "t_mine", "ledger"));
        assert!(!refers_to(create, None, "t_mine", "ledger"));
        assert!(refers_to(create, Some("T_Mine"), "t_mine", "ledger"));
        assert!(refers_to(
            "DELETE FROM `t_mine`.`Ledger`",
            Some("x"),
            "t_mine",
            "ledger"
        ));
        assert!(!refers_to(
            "DELETE FROM t_other.ledger",
            Some("t_mine"),
            "t_mine",
            "ledger"
        ));
    }
}
