//! `nomenclator diff ... --out DIR --migrations sqlx|diesel|refinery`: the
//! file layout each runner expects, and refinery's own runner applying the
//! files on SQLite (always) and on PostgreSQL and MariaDB (live tests).

use std::path::{Path, PathBuf};

use predicates::prelude::*;

mod engine_support;

use engine_support::nomenclator;

const OLD: &str = r#"conventions = "sqlalchemy"

[[tables]]
name = "orders"
columns = [
  { name = "id", type = "integer", primary_key = true },
  { name = "code", type = "varchar(20)", unique = true },
  { name = "qty", type = "integer" },
]
"#;

/// OLD plus a column, an index and a table with a foreign key to it:
/// nothing SQLite has to rebuild, so there is a down migration.
const NEW: &str = r#"conventions = "sqlalchemy"

[[tables]]
name = "orders"
columns = [
  { name = "id", type = "integer", primary_key = true },
  { name = "code", type = "varchar(20)", unique = true },
  { name = "qty", type = "integer", index = true },
  { name = "note", type = "varchar(200)" },
]

[[tables]]
name = "line"
columns = [
  { name = "id", type = "integer", primary_key = true },
  { name = "order_id", type = "integer", nullable = false, references = "orders.id" },
]
"#;

/// OLD with `qty` made a bigint: SQLite rebuilds `orders`, copying its rows.
const WIDER: &str = r#"conventions = "sqlalchemy"

[[tables]]
name = "orders"
columns = [
  { name = "id", type = "integer", primary_key = true },
  { name = "code", type = "varchar(20)", unique = true },
  { name = "qty", type = "bigint" },
]
"#;

fn docs(dir: &Path) -> (PathBuf, PathBuf, PathBuf) {
    let write = |name: &str, text: &str| {
        let p = dir.join(name);
        std::fs::write(&p, text).unwrap();
        p
    };
    (
        write("old.toml", OLD),
        write("new.toml", NEW),
        write("wider.toml", WIDER),
    )
}

/// The names of the files under `dir`, relative, sorted.
fn listing(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(d) = pending.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                pending.push(p);
            } else {
                out.push(
                    p.strip_prefix(dir)
                        .unwrap()
                        .to_string_lossy()
                        .replace('\\', "/"),
                );
            }
        }
    }
    out.sort();
    out
}

fn diff_files(old: &Path, new: &Path, dialect: &str, out: &Path, runner: &str, name: &str) {
    nomenclator()
        .args(["diff"])
        .arg(old)
        .arg(new)
        .args(["--dialect", dialect, "--migrations", runner, "--name", name])
        .arg("--out")
        .arg(out)
        .assert()
        .success()
        .stdout("");
}

fn is_digits(s: &str, n: usize) -> bool {
    s.len() == n && s.bytes().all(|b| b.is_ascii_digit())
}

#[test]
fn sqlx_files_are_version_name_up_and_down() {
    let dir = tempfile::tempdir().unwrap();
    let (old, new, _) = docs(dir.path());
    let out = dir.path().join("migrations");
    diff_files(&old, &new, "postgresql", &out, "sqlx", "Add lines!");
    let files = listing(&out);
    assert_eq!(files.len(), 2, "{files:?}");
    let (version, rest) = files[0].split_once('_').unwrap();
    assert!(is_digits(version, 14), "{files:?}");
    assert_eq!(rest, "add_lines.down.sql");
    assert_eq!(files[1], format!("{version}_add_lines.up.sql"));
    let up = std::fs::read_to_string(out.join(&files[1])).unwrap();
    let down = std::fs::read_to_string(out.join(&files[0])).unwrap();
    assert!(up.contains("CREATE TABLE line"), "{up}");
    assert!(up.contains("ALTER TABLE orders ADD COLUMN note"), "{up}");
    assert!(down.contains("DROP TABLE line;"), "{down}");
    assert!(
        down.contains("ALTER TABLE orders DROP COLUMN note;"),
        "{down}"
    );
    // The table is dropped after what refers to it is gone, the column after the index.
    assert!(down.find("DROP TABLE line").unwrap() < down.find("DROP COLUMN note").unwrap());
}

#[test]
fn diesel_files_are_a_folder_with_up_and_down() {
    let dir = tempfile::tempdir().unwrap();
    let (old, new, _) = docs(dir.path());
    let out = dir.path().join("migrations");
    diff_files(&old, &new, "sqlite", &out, "diesel", "lines");
    let files = listing(&out);
    assert_eq!(files.len(), 2, "{files:?}");
    let (folder, file) = files[0].split_once('/').unwrap();
    assert_eq!(file, "down.sql");
    assert_eq!(files[1], format!("{folder}/up.sql"));
    // YYYY-MM-DD-HHMMSS_lines
    let (stamp, name) = folder.split_once('_').unwrap();
    assert_eq!(name, "lines");
    let parts: Vec<&str> = stamp.split('-').collect();
    assert_eq!(parts.len(), 4, "{stamp}");
    assert!(is_digits(parts[0], 4) && is_digits(parts[1], 2) && is_digits(parts[2], 2));
    assert!(is_digits(parts[3], 6), "{stamp}");
}

