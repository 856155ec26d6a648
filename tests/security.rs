//! Security and data (issue 11), offline: names that differ only by case.
//! The same documents run against the live servers in
//! `cli/tests/security_live.rs`.

#![allow(clippy::result_large_err)]

use nomenclator::ddl::{create_script, DdlError, DdlOptions};
use nomenclator::dialect;
use nomenclator::document::{load_str, Format, LoadOptions};
use nomenclator::naming::NamingError;
use nomenclator::MetaData;

fn load(toml: &str) -> MetaData {
    load_str(
        toml,
        &LoadOptions::new().format(Format::Toml).name("doc.toml"),
    )
    .unwrap_or_else(|e| panic!("{e}"))
}

fn script(md: &MetaData, d: &str) -> Result<String, DdlError> {
    let d = dialect::by_name(d).unwrap();
    create_script(md, d, &DdlOptions::default()).map(|s| s.into_string())
}

const DIALECTS: [&str; 4] = ["postgresql", "sqlite", "mysql", "mariadb"];

/// The naming error of `md` on `d`, or `None` if it has none.
fn naming_error(md: &MetaData, d: &str) -> Option<NamingError> {
    match script(md, d) {
        Ok(_) => None,
        Err(DdlError::Naming(e)) => Some(e),
        Err(e) => panic!("{d}: {e}"),
    }
}

#[test]
fn names_that_differ_by_case_collide_where_the_server_ignores_case() {
    let indexes = r#"
[[tables]]
name = "t"
columns = [ { name = "a", type = "integer" }, { name = "b", type = "integer" } ]
indexes = [ { columns = ["a"], name = "IX_a" }, { columns = ["b"], name = "ix_a" } ]
"#;
    let foreign_keys = r#"
[[tables]]
name = "p"
columns = [ { name = "id", type = "integer", primary_key = true } ]
[[tables]]
name = "c1"
columns = [ { name = "x", type = "integer" } ]
foreign_keys = [ { columns = ["x"], references = "p", name = "FK_x" } ]
[[tables]]
name = "c2"
columns = [ { name = "x", type = "integer" } ]
foreign_keys = [ { columns = ["x"], references = "p", name = "fk_x" } ]
"#;
    let tables = r#"
[[tables]]
name = "Users"
columns = [ { name = "id", type = "integer" } ]
[[tables]]
name = "users"
columns = [ { name = "id", type = "integer" } ]
"#;
    let columns = r#"
[[tables]]
name = "t"
columns = [ { name = "Id", type = "integer" }, { name = "id", type = "integer" } ]
"#;
    let unicode = r#"
[[tables]]
name = "t"
columns = [ { name = "a", type = "integer" }, { name = "b", type = "integer" } ]
indexes = [ { columns = ["a"], name = "ix_É" }, { columns = ["b"], name = "ix_é" } ]
"#;
    // (document, dialects where the two names are one)
    let cases = [
        (indexes, &["sqlite", "mysql", "mariadb"][..]),
        (foreign_keys, &["mysql", "mariadb"][..]),
        (tables, &["sqlite", "mysql", "mariadb"][..]),
        (columns, &["sqlite", "mysql", "mariadb"][..]),
        (unicode, &["mysql", "mariadb"][..]),
    ];
    for (doc, collide) in cases {
        let md = load(doc);
        for d in DIALECTS {
            let e = naming_error(&md, d);
            if !collide.contains(&d) {
                assert!(e.is_none(), "{d}: {e:?}\n{doc}");
                continue;
            }
            let Some(e) = e else {
                panic!("{d}: no collision\n{doc}")
            };
            let msg = e.to_string();
            assert!(
                matches!(
                    e,
                    NamingError::Collision { .. } | NamingError::ColumnCollision { .. }
                ),
                "{d}: {msg}"
            );
            assert!(msg.contains("case"), "{d}: {msg}");
        }
    }
    let e = naming_error(&load(indexes), "mariadb").unwrap();
    assert_eq!(
        e.to_string(),
        "name collision on mariadb: \"IX_a\" names the index on table \"t\" (a) and \"ix_a\" the \
         index on table \"t\" (b), which are one name there (names of uq/ix must differ within a \
         table, names compared without regard to case); change a template or an explicit name"
    );
    let e = naming_error(&load(tables), "sqlite").unwrap();
    assert!(
        e.to_string()
            .contains("\"Users\" names the table \"Users\" and \"users\" the table \"users\""),
        "{e}"
    );
    let e = naming_error(&load(columns), "mysql").unwrap();
    assert_eq!(
        e.to_string(),
        "columns \"Id\" and \"id\" of table \"t\" are one column on mysql, which compares column \
         names without regard to case; rename one"
    );
}
