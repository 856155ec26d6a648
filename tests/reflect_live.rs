//! Reflection against the servers: every corpus document a dialect accepts
//! is applied to an empty database, reflected, and the reflected document
//! applied to a second empty database; the two catalogs must be equal
//! (names, types, nullability, defaults, keys with actions, checks,
//! indexes, views). The same holds when the document is written with a
//! convention pack, which leaves out the names it gives.
#![allow(clippy::result_large_err)]

use std::path::{Path, PathBuf};

use nomenclator::document::{load_str, LoadOptions};
use nomenclator::engine::{Connection, Engine, RunOptions};
use nomenclator::reflect::{reflect, write_document, Catalog, ReflectOptions, WriteOptions};
use nomenclator::testing::catalog_differences;
use nomenclator::MetaData;

fn corpus() -> Vec<(String, PathBuf)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus/sqlalchemy");
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    dirs.sort();
    assert!(dirs.len() >= 300, "the corpus is missing");
    dirs.into_iter()
        .map(|d| {
            (
                d.file_name().unwrap().to_string_lossy().into_owned(),
                d.join("schema.json"),
            )
        })
        .collect()
}

/// A server to run the round trip on: how to empty a database and reach it.
trait Server {
    fn url(&self, db: &str) -> String;
    /// Empties database `db` (creating it if needed), schemas included.
    fn reset(&self, db: &str, schemas: &[String]);
    /// The connection's default schema when connected to database `db`,
    /// named in the schemas to read.
    fn default_schema(&self, db: &str) -> String;
    /// The dialect whose final names the database keeps exactly as the
    /// model gives them, where the round trip also checks them.
    fn names_as_modelled(&self) -> Option<&'static dyn nomenclator::dialect::Dialect> {
        None
    }
    /// The corpus document as this server runs it.
    fn prepare(&self, document: &str) -> String {
        document.to_owned()
    }
}

struct Pg;

impl Server for Pg {
    fn url(&self, db: &str) -> String {
        format!("postgres://postgres@127.0.0.1:5432/{db}")
    }
    fn reset(&self, db: &str, schemas: &[String]) {
        let admin = Engine::from_url(&self.url("postgres")).unwrap();
        let mut c = admin.connect().unwrap();
        let exists = c
            .query(&format!("SELECT 1 FROM pg_database WHERE datname = '{db}'"))
            .unwrap();
        if exists.is_empty() {
            c.execute(&format!("CREATE DATABASE {db}")).unwrap();
        }
        let mut c = Engine::from_url(&self.url(db)).unwrap().connect().unwrap();
        for s in schemas.iter().map(String::as_str).chain(["public"]) {
            c.execute(&format!("DROP SCHEMA IF EXISTS \"{s}\" CASCADE"))
                .unwrap();
        }
        for s in schemas.iter().map(String::as_str).chain(["public"]) {
            c.execute(&format!("CREATE SCHEMA \"{s}\"")).unwrap();
        }
    }
    fn default_schema(&self, _db: &str) -> String {
        "public".into()
    }
}

/// SQLite files in a temporary folder: database `db` is `db.db`, its
/// schemas the attached files `db.SCHEMA.db` next to it (as the engine
/// makes them).
struct Lite(tempfile::TempDir);

impl Lite {
    fn new() -> Lite {
        Lite(tempfile::tempdir().unwrap())
    }
}

impl Server for Lite {
    fn url(&self, db: &str) -> String {
        format!(
            "sqlite://{}",
            self.0.path().join(format!("{db}.db")).display()
        )
    }
    fn reset(&self, db: &str, _schemas: &[String]) {
        for e in std::fs::read_dir(self.0.path()).unwrap() {
            let path = e.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            if name == format!("{db}.db") || name.starts_with(&format!("{db}.")) {
                std::fs::remove_file(&path).unwrap();
            }
        }
    }
    fn default_schema(&self, _db: &str) -> String {
        "main".into()
    }
    fn names_as_modelled(&self) -> Option<&'static dyn nomenclator::dialect::Dialect> {
        Some(&nomenclator::dialect::Sqlite)
    }
}

