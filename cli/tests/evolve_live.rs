//! The evolve corpus (`tests/corpus/evolve`, copied from the shared
//! contract): for every pair `a.json` → `b.json` and every server, the check
//! its README describes, through the command line.
//!
//! 1. `apply a.json`;
//! 2. up to three rows into every table, referred tables first (rows the
//!    server refuses are left out), read back;
//! 3. `migrate b.json --allow-destructive` exits 0;
//! 4. the catalog is read (C1) and `diff b.json` prints nothing;
//! 5. every row is still there in every table and column `a` and `b`
//!    share (following `renamed_from`);
//! 6. the database is emptied, `apply b.json`, the catalog read again (C2).
//!
//! The pair passes when C1 equals C2. A pair whose catalogs for `a` and
//! `b` are equal, or whose shared tables took no row, is reported as
//! skipped.
//!
//! SQLite always runs; PostgreSQL and MariaDB are `#[ignore]`d live tests
//! (`.ci/run` includes them).

mod engine_support;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

use nomenclator::ddl::sorted_tables;
use nomenclator::dialect::Dialect;
use nomenclator::document::{load_path, LoadOptions};
use nomenclator::engine::{Connection, Engine};
use nomenclator::reflect::{reflect, Catalog, ReflectOptions};
use nomenclator::{ColumnType, Constraint, MetaData};

fn nomenclator() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_nomenclator"));
    c.env_remove("DATABASE_URL");
    c
}

/// The pairs: (id, directory). The shared corpus (`tests/corpus/evolve`,
/// 40 pairs) and the cases made by `bench/evolve_pairs.py` that once
/// failed (`tests/evolve-regressions`); or, when `EVOLVE_CORPUS` names a
/// folder of pairs, those alone.
fn pairs() -> Vec<(String, PathBuf)> {
    let root = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/.."));
    let folders = match std::env::var_os("EVOLVE_CORPUS") {
        Some(dir) => vec![(PathBuf::from(dir), 1)],
        None => vec![
            (root.join("tests/corpus/evolve"), 40),
            (root.join("tests/evolve-regressions"), 1),
        ],
    };
    let mut out = Vec::new();
    for (folder, least) in folders {
        let mut dirs: Vec<PathBuf> = std::fs::read_dir(&folder)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.is_dir())
            .collect();
        dirs.sort();
        assert!(
            dirs.len() >= least,
            "{} has {} pairs",
            folder.display(),
            dirs.len()
        );
        out.extend(
            dirs.into_iter()
                .map(|d| (d.file_name().unwrap().to_string_lossy().into_owned(), d)),
        );
    }
    out
}

/// One server: how to empty it, its URL, the schemas of its documents.
trait Target {
    fn url(&self) -> String;
    /// Empties the database (and the schemas' databases).
    fn reset(&self);
    /// The document as this server runs it (MariaDB: schemas renamed).
    fn document(&self, path: &Path, dir: &Path) -> PathBuf {
        let _ = dir;
        path.to_owned()
    }
    /// The schemas to read besides the default one.
    fn schemas(&self) -> Vec<String>;
    /// The dialect for an offline diff.
    fn dialect(&self) -> &'static str;
    /// What the catalog comparison leaves out and must agree too
    /// (PostgreSQL: the sequences serial columns draw from).
    fn extra(&self) -> Vec<Vec<Option<String>>> {
        Vec::new()
    }
    /// A connection that sees every schema.
    fn connect(&self) -> Connection {
        Engine::from_url(&self.url()).unwrap().connect().unwrap()
    }
}

struct Sqlite {
    dir: tempfile::TempDir,
}

impl Target for Sqlite {
    fn dialect(&self) -> &'static str {
        "sqlite"
    }
    fn url(&self) -> String {
        format!("sqlite://{}/db.sqlite", self.dir.path().display())
    }
    fn reset(&self) {
        // The database and its schemas' files beside it.
        for e in std::fs::read_dir(self.dir.path()).unwrap() {
            let _ = std::fs::remove_file(e.unwrap().path());
        }
    }
    fn schemas(&self) -> Vec<String> {
        vec!["reporting".into(), "s1".into()]
    }
    fn connect(&self) -> Connection {
        let mut c = Engine::from_url(&self.url()).unwrap().connect().unwrap();
        for schema in self.schemas() {
            let file = self.dir.path().join(format!("db.{schema}.sqlite"));
            if file.exists() {
                c.execute(&format!("ATTACH DATABASE '{}' AS {schema}", file.display()))
                    .unwrap();
            }
        }
        c
    }
}

