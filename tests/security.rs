//! Security and data (issue 11), offline: raw SQL that would end its
//! statement, SQLite schema names that are not file names, names that
//! differ only by case, and checks on MySQL's AUTO_INCREMENT column. The
//! same documents run against the live servers in `cli/tests/security_live.rs`.

#![allow(clippy::result_large_err)]

use nomenclator::ddl::{create_plan, create_script, DdlError, DdlOptions};
use nomenclator::dialect::{self, SqlPlace, SqlTextProblem};
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

fn plan_error(md: &MetaData, d: &str) -> DdlError {
    let d = dialect::by_name(d).unwrap();
    match create_plan(md, d, &DdlOptions::default()) {
        Ok(p) => panic!(
            "{}: expected an error, got\n{}",
            d.name(),
            p.script().unwrap()
        ),
        Err(e) => e,
    }
}

fn script(md: &MetaData, d: &str) -> Result<String, DdlError> {
    let d = dialect::by_name(d).unwrap();
    create_script(md, d, &DdlOptions::default()).map(|s| s.into_string())
}

const DIALECTS: [&str; 4] = ["postgresql", "sqlite", "mysql", "mariadb"];

/// A table `note` with `what` set to `hostile`.
fn note_with(what: &str, hostile: &str) -> String {
    let hostile = toml::Value::String(hostile.to_owned()).to_string();
    match what {
        "check" => format!(
            "[[tables]]\nname = \"note\"\ncolumns = [{{ name = \"v\", type = \"integer\" }}]\n\
             checks = [{{ sql = {hostile}, name = \"positive\" }}]\n"
        ),
        "column check" => format!(
            "[[tables]]\nname = \"note\"\ncolumns = [{{ name = \"v\", type = \"integer\", check = {hostile} }}]\n"
        ),
        "default" => format!(
            "[[tables]]\nname = \"note\"\ncolumns = [{{ name = \"v\", type = \"integer\", default = {hostile} }}]\n"
        ),
        "type" => format!(
            "[[tables]]\nname = \"note\"\ncolumns = [{{ name = \"v\", type = {hostile} }}]\n"
        ),
        "view" => format!(
            "[[tables]]\nname = \"note\"\ncolumns = [{{ name = \"v\", type = \"integer\" }}]\n\
             [[views]]\nname = \"notes\"\nsql = {hostile}\n"
        ),
        "custom" => format!(
            "[[tables]]\nname = \"note\"\ncolumns = [{{ name = \"v\", type = \"integer\" }}]\n\
             [[tables.ddl]]\nwhen = \"after_create\"\nsql = {hostile}\n"
        ),
        _ => unreachable!(),
    }
}

#[test]
fn raw_sql_that_ends_its_statement_is_refused_before_any_statement() {
    let cases = [
        ("check", "v > 0)); DROP TABLE precious; SELECT ((1"),
        ("column check", "v > 0)); DROP TABLE precious; SELECT ((1"),
        ("default", "0; DROP TABLE precious"),
        (
            "type",
            "integer); DROP TABLE precious; CREATE TABLE x (y int",
        ),
        ("view", "SELECT 1; DROP TABLE precious"),
        ("custom", "SELECT 1; DROP TABLE precious"),
        // A quote opened and not closed would swallow what nomenclator writes after it.
        ("check", "v <> 'x"),
        // So would a line comment at the end of a fragment.
        ("default", "0 -- zero"),
    ];
    for (what, hostile) in cases {
        let md = load(&note_with(what, hostile));
        for d in DIALECTS {
            let e = plan_error(&md, d);
            let DdlError::RawSql { sql, error, .. } = &e else {
                panic!("{what} on {d}: {e}");
            };
            assert_eq!(sql, hostile, "{what} on {d}");
            assert!(
                matches!(
                    error.problem,
                    SqlTextProblem::Separator
                        | SqlTextProblem::Unterminated(_)
                        | SqlTextProblem::OpenLineComment
                ),
                "{e}"
            );
            // The script refuses it too: nothing is printed.
            assert!(script(&md, d).is_err(), "{what} on {d}");
            let msg = e.to_string();
            assert!(msg.contains("note") || msg.contains("notes"), "{msg}");
            assert!(msg.contains(hostile), "{msg}");
        }
    }
    let md = load(&note_with(
        "check",
        "v > 0)); DROP TABLE precious; SELECT ((1",
    ));
    assert_eq!(
        plan_error(&md, "postgresql").to_string(),
        "check constraint \"positive\" of table \"note\": \
         the raw SQL \"v > 0)); DROP TABLE precious; SELECT ((1\" cannot be written into a statement: \
         a \";\" outside quotes and comments would end the statement there (at byte 7); raw SQL there \
         must be one expression (or type) that closes every quote and comment it opens"
    );
}