/// MariaDB on 127.0.0.1:3306. Its schemas are databases, beside the
/// scratch ones: each schema `s` of a document is renamed `{prefix}_s`
/// (in `schema` and in every reference that names it), so that no two tests
/// share a database. Both sides of a round trip use the same schema
/// databases, one after the other: the first catalog is read before the
/// second side empties them.
struct Maria {
    prefix: &'static str,
}

impl Server for Maria {
    fn url(&self, db: &str) -> String {
        format!("mysql://root@127.0.0.1:3306/{db}")
    }
    fn reset(&self, db: &str, schemas: &[String]) {
        let mut c = Engine::from_url(&self.url("mysql"))
            .unwrap()
            .connect()
            .unwrap();
        c.execute("SET FOREIGN_KEY_CHECKS = 0").unwrap();
        // Every scratch database of this test goes: one an earlier document
        // left (its schema) may hold keys that refer to the tables made now.
        let old = c
            .query(&format!(
                "SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME LIKE '{}\\_%'",
                self.prefix
            ))
            .unwrap();
        for s in old
            .into_iter()
            .filter_map(|r| r.into_iter().next().flatten())
        {
            c.execute(&format!("DROP DATABASE `{s}`")).unwrap();
        }
        for s in schemas.iter().map(String::as_str).chain([db]) {
            assert!(s.starts_with(self.prefix), "{s} is not a scratch database");
            c.execute(&format!("CREATE DATABASE `{s}`")).unwrap();
        }
    }
    fn default_schema(&self, db: &str) -> String {
        db.into()
    }
    fn prepare(&self, document: &str) -> String {
        let mut doc: serde_json::Value = serde_json::from_str(document).unwrap();
        let Some(tables) = doc.get_mut("tables").and_then(|t| t.as_array_mut()) else {
            return document.to_owned();
        };
        let schemas: Vec<String> = tables
            .iter()
            .filter_map(|t| t.get("schema")?.as_str().map(str::to_owned))
            .collect();
        // (`get_mut`, not indexing, which would add the missing keys as null.)
        let rename = |v: Option<&mut serde_json::Value>, parts_with_schema: usize| {
            let Some(v) = v else { return };
            let Some(r) = v.as_str() else { return };
            let parts: Vec<&str> = r.split('.').collect();
            if parts.len() == parts_with_schema && schemas.iter().any(|s| s == parts[0]) {
                *v = format!("{}_{r}", self.prefix).into();
            }
        };
        for t in tables.iter_mut() {
            if let Some(s) = t.get("schema").and_then(|s| s.as_str()) {
                t["schema"] = format!("{}_{s}", self.prefix).into();
            }
            let list = |t: &mut serde_json::Value, key: &str| {
                t.get_mut(key)
                    .and_then(serde_json::Value::as_array_mut)
                    .map(std::mem::take)
                    .unwrap_or_default()
            };
            let mut columns = list(t, "columns");
            for c in &mut columns {
                rename(c.get_mut("references"), 3);
            }
            let mut fks = list(t, "foreign_keys");
            for fk in &mut fks {
                rename(fk.get_mut("references"), 2);
            }
            if !columns.is_empty() {
                t["columns"] = columns.into();
            }
            if !fks.is_empty() {
                t["foreign_keys"] = fks.into();
            }
        }
        doc.to_string()
    }
}

fn schemas_of(md: &MetaData) -> Vec<String> {
    let mut s: Vec<String> = md
        .tables()
        .iter()
        .filter_map(|t| t.schema().map(str::to_owned))
        .collect();
    s.sort();
    s.dedup();
    s
}

fn catalog(server: &dyn Server, db: &str, schemas: &[String]) -> Catalog {
    let mut conn: Connection = Engine::from_url(&server.url(db))
        .unwrap()
        .connect()
        .unwrap();
    let mut all = Vec::new();
    if !schemas.is_empty() {
        all.push(server.default_schema(db));
        all.extend(schemas.iter().cloned());
    }
    reflect(
        &mut conn,
        &ReflectOptions {
            schemas: all,
            ..ReflectOptions::default()
        },
    )
    .unwrap()
}

