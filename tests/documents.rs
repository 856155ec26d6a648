//! Bad documents: each gives a `DocumentError` naming the file, the place
//! (line:col for TOML and where JSON gives one, the key path) and what is wrong.
//! Fixtures are in tests/fixtures/bad/.

#![allow(clippy::result_large_err)]

use std::path::PathBuf;

use nomenclator::document::{load_path, load_str, DocumentError, Format, LoadOptions};

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

fn bad(name: &str) -> (DocumentError, String) {
    let path = fixture(&format!("bad/{name}"));
    let err = match load_path(&path, &LoadOptions::default()) {
        Err(e) => e,
        Ok(_) => panic!("{name} loaded"),
    };
    let shown = err.to_string();
    assert!(err.file.ends_with(name), "the file is named: {shown}");
    assert!(shown.starts_with(&err.file), "{shown}");
    (err, shown)
}

fn has(shown: &str, parts: &[&str]) {
    for p in parts {
        assert!(shown.contains(p), "{p:?} not in: {shown}");
    }
}

#[test]
fn malformed_toml() {
    let (e, shown) = bad("syntax.toml");
    assert_eq!(e.place.line_col, Some((4, 26)));
    has(&shown, &["syntax.toml:4:26:", "expected `,`"]);
}

#[test]
fn malformed_json() {
    let (e, shown) = bad("syntax.json");
    // Unclosed array and object: the parser hits the end of the file on line 2.
    assert_eq!(e.place.line_col.map(|l| l.0), Some(2));
    assert!(
        e.place.line_col.unwrap().1 >= 1,
        "columns are 1-based: {shown}"
    );
    has(&shown, &["EOF while parsing"]);
}

#[test]
fn wrong_types() {
    let (e, shown) = bad("wrong_type.toml");
    assert_eq!(
        e.place.path.as_deref(),
        Some("tables[0].columns[0].nullable")
    );
    assert_eq!(e.place.line_col, Some((5, 12)));
    has(
        &shown,
        &[
            "wrong_type.toml:5:12",
            "invalid type",
            "\"yes\"",
            "expected a boolean",
        ],
    );
    let (e, shown) = bad("wrong_type.json");
    assert_eq!(e.place.path.as_deref(), Some("tables[0].columns[0].unique"));
    has(
        &shown,
        &[
            "tables[0].columns[0].unique",
            "integer `1`",
            "expected a boolean",
        ],
    );
}

#[test]
fn unknown_keys() {
    let (e, shown) = bad("unknown_key.toml");
    assert_eq!(e.place.path.as_deref(), Some("tables[0].columns[0].uniq"));
    assert_eq!(e.place.line_col, Some((5, 1)));
    has(
        &shown,
        &[
            "unknown_key.toml:5:1",
            "unknown field `uniq`",
            "did you mean `unique`?",
        ],
    );
    let (e, shown) = bad("unknown_key.json");
    assert_eq!(e.place.path.as_deref(), Some("tables[0].indices"));
    has(
        &shown,
        &[
            "tables[0].indices",
            "unknown field `indices`",
            "did you mean `indexes`?",
        ],
    );
    // Top level too.
    let e = load_str(
        "tabels = []\n",
        &LoadOptions::new().format(Format::Toml).name("x.toml"),
    )
    .unwrap_err();
    has(
        &e.to_string(),
        &[
            "x.toml:1:1",
            "unknown field `tabels`",
            "did you mean `tables`?",
        ],
    );
}

#[test]
fn missing_tables_and_empty_file() {
    let (_, shown) = bad("no_tables.toml");
    has(&shown, &["missing field `tables`", "add `tables`"]);
    let (_, shown) = bad("empty.toml");
    has(&shown, &["empty"]);
    let e = load_str(
        "   \n",
        &LoadOptions::new().format(Format::Json).name("e.json"),
    )
    .unwrap_err();
    has(&e.to_string(), &["e.json", "empty"]);
    let e = load_str(
        "{}",
        &LoadOptions::new().format(Format::Json).name("e.json"),
    )
    .unwrap_err();
    has(&e.to_string(), &["e.json", "missing field `tables`"]);
}

