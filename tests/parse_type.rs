//! `Dialect::parse_type`: each dialect reads back its own spelling of the
//! portable types, and what its server's catalog reports for them.

use nomenclator::dialect::{self, Dialect, MariaDb, MySql, PostgreSql, Sqlite};
use nomenclator::ColumnType::{self, *};

fn portable_types() -> Vec<ColumnType> {
    vec![
        Integer,
        BigInt,
        SmallInt,
        Varchar(None),
        Varchar(Some(40)),
        Text,
        Boolean,
        Numeric(None),
        Numeric(Some((10, 2))),
        Numeric(Some((5, 0))),
        Float,
        Date,
        Timestamp,
        Blob,
        Uuid,
        Json,
    ]
}

#[test]
fn every_dialect_reads_back_what_it_writes() {
    for d in dialect::all() {
        let mut read = 0;
        for t in portable_types() {
            // MySQL cannot write a varchar without a length.
            let Ok(sql) = d.type_sql(&t) else { continue };
            assert_eq!(d.parse_type(&sql), t, "{}: {sql}", d.name());
            assert_eq!(d.parse_type(&sql.to_lowercase()), t, "{}: {sql}", d.name());
            read += 1;
        }
        assert!(read >= 15, "{}: only {read} types written", d.name());
    }
}

fn check_table(d: &dyn Dialect, table: &[(&str, ColumnType)]) {
    for (text, want) in table {
        assert_eq!(&d.parse_type(text), want, "{}: {text:?}", d.name());
    }
}

#[test]
fn postgresql_reads_its_catalog() {
    check_table(
        &PostgreSql,
        &[
            ("character varying(40)", Varchar(Some(40))),
            ("character varying", Varchar(None)),
            ("varchar(12)", Varchar(Some(12))),
            ("integer", Integer),
            ("int4", Integer),
            ("bigint", BigInt),
            ("int8", BigInt),
            ("smallint", SmallInt),
            ("int2", SmallInt),
            ("boolean", Boolean),
            ("bool", Boolean),
            ("numeric(10,2)", Numeric(Some((10, 2)))),
            ("numeric", Numeric(None)),
            ("text", Text),
            ("timestamp without time zone", Timestamp),
            ("date", Date),
            ("double precision", Float),
            ("float8", Float),
            ("bytea", Blob),
            ("uuid", Uuid),
            ("json", Json),
            // Not the same types.
            ("jsonb", Other("jsonb".into())),
            ("real", Other("real".into())),
            (
                "timestamp with time zone",
                Other("timestamp with time zone".into()),
            ),
            (
                "timestamp(3) without time zone",
                Other("timestamp(3) without time zone".into()),
            ),
            ("character(32)", Other("character(32)".into())),
            ("blob", Other("blob".into())),
            ("datetime", Other("datetime".into())),
            ("integer[]", Other("integer[]".into())),
            ("public.mood", Other("public.mood".into())),
        ],
    );
}

#[test]
fn mysql_and_mariadb_read_their_catalogs() {
    for d in [&MySql as &dyn Dialect, &MariaDb] {
        mysql_table(d);
    }
}

fn mysql_table(d: &dyn Dialect) {
    check_table(
        d,
        &[
            ("int(11)", Integer),
            ("int", Integer),
            ("bigint(20)", BigInt),
            ("bigint", BigInt),
            ("smallint(6)", SmallInt),
            ("tinyint(1)", Boolean),
            ("varchar(40)", Varchar(Some(40))),
            ("decimal(10,2)", Numeric(Some((10, 2)))),
            ("decimal(10,0)", Numeric(Some((10, 0)))),
            ("double", Float),
            ("float", Float),
            ("datetime", Timestamp),
            ("date", Date),
            ("longtext", Text),
            ("text", Text),
            ("blob", Blob),
            ("longblob", Blob),
            ("char(32)", Uuid),
            ("json", Json),
            // MySQL's enumerations are the model's.
            (
                "enum('a','b')",
                Enum(Box::new(nomenclator::EnumType::new(["a", "b"]))),
            ),
            (
                "enum('it''s','b c')",
                Enum(Box::new(nomenclator::EnumType::new(["it's", "b c"]))),
            ),
            // Not the same types.
            ("int(10) unsigned", Other("int(10) unsigned".into())),
            ("int unsigned", Other("int unsigned".into())),
            ("tinyint(4)", Other("tinyint(4)".into())),
            ("tinyint", Other("tinyint".into())),
            ("timestamp", Other("timestamp".into())),
            ("datetime(6)", Other("datetime(6)".into())),
            ("char(36)", Other("char(36)".into())),
            ("mediumtext", Other("mediumtext".into())),
            ("bytea", Other("bytea".into())),
        ],
    );
}

