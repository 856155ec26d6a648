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

/// A small document in both syntaxes with every field of raw text: each
/// `"@NAME@"` marker is replaced by `"ok"` (or by a given value, quoted
/// and escaped as TOML and JSON both write it).
const RAW_TOML: &str = r#"[[tables]]
name = "@tname@"
comment = "@tcomment@"
columns = [
  { name = "@cname@", type = "@type@", primary_key = true, default = "@default@", check = "@ccheck@", comment = "@ccomment@" },
]
checks = [{ name = "c", sql = "@check@" }]
ddl = [{ when = "after_create", sql = "@tddl@" }]

[[views]]
name = "v"
sql = "@view@"

[[ddl]]
when = "after_create"
sql = "@ddl@"

[naming_convention]
uq = "@template@"
"#;

const RAW_JSON: &str = r#"{
  "tables": [{
    "name": "@tname@",
    "comment": "@tcomment@",
    "columns": [{
      "name": "@cname@",
      "type": "@type@",
      "primary_key": true,
      "default": "@default@",
      "check": "@ccheck@",
      "comment": "@ccomment@"
    }],
    "checks": [{ "name": "c", "sql": "@check@" }],
    "ddl": [{ "when": "after_create", "sql": "@tddl@" }]
  }],
  "views": [{ "name": "v", "sql": "@view@" }],
  "ddl": [{ "when": "after_create", "sql": "@ddl@" }],
  "naming_convention": { "uq": "@template@" }
}"#;

/// Every marker of the raw documents, with the key path of its value.
const RAW_FIELDS: &[(&str, &str)] = &[
    ("tname", "tables[0].name"),
    ("tcomment", "tables[0].comment"),
    ("cname", "tables[0].columns[0].name"),
    ("type", "tables[0].columns[0].type"),
    ("default", "tables[0].columns[0].default"),
    ("ccheck", "tables[0].columns[0].check"),
    ("ccomment", "tables[0].columns[0].comment"),
    ("check", "tables[0].checks[0].sql"),
    ("tddl", "tables[0].ddl[0].sql"),
    ("view", "views[0].sql"),
    ("ddl", "ddl[0].sql"),
    ("template", "naming_convention.uq"),
];

/// The raw document with `escaped` (already in `\uXXXX` form) at `marker`,
/// and the byte offset of that value's opening quote.
fn raw_document(template: &str, marker: &str, escaped: &str) -> (String, usize) {
    let mut text = template.replace(&format!("@{marker}@"), "\u{1}");
    for (other, _) in RAW_FIELDS {
        let ok = if *other == "template" {
            "uq_%(table_name)s"
        } else {
            "ok"
        };
        text = text.replace(&format!("@{other}@"), ok);
    }
    let at = text.find('\u{1}').expect("marker") - 1;
    (text.replace('\u{1}', escaped), at)
}

/// NUL and the other control characters (Unicode's category Cc) but tab,
/// line feed and carriage return are refused in every string of the
/// document — names, types, defaults, SQL, comments, templates — at the
/// value's place: its key path, and its line and column. (A NUL in a type
/// cut an SQLite statement short, and `apply` reported constraints that
/// were never created.)
#[test]
fn control_characters_are_refused_where_they_are() {
    use nomenclator::document::line_col;
    for (ch, what) in [
        ("\\u0000", "U+0000"),
        ("\\u0001", "U+0001"),
        ("\\u001b", "U+001B"),
        ("\\u007f", "U+007F"),
        ("\\u0085", "U+0085"),
    ] {
        for (marker, path) in RAW_FIELDS {
            let value = format!("int){ch}x");
            for (template, format) in [(RAW_TOML, Format::Toml), (RAW_JSON, Format::Json)] {
                let (text, at) = raw_document(template, marker, &value);
                let options = LoadOptions::new().format(format).name("raw");
                let e = match load_str(&text, &options) {
                    Err(e) => e,
                    Ok(_) => panic!("{format:?} {marker} with {what} loaded"),
                };
                let shown = e.to_string();
                assert_eq!(e.place.path.as_deref(), Some(*path), "{format:?}: {shown}");
                has(&shown, &["control character", what]);
                // The message never carries the character itself.
                assert!(
                    !shown.chars().any(|c| c.is_control() && c != '\n'),
                    "{shown:?}"
                );
                let (line, col) = e.place.line_col.expect("a line and column");
                assert_eq!(line, line_col(&text, at).0, "{format:?} {marker}: {shown}");
                if format == Format::Toml {
                    assert_eq!((line, col), line_col(&text, at), "{marker}: {shown}");
                }
            }
        }
    }
}

