//! Identifier round trip against live databases: a table and a column named
//! by a random hostile identifier (quotes, backticks, brackets, spaces,
//! reserved words, unicode) render to DDL the server accepts, and the
//! catalog then holds exactly those names.
//!
//! SQLite runs in memory, always. PostgreSQL (127.0.0.1:5432, user postgres,
//! database test) and MariaDB (root@127.0.0.1:3306/test) are `#[ignore]`d
//! with the server as the reason: `cargo test -- --include-ignored` (what
//! `.ci/run` runs) runs them and fails if a server does not answer.
//!
//! MySQL/MariaDB accept only Basic Multilingual Plane characters in
//! identifiers and no trailing space: for such identifiers the MariaDB
//! property checks that nomenclator refuses them and that the server
//! refuses the same statement written by hand.

#![allow(clippy::result_large_err)] // a helper returns the crate's structured error

use nomenclator::ddl::{create_plan, DdlOptions};
use nomenclator::dialect::by_name;
use nomenclator::{Column, MetaData, Table};
use proptest::prelude::*;

const PIECES: &[&str] = &[
    "a", "id", "user", "order", "select", "table", "group", "\"", "'", "`", "[", "]", " ", "-",
    ".", "%", "(", ")", "{", "}", "é", "中文", "🎉", "ß", "Ünï", "_", "0", "\\", ";", "--", "/*",
    "$", "Upper",
];

fn ident() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(PIECES), 1..6).prop_map(|v| v.concat())
}

/// Why a live test fails when its server does not answer.
fn unreachable(what: &str, url: &str, e: &dyn std::fmt::Display) -> String {
    format!(
        "{what} is unreachable at {url} ({e}): this test needs it. Start the server \
         (`.ci/run` does), or run `cargo test` without --include-ignored to leave the \
         live-database tests out"
    )
}

/// The create statements for a table `t` with columns `id` and `c`.
fn statements(dialect: &str, t: &str, c: &str) -> Vec<String> {
    try_statements(dialect, t, c).expect("plan")
}

/// As [`statements`], or nomenclator's refusal.
fn try_statements(dialect: &str, t: &str, c: &str) -> Result<Vec<String>, nomenclator::Error> {
    let mut md = MetaData::new();
    md.add_table(
        Table::new(t)
            .column(Column::new("id", "integer").primary_key())
            .column(Column::new(c, "varchar(20)")),
    )
    .expect("a valid table");
    let d = by_name(dialect).expect("dialect");
    let plan = create_plan(&md, d, &DdlOptions::default())?;
    Ok(plan.sql()?)
}

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: 32,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

fn distinct(t: &str, c: &str) -> bool {
    c != "id" && t != c
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn sqlite_round_trip(t in ident(), c in ident()) {
        prop_assume!(distinct(&t, &c));
        // SQLite compares column names case-insensitively (ASCII).
        prop_assume!(!c.eq_ignore_ascii_case("id"));
        let conn = rusqlite::Connection::open_in_memory().unwrap();
        for s in statements("sqlite", &t, &c) {
            conn.execute_batch(&s).map_err(|e| TestCaseError::fail(format!("{s}: {e}")))?;
        }
        let tables: Vec<String> = conn
            .prepare("SELECT name FROM sqlite_master WHERE type = 'table'").unwrap()
            .query_map([], |r| r.get(0)).unwrap().map(Result::unwrap).collect();
        prop_assert_eq!(tables, vec![t.clone()]);
        let cols: Vec<String> = conn
            .prepare("SELECT name FROM pragma_table_info(?1) ORDER BY cid").unwrap()
            .query_map([&t], |r| r.get(0)).unwrap().map(Result::unwrap).collect();
        prop_assert_eq!(cols, vec!["id".to_owned(), c.clone()]);
    }
}