#[test]
fn raw_sql_with_semicolons_inside_quotes_and_bodies_is_one_statement() {
    for (what, sql) in [
        ("check", "v <> 0 OR v IS NULL -- ; not a separator\n"),
        ("default", "0"),
        ("view", "SELECT v FROM note WHERE v <> 0;"),
        ("custom", "GRANT SELECT ON %(table)s TO reader;"),
    ] {
        let md = load(&note_with(what, sql));
        for d in DIALECTS {
            script(&md, d).unwrap_or_else(|e| panic!("{what} on {d}: {e}"));
        }
    }
    // A trigger's body holds statements of its own.
    let trigger = "CREATE TRIGGER note_ai AFTER INSERT ON %(table)s BEGIN \
                   UPDATE note SET v = CASE WHEN v < 0 THEN 0 ELSE v END; END";
    let md = load(&note_with("custom", trigger));
    script(&md, "sqlite").unwrap();
    let md = load(&note_with("custom", "SELECT ';'; DROP TABLE precious"));
    assert!(script(&md, "sqlite").is_err());
}

#[test]
fn the_backslash_reading_is_both_ways_on_postgresql_and_mysql() {
    // Without backslash escapes the string closes at the second quote; with
    // them it runs on and the `;` is inside: one of the two readings ends the
    // statement, so the text is refused where a setting decides.
    let md = load(&note_with("check", r"v <> '\' ; '"));
    for d in ["postgresql", "mysql", "mariadb"] {
        let e = plan_error(&md, d);
        assert!(matches!(e, DdlError::RawSql { .. }), "{d}: {e}");
    }
    assert!(script(&md, "sqlite").is_err());
    let md = load(&note_with("check", r"v <> 'a\' OR v = ';'"));
    for d in ["postgresql", "mysql", "mariadb"] {
        let e = plan_error(&md, d);
        let DdlError::RawSql { error, .. } = &e else {
            panic!("{d}: {e}")
        };
        assert!(error.only_with_backslash_escapes, "{d}: {e}");
    }
    // SQLite never reads a backslash as an escape.
    script(&md, "sqlite").unwrap();
}

#[test]
fn comments_are_string_literals_that_no_setting_can_break() {
    let doc = r#"
[[tables]]
name = "note"
comment = "\\'; DROP TABLE precious; --"
columns = [ { name = "v", type = "integer", comment = "it's \\ back" } ]
"#;
    let md = load(doc);
    let pg = script(&md, "postgresql").unwrap();
    assert!(
        pg.contains("COMMENT ON TABLE note IS E'\\\\''; DROP TABLE precious; --';"),
        "{pg}"
    );
    assert!(
        pg.contains("COMMENT ON COLUMN note.v IS E'it''s \\\\ back';"),
        "{pg}"
    );
    let my = script(&md, "mysql").unwrap();
    assert!(
        my.contains("COMMENT='\\\\''; DROP TABLE precious; --'"),
        "{my}"
    );
    // Every statement of every dialect is one statement, read either way.
    for d in dialect::all() {
        let plan = create_plan(&md, d, &DdlOptions::default()).unwrap();
        for st in plan.statements() {
            let sql = d.to_sql(st).unwrap();
            let extent = d.check_sql(&sql, SqlPlace::Statement).unwrap();
            assert_eq!(extent.end, sql.len(), "{}: {sql}", d.name());
        }
    }
}

#[test]
fn sqlite_schemas_must_be_plain_file_names() {
    let mut refused = Vec::new();
    for schema in [
        "x/../../../escaped",
        "../up",
        "/tmp/abs",
        "a\\b",
        "C:evil",
        ".hidden",
        "a\u{0}b",
        "m?mode=rwc",
    ] {
        let doc = format!(
            "[[tables]]\nname = \"t\"\nschema = {}\ncolumns = [{{ name = \"id\", type = \"integer\" }}]\n",
            toml::Value::String(schema.to_owned())
        );
        let Ok(md) = load_str(
            &doc,
            &LoadOptions::new().format(Format::Toml).name("doc.toml"),
        ) else {
            // The loader may refuse some of them itself.
            continue;
        };
        let e = plan_error(&md, "sqlite");
        assert!(
            matches!(e, DdlError::SchemaNotAFileName { .. }),
            "{schema:?}: {e}"
        );
        assert!(e.to_string().contains("plain file name"), "{e}");
        refused.push(schema);
        // Elsewhere a schema is no file: the name is only quoted.
        for d in ["postgresql", "mysql"] {
            if let Err(e) = script(&md, d) {
                assert!(
                    !matches!(e, DdlError::SchemaNotAFileName { .. }),
                    "{d}: {e}"
                );
            }
        }
    }
    assert!(refused.len() >= 7, "{refused:?}");
    let md = load(
        "[[tables]]\nname = \"t\"\nschema = \"sales_2024\"\ncolumns = [{ name = \"id\", type = \"integer\" }]\n",
    );
    script(&md, "sqlite").unwrap();
}

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

