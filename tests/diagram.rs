//! Entity–relationship diagrams (src/diagram): golden Mermaid, Graphviz and
//! SVG text of the bundled example and of hostile names, what the
//! relationships say (cardinality, identifying, deferred), limiting a
//! diagram to some tables, a migration's marks, and the SVG layout of a
//! large schema (no two boxes overlap).

#![allow(clippy::result_large_err)]

use nomenclator::ddl::DdlOptions;
use nomenclator::diagram::{Diagram, Mark};
use nomenclator::dialect::{self, Dialect, PostgreSql};
use nomenclator::diff::{diff, Schema};
use nomenclator::document::{load_path, load_str, Format, LoadOptions};
use nomenclator::reflect::{
    catalog_of, Catalog, CatalogColumn, CatalogForeignKey, CatalogKey, CatalogTable,
};
use nomenclator::MetaData;

fn shop() -> MetaData {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/shop.toml");
    load_path(std::path::Path::new(path), &LoadOptions::default()).unwrap()
}

fn doc(text: &str) -> MetaData {
    load_str(text, &LoadOptions::default().format(Format::Toml)).unwrap()
}

#[test]
fn shop_mermaid() {
    let d = Diagram::from_metadata(&shop(), &PostgreSql).unwrap();
    insta::assert_snapshot!("shop_mermaid", d.mermaid());
}

#[test]
fn shop_dot() {
    let d = Diagram::from_metadata(&shop(), &PostgreSql).unwrap();
    insta::assert_snapshot!("shop_dot", d.dot());
}

#[cfg(feature = "svg")]
#[test]
fn shop_svg() {
    let d = Diagram::from_metadata(&shop(), &PostgreSql).unwrap();
    let svg = d.svg();
    insta::assert_snapshot!("shop_svg", svg);
    assert_eq!(overlaps(&svg), Vec::<String>::new());
}

/// Names that break a careless writer: quotes, angle brackets, ampersands,
/// spaces, a schema, a table named like an entity id.
const HOSTILE: &str = r#"
conventions = "sqlalchemy"

[[tables]]
name = "t1"
  [[tables.columns]]
  name = "id"
  type = "integer"
  primary_key = true

[[tables]]
name = 'we"ird <b>&amp;'
schema = "s 1"
  [[tables.columns]]
  name = "id"
  type = "integer"
  primary_key = true
  [[tables.columns]]
  name = "Mixed Case"
  type = "varchar(40)"
  unique = true
  [[tables.columns]]
  name = 'x"y<z>'
  type = "numeric(10,2)"
  references = "t1.id"
  check = { sql = "\"x\" < 1 AND 'a' <> '&'", name = "odd" }

[[tables]]
name = "class"
  [[tables.columns]]
  name = "pk"
  type = "integer"
  primary_key = true
  [[tables.columns]]
  name = "end"
  type = "integer"
  references = "t1.id"
"#;

#[test]
fn hostile_names_are_escaped() {
    let d = Diagram::from_metadata(&doc(HOSTILE), &PostgreSql).unwrap();
    let m = d.mermaid();
    insta::assert_snapshot!("hostile_mermaid", m);
    // Mermaid: the odd table is an alias with its name as the label, and no
    // label or comment holds a double quote of its own.
    for line in m.lines() {
        assert!(line.matches('"').count() % 2 == 0, "{line}");
    }
    // A table named like a Mermaid keyword is an alias; a column named like
    // a key marker is followed by `_`, its name in the comment.
    assert!(m.contains("[\"class\"] {"), "{m}");
    assert!(m.contains("    integer pk_ PK \"pk pk_class\""), "{m}");
    let dot = d.dot();
    insta::assert_snapshot!("hostile_dot", dot);
    // In the HTML-like labels (a tooltip is a quoted string, where `<` is text).
    assert!(
        !dot.lines()
            .filter(|l| l.contains("label=<"))
            .any(|l| l.contains("<b>")),
        "{dot}"
    );
    assert!(dot.contains("&lt;b&gt;&amp;amp;"), "{dot}");
}

#[cfg(feature = "svg")]
#[test]
fn hostile_names_are_escaped_in_svg() {
    let d = Diagram::from_metadata(&doc(HOSTILE), &PostgreSql).unwrap();
    let svg = d.svg();
    assert!(!svg.contains("<b>"), "{svg}");
    assert!(svg.contains("we&quot;ird &lt;b&gt;&amp;amp;"), "{svg}");
    // Every element's text is between tags: no `<` other than a tag's.
    for piece in svg.split('<').skip(1) {
        let first = piece.chars().next().unwrap();
        assert!(
            first.is_ascii_alphabetic() || first == '/' || first == '!',
            "a stray `<` before {piece:?}"
        );
    }
}

const KEYS: &str = r#"
conventions = "sqlalchemy"