/// Tab, line feed and carriage return are text like any other.
#[test]
fn tabs_and_line_ends_are_accepted() {
    for (marker, _) in RAW_FIELDS {
        if matches!(*marker, "tname" | "cname" | "template") {
            continue;
        }
        for (template, format) in [(RAW_TOML, Format::Toml), (RAW_JSON, Format::Json)] {
            let (text, _) = raw_document(template, marker, "a\\tb\\r\\nc");
            let options = LoadOptions::new().format(format).name("raw");
            if let Err(e) = load_str(&text, &options) {
                panic!("{format:?} {marker}: {e}");
            }
        }
    }
}

/// A JSON document may start with a byte-order mark, as a TOML one may.
#[test]
fn a_byte_order_mark_is_accepted() {
    let body = r#"{"tables": [{"name": "t", "columns": [{"name": "id"}]}]}"#;
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in [
        ("bom.json", format!("\u{feff}{body}")),
        (
            "bom.toml",
            "\u{feff}[[tables]]\nname = \"t\"\ncolumns = [{ name = \"id\" }]\n".to_owned(),
        ),
        // Without an extension the format is still found after the mark.
        ("bom", format!("\u{feff}{body}")),
    ] {
        let path = dir.path().join(name);
        std::fs::write(&path, &text).unwrap();
        let md = load_path(&path, &LoadOptions::default()).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(md.len(), 1);
        let md = load_str(&text, &LoadOptions::new()).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(md.len(), 1);
    }
    // Positions on the first line do not count the mark.
    let e = load_str(
        "\u{feff}{\"tables\": 7}",
        &LoadOptions::new().format(Format::Json),
    )
    .unwrap_err();
    assert_eq!(e.place.line_col, Some((1, 12)), "{e}");
}

/// A top level that is not an object says what the top level must be.
#[test]
fn the_top_level_must_be_an_object_with_tables() {
    for text in ["[]", "[{\"name\": \"t\"}]", "7", "\"tables\""] {
        let e = load_str(
            text,
            &LoadOptions::new().format(Format::Json).name("top.json"),
        )
        .unwrap_err();
        has(
            &e.to_string(),
            &["top.json", "top level", "object with `tables`"],
        );
    }
}

/// A key given twice in a JSON object is refused at the second one, in
/// every object of the document (TOML refuses them as syntax): the last
/// one no longer silently wins.
#[test]
fn duplicate_json_keys_are_refused() {
    let options = LoadOptions::new().format(Format::Json).name("dup.json");
    for (text, path, line) in [
        (
            "{\"naming_convention\": {\"uq\": \"a_%(table_name)s\",\n \"uq\": \"b_%(table_name)s\"},\n \"tables\": [{\"name\": \"t\", \"columns\": [{\"name\": \"id\", \"unique\": true}]}]}",
            "naming_convention.uq",
            2,
        ),
        (
            "{\"tables\": [{\"name\": \"t\",\n \"name\": \"u\", \"columns\": [{\"name\": \"id\"}]}]}",
            "tables[0].name",
            2,
        ),
        (
            "{\"tables\": [{\"name\": \"t\", \"columns\": [{\"name\": \"id\",\n \"type\": \"integer\", \"type\": \"text\"}]}]}",
            "tables[0].columns[0].type",
            2,
        ),
        (
            "{\"tables\": [],\n \"tables\": [{\"name\": \"t\", \"columns\": [{\"name\": \"id\"}]}]}",
            "tables",
            2,
        ),
    ] {
        let e = load_str(text, &options).unwrap_err();
        assert_eq!(e.place.path.as_deref(), Some(path), "{e}");
        assert_eq!(e.place.line_col.map(|l| l.0), Some(line), "{e}");
        has(&e.to_string(), &["duplicate"]);
    }
}