#[test]
fn mariadb_json_is_longtext_with_a_check() {
    for (text, column, check, want) in [
        ("longtext", "data", "json_valid(`data`)", Some(Json)),
        ("LONGTEXT", "data", "(JSON_VALID(data))", Some(Json)),
        ("longtext", "we`ird", "json_valid(`we``ird`)", Some(Json)),
        ("longtext", "data", "json_valid(`other`)", None),
        ("longtext", "data", "char_length(`data`) > 0", None),
        ("text", "data", "json_valid(`data`)", None),
    ] {
        assert_eq!(
            MariaDb.parse_checked_type(text, column, check),
            want,
            "{text} {check}"
        );
    }
    // MySQL has a JSON type of its own: longtext with a check is text.
    for d in [&MySql as &dyn Dialect, &PostgreSql, &Sqlite] {
        assert_eq!(
            d.parse_checked_type("longtext", "data", "json_valid(`data`)"),
            None,
            "{}",
            d.name()
        );
    }
}

#[test]
fn sqlite_reads_declared_types() {
    check_table(
        &Sqlite,
        &[
            ("INTEGER", Integer),
            ("BIGINT", BigInt),
            ("SMALLINT", SmallInt),
            ("VARCHAR(40)", Varchar(Some(40))),
            ("VARCHAR", Varchar(None)),
            ("TEXT", Text),
            ("BOOLEAN", Boolean),
            ("NUMERIC(10, 2)", Numeric(Some((10, 2)))),
            ("NUMERIC", Numeric(None)),
            ("FLOAT", Float),
            ("DATE", Date),
            ("TIMESTAMP", Timestamp),
            ("BLOB", Blob),
            ("CHAR(32)", Uuid),
            ("JSON", Json),
            // Not the same types.
            ("INT", Other("INT".into())),
            ("", Other("".into())),
            ("VARCHAR(abc)", Other("VARCHAR(abc)".into())),
            ("NUMERIC(1, 2, 3)", Other("NUMERIC(1, 2, 3)".into())),
            ("DOUBLE PRECISION", Other("DOUBLE PRECISION".into())),
        ],
    );
}

#[test]
fn unknown_text_comes_back_unchanged() {
    for d in dialect::all() {
        for text in [
            "  Weird Type ",
            "geometry(Point, 4326)",
            "numeric(",
            "x)",
            "(1)",
        ] {
            assert_eq!(d.parse_type(text), Other(text.into()), "{}", d.name());
        }
        // Case and spacing of a known type do not matter.
        assert_eq!(d.parse_type("  Integer "), Integer, "{}", d.name());
    }
}

/// `ColumnType::parse`, the document's spelling: names in any case, spaces
/// around the type, its name and its numbers, anything else kept as written
/// (trimmed).
#[test]
fn portable_spelling_is_read_as_written_rules_say() {
    let cases: &[(&str, ColumnType)] = &[
        ("bigint", BigInt),
        ("BIGINT", BigInt),
        ("\t BigInt \n", BigInt),
        ("\u{a0}integer\u{2003}", Integer),
        ("varchar(80)", Varchar(Some(80))),
        ("VARCHAR ( 80 )", Varchar(Some(80))),
        ("varchar( +80 )", Varchar(Some(80))),
        ("varchar", Varchar(None)),
        ("numeric(12,2)", Numeric(Some((12, 2)))),
        ("numeric( 12 , 2 )", Numeric(Some((12, 2)))),
        ("numeric(12)", Numeric(Some((12, 0)))),
        ("timestamp", Timestamp),
        ("enum('a', 'b')", ColumnType::parse("ENUM('a','b')")),
    ];
    for (text, want) in cases {
        assert_eq!(&ColumnType::parse(text), want, "{text:?}");
    }
    let kept: &[(&str, &str)] = &[
        ("varchar(80, 2)", "varchar(80, 2)"),
        ("numeric(1,2,3)", "numeric(1,2,3)"),
        ("varchar(-1)", "varchar(-1)"),
        ("varchar(4294967296)", "varchar(4294967296)"),
        ("varchar(80", "varchar(80"),
        ("bigint(8)", "bigint(8)"),
        (" double precision ", "double precision"),
        ("integerinteger", "integerinteger"),
        (
            "a_type_name_longer_than_any_portable_one",
            "a_type_name_longer_than_any_portable_one",
        ),
        ("ínteger", "ínteger"),
        ("", ""),
    ];
    for (text, want) in kept {
        assert_eq!(ColumnType::parse(text), Other((*want).into()), "{text:?}");
    }
    assert!(matches!(
        ColumnType::parse("Enum('x', name = 'e')"),
        ColumnType::Enum(_)
    ));
}