struct Postgres(engine_support::TestDb);

impl Target for Postgres {
    fn dialect(&self) -> &'static str {
        "postgresql"
    }
    fn extra(&self) -> Vec<Vec<Option<String>>> {
        self.0.query(
            "SELECT table_schema, table_name, column_name, column_default \
             FROM information_schema.columns WHERE column_default LIKE 'nextval%' ORDER BY 1, 2, 3",
        )
    }
    fn url(&self) -> String {
        self.0.url.clone()
    }
    fn reset(&self) {
        let mut c = self.0.engine().connect().unwrap();
        c.execute(
            "DROP SCHEMA IF EXISTS public, reporting, s1 CASCADE; CREATE SCHEMA public; \
             CREATE SCHEMA reporting; CREATE SCHEMA s1",
        )
        .unwrap();
    }
    fn schemas(&self) -> Vec<String> {
        vec!["public".into(), "reporting".into(), "s1".into()]
    }
}

struct Mariadb(engine_support::TestDb);

impl Target for Mariadb {
    fn dialect(&self) -> &'static str {
        "mariadb"
    }
    fn url(&self) -> String {
        self.0.url.clone()
    }
    fn reset(&self) {
        let admin = Engine::from_url(engine_support::MY_ADMIN).unwrap();
        engine_support::recreate_mariadb(&mut admin.connect().unwrap(), &self.0.name);
    }
    fn document(&self, path: &Path, dir: &Path) -> PathBuf {
        let text = std::fs::read_to_string(path).unwrap();
        let renamed = engine_support::rename_schemas(&text, &self.0.name);
        let out = dir.join(path.file_name().unwrap());
        std::fs::write(&out, renamed).unwrap();
        out
    }
    fn schemas(&self) -> Vec<String> {
        let name = &self.0.name;
        vec![
            name.clone(),
            format!("{name}_reporting"),
            format!("{name}_s1"),
        ]
    }
}

fn catalog(target: &dyn Target) -> Catalog {
    let engine = Engine::from_url(&target.url()).unwrap();
    let mut conn = engine.connect().unwrap();
    reflect(
        &mut conn,
        &ReflectOptions {
            schemas: target.schemas(),
            include_default: true,
            skip_missing: true,
        },
    )
    .unwrap()
}