#[test]
fn invalid_utf8() {
    let (e, shown) = bad("invalid_utf8.toml");
    // "[[tables]]\n" is 11 bytes, then `name = "t` (9): the bad byte is at offset 20, line 2 column 10.
    assert_eq!(e.place.line_col, Some((2, 10)));
    has(&shown, &["UTF-8", "offset 20"]);
}

#[test]
fn missing_table_with_did_you_mean() {
    let (e, shown) = bad("missing_table.toml");
    assert_eq!(
        e.place.path.as_deref(),
        Some("tables[1].columns[0].references")
    );
    assert_eq!(e.place.line_col.map(|l| l.0), Some(7));
    has(
        &shown,
        &[
            "\"organisation\" is not defined",
            "did you mean \"organization\"?",
        ],
    );
}

#[test]
fn missing_columns_with_did_you_mean() {
    let (e, shown) = bad("missing_column.toml");
    assert_eq!(
        e.place.path.as_deref(),
        Some("tables[0].uniques[0].columns[0]")
    );
    assert_eq!(e.place.line_col.map(|l| l.0), Some(4));
    has(&shown, &["no column \"emial\"", "did you mean \"email\"?"]);
    let (e, shown) = bad("missing_referred_column.json");
    assert_eq!(
        e.place.path.as_deref(),
        Some("tables[1].foreign_keys[0].referred_columns[0]")
    );
    has(
        &shown,
        &["table \"p\" has no column \"idd\"", "did you mean \"id\"?"],
    );
    // A column reference to a missing column of an existing table.
    let doc = r#"{"tables": [{"name": "p", "columns": [{"name": "id"}]}, {"name": "c", "columns": [{"name": "x", "references": "p.ids"}]}]}"#;
    let e = load_str(doc, &LoadOptions::new().format(Format::Json).name("r.json")).unwrap_err();
    assert_eq!(
        e.place.path.as_deref(),
        Some("tables[1].columns[0].references")
    );
    has(&e.to_string(), &["\"ids\"", "did you mean \"id\"?"]);
}

#[test]
fn duplicates() {
    let (e, shown) = bad("duplicate_table.toml");
    assert_eq!(e.place.path.as_deref(), Some("tables[1].name"));
    assert_eq!(e.place.line_col, Some((5, 1)));
    has(&shown, &["table \"t\" is defined twice"]);
    let (e, shown) = bad("duplicate_column.json");
    assert_eq!(e.place.path.as_deref(), Some("tables[0].columns[2].name"));
    has(&shown, &["column \"a\" is defined twice in table \"t\""]);
    // The same table name in two schemas is fine.
    let doc = r#"{"tables": [{"name": "t", "schema": "a", "columns": [{"name": "x"}]}, {"name": "t", "schema": "b", "columns": [{"name": "x"}]}]}"#;
    assert!(load_str(
        doc,
        &LoadOptions::new().format(Format::Json).name("ok.json")
    )
    .is_ok());
}

#[test]
fn empty_names() {
    let (e, shown) = bad("empty_name.toml");
    assert_eq!(e.place.path.as_deref(), Some("tables[0].columns[1].name"));
    assert_eq!(e.place.line_col.map(|l| l.0), Some(3));
    has(&shown, &["column name is empty"]);
    let e = load_str(
        r#"{"tables": [{"name": "", "columns": [{"name": "a"}]}]}"#,
        &LoadOptions::new().format(Format::Json).name("n.json"),
    )
    .unwrap_err();
    assert_eq!(e.place.path.as_deref(), Some("tables[0].name"));
    has(&e.to_string(), &["table name is empty"]);
}

#[test]
fn foreign_key_column_count_mismatch() {
    let (e, shown) = bad("fk_count.toml");
    assert_eq!(e.place.path.as_deref(), Some("tables[1].foreign_keys[0]"));
    assert_eq!(e.place.line_col.map(|l| l.0), Some(7));
    has(
        &shown,
        &["1 column(s)", "2 column(s)", "\"p\"", "referred_columns"],
    );
}

