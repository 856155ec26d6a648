//! Embedded SQLite through `rusqlite` (compiled in).
//!
//! Schemas are attached databases: a table in schema `s` of `shop.db` lives
//! in `shop.s.db` next to it (for an in-memory database, in another shared
//! in-memory database), attached under the name `s` before a run.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use rusqlite::types::ValueRef;
use rusqlite::{Connection, ErrorCode, OpenFlags};

use super::session::{Blocker, DbError, Rows, Session, TableObjects};
use crate::dialect::{Dialect, Sqlite};

/// Where the database lives.
#[derive(Clone, Debug)]
pub(crate) enum Target {
    File(PathBuf),
    /// A shared-cache in-memory database with this URI name.
    Memory(String),
}

impl Target {
    /// A fresh in-memory target, unique in this process.
    pub(crate) fn new_memory() -> Target {
        static NEXT: AtomicU64 = AtomicU64::new(0);
        Target::Memory(format!(
            "nomenclator-mem-{}-{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        ))
    }

    fn open_path(&self, schema: Option<&str>) -> String {
        match (self, schema) {
            (Target::File(p), None) => p.to_string_lossy().into_owned(),
            (Target::File(p), Some(s)) => schema_file(p, s).to_string_lossy().into_owned(),
            (Target::Memory(n), None) => format!("file:{n}?mode=memory&cache=shared"),
            (Target::Memory(n), Some(s)) => format!("file:{n}-{s}?mode=memory&cache=shared"),
        }
    }
}

/// `dir/shop.db` + `s` → `dir/shop.s.db`.
fn schema_file(p: &Path, schema: &str) -> PathBuf {
    let stem = p
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let ext = p
        .extension()
        .map(|e| e.to_string_lossy().into_owned())
        .unwrap_or_else(|| "db".into());
    p.with_file_name(format!("{stem}.{schema}.{ext}"))
}

pub(crate) struct SqliteSession {
    conn: Connection,
    target: Target,
}

pub(crate) fn connect(target: &Target) -> Result<SqliteSession, DbError> {
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
        | OpenFlags::SQLITE_OPEN_CREATE
        | OpenFlags::SQLITE_OPEN_URI;
    let conn = match target {
        Target::File(p) => Connection::open(p),
        Target::Memory(_) => Connection::open_with_flags(target.open_path(None), flags),
    }
    .map_err(map_err)?;
    conn.busy_timeout(Duration::from_secs(5)).map_err(map_err)?;
    Ok(SqliteSession {
        conn,
        target: target.clone(),
    })
}

/// The error code for messages; SQLite's generic SQLITE_ERROR says nothing.
fn code(code: ErrorCode) -> Option<String> {
    (code != ErrorCode::Unknown).then(|| format!("{code:?}"))
}

fn map_err(e: rusqlite::Error) -> DbError {
    match &e {
        // Its display repeats the whole statement; the run reports it once.
        rusqlite::Error::SqlInputError { error, msg, .. } => DbError {
            code: code(error.code),
            ..DbError::msg(msg.clone())
        },
        rusqlite::Error::SqliteFailure(f, msg) => DbError {
            code: code(f.code),
            lock_timeout: matches!(f.code, ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked),
            ..DbError::msg(msg.clone().unwrap_or_else(|| e.to_string()))
        },
        _ => DbError::msg(e.to_string()),
    }
}

impl Session for SqliteSession {
    fn dialect(&self) -> &'static dyn Dialect {
        &Sqlite
    }

    fn transactional_ddl(&self) -> bool {
        true
    }

    fn execute(&mut self, sql: &str) -> Result<(), DbError> {
        self.conn.execute_batch(sql).map_err(map_err)
    }

    fn execute_one(&mut self, sql: &str) -> Result<(), DbError> {
        // `prepare` refuses text that holds a second statement.
        let mut stmt = self.conn.prepare(sql).map_err(map_err)?;
        if stmt.expanded_sql().is_none() {
            // Only spaces and comments: SQLite made no statement to run.
            return Ok(());
        }
        let mut rows = stmt.raw_query();
        while rows.next().map_err(map_err)?.is_some() {}
        Ok(())
    }

    fn query(&mut self, sql: &str) -> Result<Rows, DbError> {
        let mut stmt = self.conn.prepare(sql).map_err(map_err)?;
        let n = stmt.column_count();
        let mut rows = stmt.query([]).map_err(map_err)?;
        let mut out = Vec::new();
        while let Some(row) = rows.next().map_err(map_err)? {
            let mut r = Vec::with_capacity(n);
            for i in 0..n {
                r.push(match row.get_ref(i).map_err(map_err)? {
                    ValueRef::Null => None,
                    ValueRef::Integer(v) => Some(v.to_string()),
                    ValueRef::Real(v) => Some(v.to_string()),
                    ValueRef::Text(t) | ValueRef::Blob(t) => {
                        Some(String::from_utf8_lossy(t).into_owned())
                    }
                });
            }
            out.push(r);
        }
        Ok(out)
    }

    fn begin(&mut self) -> Result<(), DbError> {
        self.execute("BEGIN")
    }

    fn commit(&mut self) -> Result<(), DbError> {
        self.execute("COMMIT")
    }

    fn rollback(&mut self) -> Result<(), DbError> {
        if self.conn.is_autocommit() {
            return Ok(());
        }
        self.execute("ROLLBACK")
    }

    fn set_lock_timeout(&mut self, timeout: Duration) -> Result<(), DbError> {
        // The busy timeout is an i32 of milliseconds; rusqlite panics on a
        // longer one. RunOptions::validate refuses it first.
        let ms = timeout.as_millis();
        if ms > i32::MAX as u128 {
            return Err(DbError::msg(format!(
                "SQLite's busy timeout is at most 2147483647 ms; {ms} ms is too long"
            )));
        }
        self.conn.busy_timeout(timeout).map_err(map_err)
    }

    fn prepare_schemas(&mut self, schemas: &[String]) -> Result<(), DbError> {
        let attached: Vec<String> = self
            .query("PRAGMA database_list")?
            .into_iter()
            .filter_map(|r| r.get(1).cloned().flatten())
            .collect();
        for s in schemas {
            if attached.iter().any(|a| a.eq_ignore_ascii_case(s)) {
                continue;
            }
            // Plans refuse such names first; a file must never be opened elsewhere.
            if let Some(reason) = crate::ddl::schema_file_name_problem(s) {
                return Err(DbError::msg(format!(
                    "schema {s:?} cannot be attached: a schema is a database file next to the main one, and this name {reason}"
                )));
            }
            let path = self.target.open_path(Some(s));
            self.conn
                .execute(
                    &format!("ATTACH DATABASE ?1 AS {}", Sqlite.quote(s)),
                    [path],
                )
                .map_err(map_err)?;
        }
        Ok(())
    }

    fn open_existing_schemas(&mut self, schemas: &[String]) -> Result<(), DbError> {
        let present: Vec<String> = schemas
            .iter()
            .filter(|s| !s.eq_ignore_ascii_case("main") && !s.eq_ignore_ascii_case("temp"))
            .filter(|s| crate::ddl::schema_file_name_problem(s).is_none())
            .filter(|s| match &self.target {
                Target::File(p) => schema_file(p, s).is_file(),
                // A shared in-memory database: attaching an absent one makes it empty.
                Target::Memory(_) => true,
            })
            .cloned()
            .collect();
        self.prepare_schemas(&present)
    }

    fn relation_exists(&mut self, schema: Option<&str>, name: &str) -> Result<bool, DbError> {
        let sql = format!(
            "SELECT count(*) FROM {}.sqlite_master WHERE type IN ('table', 'view') AND name = ?1",
            Sqlite.quote(schema.unwrap_or("main"))
        );
        let n: i64 = self
            .conn
            .query_row(&sql, [name], |r| r.get(0))
            .map_err(map_err)?;
        Ok(n > 0)
    }

    fn table_objects(
        &mut self,
        schema: Option<&str>,
        table: &str,
    ) -> Result<TableObjects, DbError> {
        let schema_name = schema.unwrap_or("main");
        let schema = Sqlite.quote(schema_name);
        let mut objects = TableObjects::default();
        // Constraint names are kept only in the table's CREATE TABLE text.
        let sql: Option<String> = self
            .conn
            .query_row(
                &format!(
                    "SELECT sql FROM {schema}.sqlite_master WHERE type = 'table' AND name = ?1"
                ),
                [table],
                |r| r.get(0),
            )
            .map_err(map_err)?;
        for name in constraint_names(sql.as_deref().unwrap_or("")) {
            objects.add(&name);
        }
        let mut stmt = self
            .conn
            .prepare(&format!(
                "SELECT name FROM {schema}.sqlite_master WHERE type = 'index' AND tbl_name = ?1"
            ))
            .map_err(map_err)?;
        let names = stmt
            .query_map([table], |r| r.get::<_, String>(0))
            .map_err(map_err)?;
        for name in names {
            objects.add(&name.map_err(map_err)?);
        }
        let pk: i64 = self
            .conn
            .query_row(
                "SELECT count(*) FROM pragma_table_info(?1, ?2) WHERE pk > 0",
                [table, schema_name],
                |r| r.get(0),
            )
            .map_err(map_err)?;
        objects.primary_key = pk > 0;
        Ok(objects)
    }

    fn backend_pid(&mut self) -> Option<u64> {
        None
    }

    fn blockers(&mut self, _tables: &[(Option<String>, String)]) -> Vec<Blocker> {
        Vec::new()
    }
}

/// The names after each `CONSTRAINT` keyword of a `CREATE TABLE` text,
/// unquoted; string literals and comments are passed over.
fn constraint_names(sql: &str) -> Vec<String> {
    let mut names = Vec::new();
    let mut after_constraint = false;
    let mut chars = sql.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let word = match c {
            '\'' => {
                // A string literal: '' is a quote inside it.
                while let Some((_, c)) = chars.next() {
                    if c == '\'' && chars.next_if(|&(_, c)| c == '\'').is_none() {
                        break;
                    }
                }
                after_constraint = false;
                continue;
            }
            '-' if chars.next_if(|&(_, c)| c == '-').is_some() => {
                for (_, c) in chars.by_ref() {
                    if c == '\n' {
                        break;
                    }
                }
                continue;
            }
            '"' | '`' | '[' => {
                let close = if c == '[' { ']' } else { c };
                let mut word = String::new();
                while let Some((_, c)) = chars.next() {
                    if c == close {
                        if close != ']' && chars.next_if(|&(_, n)| n == close).is_some() {
                            word.push(close);
                            continue;
                        }
                        break;
                    }
                    word.push(c);
                }
                (word, true)
            }
            c if c.is_alphanumeric() || c == '_' => {
                let mut end = i + c.len_utf8();
                while let Some((j, c)) =
                    chars.next_if(|&(_, c)| c.is_alphanumeric() || c == '_' || c == '$')
                {
                    end = j + c.len_utf8();
                }
                (sql[i..end].to_owned(), false)
            }
            _ => {
                if !c.is_whitespace() {
                    after_constraint = false;
                }
                continue;
            }
        };
        let (word, quoted) = word;
        if after_constraint {
            names.push(word);
            after_constraint = false;
        } else {
            after_constraint = !quoted && word.eq_ignore_ascii_case("constraint");
        }
    }
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schema_files_sit_next_to_the_database() {
        assert_eq!(
            schema_file(Path::new("/x/shop.db"), "s1"),
            PathBuf::from("/x/shop.s1.db")
        );
    }

