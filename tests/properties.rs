//! Property tests: random documents with hostile identifiers, random
//! constraints and random templates never panic when loaded and named;
//! every final name fits its dialect's limit, and `final_names` reports
//! collisions instead of returning duplicate names within a namespace.

#![allow(clippy::result_large_err)]

use std::collections::HashSet;

use nomenclator::ddl::{sort_tables_and_constraints, table_order};
use nomenclator::dialect::by_name;
use nomenclator::document::{load_str, Format, LoadOptions};
use nomenclator::naming::{final_names, LengthUnit, NameRules, NamingError, Template};
use nomenclator::{Column, ForeignKey, IdentifierLimit, Kind, MetaData, Table, TableRef};
use proptest::prelude::*;
use serde_json::{json, Value};

/// Pieces identifiers are made of: quotes, backticks, brackets, spaces,
/// reserved words, unicode (multi-byte), template syntax.
const PIECES: &[&str] = &[
    "a",
    "b",
    "id",
    "user",
    "order",
    "select",
    "table",
    "\"",
    "'",
    "`",
    "[",
    "]",
    " ",
    "-",
    ".",
    "%",
    "%%",
    "(",
    ")s",
    "{",
    "}",
    "%(table_name)s",
    "é",
    "中文",
    "🎉",
    "ß",
    "\u{300}",
    "Ünïcödé",
    "_",
    "0",
    "9",
    "x_very_long_segment_of_identifier_",
    "\\",
    ";",
    "--",
    "/*",
    "ÿ",
    "DROP TABLE x",
    "$",
];

fn ident() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(PIECES), 1..8).prop_map(|v| v.concat())
}

/// Template pieces: tokens in both spellings, format specs, literals and broken syntax.
const TEMPLATE_PIECES: &[&str] = &[
    "%(table_name)s",
    "%(column_0_name)s",
    "%(column_1_name)s",
    "%(column_0_N_name)s",
    "%(column_0N_key)s",
    "%(column_0_label)s",
    "%(constraint_name)s",
    "%(referred_table_name)s",
    "%(referred_column_0_name)s",
    "{table_name}",
    "{table_name:.5}",
    "{column_0_name:>12}",
    "{column_0_N_label}",
    "%(table_name)-10s",
    "%(table_name).3s",
    "_",
    "x",
    "é",
    "%%",
    "{{",
    "}}",
    "%(",
    "{",
    "}",
    "%(nope)s",
    "%(column_99_name)s",
    "中",
];

fn template() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(TEMPLATE_PIECES), 1..6).prop_map(|v| v.concat())
}

fn columns_of(n: usize) -> impl Strategy<Value = Vec<usize>> {
    prop::collection::vec(0..n, 1..3)
}

#[derive(Debug, Clone)]
struct TableSpec {
    name: String,
    schema: Option<String>,
    columns: Vec<String>,
    uniques: Vec<Vec<usize>>,
    indexes: Vec<(Vec<usize>, Option<String>)>,
    checks: Vec<Option<String>>,
    fks: Vec<(usize, usize)>,
    flags: Vec<(bool, bool)>,
}

fn table() -> impl Strategy<Value = TableSpec> {
    (
        ident(),
        prop::option::weighted(0.2, ident()),
        prop::collection::vec(ident(), 1..5),
    )
        .prop_flat_map(|(name, schema, cols)| {
            let n = cols.len();
            (
                Just(name),
                Just(schema),
                Just(cols),
                prop::collection::vec(columns_of(n), 0..3),
                prop::collection::vec((columns_of(n), prop::option::weighted(0.3, ident())), 0..3),
                prop::collection::vec(prop::option::weighted(0.7, ident()), 0..2),
                prop::collection::vec((0..n, 0..8usize), 0..3),
                prop::collection::vec(
                    (prop::bool::weighted(0.2), prop::bool::weighted(0.2)),
                    n..=n,
                ),
            )
                .prop_map(
                    |(name, schema, columns, uniques, indexes, checks, fks, flags)| TableSpec {
                        name,
                        schema,
                        columns,
                        uniques,
                        indexes,
                        checks,
                        fks,
                        flags,
                    },
                )
        })
}

