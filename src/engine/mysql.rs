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
    let conn = Conn::new(opts.clone()).map_err(map_err)?;
    Ok(MySqlSession { conn, opts })
}

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

fn literal(s: &str) -> String {
    format!("'{}'", s.replace('\\', "\\\\").replace('\'', "''"))
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
        let schema = schema.map(literal).unwrap_or_else(|| "DATABASE()".into());
        let sql = format!(
            "SELECT count(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = {schema} AND TABLE_NAME = {}",
            literal(name)
        );
        let n = rows(&mut self.conn, &sql)?;
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
        let schema = schema.map(literal).unwrap_or_else(|| "DATABASE()".into());
        let table = literal(table);
        let sql = format!(
            "SELECT CONSTRAINT_NAME, CONSTRAINT_TYPE FROM information_schema.TABLE_CONSTRAINTS \
             WHERE TABLE_SCHEMA = {schema} AND TABLE_NAME = {table} \
             UNION ALL \
             SELECT INDEX_NAME, 'INDEX' FROM information_schema.STATISTICS \
             WHERE TABLE_SCHEMA = {schema} AND TABLE_NAME = {table}"
        );
        let mut objects = TableObjects::default();
        for r in rows(&mut self.conn, &sql)? {
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
            let names: Vec<String> = tables.iter().map(|(_, t)| literal(t)).collect();
            let sql = format!(
                "SELECT DISTINCT p.ID, p.USER, p.HOST, concat(p.COMMAND, ' ', coalesce(p.STATE, '')), \
                 concat(p.TIME, 's ago'), p.INFO FROM information_schema.METADATA_LOCK_INFO m \
                 JOIN information_schema.PROCESSLIST p ON p.ID = m.THREAD_ID \
                 WHERE p.ID <> {me} AND m.TABLE_NAME IN ({})",
                names.join(", ")
            );
            if let Ok(r) = rows(&mut other, &sql) {
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