    #[test]
    fn constraint_names_are_read_from_create_table() {
        let sql = "CREATE TABLE \"a b\" (id INTEGER CONSTRAINT ck_id CHECK (id > 0), \
                   note TEXT DEFAULT 'CONSTRAINT no', -- constraint nope\n\
                   CONSTRAINT \"pk \"\"x\"\"\" PRIMARY KEY (id), constraint [uq] UNIQUE (note), \
                   CONSTRAINT `fk` FOREIGN KEY (id) REFERENCES t (id))";
        assert_eq!(
            constraint_names(sql),
            ["ck_id", "pk \"x\"", "uq", "fk"].map(String::from)
        );
    }

    #[test]
    fn table_objects_name_indexes_and_constraints() {
        let mut s = connect(&Target::new_memory()).unwrap();
        s.execute(
            "CREATE TABLE t (id INTEGER NOT NULL, a TEXT, CONSTRAINT pk_t PRIMARY KEY (id), \
             CONSTRAINT \"uq_T_a\" UNIQUE (a)); CREATE INDEX ix_t_a ON t (a); CREATE TABLE u (x INTEGER)",
        )
        .unwrap();
        let t = s.table_objects(None, "t").unwrap();
        assert!(t.primary_key && t.has("PK_T") && t.has("uq_t_a") && t.has("ix_t_a"));
        assert!(!t.has("ix_t_b"));
        let u = s.table_objects(None, "u").unwrap();
        assert!(!u.primary_key && !u.has("pk_u"));
    }