#[test]
fn unknown_action_and_ddl_event() {
    let (e, shown) = bad("unknown_action.toml");
    assert_eq!(
        e.place.path.as_deref(),
        Some("tables[1].columns[0].on_delete")
    );
    has(&shown, &["\"EXPLODE\"", "CASCADE"]);
    let (e, shown) = bad("unknown_ddl_event.toml");
    assert_eq!(e.place.path.as_deref(), Some("tables[0].ddl[0].when"));
    assert_eq!(e.place.line_col.map(|l| l.0), Some(4));
    has(
        &shown,
        &["unknown DDL event \"after_creat\"", "after_create"],
    );
}

#[test]
fn the_example_document_loads() {
    let md = load_path(&fixture("example.toml"), &LoadOptions::default()).unwrap();
    assert_eq!(md.len(), 2);
}

/// Loading streams tables as they are parsed; naming settings that come
/// after the tables must still apply (the document is loaded again, with
/// them known from the start), and a table may refer to one defined after it.
#[test]
fn naming_settings_after_the_tables_and_forward_references() {
    let json = r#"{
        "tables": [
            { "name": "child", "columns": [
                { "name": "id", "type": "integer", "primary_key": true },
                { "name": "parent_id", "type": "integer", "references": "parent.id" } ] },
            { "name": "parent", "columns": [ { "name": "id", "type": "integer", "primary_key": true } ] }
        ],
        "naming_convention": { "fk": "fk_%(table_name)s_%(referred_table_name)s", "pk": "pk_%(table_name)s" }
    }"#;
    let toml = r#"
[[tables]]
name = "child"
columns = [ { name = "id", type = "integer", primary_key = true },
            { name = "parent_id", type = "integer", references = "parent.id" } ]

[[tables]]
name = "parent"
columns = [ { name = "id", type = "integer", primary_key = true } ]

[naming_convention]
fk = "fk_%(table_name)s_%(referred_table_name)s"
pk = "pk_%(table_name)s"
"#;
    for (text, format) in [(json, Format::Json), (toml, Format::Toml)] {
        let md = load_str(text, &LoadOptions::new().format(format).name("doc"))
            .unwrap_or_else(|e| panic!("{format:?}: {e}"));
        let child = md.table("child").expect("child");
        let fk = child.foreign_keys().next().expect("a foreign key");
        assert_eq!(fk.name.as_str(), Some("fk_child_parent"), "{format:?}");
        let pk = md
            .table("parent")
            .and_then(|t| t.primary_key())
            .expect("pk");
        assert_eq!(pk.name.as_str(), Some("pk_parent"), "{format:?}");
    }
}

/// A JSON document of `n` tables with long comments (over a mebibyte from a
/// few thousand tables).
fn bulky_document(n: usize) -> String {
    let tables: Vec<String> = (0..n)
        .map(|i| {
            format!(
                r#"{{"name": "t{i}", "comment": "{}", "columns": [
                    {{"name": "id", "type": "integer", "primary_key": true}},
                    {{"name": "code", "type": "varchar(20)", "unique": true}}]}}"#,
                "padding ".repeat(40)
            )
        })
        .collect();
    format!(
        r#"{{"conventions": "sqlalchemy", "tables": [{}]}}"#,
        tables.join(",\n")
    )
}

/// A large file loads to the same schema as its text, and a bad byte in it
/// is reported with its offset and line, as in a small file.
#[test]
fn large_files_load_as_their_text() {
    use nomenclator::ddl::{create_script, DdlOptions};
    let text = bulky_document(4_000);
    assert!(text.len() > 1 << 20, "{} bytes", text.len());
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big.json");
    std::fs::write(&path, &text).unwrap();
    let script = |md: &nomenclator::MetaData| {
        create_script(
            md,
            &nomenclator::dialect::PostgreSql,
            &DdlOptions::default(),
        )
        .unwrap()
        .into_string()
    };
    let from_file = load_path(&path, &LoadOptions::default()).expect("the file loads");
    let from_text = load_str(
        &text,
        &LoadOptions::new().format(Format::Json).name("big.json"),
    )
    .expect("the text loads");
    assert_eq!(from_file.len(), 4_000);
    assert_eq!(script(&from_file), script(&from_text));

    let mut bytes = text.into_bytes();
    let at = bytes.len() - 100;
    bytes[at] = 0xff;
    let line = 1 + bytes[..at].iter().filter(|&&b| b == b'\n').count();
    std::fs::write(&path, &bytes).unwrap();
    let err = match load_path(&path, &LoadOptions::default()) {
        Err(e) => e.to_string(),
        Ok(_) => panic!("a bad byte loaded"),
    };
    assert!(err.contains(&format!("bad byte at offset {at}")), "{err}");
    assert!(err.contains(&format!(":{line}:")), "{err}");
}