#[test]
#[ignore = "needs PostgreSQL at 127.0.0.1:5432 (cargo test -- --include-ignored)"]
fn postgresql_round_trip() {
    let url = "host=127.0.0.1 port=5432 user=postgres dbname=test";
    let client = match postgres::Client::connect(url, postgres::NoTls) {
        Ok(c) => c,
        Err(e) => panic!("{}", unreachable("PostgreSQL", url, &e)),
    };
    let client = std::cell::RefCell::new(client);
    let mut runner = proptest::test_runner::TestRunner::new(config());
    runner
        .run(&(ident(), ident()), |(t, c)| {
            prop_assume!(distinct(&t, &c) && t.len() <= 63 && c.len() <= 63);
            let mut client = client.borrow_mut();
            let mut tx = client.transaction().unwrap();
            for s in statements("postgresql", &t, &c) {
                tx.batch_execute(&s).map_err(|e| TestCaseError::fail(format!("{s}: {e}")))?;
            }
            let cols: Vec<String> = tx
                .query(
                    "SELECT a.attname::text FROM pg_attribute a JOIN pg_class k ON k.oid = a.attrelid \
                     WHERE k.relname = $1 AND k.relkind = 'r' AND a.attnum > 0 ORDER BY a.attnum",
                    &[&t],
                )
                .unwrap()
                .iter()
                .map(|r| r.get(0))
                .collect();
            tx.rollback().unwrap();
            prop_assert_eq!(cols, vec!["id".to_owned(), c.clone()]);
            Ok(())
        })
        .unwrap();
}

#[test]
#[ignore = "needs MariaDB at 127.0.0.1:3306 (cargo test -- --include-ignored)"]
fn mariadb_round_trip() {
    use mysql::prelude::Queryable;
    let url = "mysql://root@127.0.0.1:3306/test";
    let conn = match mysql::Opts::from_url(url)
        .map_err(|e| e.to_string())
        .and_then(|o| mysql::Conn::new(o).map_err(|e| e.to_string()))
    {
        Ok(c) => c,
        Err(e) => panic!("{}", unreachable("MariaDB", url, &e)),
    };
    let conn = std::cell::RefCell::new(conn);
    let bmp = |s: &str| s.chars().all(|ch| (ch as u32) < 0x10000) && !s.ends_with(' ');
    let mut runner = proptest::test_runner::TestRunner::new(config());
    runner
        .run(&(ident(), ident()), |(t, c)| {
            // MariaDB compares column names case-insensitively.
            prop_assume!(distinct(&t, &c) && !c.eq_ignore_ascii_case("id"));
            prop_assume!(t.chars().count() <= 64 && c.chars().count() <= 64);
            if !(bmp(&t) && bmp(&c)) {
                // nomenclator refuses the identifier, and so does the server.
                let refused = try_statements("mysql", &t, &c);
                prop_assert!(
                    matches!(&refused, Err(e) if e.to_string().contains("refuses in identifiers")),
                    "{t:?} / {c:?}: {refused:?}"
                );
                let q = |s: &str| format!("`{}`", s.replace('`', "``"));
                let by_hand = format!(
                    "CREATE TABLE {} (id INTEGER NOT NULL, {} VARCHAR(20), PRIMARY KEY (id))",
                    q(&t),
                    q(&c)
                );
                let mut conn = conn.borrow_mut();
                let server = conn.query_drop(&by_hand);
                if server.is_ok() {
                    conn.query_drop(format!("DROP TABLE {}", q(&t))).unwrap();
                }
                prop_assert!(server.is_err(), "MariaDB accepted {by_hand}");
                return Ok(());
            }
            let stmts = statements("mysql", &t, &c);
            let mut conn = conn.borrow_mut();
            let mut result = Ok(());
            for s in &stmts {
                if let Err(e) = conn.query_drop(s) {
                    result = Err(TestCaseError::fail(format!("{s}: {e}")));
                    break;
                }
            }
            let cols: Vec<String> = conn
                .exec(
                    "SELECT column_name FROM information_schema.columns WHERE table_schema = 'test' AND table_name = ? ORDER BY ordinal_position",
                    (t.as_str(),),
                )
                .unwrap();
            let quoted = format!("`{}`", t.replace('`', "``"));
            conn.query_drop(format!("DROP TABLE IF EXISTS {quoted}")).unwrap();
            result?;
            prop_assert_eq!(cols, vec!["id".to_owned(), c.clone()]);
            Ok(())
        })
        .unwrap();
}