fn document(
    tables: &[TableSpec],
    conventions: Option<&str>,
    templates: &[(String, String)],
) -> Value {
    let mut out = Vec::new();
    let mut names: Vec<String> = Vec::new();
    for (i, t) in tables.iter().enumerate() {
        // Distinct tables and columns, so that most documents load and get named.
        let name = format!("{}{i}", t.name);
        let cols: Vec<String> = t
            .columns
            .iter()
            .enumerate()
            .map(|(j, c)| format!("{c}{j}"))
            .collect();
        let col = |k: &usize| cols[*k].clone();
        let mut columns = vec![json!({ "name": cols[0], "type": "integer", "primary_key": true })];
        for (j, c) in cols.iter().enumerate().skip(1) {
            let (unique, index) = t.flags[j];
            columns.push(
                json!({ "name": c, "type": "varchar(20)", "unique": unique, "index": index }),
            );
        }
        let fks: Vec<Value> = t
            .fks
            .iter()
            .filter(|_| i > 0)
            .map(|(c, target)| json!({ "columns": [col(c)], "references": names[target % i] }))
            .collect();
        let uniques: Vec<Value> = t
            .uniques
            .iter()
            .map(|cs| json!({ "columns": cs.iter().map(col).collect::<Vec<_>>() }))
            .collect();
        let indexes: Vec<Value> = t
            .indexes
            .iter()
            .map(|(cs, n)| json!({ "columns": cs.iter().map(col).collect::<Vec<_>>(), "name": n }))
            .collect();
        let checks: Vec<Value> = t
            .checks
            .iter()
            .map(|n| json!({ "sql": "1 = 1", "name": n }))
            .collect();
        let mut tj = json!({ "name": name, "columns": columns, "foreign_keys": fks, "uniques": uniques, "indexes": indexes, "checks": checks });
        // Foreign keys refer to unqualified names, so only tables without
        // a schema can be referred to; schemas go on the last table only.
        if i + 1 == tables.len() {
            if let Some(s) = &t.schema {
                tj["schema"] = json!(s);
            }
        }
        names.push(name);
        out.push(tj);
    }
    let mut doc = json!({ "tables": out });
    strip_nulls(&mut doc);
    if let Some(c) = conventions {
        doc["conventions"] = json!(c);
    }
    if !templates.is_empty() {
        doc["naming_convention"] = templates
            .iter()
            .map(|(k, t)| (k.clone(), json!(t)))
            .collect::<serde_json::Map<_, _>>()
            .into();
    }
    doc
}

/// Removes `null` members (TOML has no null; an absent key means the same).
fn strip_nulls(v: &mut Value) {
    match v {
        Value::Object(m) => {
            m.retain(|_, x| !x.is_null());
            m.values_mut().for_each(strip_nulls);
        }
        Value::Array(a) => a.iter_mut().for_each(strip_nulls),
        _ => {}
    }
}

fn load(doc: &Value, format: Format) -> Option<MetaData> {
    let text = match format {
        Format::Json => doc.to_string(),
        Format::Toml => toml::to_string(doc).expect("no nulls left"),
    };
    let mut plugins = nomenclator::Plugins::new();
    for p in nomenclator_native::NativePlugin::all() {
        plugins.register(p);
    }
    let options = LoadOptions::new()
        .format(format)
        .name("prop")
        .plugins(plugins);
    load_str(&text, &options).ok()
}

/// Checks the invariants of `final_names` for one dialect and limit.
fn check_names(md: &MetaData, rules: &NameRules) -> Result<(), TestCaseError> {
    match final_names(md, rules) {
        Ok(named) => {
            let mut per_table: HashSet<(Option<String>, String, String)> = HashSet::new();
            let mut per_schema: HashSet<(Option<String>, String)> = HashSet::new();
            let default_schema = rules.namespaces.default_schema.map(str::to_owned);
            if rules.namespaces.tables_in_schema_namespace {
                for t in md.tables() {
                    per_schema.insert((
                        t.schema().map(str::to_owned).or(default_schema.clone()),
                        t.name().to_owned(),
                    ));
                }
            }
            for o in &named {
                let Some(name) = &o.name else {
                    prop_assert!(
                        o.kind != Kind::Index,
                        "an index without a name was returned: {o:?}"
                    );
                    continue;
                };
                prop_assert!(
                    rules.limit.fits(name),
                    "{name:?} does not fit {:?} on {}",
                    rules.limit,
                    rules.dialect
                );
                if rules.limit.unit == LengthUnit::Bytes {
                    if let Some(max) = rules.limit.max {
                        prop_assert!(name.len() <= max);
                    }
                }
                if rules.namespaces.per_table.contains(&o.kind) {
                    prop_assert!(
                        per_table.insert((o.schema.clone(), o.table.clone(), name.clone())),
                        "duplicate {name:?} in table {} on {}",
                        o.table,
                        rules.dialect
                    );
                }
                if rules.namespaces.per_schema.contains(&o.kind) {
                    let s = o.schema.clone().or(default_schema.clone());
                    prop_assert!(
                        per_schema.insert((s, name.clone())),
                        "duplicate {name:?} in a schema on {}",
                        rules.dialect
                    );
                }
            }
        }
        Err(NamingError::Collision {
            name,
            first,
            second,
            ..
        }) => {
            // Two objects of the same table (or the same schema) really share the name.
            prop_assert!(!name.is_empty());
            let schema = |t: &nomenclator::TableRef| {
                t.schema
                    .clone()
                    .or(rules.namespaces.default_schema.map(str::to_owned))
            };
            prop_assert!(
                first.table == second.table || schema(&first.table) == schema(&second.table),
                "{first:?} / {second:?}"
            );
        }
        Err(NamingError::TooLong { name, .. }) => prop_assert!(
            !rules.limit.fits(&name),
            "reported too long but fits: {name:?}"
        ),
        Err(_) => {}
    }
    Ok(())
}