/// A document file truncated and rewritten by another thread while it is
/// loaded, again and again: each load gives the whole schema or an error
/// naming the file, never a crash. (When large files were mapped into
/// memory, a truncation under the parser killed the process with SIGBUS.)
#[test]
fn a_file_truncated_while_it_is_read() {
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::time::{Duration, Instant};
    // Over a mebibyte: the size from which files used to be mapped.
    let text = bulky_document(4_000);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("moving.json");
    std::fs::write(&path, &text).unwrap();
    let done = AtomicBool::new(false);
    let (mut loaded, mut refused) = (0, 0);
    std::thread::scope(|s| {
        s.spawn(|| {
            let full = text.len() as u64;
            for round in 0.. {
                if done.load(Ordering::Relaxed) {
                    break;
                }
                // Whole for a while (a load starts), then cut under the parser.
                std::fs::write(&path, &text).unwrap();
                std::thread::sleep(Duration::from_millis(3));
                let f = std::fs::OpenOptions::new().write(true).open(&path).unwrap();
                f.set_len(full * (round % 4) / 4).unwrap();
                std::thread::sleep(Duration::from_millis(1));
            }
        });
        let start = Instant::now();
        while loaded + refused < 40 && start.elapsed() < Duration::from_secs(20) {
            match load_path(&path, &LoadOptions::default()) {
                Ok(md) => {
                    assert_eq!(md.len(), 4_000, "a partial document loaded");
                    loaded += 1;
                }
                Err(e) => {
                    assert!(e.file.ends_with("moving.json"), "{e}");
                    refused += 1;
                }
            }
        }
        done.store(true, Ordering::Relaxed);
    });
    assert!(loaded + refused > 0);
}

/// A document read from a pipe whose writer sends it in pieces loads as
/// the text it sends.
#[cfg(unix)]
#[test]
fn a_document_from_a_pipe() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("doc.json");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status();
    if !made.is_ok_and(|s| s.success()) {
        eprintln!("no mkfifo: skipped");
        return;
    }
    let text = bulky_document(500);
    std::thread::scope(|s| {
        s.spawn(|| {
            use std::io::Write;
            let mut w = std::fs::OpenOptions::new().write(true).open(&fifo).unwrap();
            for piece in text.as_bytes().chunks(64 << 10) {
                w.write_all(piece).unwrap();
                std::thread::sleep(std::time::Duration::from_millis(2));
            }
        });
        let md = load_path(&fifo, &LoadOptions::default()).expect("the piped document loads");
        assert_eq!(md.len(), 500);
    });
}

/// Naming settings after the tables decide the names: an error that only
/// the settings before the tables would give is not reported. (The
/// `sqlalchemy` pack's `ck` needs a named check; the inline `ck` after the
/// tables does not.)
#[test]
fn naming_settings_after_the_tables_decide_errors_too() {
    let doc = |ck: &str| {
        format!(
            r#"{{"conventions": "sqlalchemy",
                "tables": [{{"name": "t", "columns": [{{"name": "n", "check": "n > 0"}}]}}],
                "naming_convention": {{"ck": "{ck}"}}}}"#
        )
    };
    let options = LoadOptions::new().format(Format::Json).name("late.json");
    let md = load_str(&doc("ck_%(table_name)s_%(column_0_name)s"), &options)
        .unwrap_or_else(|e| panic!("{e}"));
    let ck = &md.table("t").unwrap().constraints()[0];
    assert_eq!(ck.name().as_str(), Some("ck_t_n"));
    // With a late `ck` that needs a name too, the error is reported, placed at the table.
    let e = load_str(&doc("ck_%(constraint_name)s"), &options).unwrap_err();
    assert_eq!(e.place.path.as_deref(), Some("tables[0]"));
    has(&e.to_string(), &["explicitly named"]);
}