    #[test]
    fn a_plan_step_runs_one_statement_or_none() {
        let mut s = connect(&Target::new_memory()).unwrap();
        let e = s
            .execute_one("CREATE TABLE a (x INTEGER); CREATE TABLE b (y INTEGER)")
            .unwrap_err();
        assert!(e.message.contains("Multiple statements"), "{e}");
        assert!(!s.relation_exists(None, "a").unwrap());
        assert!(!s.relation_exists(None, "b").unwrap());
        // Rows are read and dropped; a trailing `;`, or nothing at all, is fine.
        s.execute_one("PRAGMA table_list").unwrap();
        s.execute_one("CREATE TABLE a (x INTEGER);").unwrap();
        s.execute_one("-- only a comment").unwrap();
        assert!(s.relation_exists(None, "a").unwrap());
    }

    #[test]
    fn schemas_that_are_not_file_names_are_never_attached() {
        let dir = std::env::temp_dir().join(format!("nomen-attach-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("d")).unwrap();
        let mut s = connect(&Target::File(dir.join("d/main.db"))).unwrap();
        let e = s.prepare_schemas(&["x/../../escaped".into()]).unwrap_err();
        assert!(e.message.contains("cannot be attached"), "{e}");
        assert!(!dir.join("escaped.db").exists());
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn memory_databases_are_shared_between_sessions_of_one_target() {
        let t = Target::new_memory();
        let mut a = connect(&t).unwrap();
        let mut b = connect(&t).unwrap();
        a.execute("CREATE TABLE t (x INTEGER)").unwrap();
        assert!(b.relation_exists(None, "t").unwrap());
        assert!(!b.relation_exists(None, "u").unwrap());
        b.prepare_schemas(&["s1".into()]).unwrap();
        b.execute("CREATE TABLE s1.u (x INTEGER)").unwrap();
        assert!(b.relation_exists(Some("s1"), "u").unwrap());
    }
}