[[tables]]
name = "parent"
  [[tables.columns]]
  name = "id"
  type = "integer"
  primary_key = true

[[tables]]
name = "maybe"
  [[tables.columns]]
  name = "id"
  type = "integer"
  primary_key = true
  [[tables.columns]]
  name = "parent_id"
  type = "integer"
  references = "parent.id"

[[tables]]
name = "must"
  [[tables.columns]]
  name = "id"
  type = "integer"
  primary_key = true
  [[tables.columns]]
  name = "parent_id"
  type = "integer"
  nullable = false
  references = "parent.id"

[[tables]]
name = "extra"
  [[tables.columns]]
  name = "parent_id"
  type = "integer"
  primary_key = true
  references = "parent.id"

[[tables]]
name = "line"
  [[tables.columns]]
  name = "parent_id"
  type = "integer"
  references = "parent.id"
  nullable = false
  [[tables.columns]]
  name = "n"
  type = "integer"
  nullable = false
  [tables.primary_key]
  columns = ["parent_id", "n"]
"#;

#[test]
fn relationships_say_their_cardinality() {
    let m = Diagram::from_metadata(&doc(KEYS), &PostgreSql)
        .unwrap()
        .mermaid();
    // A nullable key: zero or one parent; a NOT NULL one: exactly one.
    assert!(
        m.contains(r#"parent |o..o{ maybe : "fk_maybe_parent_id_parent""#),
        "{m}"
    );
    assert!(
        m.contains(r#"parent ||..o{ must : "fk_must_parent_id_parent""#),
        "{m}"
    );
    // The key is the primary key: one to zero-or-one, identifying.
    assert!(
        m.contains(r#"parent ||--o| extra : "fk_extra_parent_id_parent""#),
        "{m}"
    );
    // Part of the primary key: identifying, one to many.
    assert!(
        m.contains(r#"parent ||--o{ line : "fk_line_parent_id_parent""#),
        "{m}"
    );
    assert!(m.contains("integer parent_id PK, FK"), "{m}");
}

#[test]
fn deferred_keys_are_dashed() {
    let md = shop();
    let d = Diagram::from_metadata(&md, &PostgreSql).unwrap();
    let deferred: Vec<_> = d
        .links
        .iter()
        .filter(|l| l.deferred)
        .map(|l| l.name.clone().unwrap())
        .collect();
    // The use_alter key of the customer → order → customer cycle.
    assert_eq!(deferred, ["fk_customer_last_order_id_order"]);
    let dot = d.dot();
    let dashed: Vec<&str> = dot.lines().filter(|l| l.contains("dashed")).collect();
    assert_eq!(dashed.len(), 1, "{dot}");
    assert!(
        dashed[0].contains("fk_customer_last_order_id_order"),
        "{dot}"
    );
    assert!(d
        .mermaid()
        .contains("\"fk_customer_last_order_id_order (deferred)\""));
}

fn table(name: &str, refs: &[&str]) -> CatalogTable {
    let mut t = CatalogTable {
        name: name.into(),
        columns: vec![CatalogColumn {
            name: "id".into(),
            ty: "integer".into(),
            ..CatalogColumn::default()
        }],
        primary_key: Some(CatalogKey {
            name: Some(format!("pk_{name}")),
            columns: vec!["id".into()],
        }),
        ..CatalogTable::default()
    };
    for r in refs {
        let col = format!("{r}_id");
        t.columns.push(CatalogColumn {
            name: col.clone(),
            ty: "integer".into(),
            nullable: true,
            ..CatalogColumn::default()
        });
        t.foreign_keys.push(CatalogForeignKey {
            name: Some(format!("fk_{name}_{r}")),
            columns: vec![col],
            referred_table: (*r).into(),
            referred_columns: vec!["id".into()],
            ..CatalogForeignKey::default()
        });
    }
    t
}

#[test]
fn a_catalog_cycle_defers_one_key_and_a_self_reference_none() {
    let catalog = Catalog {
        tables: vec![
            table("a", &["b"]),
            table("b", &["c"]),
            table("c", &["a"]),
            table("node", &["node"]),
        ],
        ..Catalog::default()
    };
    let d = Diagram::from_catalog(&catalog);
    let deferred: Vec<_> = d
        .links
        .iter()
        .filter(|l| l.deferred)
        .map(|l| l.name.clone().unwrap())
        .collect();
    assert_eq!(deferred, ["fk_c_a"]);
    assert_eq!(d.links.len(), 4);
}

#[test]
fn retain_keeps_matching_tables_and_their_keys() {
    let mut d = Diagram::from_metadata(&shop(), &PostgreSql).unwrap();
    d.retain(&[], &["order*".into()]).unwrap();
    let names: Vec<_> = d.entities.iter().map(|e| e.name.as_str()).collect();
    assert_eq!(names, ["order", "order_line"]);
    // Only the key between the two kept tables stays, with its ends renumbered.
    assert_eq!(d.links.len(), 1);
    assert_eq!((d.links[0].from, d.links[0].to), (1, 0));
    let mut d = Diagram::from_metadata(&doc(HOSTILE), &PostgreSql).unwrap();
    d.retain(&["s 1".into()], &[]).unwrap();
    assert_eq!(d.entities.len(), 1);
    let mut d = Diagram::from_metadata(&doc(HOSTILE), &PostgreSql).unwrap();
    d.retain(&[String::new()], &["t?".into()]).unwrap();
    assert_eq!(d.entities.len(), 1);
    assert_eq!(d.entities[0].name, "t1");
}

fn shop_v2() -> MetaData {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/diagram/shop_v2.toml"
    );
    load_path(std::path::Path::new(path), &LoadOptions::default()).unwrap()
}

fn migration_diagram(dialect: &dyn Dialect) -> Diagram {
    let (old_md, new_md) = (shop(), shop_v2());
    let options = DdlOptions::default();
    let mut old = Schema::from_metadata(&old_md, dialect, &options, None).unwrap();
    old.predict_server_names(dialect);
    let new = Schema::from_metadata(&new_md, dialect, &options, None).unwrap();
    let migration = diff(&old, &new, dialect).unwrap();
    Diagram::from_migration(
        &catalog_of(&old_md, dialect).unwrap(),
        &catalog_of(&new_md, dialect).unwrap(),
        &migration,
    )
}

#[test]
fn a_migration_marks_what_it_changes() {
    let d = migration_diagram(&PostgreSql);
    let mark = |t: &str| {
        d.entities
            .iter()
            .find(|e| e.name == t)
            .unwrap_or_else(|| panic!("{t} is drawn"))
            .mark
            .clone()
    };
    assert_eq!(mark("review"), Some(Mark::Added));
    assert_eq!(mark("article"), Some(Mark::Renamed("product".into())));
    assert_eq!(mark("order"), Some(Mark::Altered));
    assert_eq!(mark("customer"), Some(Mark::Altered));
    // organization is untouched: not drawn.
    assert!(d.entities.iter().all(|e| e.name != "organization"));
    let order = d.entities.iter().find(|e| e.name == "order").unwrap();
    let col = |n: &str| {
        order
            .columns
            .iter()
            .find(|c| c.name == n)
            .unwrap()
            .mark
            .clone()
    };
    assert_eq!(col("shipped_at"), Some(Mark::Added));
    assert_eq!(col("placed_at"), Some(Mark::Dropped));
    assert_eq!(col("status"), None);
    let line = d.entities.iter().find(|e| e.name == "order_line").unwrap();
    let ck = line
        .objects
        .iter()
        .find(|x| x.name == "ck_order_line_quantity_positive")
        .unwrap();
    assert_eq!(ck.mark, Some(Mark::Dropped));
    let fk = line
        .objects
        .iter()
        .find(|x| x.name == "fk_order_line_product_id_article")
        .unwrap();
    assert_eq!(
        fk.mark,
        Some(Mark::Renamed("fk_order_line_product_id_product".into()))
    );
    let dot = d.dot();
    insta::assert_snapshot!("migration_dot", dot);
    assert!(dot.contains("<S>placed_at</S>") || dot.contains("<S>− placed_at</S>"));
}

#[test]
fn a_migration_that_drops_a_table_draws_it_from_the_old_catalog() {
    let d = {
        let dialect = dialect::by_name("sqlite").unwrap();
        let (old_md, new_md) = (shop_v2(), shop());
        let options = DdlOptions::default();
        let old = Schema::from_metadata(&old_md, dialect, &options, None).unwrap();
        let new = Schema::from_metadata(&new_md, dialect, &options, None).unwrap();
        let migration = diff(&old, &new, dialect).unwrap();
        Diagram::from_migration(
            &catalog_of(&old_md, dialect).unwrap(),
            &catalog_of(&new_md, dialect).unwrap(),
            &migration,
        )
    };
    let review = d.entities.iter().find(|e| e.name == "review").unwrap();
    assert_eq!(review.mark, Some(Mark::Dropped));
    assert!(review.columns.iter().all(|c| c.mark == Some(Mark::Dropped)));
    assert_eq!(review.columns.len(), 3);
}

/// A schema of `n` tables, each referring to up to three earlier ones.
#[cfg(feature = "svg")]
fn many(n: usize) -> Catalog {
    let mut tables = Vec::new();
    let mut seed: u64 = 15;
    let mut next = move || {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (seed >> 33) as usize
    };
    for i in 0..n {
        let refs: Vec<String> = if i == 0 {
            Vec::new()
        } else {
            (0..1 + next() % 3)
                .map(|_| format!("table_{}", next() % i))
                .collect::<std::collections::BTreeSet<_>>()
                .into_iter()
                .collect()
        };
        let refs: Vec<&str> = refs.iter().map(String::as_str).collect();
        let mut t = table(&format!("table_{i}"), &refs);
        for k in 0..next() % 6 {
            t.columns.push(CatalogColumn {
                name: format!("column_with_a_name_{k}"),
                ty: "varchar(80)".into(),
                ..CatalogColumn::default()
            });
        }
        tables.push(t);
    }
    Catalog {
        tables,
        ..Catalog::default()
    }
}

/// The pairs of table boxes of an SVG diagram that overlap.
#[cfg(feature = "svg")]
fn overlaps(svg: &str) -> Vec<String> {
    let mut boxes: Vec<(f64, f64, f64, f64)> = Vec::new();
    for piece in svg.split("<g transform=\"translate(").skip(1) {
        let (xy, rest) = piece.split_once(")\">\n<rect width=\"").unwrap();
        let (x, y) = xy.split_once(',').unwrap();
        let (w, rest) = rest.split_once("\" height=\"").unwrap();
        let h = rest.split('"').next().unwrap();
        let f = |s: &str| s.parse::<f64>().unwrap();
        boxes.push((f(x), f(y), f(w), f(h)));
    }
    let mut out = Vec::new();
    for (i, a) in boxes.iter().enumerate() {
        for b in &boxes[i + 1..] {
            if a.0 < b.0 + b.2 && b.0 < a.0 + a.2 && a.1 < b.1 + b.3 && b.1 < a.1 + a.3 {
                out.push(format!("{a:?} and {b:?}"));
            }
        }
    }
    out
}

/// The straight pieces of the keys' paths (`L` after a point: across a
/// layer, or out of a box's side) that run through a table's box.
#[cfg(feature = "svg")]
fn keys_through_boxes(svg: &str) -> Vec<String> {
    let mut boxes: Vec<(f64, f64, f64, f64)> = Vec::new();
    for piece in svg.split("<g transform=\"translate(").skip(1) {
        let (xy, rest) = piece.split_once(")\">\n<rect width=\"").unwrap();
        let (x, y) = xy.split_once(',').unwrap();
        let (w, rest) = rest.split_once("\" height=\"").unwrap();
        let h = rest.split('"').next().unwrap();
        let f = |s: &str| s.parse::<f64>().unwrap();
        boxes.push((f(x), f(y), f(w), f(h)));
    }
    let mut out = Vec::new();
    let mut straight = 0;
    let keys = svg.split_once("</defs>").unwrap().1;
    for d in keys.split("<path d=\"M").skip(1) {
        let d = d.split('"').next().unwrap();
        let mut tokens = d.split(' ');
        let point = |t: &str| {
            let (x, y) = t.trim_start_matches(['L', 'C']).split_once(',').unwrap();
            (x.parse::<f64>().unwrap(), y.parse::<f64>().unwrap())
        };
        let mut at = point(tokens.next().unwrap());
        let mut rest: Vec<&str> = tokens.collect();
        rest.reverse();
        while let Some(t) = rest.pop() {
            if t.starts_with('L') {
                let to = point(t);
                straight += 1;
                let (x0, x1) = (at.0.min(to.0), at.0.max(to.0));
                for b in &boxes {
                    let inside_y = b.1 < at.1 && at.1 < b.1 + b.3;
                    let inside_x = x0 < b.0 + b.2 - 0.5 && b.0 + 0.5 < x1;
                    if inside_y && inside_x {
                        out.push(format!("{at:?} to {to:?} crosses {b:?}"));
                    }
                }
                at = to;
            } else {
                // A curve: its two control points, then where it ends.
                rest.pop();
                at = point(rest.pop().unwrap());
            }
        }
    }
    assert!(
        straight > 0,
        "no straight pieces: is the path format read right?"
    );
    out
}

#[cfg(feature = "svg")]
#[test]
fn svg_keys_cross_layers_between_boxes() {
    for n in [50, 400] {
        let svg = Diagram::from_catalog(&many(n)).svg();
        assert_eq!(keys_through_boxes(&svg), Vec::<String>::new(), "{n} tables");
    }
}

#[cfg(feature = "svg")]
#[test]
fn svg_boxes_never_overlap() {
    for n in [1, 2, 50, 400] {
        let d = Diagram::from_catalog(&many(n));
        let svg = d.svg();
        assert_eq!(svg.matches("<g transform=").count(), n);
        assert_eq!(overlaps(&svg), Vec::<String>::new(), "{n} tables");
    }
    // An empty diagram is a picture too.
    assert!(Diagram::default().svg().starts_with("<svg"));
}