/// With several problems, the one reported depends only on the document:
/// one that does not parse is reported as such; otherwise the first table
/// with a problem, whether the document's rules or the schema model find it.
#[test]
fn which_error_is_reported() {
    let options = LoadOptions::new().format(Format::Json).name("many.json");
    let table = |name: &str, extra: &str| {
        format!(r#"{{"name": "{name}", "columns": [{{"name": "id"}}]{extra}}}"#)
    };
    let missing_column = r#", "uniques": [{"columns": ["nope"]}]"#;
    let bad_action =
        r#", "foreign_keys": [{"columns": ["id"], "references": "a", "on_delete": "EXPLODE"}]"#;
    let mut tables: Vec<String> = (0..100).map(|i| table(&format!("t{i}"), "")).collect();
    tables[30] = table("t30", missing_column);
    tables[70] = table("t70", bad_action);
    let doc = format!(r#"{{"tables": [{}]}}"#, tables.join(", "));
    for _ in 0..5 {
        let e = load_str(&doc, &options).unwrap_err();
        assert_eq!(
            e.place.path.as_deref(),
            Some("tables[30].uniques[0].columns[0]"),
            "{e}"
        );
    }
    // The rule broken first.
    tables[30] = table("t30", "");
    tables[10] = table("t10", bad_action);
    let doc = format!(r#"{{"tables": [{}]}}"#, tables.join(", "));
    let e = load_str(&doc, &options).unwrap_err();
    assert_eq!(
        e.place.path.as_deref(),
        Some("tables[10].foreign_keys[0].on_delete")
    );
    // Bad syntax at the very end is reported before the table's problem.
    let broken = format!(r#"{{"tables": [{}], "views": [}}"#, tables.join(", "));
    let e = load_str(&broken, &options).unwrap_err();
    has(&e.to_string(), &["many.json:1:", "views"]);
}

/// The model's errors about references and columns are placed where the
/// document declares the reference or names the column.
#[test]
fn model_errors_are_placed_in_the_document() {
    let toml = r#"
[[tables]]
name = "parent"
columns = [ { name = "code" } ]

[[tables]]
name = "child"
columns = [ { name = "id", key = "ident" }, { name = "parent_code" } ]
uniques = [ { columns = ["id"] } ]
indexes = [ { columns = ["ident"] } ]
"#;
    let options = LoadOptions::new().format(Format::Toml).name("placed.toml");
    // An index naming a column by its key.
    let e = load_str(toml, &options).unwrap_err();
    assert_eq!(
        e.place.path.as_deref(),
        Some("tables[1].indexes[0].columns[0]")
    );
    assert_eq!(e.place.line_col.map(|l| l.0), Some(10));
    has(&e.to_string(), &["column \"id\" has this key"]);
    // A foreign key to a table without primary key, and no referred columns.
    let toml = toml.replace(
        r#"indexes = [ { columns = ["ident"] } ]"#,
        r#"foreign_keys = [ { columns = ["parent_code"], references = "parent" } ]"#,
    );
    let e = load_str(&toml, &options).unwrap_err();
    assert_eq!(e.place.path.as_deref(), Some("tables[1].foreign_keys[0]"));
    assert_eq!(e.place.line_col.map(|l| l.0), Some(10));
    has(
        &e.to_string(),
        &[
            "table \"parent\" has no primary key to refer to",
            "referred_columns",
        ],
    );
    // A column-level reference to a table in another schema that is not defined.
    let json = r#"{"tables": [{"name": "c", "columns": [{"name": "x"}, {"name": "p_id", "references": "s.p.id"}]}]}"#;
    let e = load_str(json, &LoadOptions::new()).unwrap_err();
    assert_eq!(e.file, "<input>");
    assert_eq!(
        e.place.path.as_deref(),
        Some("tables[0].columns[1].references")
    );
    has(&e.to_string(), &["table \"s.p\" is not defined"]);
}