#[test]
fn mysql_refuses_a_check_on_the_auto_increment_column_before_anything() {
    let doc = r#"
[[tables]]
name = "first"
columns = [ { name = "id", type = "integer", primary_key = true } ]
[[tables]]
name = "t"
columns = [ { name = "id", type = "integer", primary_key = true, check = "id > 0" } ]
"#;
    let table_level = r#"
[[tables]]
name = "t"
columns = [ { name = "id", type = "integer", primary_key = true }, { name = "v", type = "integer" } ]
checks = [ { sql = "v > 0 AND `ID` > 0", name = "sane" } ]
"#;
    for d in ["mysql", "mariadb"] {
        let e = plan_error(&load(doc), d);
        assert!(
            matches!(e, DdlError::CheckOnAutoIncrement { .. }),
            "{d}: {e}"
        );
        assert_eq!(
            e.to_string(),
            format!(
                "{d}: check constraint (id > 0) of table \"t\" refers to column \"id\", the table's \
                 AUTO_INCREMENT key, and {d} refuses a CHECK on an AUTO_INCREMENT column (MySQL error \
                 3818, MariaDB error 1901); remove the check, or make the key something other than a \
                 lone integer primary key"
            )
        );
        let e = plan_error(&load(table_level), d);
        assert!(e.to_string().contains("check constraint \"sane\""), "{e}");
    }
    for d in ["postgresql", "sqlite"] {
        script(&load(doc), d).unwrap();
        script(&load(table_level), d).unwrap();
    }
    // A check that does not mention the key, or a key that does not
    // auto-increment (a composite key), is fine.
    let fine = r#"
[[tables]]
name = "t"
columns = [ { name = "id", type = "integer", primary_key = true }, { name = "v", type = "integer", check = "v > 0 AND 'id' <> ''" } ]
[[tables]]
name = "u"
columns = [ { name = "a", type = "integer", primary_key = true, check = "a > 0" }, { name = "b", type = "integer", primary_key = true } ]
"#;
    for d in ["mysql", "mariadb"] {
        script(&load(fine), d).unwrap();
    }
}

/// MySQL and MariaDB refuse a check on a column whose foreign key changes
/// or deletes the row on its own (MySQL: any of CASCADE, SET NULL, SET
/// DEFAULT; MariaDB: SET NULL or SET DEFAULT on delete, any on update):
/// the plan says so before anything runs, as the server would half-way
/// through a migration.
#[test]
fn mysql_refuses_a_check_on_a_column_a_referential_action_changes() {
    let doc = |action: &str| {
        format!(
            r#"
[[tables]]
name = "p"
columns = [ {{ name = "id", type = "integer", primary_key = true }} ]
[[tables]]
name = "c"
columns = [ {{ name = "id", type = "integer", primary_key = true }}, {{ name = "pid", type = "integer", check = "pid > -5" }} ]
foreign_keys = [ {{ name = "fk_c_p", columns = ["pid"], references = "p", referred_columns = ["id"], {action} }} ]
"#
        )
    };
    let refused = |d: &str, action: &str| match script(&load(&doc(action)), d) {
        Ok(_) => false,
        Err(_) => {
            let e = plan_error(&load(&doc(action)), d);
            assert!(
                matches!(e, DdlError::CheckOnReferentialAction { .. }),
                "{d} {action}: {e}"
            );
            true
        }
    };
    let e = plan_error(&load(&doc(r#"on_delete = "set null""#)), "mariadb");
    assert_eq!(
        e.to_string(),
        "mariadb: check constraint (pid > -5) of table \"c\" refers to column \"pid\" of foreign key \
         \"fk_c_p\" (pid) with ON DELETE SET NULL, and mariadb refuses a CHECK on a column whose \
         foreign key has that action (MySQL error 3823, MariaDB error 1901); remove the check from \
         that column, or give the foreign key another action"
    );
    for (action, mysql, mariadb) in [
        (r#"on_delete = "cascade""#, true, false),
        (r#"on_delete = "set null""#, true, true),
        (r#"on_delete = "set default""#, true, true),
        (r#"on_delete = "restrict""#, false, false),
        (r#"on_update = "cascade""#, true, true),
        (r#"on_update = "no action""#, false, false),
    ] {
        assert_eq!(refused("mysql", action), mysql, "mysql {action}");
        assert_eq!(refused("mariadb", action), mariadb, "mariadb {action}");
        assert!(!refused("postgresql", action), "postgresql {action}");
        assert!(!refused("sqlite", action), "sqlite {action}");
    }
}