/// Applies `md` to the empty database `db`; `Err` when the server refuses it.
fn apply(server: &dyn Server, db: &str, md: &mut MetaData) -> Result<(), String> {
    server.reset(db, &schemas_of(md));
    Engine::from_url(&server.url(db))
        .unwrap()
        .create_all(md, &RunOptions::default())
        .map(|_| ())
        .map_err(|e| e.to_string())
}

/// The round trip of every corpus document on `server`, with the reflected
/// document written under `conventions`. Returns the failures.
/// `conventions`: `Some` writes the reflected document under the
/// document's own naming convention, as a pack file.
fn round_trip(server: &dyn Server, prefix: &str, own_convention: bool) -> (usize, Vec<String>) {
    let mut names = [0usize; 2];
    let mut objects = 0usize;
    let packs = tempfile::tempdir().unwrap();
    let (a, b) = (format!("{prefix}_a"), format!("{prefix}_b"));
    let mut failures = Vec::new();
    let mut done = 0;
    for (id, path) in corpus() {
        let source = server.prepare(&std::fs::read_to_string(&path).unwrap());
        let mut md = match load_str(&source, &LoadOptions::default()) {
            Ok(md) => md,
            Err(e) => {
                // Some corpus documents are meant not to load.
                if std::env::var_os("REFLECT_VERBOSE").is_some() {
                    eprintln!("{id}: does not load: {e}");
                }
                continue;
            }
        };
        if let Err(e) = apply(server, &a, &mut md) {
            // The dialect refuses this document (ddl_live covers why).
            if std::env::var_os("REFLECT_VERBOSE").is_some() {
                eprintln!("{id}: skipped: {e}");
            }
            continue;
        }
        let schemas = schemas_of(&md);
        let first = catalog(server, &a, &schemas);
        if let Some(d) = server.names_as_modelled() {
            // A reflection that lost an object or its name on both sides
            // would still round trip: the first catalog must name what the
            // model names.
            let model = nomenclator::reflect::catalog_of(&md, d).unwrap();
            if object_lines(&model) != object_lines(&first) {
                failures.push(format!(
                    "{id}: the reflected names are not the model's:\n  model:     {:?}\n  reflected: {:?}",
                    object_lines(&model),
                    object_lines(&first)
                ));
                continue;
            }
        }
        let mut conventions = Vec::new();
        if own_convention {
            let doc: serde_json::Value =
                serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
            let mut pack = String::from("name = \"own\"\n[naming_convention]\n");
            if let Some(nc) = doc["naming_convention"].as_object() {
                for (k, v) in nc {
                    pack.push_str(&format!("{k} = {}\n", v));
                }
            }
            let file = packs.path().join(format!("{id}.toml"));
            std::fs::write(&file, pack).unwrap();
            conventions.push(file.display().to_string());
        }
        let options = WriteOptions {
            format: nomenclator::document::Format::Json,
            conventions,
            ..WriteOptions::default()
        };
        let text = match write_document(&first, &options) {
            Ok(t) => t,
            Err(e) => {
                failures.push(format!("{id}: writing the document: {e}"));
                continue;
            }
        };
        // Names the convention gives are left out of the document.
        let plain = write_document(
            &first,
            &WriteOptions {
                format: nomenclator::document::Format::Json,
                ..WriteOptions::default()
            },
        )
        .unwrap();
        names[0] += object_names(&plain);
        objects += first
            .tables
            .iter()
            .map(|t| {
                usize::from(t.primary_key.is_some())
                    + t.foreign_keys.len()
                    + t.uniques.len()
                    + t.checks.len()
                    + t.indexes.len()
            })
            .sum::<usize>();
        names[1] += object_names(&text);
        let mut md2 = match load_str(&text, &LoadOptions::default()) {
            Ok(m) => m,
            Err(e) => {
                failures.push(format!("{id}: the reflected document does not load: {e}"));
                continue;
            }
        };
        if let Err(e) = apply(server, &b, &mut md2) {
            failures.push(format!("{id}: the reflected document does not apply: {e}"));
            continue;
        }
        let second = catalog(server, &b, &schemas);
        if let Err(d) = catalog_differences(&first, &second) {
            failures.push(format!("{id}: {d}"));
        }
        done += 1;
    }
    if own_convention {
        // Of the names the plain document writes (on MySQL/MariaDB not the
        // primary keys', which are all `PRIMARY`, nor those of the indexes
        // foreign keys make for themselves), at least half are left out.
        let left_out = names[0] - names[1];
        eprintln!(
            "{prefix}: {left_out} of {} written names left out ({objects} constraints and indexes)",
            names[0]
        );
        assert!(
            left_out * 2 >= names[0],
            "the convention left out too few names: {left_out} of {}",
            names[0]
        );
    }
    (done, failures)
}

