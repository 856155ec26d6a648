//! MySQL and MariaDB through the `mysql` driver (pure Rust, no TLS).
//!
//! DDL is not transactional there: each statement commits on its own, so a
//! run cannot be rolled back; the engine reports what ran instead.

use std::time::Duration;

use mysql::prelude::Queryable;
use mysql::{Conn, Opts, Value};

use super::session::{Blocker, DbError, Rows, Session, TableObjects};
use crate::dialect::{Dialect, MySql};

pub(crate) struct MySqlSession {
    conn: Conn,
    opts: Opts,
}

pub(crate) fn connect(url: &str) -> Result<MySqlSession, DbError> {
    let opts = Opts::from_url(url).map_err(|e| DbError::msg(format!("invalid MySQL URL: {e}")))?;
    let mut conn = Conn::new(opts.clone()).map_err(map_err)?;
    backslash_escapes(&mut conn)?;
    Ok(MySqlSession { conn, opts })
}

/// Turns `NO_BACKSLASH_ESCAPES` off for the session where the server has it
/// on: the dialect writes string literals (comments) with backslashes
/// escaped, as the server reads them by default, and a run must store them
/// exactly as written. (Under `NO_BACKSLASH_ESCAPES` they would be safe but
/// stored with each backslash doubled.)
pub(crate) fn backslash_escapes(conn: &mut Conn) -> Result<(), DbError> {
    if conn.no_backslash_escape() {
        conn.query_drop(
            "SET SESSION sql_mode = REPLACE(@@SESSION.sql_mode, 'NO_BACKSLASH_ESCAPES', '')",
        )
        .map_err(map_err)?;
    }
    Ok(())
}

/// MySQL's error for a statement that cannot be prepared
/// (`ER_UNSUPPORTED_PS`: `CREATE TRIGGER`, `CREATE PROCEDURE`, ... on MySQL).
const UNSUPPORTED_PS: u16 = 1295;

fn map_err(e: mysql::Error) -> DbError {
    match &e {
        mysql::Error::MySqlError(m) => DbError {
            message: m.message.clone(),
            code: Some(m.code.to_string()),
            lock_timeout: m.code == 1205,
        },
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

fn rows(conn: &mut Conn, sql: &str) -> Result<Rows, DbError> {
    let rows: Vec<mysql::Row> = conn.query(sql).map_err(map_err)?;
    Ok(rows
        .into_iter()
        .map(|r| r.unwrap().iter().map(text).collect())
        .collect())
}

/// Rows of a query with parameters (`?`), every value as text.
fn rows_with(conn: &mut Conn, sql: &str, params: Vec<Value>) -> Result<Rows, DbError> {
    let rows: Vec<mysql::Row> = conn.exec(sql, params).map_err(map_err)?;
    Ok(rows
        .into_iter()
        .map(|r| r.unwrap().iter().map(text).collect())
        .collect())
}

impl Session for MySqlSession {
    fn dialect(&self) -> &'static dyn Dialect {
        &MySql
    }

    fn transactional_ddl(&self) -> bool {
        false
    }

    fn execute(&mut self, sql: &str) -> Result<(), DbError> {
        self.conn.query_drop(sql).map_err(map_err)
    }

    fn execute_one(&mut self, sql: &str) -> Result<(), DbError> {
        // A prepared statement is one statement: the server refuses text
        // that holds several. The driver reads `?` and `:name` outside
        // quotes as parameters, and MySQL cannot prepare a few statements
        // (`CREATE TRIGGER`, ...): those go as text, which the plan has
        // checked to be one statement (dialect::check_sql).
        let parameters = sql.contains('?') || sql.contains(':');
        if !parameters {
            match self.conn.prep(sql) {
                Ok(stmt) => {
                    let ran = self.conn.exec_drop(&stmt, ()).map_err(map_err);
                    let _ = self.conn.close(stmt);
                    return ran;
                }
                Err(mysql::Error::MySqlError(e)) if e.code == UNSUPPORTED_PS => {}
                Err(e) => return Err(map_err(e)),
            }
        }
        self.conn.query_drop(sql).map_err(map_err)
    }

    fn query(&mut self, sql: &str) -> Result<Rows, DbError> {
        rows(&mut self.conn, sql)
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
        let secs = timeout.as_secs_f64().ceil().max(1.0) as u64;
        self.execute(&format!("SET SESSION lock_wait_timeout = {secs}"))
    }

    fn prepare_schemas(&mut self, _schemas: &[String]) -> Result<(), DbError> {
        Ok(())
    }

    fn relation_exists(&mut self, schema: Option<&str>, name: &str) -> Result<bool, DbError> {
        let n = rows_with(
            &mut self.conn,
            "SELECT count(*) FROM information_schema.TABLES \
             WHERE TABLE_SCHEMA = COALESCE(?, DATABASE()) AND TABLE_NAME = ?",
            vec![schema.into(), name.into()],
        )?;
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
        for r in rows_with(&mut self.conn, sql, params)? {
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
        let Ok(mut other) = Conn::new(self.opts.clone()) else {
            return Vec::new();
        };
        let to_blocker = |r: &Vec<Option<String>>| {
            Some(Blocker {
                pid: r.first()?.as_ref()?.parse().ok()?,
                user: r.get(1).cloned().flatten(),
                application: r.get(2).cloned().flatten(),
                state: r.get(3).cloned().flatten(),
                since: r.get(4).cloned().flatten(),
                query: r.get(5).cloned().flatten(),
            })
        };
        // MariaDB's metadata_lock_info plugin, where installed, says exactly who holds the table.
        if !tables.is_empty() {
            let marks = vec!["?"; tables.len()].join(", ");
            let sql = format!(
                "SELECT DISTINCT p.ID, p.USER, p.HOST, concat(p.COMMAND, ' ', coalesce(p.STATE, '')), \
                 concat(p.TIME, 's ago'), p.INFO FROM information_schema.METADATA_LOCK_INFO m \
                 JOIN information_schema.PROCESSLIST p ON p.ID = m.THREAD_ID \
                 WHERE p.ID <> {me} AND m.TABLE_NAME IN ({marks})"
            );
            let names = tables
                .iter()
                .map(|(_, t)| Value::from(t.as_str()))
                .collect();
            if let Ok(r) = rows_with(&mut other, &sql, names) {
                let found: Vec<Blocker> = r.iter().filter_map(to_blocker).collect();
                if !found.is_empty() {
                    return found;
                }
            }
        }
        // Otherwise: the other sessions with an open transaction.
        let sql = format!(
            "SELECT p.ID, p.USER, p.HOST, IF(p.COMMAND = 'Sleep', 'idle in transaction', p.COMMAND), \
             concat(t.trx_started, ' (transaction start)'), p.INFO FROM information_schema.INNODB_TRX t \
             JOIN information_schema.PROCESSLIST p ON p.ID = t.trx_mysql_thread_id WHERE p.ID <> {me} ORDER BY p.ID"
        );
        rows(&mut other, &sql)
            .map(|r| r.iter().filter_map(to_blocker).collect())
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A session on the live server of the engine tests; fails the test
    /// when the server does not answer.
    fn live() -> MySqlSession {
        connect("mysql://root@127.0.0.1:3306/test").unwrap_or_else(|e| {
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
        backslash_escapes(&mut s.conn).unwrap();
        assert!(!s.conn.no_backslash_escape());
        let literal = MySql.string_literal("a\\'b");
        let got = s.query(&format!("SELECT {literal}")).unwrap();
        assert_eq!(got[0][0].as_deref(), Some("a\\'b"));
    }
}