/// The schema model's errors in a JSON document are placed by line and
/// column too, not only by key path.
#[test]
fn json_meaning_errors_have_lines_and_columns() {
    let options = LoadOptions::new().format(Format::Json).name("m.json");
    let doc = "{\"tables\": [\n  {\"name\": \"p\", \"columns\": [{\"name\": \"id\", \"primary_key\": true}]},\n  {\"name\": \"c\", \"columns\": [\n    {\"name\": \"id\"},\n    {\"name\": \"p_id\", \"references\": \"q.id\"}\n  ]}\n]}";
    let e = load_str(doc, &options).unwrap_err();
    assert_eq!(
        e.place.path.as_deref(),
        Some("tables[1].columns[1].references")
    );
    assert_eq!(e.place.line_col, Some((5, 22)), "{e}");
    // A column defined twice: at the second one's name.
    let doc = "{\"tables\": [{\"name\": \"t\", \"columns\": [\n {\"name\": \"a\"},\n {\"name\": \"a\"}]}]}";
    let e = load_str(doc, &options).unwrap_err();
    assert_eq!(e.place.path.as_deref(), Some("tables[0].columns[1].name"));
    assert_eq!(e.place.line_col, Some((3, 3)), "{e}");
    // An unknown column in a list: at the list's element.
    let doc = "{\"tables\": [{\"name\": \"t\", \"columns\": [{\"name\": \"a\"}],\n  \"uniques\": [{\"columns\": [\"a\", \"b\"]}]}]}";
    let e = load_str(doc, &options).unwrap_err();
    assert_eq!(
        e.place.path.as_deref(),
        Some("tables[0].uniques[0].columns[1]")
    );
    assert_eq!(e.place.line_col, Some((2, 33)), "{e}");
    // A view's rule.
    let doc = "{\"tables\": [{\"name\": \"t\", \"columns\": [{\"name\": \"a\"}]}],\n \"views\": [{\"name\": \"v\", \"sql\": \" \"}]}";
    let e = load_str(doc, &options).unwrap_err();
    assert_eq!(e.place.path.as_deref(), Some("views[0].sql"));
    assert_eq!(e.place.line_col.map(|l| l.0), Some(2), "{e}");
}

/// A document larger than `LoadOptions::max_size` is refused with the
/// limit, whether it is a file, a pipe or text; a raw NUL byte (a binary
/// file, UTF-16, `/dev/zero`) is refused as soon as it is read.
#[test]
fn documents_are_bounded() {
    let text = bulky_document(100);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big.json");
    std::fs::write(&path, &text).unwrap();
    let small = LoadOptions::new().max_size(1000);
    let e = load_path(&path, &small).unwrap_err();
    has(
        &e.to_string(),
        &["big.json", "larger than", "1000 bytes", "max_size"],
    );
    let e = load_str(&text, &small).unwrap_err();
    has(&e.to_string(), &["larger than", "1000 bytes"]);
    let e = nomenclator::document::load_reader(text.as_bytes(), &small).unwrap_err();
    has(&e.to_string(), &["larger than", "1000 bytes"]);
    // Within the limit it loads.
    let md = load_path(&path, &LoadOptions::new().max_size(text.len() as u64)).unwrap();
    assert_eq!(md.len(), 100);
    let md = nomenclator::document::load_reader(text.as_bytes(), &LoadOptions::new()).unwrap();
    assert_eq!(md.len(), 100);
    assert_eq!(LoadOptions::new().max_size, 1 << 30);
    // An endless source of zeros ends at once.
    #[cfg(unix)]
    {
        let e = load_path(std::path::Path::new("/dev/zero"), &LoadOptions::new()).unwrap_err();
        has(&e.to_string(), &["/dev/zero", "NUL byte"]);
    }
    // UTF-16 has NUL bytes.
    let utf16: Vec<u8> = "{\"tables\": []}"
        .encode_utf16()
        .flat_map(u16::to_le_bytes)
        .collect();
    let e = nomenclator::document::load_reader(&utf16[..], &LoadOptions::new()).unwrap_err();
    has(&e.to_string(), &["NUL byte", "UTF-16"]);
}