/// Every constraint and index of `c`: table, kind, name, columns; sorted.
fn object_lines(c: &Catalog) -> Vec<String> {
    let mut out = Vec::new();
    for t in &c.tables {
        let n = |x: &Option<String>| x.clone().unwrap_or_else(|| "(unnamed)".into());
        let t_name = t.full_name();
        if let Some(pk) = &t.primary_key {
            out.push(format!("{t_name} pk {} {:?}", n(&pk.name), pk.columns));
        }
        for k in &t.foreign_keys {
            out.push(format!("{t_name} fk {} {:?}", n(&k.name), k.columns));
        }
        for k in &t.uniques {
            out.push(format!("{t_name} uq {} {:?}", n(&k.name), k.columns));
        }
        for k in &t.checks {
            out.push(format!("{t_name} ck {}", n(&k.name)));
        }
        for k in &t.indexes {
            out.push(format!("{t_name} ix {} {}", k.name, k.unique));
        }
    }
    out.sort();
    out
}

/// How many constraints and indexes a JSON document names.
fn object_names(document: &str) -> usize {
    let doc: serde_json::Value = serde_json::from_str(document).unwrap();
    let named = |v: &serde_json::Value| usize::from(v.get("name").is_some());
    let mut n = 0;
    for t in doc["tables"].as_array().into_iter().flatten() {
        n += t.get("primary_key").map_or(0, named);
        for list in ["foreign_keys", "uniques", "checks", "indexes"] {
            n += t
                .get(list)
                .and_then(|l| l.as_array())
                .map_or(0, |l| l.iter().map(named).sum());
        }
        for c in t["columns"].as_array().into_iter().flatten() {
            n += c.get("check").map_or(0, named);
        }
    }
    n
}