/// `table_order` over the tables alone agrees with the metadata's own
/// sort, deferred foreign keys included.
fn check_table_order(md: &MetaData) -> Result<(), TestCaseError> {
    let tables: Vec<&Table> = md.tables().iter().collect();
    for can_alter in [true, false] {
        let Ok(sorted) = sort_tables_and_constraints(md, can_alter) else {
            prop_assert!(table_order(&tables, can_alter).is_err());
            continue;
        };
        let order = table_order(&tables, can_alter).expect("sorts where the metadata sorts");
        let refs: Vec<TableRef> = order.tables.iter().map(|&i| tables[i].key()).collect();
        prop_assert_eq!(refs, sorted.tables);
        let deferred: Vec<(TableRef, usize)> = order
            .deferred
            .iter()
            .map(|&(t, c)| (tables[t].key(), c))
            .collect();
        let expected: Vec<(TableRef, usize)> = sorted
            .deferred
            .iter()
            .map(|d| (d.table.clone(), d.constraint))
            .collect();
        prop_assert_eq!(deferred, expected);
    }
    Ok(())
}

#[test]
fn table_order_breaks_a_cycle_as_the_metadata_sort_does() {
    let mut md = MetaData::without_convention();
    for (name, next) in [("a", "b"), ("b", "c"), ("c", "a"), ("d", "a")] {
        md.add_table(
            Table::new(name)
                .column(Column::new("id", "integer").primary_key())
                .column(Column::new("next_id", "integer"))
                .constraint(ForeignKey::new(["next_id"], TableRef::new(None, next))),
        )
        .unwrap();
    }
    check_table_order(&md).unwrap();
    let tables: Vec<&Table> = md.tables().iter().collect();
    let order = table_order(&tables, true).unwrap();
    // The ring's three foreign keys are added after the tables; d's is not.
    assert_eq!(order.deferred.len(), 3);
    assert_eq!(order.tables.last(), Some(&3));
}

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: 64,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn random_documents_never_panic_and_names_fit(
        tables in prop::collection::vec(table(), 1..5),
        pack in prop::option::of(prop::sample::select(&["sqlalchemy", "postgresql", "mariadb", "mysql", "alembic-short"][..])),
        templates in prop::collection::vec((prop::sample::select(&["pk", "fk", "uq", "ck", "ix"][..]), template()), 0..4),
        max in prop::option::weighted(0.3, 8usize..40),
    ) {
        let templates: Vec<(String, String)> = templates.into_iter().map(|(k, t)| (k.to_owned(), t)).collect();
        let doc = document(&tables, pack, &templates);
        let json = load(&doc, Format::Json);
        let toml = load(&doc, Format::Toml);
        // Both syntaxes describe the same document: they agree on success.
        prop_assert_eq!(json.is_some(), toml.is_some());
        if let Some(md) = json {
            for dialect in ["postgresql", "mysql", "sqlite"] {
                let d = by_name(dialect).expect("dialect");
                check_names(&md, &d.name_rules(None))?;
                check_names(&md, &d.name_rules(max))?;
            }
            check_table_order(&md)?;
        }
    }

    /// A control character (but tab, line feed, carriage return) anywhere
    /// in any string is refused in both syntaxes, at that string's key
    /// path, with a line and column and without echoing it; any other text
    /// is never refused for its characters.
    #[test]
    fn control_characters_are_refused_at_their_place(
        field in prop::sample::select(TEXT_FIELDS),
        pieces in prop::collection::vec(prop::sample::select(TEXT_PIECES), 1..6),
    ) {
        let text = pieces.concat();
        let forbidden = text.chars().any(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r'));
        let doc = with_text(field, &text);
        for format in [Format::Json, Format::Toml] {
            let source = match format {
                Format::Json => doc.to_string(),
                Format::Toml => toml::to_string(&doc).expect("TOML"),
            };
            let loaded = load_str(&source, &LoadOptions::new().format(format).name("ctl"));
            match loaded {
                Err(e) if e.message.contains("control character") => {
                    prop_assert!(forbidden, "{format:?} {field} {text:?}: {e}");
                    prop_assert_eq!(e.place.path.as_deref(), Some(field));
                    prop_assert!(e.place.line_col.is_some(), "{}", e);
                    let shown = e.to_string();
                    prop_assert!(!shown.chars().any(|c| c.is_control() && c != '\n'), "{:?}", shown);
                }
                Err(e) => prop_assert!(!forbidden, "{format:?} {field} {text:?}: {e}"),
                Ok(_) => prop_assert!(!forbidden, "{format:?} {field} {text:?} loaded"),
            }
        }
    }

    #[test]
    fn random_templates_parse_or_fail_cleanly(t in template(), junk in "\\PC{0,40}") {
        for source in [t.as_str(), junk.as_str()] {
            if let Ok(parsed) = Template::parse(source) {
                prop_assert_eq!(parsed.source(), source);
            }
        }
    }

    #[test]
    fn shortening_fits_and_keeps_characters_whole(s in "\\PC{0,120}", max in 8usize..80) {
        for limit in [IdentifierLimit::bytes(max), IdentifierLimit::chars(max)] {
            let out = limit.shorten(&s);
            prop_assert!(limit.fits(&out), "{out:?} over {limit:?}");
            if limit.fits(&s) {
                prop_assert_eq!(&out, &s);
            } else {
                // A prefix of the original, `_`, four hex digits.
                let (prefix, suffix) = out.split_at(out.len() - 5);
                prop_assert!(s.starts_with(prefix));
                prop_assert!(suffix.starts_with('_') && suffix[1..].chars().all(|c| c.is_ascii_hexdigit()));
            }
        }
    }
}