/// A pack file is bounded too (packs are small): a large file, or an
/// endless pipe, is refused with the limit.
#[cfg(unix)]
#[test]
fn pack_files_are_bounded() {
    let dir = tempfile::tempdir().unwrap();
    let big = dir.path().join("big.toml");
    let mut pack = String::from("[naming_convention]\nuq = \"uq_%(table_name)s\"\n");
    while pack.len() <= 1 << 20 {
        pack.push_str("# padding padding padding padding padding padding padding\n");
    }
    std::fs::write(&big, &pack).unwrap();
    let doc = |pack: &str| {
        format!("conventions = \"{pack}\"\n[[tables]]\nname = \"t\"\ncolumns = [{{ name = \"id\", unique = true }}]\n")
    };
    let options = LoadOptions::new().format(Format::Toml).name("p.toml");
    let e = load_str(&doc(&big.display().to_string()), &options).unwrap_err();
    has(
        &e.to_string(),
        &["big.toml", "larger than", "1048576 bytes"],
    );
    let e = load_str(&doc("/dev/zero"), &options).unwrap_err();
    has(&e.to_string(), &["/dev/zero", "NUL byte"]);
    // An endless pipe of comments.
    let fifo = dir.path().join("endless.toml");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status();
    if !made.is_ok_and(|s| s.success()) {
        eprintln!("no mkfifo: skipped");
        return;
    }
    std::thread::scope(|s| {
        s.spawn(|| {
            use std::io::Write;
            let mut w = std::fs::OpenOptions::new().write(true).open(&fifo).unwrap();
            let line = b"# more and more and more and more and more and more\n".repeat(1000);
            while w.write_all(&line).is_ok() {}
        });
        let e = load_str(&doc(&fifo.display().to_string()), &options).unwrap_err();
        has(&e.to_string(), &["endless.toml", "larger than"]);
    });
}