fn report(what: &str, (done, failures): (usize, Vec<String>)) {
    eprintln!(
        "{what}: {done} documents round-tripped, {} failed",
        failures.len()
    );
    assert!(
        failures.is_empty(),
        "{what}: {} of {done} documents failed the round trip:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(done >= 250, "{what}: only {done} documents ran");
}

#[test]
#[ignore = "needs PostgreSQL on 127.0.0.1:5432"]
fn postgresql_round_trip_of_the_corpus() {
    report("postgresql", round_trip(&Pg, "reflect_pg", false));
}

#[test]
#[ignore = "needs PostgreSQL on 127.0.0.1:5432"]
fn postgresql_round_trip_under_the_documents_convention() {
    report(
        "postgresql, the document's own convention",
        round_trip(&Pg, "reflect_pgc", true),
    );
}

/// (kind, name) of every carried object, sorted.
fn carried(c: &Catalog) -> Vec<(String, String)> {
    let mut v: Vec<(String, String)> = c
        .carried
        .iter()
        .map(|x| (x.kind.clone(), x.name.clone()))
        .collect();
    v.sort();
    v
}

#[test]
#[ignore = "needs PostgreSQL on 127.0.0.1:5432"]
fn postgresql_sample_schema_with_what_the_model_lacks() {
    let sql = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/reflect/pg_sample.sql"),
    )
    .unwrap();
    let (a, b) = ("reflect_pgs_a", "reflect_pgs_b");
    Pg.reset(a, &[]);
    let mut conn = Engine::from_url(&Pg.url(a)).unwrap().connect().unwrap();
    conn.execute(&sql).unwrap();
    let first = reflect(&mut conn, &ReflectOptions::default()).unwrap();
    // Two connections on one snapshot read the same catalog.
    let engine = Engine::from_url(&Pg.url(a)).unwrap();
    let paired = nomenclator::reflect::reflect_engine(
        &engine,
        &RunOptions::default(),
        &ReflectOptions::default(),
    )
    .unwrap();
    assert_eq!(paired, first);
    let warnings = first.warnings.join("\n");
    for w in [
        "table public.payment is partitioned",
        "table public.payment_2026 is a partition of public.payment",
        "foreign key rental.rental_film_fkey is carried as custom DDL: it is DEFERRABLE",
    ] {
        assert!(
            warnings.contains(w) || carried(&first).iter().any(|(_, n)| w.ends_with(n)),
            "no warning {w:?} in:\n{warnings}"
        );
    }
    let kinds: Vec<String> = carried(&first).into_iter().map(|(k, _)| k).collect();
    for k in [
        "extension",
        "enum type",
        "domain",
        "sequence",
        "function",
        "trigger",
        "materialized view",
        "exclusion constraint",
        "index",
        "foreign key",
    ] {
        assert!(
            kinds.iter().any(|x| x == k),
            "nothing carried as {k}: {kinds:?}"
        );
    }
    // An enumerated type its columns use is the model's: the column's type,
    // not a carried statement.
    assert!(
        !carried(&first)
            .iter()
            .any(|(_, n)| n.ends_with("mpaa_rating")),
        "{:?}",
        carried(&first)
    );
    let film = first.tables.iter().find(|t| t.name == "film").unwrap();
    let rating = film.columns.iter().find(|c| c.name == "rating").unwrap();
    assert_eq!(
        rating.ty,
        "enum('G', 'PG', 'PG-13', 'R', 'NC-17', name = 'mpaa_rating')"
    );
    let text = write_document(&first, &WriteOptions::default()).unwrap();
    let mut md = load_str(&text, &LoadOptions::default()).unwrap_or_else(|e| panic!("{e}\n{text}"));
    apply(&Pg, b, &mut md).unwrap_or_else(|e| panic!("{e}\n{text}"));
    let second = catalog(&Pg, b, &[]);
    if let Err(d) = catalog_differences(&first, &second) {
        panic!("{d}\n{text}");
    }
    assert_eq!(carried(&first), carried(&second));
    assert_eq!(first.views.len(), 2);
    // Identity and generated columns are written into the type, exactly.
    let film = first.table(None, "film").unwrap();
    assert_eq!(
        film.column("film_id").unwrap().ty,
        "integer GENERATED BY DEFAULT AS IDENTITY"
    );
    let customer = first.table(None, "customer").unwrap();
    assert!(customer
        .column("full_name")
        .unwrap()
        .ty
        .starts_with("text GENERATED ALWAYS AS ("));
}

#[test]
fn sqlite_round_trip_of_the_corpus() {
    report("sqlite", round_trip(&Lite::new(), "reflect_lite", false));
}

#[test]
fn sqlite_round_trip_under_the_documents_convention() {
    report(
        "sqlite, the document's own convention",
        round_trip(&Lite::new(), "reflect_litec", true),
    );
}

#[test]
#[ignore = "needs MariaDB on 127.0.0.1:3306"]
fn mariadb_round_trip_of_the_corpus() {
    let server = Maria {
        prefix: "rmysql_rt",
    };
    report("mariadb", round_trip(&server, server.prefix, false));
}

#[test]
#[ignore = "needs MariaDB on 127.0.0.1:3306"]
fn mariadb_round_trip_under_the_documents_convention() {
    let server = Maria {
        prefix: "rmysql_rtc",
    };
    report(
        "mariadb, the document's own convention",
        round_trip(&server, server.prefix, true),
    );
}