/// Text with control characters of every kind (and look-alikes that are allowed).
const TEXT_PIECES: &[&str] = &[
    "a",
    " ",
    "\0",
    "\u{1}",
    "\t",
    "\n",
    "\r",
    "\u{1b}[31m",
    "\u{7f}",
    "\u{85}",
    "\u{9f}",
    "\u{a0}",
    "é",
    "\"",
    "\\",
    "'''",
    "\"\"\"",
    "[[tables]]",
    "#",
    "x",
];

/// Where a string goes in the document, and its key path.
const TEXT_FIELDS: &[&str] = &[
    "tables[0].name",
    "tables[0].comment",
    "tables[0].columns[0].name",
    "tables[0].columns[0].type",
    "tables[0].columns[0].default",
    "tables[0].columns[0].comment",
    "tables[0].columns[0].check",
    "tables[0].checks[0].sql",
    "tables[0].ddl[0].sql",
    "views[0].sql",
    "ddl[0].sql",
    "naming_convention.uq",
];

/// A small document with `text` at `field`.
fn with_text(field: &str, text: &str) -> Value {
    let mut doc = json!({
        "naming_convention": { "uq": "uq_%(table_name)s" },
        "tables": [{ "name": "t", "comment": "c", "columns": [{ "name": "id", "type": "integer", "default": "0", "comment": "c", "check": "id > 0" }],
                     "checks": [{ "name": "k", "sql": "1 = 1" }], "ddl": [{ "when": "after_create", "sql": "SELECT 1" }] },
                   { "name": "u", "columns": [{ "name": "id" }] }],
        "views": [{ "name": "v", "sql": "SELECT 1" }],
        "ddl": [{ "when": "after_create", "sql": "SELECT 2" }]
    });
    let mut at = &mut doc;
    for step in field.split('.') {
        let (key, index) = match step.split_once('[') {
            Some((k, i)) => (k, i.trim_end_matches(']').parse::<usize>().ok()),
            None => (step, None),
        };
        at = &mut at[key];
        if let Some(i) = index {
            at = &mut at[i];
        }
    }
    *at = json!(text);
    doc
}

/// A deterministic collision: `final_names` must report it, not return it.
#[test]
fn collisions_are_reported() {
    let doc = json!({
        "naming_convention": { "uq": "uq_%(table_name)s", "ix": "uq_%(table_name)s" },
        "tables": [{ "name": "t", "columns": [{ "name": "a" }, { "name": "b" }],
                     "uniques": [{ "columns": ["a"] }], "indexes": [{ "columns": ["b"] }] }]
    });
    let md = load(&doc, Format::Json).expect("loads");
    let pg = by_name("postgresql").unwrap().name_rules(None);
    assert!(matches!(
        final_names(&md, &pg),
        Err(NamingError::Collision { .. })
    ));
}