/// TOML documents in every layout load to the same schema as the same
/// document in JSON: `[[tables]]` blocks with sub-tables, inline tables,
/// naming settings, views and DDL before, between and after the tables, a
/// `[tables.…]` header that comes back to the last table after another
/// section, and `[[tables]]` inside multi-line strings and comments.
#[test]
fn toml_layouts_load_alike() {
    use nomenclator::ddl::{create_script, DdlOptions};
    let json = r#"{
      "conventions": "sqlalchemy",
      "naming_convention": {"fk": "fk_%(table_name)s_%(referred_table_name)s"},
      "tables": [
        {"name": "a", "columns": [{"name": "id", "type": "integer"}, {"name": "n", "type": "text"}],
         "primary_key": {"columns": ["id"]}, "comment": "line\n[[tables]]\nname = \"x\"\n"},
        {"name": "b", "columns": [{"name": "id", "type": "integer", "primary_key": true},
                                  {"name": "a_id", "type": "integer", "references": "a.id"}],
         "uniques": [{"columns": ["a_id"]}]}
      ],
      "views": [{"name": "v", "sql": "SELECT 1"}],
      "ddl": [{"when": "after_create", "sql": "SELECT 2"}]
    }"#;
    let layouts = [
        // Sub-table headers; settings first.
        r#"conventions = "sqlalchemy"
naming_convention = { fk = "fk_%(table_name)s_%(referred_table_name)s" }

[[tables]]
name = "a"
comment = """line
[[tables]]
name = "x"
"""
[[tables.columns]]
name = "id"
type = "integer"
[[tables.columns]]
name = "n"
type = "text"
[tables.primary_key]
columns = ["id"]

[[tables]]
name = "b"
# [[tables]]
columns = [
  { name = "id", type = "integer", primary_key = true },
  { name = "a_id", type = "integer", references = "a.id" },
]
[[tables.uniques]]
columns = ["a_id"]

[[views]]
name = "v"
sql = "SELECT 1"

[[ddl]]
when = "after_create"
sql = "SELECT 2"
"#,
        // Settings, views and DDL between and after the tables; the
        // primary key comes back to table "a" after a view.
        r#"conventions = "sqlalchemy"
[[tables]]
name = "a"
comment = '''line
[[tables]]
name = "x"
'''
columns = [{ name = "id", type = "integer" }, { name = "n", type = "text" }]
[[views]]
name = "v"
sql = "SELECT 1"
[tables.primary_key]
columns = ["id"]
[naming_convention]
fk = "fk_%(table_name)s_%(referred_table_name)s"
  [[tables]]
  name = "b"
  columns = [{ name = "id", type = "integer", primary_key = true }, { name = "a_id", type = "integer", references = "a.id" }]
  uniques = [{ columns = ["a_id"] }]
[[ddl]]
when = "after_create"
sql = "SELECT 2"
"#,
        // One inline array.
        r#"conventions = "sqlalchemy"
naming_convention.fk = "fk_%(table_name)s_%(referred_table_name)s"
tables = [
  { name = "a", comment = "line\n[[tables]]\nname = \"x\"\n", columns = [{ name = "id", type = "integer" }, { name = "n", type = "text" }], primary_key = { columns = ["id"] } },
  { name = "b", columns = [{ name = "id", type = "integer", primary_key = true }, { name = "a_id", type = "integer", references = "a.id" }], uniques = [{ columns = ["a_id"] }] },
]
views = [{ name = "v", sql = "SELECT 1" }]
ddl = [{ when = "after_create", sql = "SELECT 2" }]
"#,
        // Quoted header keys.
        r#"conventions = "sqlalchemy"
[ naming_convention ]
fk = "fk_%(table_name)s_%(referred_table_name)s"
[["tables"]]
name = "a"
comment = "line\n[[tables]]\nname = \"x\"\n"
[[ 'tables' . "columns" ]]
name = "id"
type = "integer"
[[tables . columns]]
name = "n"
type = "text"
[ tables.primary_key ] # the key
columns = ["id"]
[[tables]] # b
name = "b"
columns = [{ name = "id", type = "integer", primary_key = true }, { name = "a_id", type = "integer", references = "a.id" }]
uniques = [{ columns = ["a_id"] }]
[[views]]
name = "v"
sql = "SELECT 1"
[[ddl]]
when = "after_create"
sql = "SELECT 2"
"#,
        // Dotted keys, literal strings, quoted keys, a sub-table made by a
        // dotted key before the headers of the columns.
        r#"conventions = 'sqlalchemy'
naming_convention.fk = "fk_%(table_name)s_%(referred_table_name)s"
[[tables]]
'name' = 'a'
comment = "line\n[[tables]]\nname = \"x\"\n"
primary_key.columns = ['id']
[[tables.columns]]
name = "id"
type = "integer"
[[ tables.columns ]]
name = "n"
"type" = 'text'
[[tables]]
name = "b"
columns = [
  { name = "id", type = "integer", primary_key = true },
  { name = 'a_id', type = "integer", references = 'a.id' },
]
uniques = [{ columns = ["a_id"] }]
[[views]]
name = "v"
sql = "SELECT 1"
[[ddl]]
when = "after_create"
sql = """SELECT 2"""
"#,
    ];
    let script = |text: &str, format: Format| {
        let md = load_str(text, &LoadOptions::new().format(format).name("layout"))
            .unwrap_or_else(|e| panic!("{format:?}: {e}\n{text}"));
        create_script(
            &md,
            &nomenclator::dialect::PostgreSql,
            &DdlOptions::default(),
        )
        .unwrap()
        .into_string()
    };
    let expected = script(json, Format::Json);
    assert!(expected.contains("fk_b_a"), "{expected}");
    assert!(expected.contains("[[tables]]"), "{expected}");
    for (k, toml) in layouts.iter().enumerate() {
        assert_eq!(script(toml, Format::Toml), expected, "layout {k}");
    }
}