#[test]
fn refinery_files_take_the_next_version_and_a_down_file_it_skips() {
    let dir = tempfile::tempdir().unwrap();
    let (old, new, _) = docs(dir.path());
    let out = dir.path().join("migrations");
    std::fs::create_dir_all(out.join("older")).unwrap();
    std::fs::write(out.join("V2__first.sql"), "SELECT 1;").unwrap();
    std::fs::write(out.join("older/U7__seed.sql"), "SELECT 1;").unwrap();
    std::fs::write(out.join("V99__notes.txt"), "not a migration").unwrap();
    diff_files(&old, &new, "mysql", &out, "refinery", "lines");
    let files = listing(&out);
    assert!(files.contains(&"V8__lines.sql".to_owned()), "{files:?}");
    assert!(
        files.contains(&"V8__lines.down.sql".to_owned()),
        "{files:?}"
    );
    // refinery itself sees the up file and not the down one.
    let found: Vec<(i32, String)> = refinery::load_sql_migrations(&out)
        .unwrap()
        .iter()
        .map(|m| (m.version(), m.name().to_owned()))
        .collect();
    assert_eq!(
        found,
        [(2, "first".into()), (7, "seed".into()), (8, "lines".into())]
    );
}

#[test]
fn existing_files_are_never_overwritten_and_empty_diffs_write_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let (old, new, _) = docs(dir.path());
    let out = dir.path().join("m");
    std::fs::create_dir_all(out.join("V1__x.down.sql")).unwrap(); // in the way
    nomenclator()
        .arg("diff")
        .arg(&old)
        .arg(&new)
        .args(["--migrations", "refinery", "--name", "x", "--out"])
        .arg(&out)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("V1__x.down.sql exists already"));
    assert_eq!(listing(&out), Vec::<String>::new());

    let empty = dir.path().join("empty");
    nomenclator()
        .arg("diff")
        .arg(&new)
        .arg(&new)
        .args(["--migrations", "sqlx", "--out"])
        .arg(&empty)
        .assert()
        .success()
        .stdout("")
        .stderr(predicate::str::contains("nothing to write"));
    assert!(!empty.exists());

    // --out without --migrations is a usage error.
    nomenclator()
        .arg("diff")
        .arg(&old)
        .arg(&new)
        .arg("--out")
        .arg(&out)
        .assert()
        .code(2);
}

/// Applies `old` on the database at `url`, writes the refinery migration
/// to `new`, runs it with `run` (refinery's runner on that database), and
/// checks that the database then matches `new`.
fn refinery_round_trip(
    url: &str,
    dialect: &str,
    scratch: &Path,
    run: impl FnOnce(&[refinery::Migration]) -> refinery::Report,
) {
    let (old, new, _) = docs(scratch);
    nomenclator()
        .arg("apply")
        .arg(&old)
        .args(["--url", url])
        .assert()
        .success();
    let out = scratch.join("migrations");
    diff_files(&old, &new, dialect, &out, "refinery", "lines");
    let migrations = refinery::load_sql_migrations(&out).unwrap();
    assert_eq!(migrations.len(), 1);
    let report = run(&migrations);
    assert_eq!(report.applied_migrations().len(), 1);
    // The database now matches NEW: refinery's own history table is not
    // the document's, and the diff leaves it alone.
    nomenclator()
        .arg("diff")
        .arg(&new)
        .args(["--url", url])
        .assert()
        .success()
        .stdout("");
}

#[test]
fn refinery_runs_the_files_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("shop.db");
    let url = format!("sqlite://{}", db.display());
    refinery_round_trip(&url, "sqlite", dir.path(), |m| {
        let mut conn = rusqlite::Connection::open(&db).unwrap();
        refinery::Runner::new(m).run(&mut conn).unwrap()
    });
}

#[test]
fn a_migration_without_inverse_gets_a_down_file_that_fails() {
    let dir = tempfile::tempdir().unwrap();
    let (old, _, wider) = docs(dir.path());
    let db = dir.path().join("shop.db");
    let url = format!("sqlite://{}", db.display());
    nomenclator()
        .arg("apply")
        .arg(&old)
        .args(["--url", &url])
        .assert()
        .success();
    let out = dir.path().join("migrations");
    nomenclator()
        .arg("diff")
        .arg(&old)
        .arg(&wider)
        .args(["--dialect", "sqlite", "--migrations", "refinery", "--out"])
        .arg(&out)
        .assert()
        .success()
        .stderr(predicate::str::contains("cannot be undone"));
    let down = std::fs::read_to_string(out.join("V1__migration.down.sql")).unwrap();
    assert!(down.contains("cannot be undone"), "{down}");
    let up = std::fs::read_to_string(out.join("V1__migration.sql")).unwrap();
    assert!(up.contains("INSERT INTO"), "a rebuild copies rows: {up}");
    // Run as a migration, the down script fails, naming why.
    let mut conn = rusqlite::Connection::open(&db).unwrap();
    let undo = refinery::Migration::unapplied("V2__undo", &down).unwrap();
    let err = refinery::Runner::new(&[undo]).run(&mut conn).unwrap_err();
    assert!(
        err.to_string()
            .contains(nomenclator::diff::files::NO_DOWN_TABLE),
        "{err}"
    );
}

#[test]
#[ignore = "needs PostgreSQL on 127.0.0.1:5432"]
fn refinery_runs_the_files_on_postgresql() {
    let db = engine_support::postgres("migfiles");
    let dir = tempfile::tempdir().unwrap();
    refinery_round_trip(&db.url, "postgresql", dir.path(), |m| {
        let mut client = postgres::Client::connect(&db.url, postgres::NoTls).unwrap();
        refinery::Runner::new(m).run(&mut client).unwrap()
    });
}

#[test]
#[ignore = "needs MariaDB on 127.0.0.1:3306"]
fn refinery_runs_the_files_on_mariadb() {
    let db = engine_support::mariadb("migfiles");
    let dir = tempfile::tempdir().unwrap();
    refinery_round_trip(&db.url, "mysql", dir.path(), |m| {
        let opts = mysql::Opts::from_url(&db.url).unwrap();
        let mut conn = mysql::Conn::new(opts).unwrap();
        refinery::Runner::new(m).run(&mut conn).unwrap()
    });
}