fn run(cmd: &mut Command, what: &str) -> Result<String, String> {
    let out = cmd.output().unwrap();
    if !out.status.success() {
        return Err(format!(
            "{what} exited {:?}: {}",
            out.status.code(),
            String::from_utf8_lossy(&out.stderr).trim()
        ));
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// A value of type `ty` for row `i` (1, 2, 3) as an SQL literal.
fn value(dialect: &dyn Dialect, ty: Option<&ColumnType>, i: usize) -> String {
    let boolean = |b: bool| match dialect.kind() {
        nomenclator::DialectKind::PostgreSql => b.to_string(),
        _ => u8::from(b).to_string(),
    };
    match ty {
        None | Some(ColumnType::Integer | ColumnType::BigInt | ColumnType::SmallInt) => {
            i.to_string()
        }
        Some(ColumnType::Varchar(_) | ColumnType::Text) => format!("'v{i}'"),
        Some(ColumnType::Numeric(_) | ColumnType::Float) => format!("{i}.5"),
        Some(ColumnType::Boolean) => boolean(i % 2 == 1),
        Some(ColumnType::Date) => format!("'2024-01-0{i}'"),
        Some(ColumnType::Timestamp) => format!("'2024-01-0{i} 10:00:00'"),
        Some(_) => "NULL".into(),
    }
}

type Rows = BTreeMap<(Option<String>, String), (Vec<String>, BTreeSet<Vec<Option<String>>>)>;

/// Inserts up to three rows into every table of `md`, referred tables
/// first, with nullable foreign-key columns left NULL; then sets those
/// (which fills tables in a cycle of foreign keys too). Returns what each
/// table holds afterwards, by column.
fn fill(conn: &mut Connection, md: &MetaData) -> Rows {
    let dialect = conn.dialect();
    let debug = std::env::var_os("EVOLVE_DEBUG").is_some();
    // Referred tables first; tables in a cycle of foreign keys (which the
    // sort leaves out) after them.
    let mut order = sorted_tables(md);
    for t in md.tables() {
        if !order.contains(&t.key()) {
            order.push(t.key());
        }
    }
    let mut later: Vec<(String, String, Vec<String>)> = Vec::new();
    for t in &order {
        let Some(table) = md.get(t) else { continue };
        let fk_columns: Vec<&str> = table
            .constraints()
            .iter()
            .filter_map(|k| match k {
                Constraint::ForeignKey(f) => Some(f.columns()),
                _ => None,
            })
            .flatten()
            .map(String::as_str)
            .collect();
        let qualified = dialect.qualified(t.schema.as_deref(), &t.name);
        let columns: Vec<String> = table
            .columns()
            .iter()
            .map(|c| dialect.quote(c.name()))
            .collect();
        let pk = table
            .primary_key()
            .and_then(|k| k.columns().first().cloned());
        for i in 1..=3 {
            let mut sets = Vec::new();
            let values: Vec<String> = table
                .columns()
                .iter()
                .map(|c| {
                    let v = value(dialect, c.column_type(), i);
                    if fk_columns.contains(&c.name()) && c.is_nullable() && pk.is_some() {
                        sets.push(format!("{} = {v}", dialect.quote(c.name())));
                        "NULL".to_owned()
                    } else {
                        v
                    }
                })
                .collect();
            let r = conn.execute(&format!(
                "INSERT INTO {qualified} ({}) VALUES ({})",
                columns.join(", "),
                values.join(", ")
            ));
            if debug {
                eprintln!("insert into {qualified}: {r:?}");
            }
            if let (Some(pk), false) = (&pk, sets.is_empty()) {
                let pk_value = table
                    .column_named(pk)
                    .map(|c| value(dialect, c.column_type(), i))
                    .unwrap_or_default();
                later.push((
                    qualified.clone(),
                    format!("{} = {pk_value}", dialect.quote(pk)),
                    sets,
                ));
            }
        }
    }
    for (table, filter, sets) in later {
        for set in sets {
            let _ = conn.execute(&format!("UPDATE {table} SET {set} WHERE {filter}"));
        }
    }
    let mut rows = Rows::new();
    for t in &order {
        let Some(table) = md.get(t) else { continue };
        let names: Vec<String> = table
            .columns()
            .iter()
            .map(|c| c.name().to_owned())
            .collect();
        let columns: Vec<String> = names.iter().map(|c| dialect.quote(c)).collect();
        let qualified = dialect.qualified(t.schema.as_deref(), &t.name);
        let got = read(conn, &qualified, &columns);
        rows.insert((t.schema.clone(), t.name.clone()), (names, got));
    }
    rows
}

fn read(conn: &mut Connection, table: &str, columns: &[String]) -> BTreeSet<Vec<Option<String>>> {
    conn.query(&format!("SELECT {} FROM {table}", columns.join(", ")))
        .map(|r| r.into_iter().collect())
        .unwrap_or_default()
}

/// The rows of `before` still there after the migration to `b`, following
/// its `renamed_from`; `Err` with what is missing.
fn rows_survive(conn: &mut Connection, before: &Rows, b: &MetaData) -> Result<usize, String> {
    let dialect = conn.dialect();
    let mut checked = 0;
    for t in b.tables() {
        let old_name = t.previous_name().unwrap_or(t.name()).to_owned();
        let key = (t.schema().map(str::to_owned), old_name);
        let Some((old_columns, old_rows)) = before.get(&key) else {
            continue;
        };
        // New name ← old name, for the columns both sides have.
        let mut shared: Vec<(String, usize)> = Vec::new();
        for c in t.columns() {
            let old = c.previous_name().unwrap_or(c.name());
            if let Some(i) = old_columns.iter().position(|o| o == old) {
                shared.push((c.name().to_owned(), i));
            }
        }
        if shared.is_empty() || old_rows.is_empty() {
            continue;
        }
        let quoted: Vec<String> = shared.iter().map(|(n, _)| dialect.quote(n)).collect();
        let now = read(conn, &dialect.qualified(t.schema(), t.name()), &quoted);
        let expected: BTreeSet<Vec<Option<String>>> = old_rows
            .iter()
            .map(|r| shared.iter().map(|(_, i)| r[*i].clone()).collect())
            .collect();
        if now != expected {
            return Err(format!(
                "rows of {} changed: before {expected:?}, after {now:?}",
                t.name()
            ));
        }
        checked += expected.len();
    }
    Ok(checked)
}

fn load(path: &Path) -> MetaData {
    load_path(path, &LoadOptions::default()).unwrap()
}

enum Outcome {
    Passed,
    Skipped(String),
    Failed(String),
}

fn check_pair(target: &dyn Target, dir: &Path, scratch: &Path) -> Outcome {
    let a = target.document(&dir.join("a.json"), scratch);
    let b = target.document(&dir.join("b.json"), scratch);
    let url = target.url();
    let step = || -> Result<Outcome, String> {
        target.reset();
        run(
            nomenclator().args(["apply", "--url", &url]).arg(&a),
            "apply a",
        )?;
        // Offline, the same statements as against the database made from a.
        let offline = run(
            nomenclator()
                .args(["diff", "--dialect", target.dialect()])
                .arg(&a)
                .arg(&b),
            "diff a b",
        )?;
        let live = run(
            nomenclator().args(["diff", "--url", &url]).arg(&b),
            "diff b",
        )?;
        if offline != live {
            return Err(format!(
                "diff a b --dialect {} and diff b --url differ:\n--- offline\n{offline}\n--- live\n{live}",
                target.dialect()
            ));
        }
        let mut conn = target.connect();
        let before = fill(&mut conn, &load(&a));
        drop(conn);
        let ca = catalog(target);
        run(
            nomenclator()
                .args(["migrate", "--allow-destructive", "--url", &url])
                .arg(&b),
            "migrate b",
        )?;
        let c1 = catalog(target);
        let e1 = target.extra();
        let again = run(
            nomenclator().args(["diff", "--url", &url]).arg(&b),
            "diff b",
        )?;
        if !again.is_empty() {
            return Err(format!("diff b after migrate printed:\n{again}"));
        }
        let mut conn = target.connect();
        let checked = rows_survive(&mut conn, &before, &load(&b))?;
        drop(conn);
        target.reset();
        run(
            nomenclator().args(["apply", "--url", &url]).arg(&b),
            "apply b",
        )?;
        let c2 = catalog(target);
        if target.extra() != e1 {
            return Err(format!(
                "serial columns draw from other sequences: migrated {e1:?}, applied {:?}",
                target.extra()
            ));
        }
        let d = c2.differences(&c1);
        if !d.is_empty() {
            return Err(format!(
                "the migrated catalog differs from apply b's:\n  {}",
                d.join("\n  ")
            ));
        }
        if ca.differences(&c2).is_empty() {
            return Ok(Outcome::Skipped("a and b make equal catalogs".into()));
        }
        if checked == 0 {
            return Ok(Outcome::Skipped("no row in a shared table".into()));
        }
        Ok(Outcome::Passed)
    };
    match step() {
        Ok(o) => o,
        Err(e) => Outcome::Failed(e),
    }
}

fn check_all(target: &dyn Target, server: &str) {
    let scratch = tempfile::tempdir().unwrap();
    let mut failed = Vec::new();
    let (mut passed, mut skipped) = (0, 0);
    for (id, dir) in pairs() {
        match check_pair(target, &dir, scratch.path()) {
            Outcome::Passed => passed += 1,
            Outcome::Skipped(why) => {
                skipped += 1;
                eprintln!("{server} {id}: skipped: {why}");
            }
            Outcome::Failed(why) => failed.push(format!("{id}: {why}")),
        }
    }
    eprintln!(
        "{server}: {passed} passed, {skipped} skipped, {} failed",
        failed.len()
    );
    assert!(
        failed.is_empty(),
        "{server}: {} pair(s) failed:\n{}",
        failed.len(),
        failed.join("\n\n")
    );
}

#[test]
fn every_pair_migrates_on_sqlite() {
    let target = Sqlite {
        dir: tempfile::tempdir().unwrap(),
    };
    check_all(&target, "sqlite");
}

#[test]
#[ignore = "needs PostgreSQL on 127.0.0.1:5432"]
fn every_pair_migrates_on_postgresql() {
    let target = Postgres(engine_support::postgres("evolve"));
    check_all(&target, "postgresql");
}

#[test]
#[ignore = "needs MariaDB on 127.0.0.1:3306"]
fn every_pair_migrates_on_mariadb() {
    let target = Mariadb(engine_support::mariadb("evolve"));
    check_all(&target, "mariadb");
}