/// TOML that is not valid as a whole is refused, however it is laid out:
/// a key given twice, `tables` both inline and as headers, a header that
/// makes `tables` a table.
#[test]
fn toml_layout_errors() {
    let options = LoadOptions::new().format(Format::Toml).name("bad.toml");
    let table = "[[tables]]\nname = \"t\"\ncolumns = [{ name = \"id\" }]\n";
    for (text, line) in [
        (format!("tables = []\n{table}"), 1),
        (format!("{table}[tables]\nname = \"u\"\n"), 4),
        (format!("{table}name = \"u\"\n"), 4),
        (
            format!("[naming_convention]\nuq = \"a\"\n{table}[naming_convention]\nck = \"b\"\n"),
            6,
        ),
        (format!("{table}{table}[[tables.columns]]\nname = 7\n"), 7),
        (format!("{table}[tables.columns]\nname = \"x\"\n"), 4),
    ] {
        let e = match load_str(&text, &options) {
            Err(e) => e,
            Ok(_) => panic!("loaded:\n{text}"),
        };
        assert_eq!(e.place.line_col.map(|l| l.0), Some(line), "{e}\n{text}");
    }
}

/// Errors in a long TOML document are placed on their own line, whichever
/// table they are in, by the parser, the rules or the schema model.
#[test]
fn toml_errors_deep_in_a_document() {
    let options = LoadOptions::new().format(Format::Toml).name("long.toml");
    let table = |i: usize, extra: &str| {
        format!("[[tables]]\nname = \"t{i}\"\ncolumns = [{{ name = \"id\" }}]\n{extra}\n")
    };
    let doc = |bad: usize, extra: &str| -> String {
        (0..50)
            .map(|i| table(i, if i == bad { extra } else { "" }))
            .collect()
    };
    // Each table is 4 lines; table 40's fourth line is 164.
    for extra in [
        "uniques = [{ columns = [\"nope\"] }]",
        "uniques = [{ colums = [\"id\"] }]",
        "uniques = [{ columns = [\"id\"] }] = 1",
        "checks = [{ sql = \" \" }]",
    ] {
        let e = load_str(&doc(40, extra), &options).unwrap_err();
        assert_eq!(e.place.line_col.map(|l| l.0), Some(164), "{extra}: {e}");
    }
}

/// A TOML document is read in parts (what is not tables first), but of
/// several errors that do not parse, the first in the document is the one
/// reported, as when it was read whole.
#[test]
fn toml_parse_errors_in_document_order() {
    let options = LoadOptions::new().format(Format::Toml).name("order.toml");
    let table = |name: &str, extra: &str| {
        format!("[[tables]]\nname = \"{name}\"\ncolumns = [{{ name = \"id\" }}]\n{extra}\n")
    };
    let view_error = "[[views]]\nname = \"v\"\nsql = = 1\n";
    // A table's error before the view's: the table's (line 8).
    let doc = format!("{}{}{view_error}", table("a", ""), table("b", "x = = 1"));
    let e = load_str(&doc, &options).unwrap_err();
    assert_eq!(e.place.line_col.map(|l| l.0), Some(8), "{e}");
    // The view's error before the table's: the view's (line 7).
    let doc = format!("{}{view_error}{}", table("a", ""), table("b", "x = = 1"));
    let e = load_str(&doc, &options).unwrap_err();
    assert_eq!(e.place.line_col.map(|l| l.0), Some(7), "{e}");
    // An unknown key in a table before a view that does not parse: the key.
    let doc = format!("{}{view_error}", table("a", "colour = 1"));
    let e = load_str(&doc, &options).unwrap_err();
    assert_eq!(e.place.path.as_deref(), Some("tables[0].colour"), "{e}");
    assert_eq!(e.place.line_col.map(|l| l.0), Some(4), "{e}");
    // Settings at the end still name the tables, and the document is read once.
    let doc = format!(
        "{}[naming_convention]\nuq = \"uq_%(table_name)s_%(column_0_name)s\"\n",
        table("a", "uniques = [{ columns = [\"id\"] }]")
    );
    let md = load_str(&doc, &options).unwrap_or_else(|e| panic!("{e}"));
    let uq = &md.table("a").unwrap().constraints()[0];
    assert_eq!(uq.name().as_str(), Some("uq_a_id"));
}

/// A `[tables.…]` header that comes back to a table after another section
/// is read with that table, and its errors are placed on their own lines.
#[test]
fn toml_sub_tables_after_another_section() {
    let options = LoadOptions::new().format(Format::Toml).name("back.toml");
    let doc = "[[tables]]\nname = \"t\"\ncolumns = [{ name = \"id\" }]\n[[views]]\nname = \"v\"\nsql = \"SELECT 1\"\n[tables.primary_key]\ncolumns = [\"idd\"]\n";
    let e = load_str(doc, &options).unwrap_err();
    assert_eq!(
        e.place.path.as_deref(),
        Some("tables[0].primary_key.columns[0]"),
        "{e}"
    );
    assert_eq!(e.place.line_col, Some((8, 12)), "{e}");
    let doc = doc.replace("columns = [\"idd\"]", "columns = [\"id\"]\nnam = \"pk\"");
    let e = load_str(&doc, &options).unwrap_err();
    assert_eq!(
        e.place.path.as_deref(),
        Some("tables[0].primary_key.nam"),
        "{e}"
    );
    assert_eq!(e.place.line_col, Some((9, 1)), "{e}");
    let doc = doc.replace("nam = ", "name = ");
    let md = load_str(&doc, &options).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        md.table("t").unwrap().primary_key().unwrap().name.as_str(),
        Some("pk")
    );
}

/// What TOML itself refuses in a block (a key given twice, a header that
/// would redefine an inline table, a bad escape or date, a dotted key
/// into an array) is reported
/// with the file, the line and column, and what is wrong.
#[test]
fn toml_errors_name_file_line_and_column() {
    let options = LoadOptions::new().format(Format::Toml).name("bad.toml");
    let head = "[[tables]]\nname = \"t\"\n";
    for (body, at, message) in [
        ("columns = [{ name = \"id\", name = \"x\" }]\n", (3, 27), "duplicate key"),
        (
            "columns = [{ name = \"id\" }]\nprimary_key = { columns = [\"id\"] }\n[tables.primary_key]\nname = \"pk\"\n",
            (5, 9),
            "duplicate key",
        ),
        ("comment = \"a\\qb\"\ncolumns = [{ name = \"id\" }]\n", (3, 14), "escaped value"),
        ("comment = 1979-13-01\ncolumns = [{ name = \"id\" }]\n", (3, 11), ""),
        ("columns = [{ name = \"id\" }]\ncolumns.x = 1\n", (4, 1), "cannot extend value of type array"),
    ] {
        let text = format!("{head}{body}");
        let e = load_str(&text, &options).unwrap_err();
        let shown = e.to_string();
        assert_eq!(e.place.line_col, Some(at), "{shown}\n{text}");
        has(&shown, &[&format!("bad.toml:{}:{}: ", at.0, at.1), message]);
    }
}

#[test]
fn a_malformed_enum_type_is_refused_at_its_place() {
    for (ty, says) in [
        ("enum('x'", "the list of values is not closed"),
        ("enum()", "it has no values"),
        ("enum('y', 'y')", "a value is listed twice"),
        ("enum(x, y)", "its values are not a list of quoted strings"),
    ] {
        let doc = format!(
            "[[tables]]\nname = \"t\"\ncolumns = [\n  {{ name = \"id\", type = \"integer\", primary_key = true }},\n  {{ name = \"a\", type = \"{ty}\" }},\n]\n"
        );
        let e = load_str(&doc, &LoadOptions::new().format(Format::Toml)).unwrap_err();
        let shown = e.to_string();
        has(&shown, &["tables[0].columns[1].type", says]);
    }
    // A list the server reads with a collation after it is fine.
    let doc = "[[tables]]\nname = \"t\"\ncolumns = [ { name = \"a\", type = \"enum('a', 'b') COLLATE utf8mb4_bin\" } ]\n";
    assert!(load_str(doc, &LoadOptions::new().format(Format::Toml)).is_ok());
}
