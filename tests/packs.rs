//! Convention packs: built-ins, `extends` chains, errors, and how a
//! document's `conventions`, its inline `naming_convention` and
//! `LoadOptions::conventions` (the command line's `--conventions`) combine.

#![allow(clippy::result_large_err)]

use std::path::Path;

use nomenclator::document::{load_path, load_str, Format, LoadOptions};
use nomenclator::naming::{ConventionSet, Pack, PackError};
use nomenclator::{dialect, final_names, Kind, MetaData, NamingConvention, Plugins};

fn template(c: &NamingConvention, k: Kind) -> Option<String> {
    c.template(k).map(|t| t.source().to_owned())
}

fn build(specs: &[&str], base: Option<&Path>) -> Result<NamingConvention, PackError> {
    build_with(specs, base, &Plugins::new())
}

fn build_with(
    specs: &[&str],
    base: Option<&Path>,
    plugins: &Plugins,
) -> Result<NamingConvention, PackError> {
    let mut set = ConventionSet::new();
    for s in specs {
        set.add_pack(s, base)?;
    }
    Ok(set.build(plugins)?.0)
}

/// The plugins of the native packs (`postgresql`, `mariadb`, `mysql`).
fn native() -> Plugins {
    let mut plugins = Plugins::new();
    for p in nomenclator_native::NativePlugin::all() {
        plugins.register(p);
    }
    plugins
}

#[test]
fn builtin_packs_load() {
    let names: Vec<String> = Pack::builtin().into_iter().map(|p| p.name).collect();
    for n in [
        "sqlalchemy",
        "postgresql",
        "mariadb",
        "mysql",
        "sqlite",
        "alembic-short",
        "digest",
    ] {
        assert!(names.iter().any(|x| x == n), "{n} missing from {names:?}");
        let p = Pack::load(n, None).unwrap();
        assert_eq!(p.name, n);
        assert!(!p.description.is_empty());
    }
    let sa = build(&["sqlalchemy"], None).unwrap();
    assert_eq!(
        template(&sa, Kind::Index).as_deref(),
        Some("ix_%(column_0_label)s")
    );
    assert_eq!(
        template(&sa, Kind::Unique).as_deref(),
        Some("uq_%(table_name)s_%(column_0_name)s")
    );
    assert_eq!(
        template(&sa, Kind::Check).as_deref(),
        Some("ck_%(table_name)s_%(constraint_name)s")
    );
    assert_eq!(
        template(&sa, Kind::ForeignKey).as_deref(),
        Some("fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s")
    );
    assert_eq!(
        template(&sa, Kind::PrimaryKey).as_deref(),
        Some("pk_%(table_name)s")
    );
    // The native packs name through their plugin: every template is empty,
    // so that none names anything, and the pack cannot be used without it.
    for (pack, plugin) in [
        ("postgresql", "postgresql-native"),
        ("mariadb", "mariadb-native"),
        ("mysql", "mysql-native"),
    ] {
        assert_eq!(Pack::load(pack, None).unwrap().plugins, [plugin]);
        let c = build_with(&[pack], None, &native()).unwrap();
        for k in Kind::ALL {
            assert_eq!(template(&c, k).as_deref(), Some(""), "{pack} {k:?}");
        }
        match build(&[pack], None) {
            Err(PackError::MissingPlugin { plugin: p, .. }) => assert_eq!(p, plugin),
            other => panic!("{pack} without its plugin: {other:?}"),
        }
    }
    // The sqlite pack names nothing and needs no plugin.
    let lite = build(&["sqlite"], None).unwrap();
    for k in Kind::ALL {
        assert_eq!(template(&lite, k).as_deref(), Some(""), "sqlite {k:?}");
    }
    // alembic-short extends sqlalchemy: pk and ck come from it.
    let short = build(&["alembic-short"], None).unwrap();
    assert_eq!(
        template(&short, Kind::PrimaryKey).as_deref(),
        Some("pk_%(table_name)s")
    );
    assert_eq!(
        template(&short, Kind::Check).as_deref(),
        Some("ck_%(table_name)s_%(constraint_name)s")
    );
    assert_eq!(
        template(&short, Kind::Unique).as_deref(),
        Some("uq_%(table_name)s_%(column_0_N_name)s")
    );
}

#[test]
fn the_digest_pack_needs_its_plugins() {
    let mut set = ConventionSet::new();
    set.add_pack("digest", None).unwrap();
    let Err(err) = set.build(&Plugins::new()) else {
        panic!("built without its plugins")
    };
    assert!(
        matches!(&err, PackError::MissingPlugin { plugin, .. } if plugin == "digest"),
        "{err:?}"
    );
    let shown = err.to_string();
    assert!(
        shown.contains("\"digest\"") && shown.contains("not registered") && shown.contains("none"),
        "{shown}"
    );
}

fn write(dir: &Path, rel: &str, text: &str) -> std::path::PathBuf {
    let p = dir.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(&p, text).unwrap();
    p
}

#[test]
fn extends_chains_with_relative_paths() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "base/base.toml",
        "name = \"base\"\nextends = \"sqlalchemy\"\n[naming_convention]\npk = \"base_pk_%(table_name)s\"\nuq = \"base_uq_%(column_0_name)s\"\n",
    );
    // Relative to the pack's own folder, not the working directory.
    write(
        dir.path(),
        "team/mid.toml",
        "name = \"mid\"\nextends = \"../base/base.toml\"\n[naming_convention]\nuq = \"mid_uq_%(column_0_name)s\"\n",
    );
    let leaf = write(
        dir.path(),
        "team/sub/leaf.toml",
        "name = \"leaf\"\nextends = \"../mid.toml\"\n[naming_convention]\nix = \"leaf_ix_%(column_0_name)s\"\n",
    );
    let c = build(&[leaf.to_str().unwrap()], None).unwrap();
    assert_eq!(
        template(&c, Kind::Index).as_deref(),
        Some("leaf_ix_%(column_0_name)s")
    );
    assert_eq!(
        template(&c, Kind::Unique).as_deref(),
        Some("mid_uq_%(column_0_name)s")
    );
    assert_eq!(
        template(&c, Kind::PrimaryKey).as_deref(),
        Some("base_pk_%(table_name)s")
    );
    // From sqlalchemy, at the root of the chain.
    assert_eq!(
        template(&c, Kind::ForeignKey).as_deref(),
        Some("fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s")
    );
    // The same pack by a path relative to a base directory.
    let c = build(&["sub/leaf.toml"], Some(&dir.path().join("team"))).unwrap();
    assert_eq!(
        template(&c, Kind::Unique).as_deref(),
        Some("mid_uq_%(column_0_name)s")
    );
}

#[test]
fn an_extends_cycle_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let a = write(dir.path(), "a.toml", "name = \"a\"\nextends = \"b.toml\"\n");
    write(
        dir.path(),
        "b.toml",
        "name = \"b\"\nextends = \"./a.toml\"\n",
    );
    let err = build(&[a.to_str().unwrap()], None).unwrap_err();
    assert!(matches!(err, PackError::ExtendsCycle { .. }), "{err:?}");
    let shown = err.to_string();
    assert!(
        shown.contains("cycle") && shown.contains("a.toml") && shown.contains("b.toml"),
        "{shown}"
    );
    // A pack extending itself.
    let s = write(
        dir.path(),
        "self.toml",
        "name = \"self\"\nextends = \"self.toml\"\n",
    );
    assert!(matches!(
        build(&[s.to_str().unwrap()], None),
        Err(PackError::ExtendsCycle { .. })
    ));
}

#[test]
fn pack_file_errors_name_the_file() {
    let dir = tempfile::tempdir().unwrap();
    // unknown convention key
    let p = write(
        dir.path(),
        "badkey.toml",
        "name = \"x\"\n[naming_convention]\nzz = \"zz_%(table_name)s\"\n",
    );
    let err = build(&[p.to_str().unwrap()], None).unwrap_err();
    assert!(
        matches!(&err, PackError::UnknownKey { key, .. } if key == "zz"),
        "{err:?}"
    );
    let shown = err.to_string();
    assert!(
        shown.contains("badkey.toml") && shown.contains("zz"),
        "{shown}"
    );
    // unknown top-level key: line and column
    let p = write(
        dir.path(),
        "extra.toml",
        "name = \"x\"\nextend = \"sqlalchemy\"\n",
    );
    let err = build(&[p.to_str().unwrap()], None).unwrap_err();
    match &err {
        PackError::Parse {
            origin,
            line,
            message,
            ..
        } => {
            assert!(origin.ends_with("extra.toml"), "{origin}");
            assert_eq!(*line, 2);
            assert!(message.contains("extend"), "{message}");
        }
        other => panic!("expected a parse error, got {other:?}"),
    }
    // TOML syntax error: file:line:col
    let p = write(
        dir.path(),
        "syntax.toml",
        "name = \"x\"\n[naming_convention]\npk = \"pk_%(table_name)s\nuq = 1\n",
    );
    let err = build(&[p.to_str().unwrap()], None).unwrap_err();
    let shown = err.to_string();
    match &err {
        PackError::Parse { line, column, .. } => {
            assert_eq!(*line, 3, "{shown}");
            assert!(*column > 1, "{shown}");
            assert!(
                shown.contains(&format!("syntax.toml:3:{column}")),
                "{shown}"
            );
        }
        other => panic!("expected a parse error, got {other:?}"),
    }
    // a template that does not parse names the file and the key
    let p = write(
        dir.path(),
        "tmpl.toml",
        "name = \"x\"\n[naming_convention]\nfk = \"fk_%(table_name\"\n",
    );
    let shown = build(&[p.to_str().unwrap()], None).unwrap_err().to_string();
    assert!(
        shown.contains("tmpl.toml") && shown.contains("key fk") && shown.contains("position 3"),
        "{shown}"
    );
    // an unknown token names the file, key and token
    let p = write(
        dir.path(),
        "tok.toml",
        "name = \"x\"\n[naming_convention]\nuq = \"uq_%(colum_0_name)s\"\n",
    );
    let shown = build(&[p.to_str().unwrap()], None).unwrap_err().to_string();
    assert!(
        shown.contains("tok.toml") && shown.contains("uq") && shown.contains("colum_0_name"),
        "{shown}"
    );
    // a missing file
    let shown = build(&[dir.path().join("nope.toml").to_str().unwrap()], None)
        .unwrap_err()
        .to_string();
    assert!(shown.contains("nope.toml"), "{shown}");
}

#[test]
fn unknown_builtin_pack() {
    let err = build(&["sqlalchemyy"], None).unwrap_err();
    assert!(matches!(&err, PackError::UnknownPack { name, .. } if name == "sqlalchemyy"));
    let shown = err.to_string();
    assert!(
        shown.contains("sqlalchemyy") && shown.contains("sqlalchemy, postgresql"),
        "{shown}"
    );
}

const TABLES: &str = r#"
[[tables]]
name = "t"
[[tables.columns]]
name = "id"
type = "integer"
primary_key = true
[[tables.columns]]
name = "email"
type = "text"
unique = true
index = false
[[tables.columns]]
name = "code"
type = "text"
index = true
"#;

/// `kind → name` of the document's objects on SQLite.
fn doc_names(md: &MetaData) -> Vec<(Kind, Option<String>)> {
    let r = dialect::by_name("sqlite").unwrap().name_rules(None);
    final_names(md, &r)
        .unwrap()
        .into_iter()
        .map(|o| (o.kind, o.name))
        .collect()
}

fn load(
    head: &str,
    base: &Path,
    options: &LoadOptions,
) -> Result<MetaData, nomenclator::document::DocumentError> {
    let text = format!("{head}\n{TABLES}");
    let path = base.join("doc.toml");
    std::fs::write(&path, text).unwrap();
    load_path(&path, options)
}

fn s(v: &str) -> Option<String> {
    Some(v.to_owned())
}

#[test]
fn document_conventions_and_inline_combine() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "packs/uq.toml",
        "name = \"uq-only\"\n[naming_convention]\nuq = \"my_uq_%(column_0_name)s\"\n",
    );
    let none = LoadOptions::default().plugins(native());
    // No conventions at all: SQLAlchemy's default, ix only.
    let md = load("", dir.path(), &none).unwrap();
    assert_eq!(
        doc_names(&md),
        [
            (Kind::PrimaryKey, None),
            (Kind::Unique, None),
            (Kind::Index, s("ix_t_code"))
        ]
    );
    // One pack by name.
    let md = load("conventions = \"postgresql\"", dir.path(), &none).unwrap();
    assert_eq!(
        doc_names(&md),
        [
            (Kind::PrimaryKey, s("t_pkey")),
            (Kind::Unique, s("t_email_key")),
            (Kind::Index, s("t_code_idx"))
        ]
    );
    // Later packs override key by key; a relative path starts at the document's folder.
    let md = load(
        "conventions = [\"postgresql\", \"packs/uq.toml\"]",
        dir.path(),
        &none,
    )
    .unwrap();
    assert_eq!(
        doc_names(&md),
        [
            (Kind::PrimaryKey, s("t_pkey")),
            (Kind::Unique, s("my_uq_email")),
            (Kind::Index, s("t_code_idx"))
        ]
    );
    // Inline overrides the packs key by key.
    let md = load("conventions = [\"postgresql\", \"packs/uq.toml\"]\nnaming_convention = { pk = \"inline_pk_%(table_name)s\" }", dir.path(), &none)
        .unwrap();
    assert_eq!(
        doc_names(&md),
        [
            (Kind::PrimaryKey, s("inline_pk_t")),
            (Kind::Unique, s("my_uq_email")),
            (Kind::Index, s("t_code_idx"))
        ]
    );
    // Inline alone: only what it says applies (no implicit ix), so the index has no name.
    let md = load(
        "naming_convention = { pk = \"inline_pk_%(table_name)s\" }",
        dir.path(),
        &none,
    )
    .unwrap();
    let r = dialect::by_name("sqlite").unwrap().name_rules(None);
    assert!(
        final_names(&md, &r).is_err(),
        "an index with no template and no name"
    );
    assert_eq!(
        md.table("t").unwrap().primary_key().unwrap().name.as_str(),
        Some("inline_pk_t")
    );
}

#[test]
fn load_options_conventions_apply_after_the_documents_own() {
    // As implemented in src/document/load.rs: document packs, then inline
    // templates, then LoadOptions::conventions (the command line's
    // --conventions), each overriding key by key. So a --conventions pack
    // overrides even the document's inline templates for the keys it sets.
    let dir = tempfile::tempdir().unwrap();
    let pk = write(
        dir.path(),
        "cli/pk.toml",
        "name = \"cli-pk\"\n[naming_convention]\npk = \"cli_pk_%(table_name)s\"\n",
    );
    let options = LoadOptions::new()
        .conventions([pk.to_str().unwrap()])
        .plugins(native());
    let md = load(
        "conventions = \"postgresql\"\nnaming_convention = { pk = \"inline_pk_%(table_name)s\", uq = \"inline_uq_%(column_0_name)s\" }",
        dir.path(),
        &options,
    )
    .unwrap();
    assert_eq!(
        doc_names(&md),
        [
            (Kind::PrimaryKey, s("cli_pk_t")),
            (Kind::Unique, s("inline_uq_email")),
            (Kind::Index, s("t_code_idx"))
        ]
    );
    // A built-in pack by name, on a document with no conventions: the default ix is then gone.
    let options = LoadOptions::new().conventions(["sqlalchemy"]);
    let md = load("", dir.path(), &options).unwrap();
    assert_eq!(
        doc_names(&md),
        [
            (Kind::PrimaryKey, s("pk_t")),
            (Kind::Unique, s("uq_t_email")),
            (Kind::Index, s("ix_t_code"))
        ]
    );
    // An unknown --conventions pack says where it came from.
    let options = LoadOptions::new().conventions(["nope"]);
    let shown = load("", dir.path(), &options).unwrap_err().to_string();
    assert!(
        shown.contains("--conventions") && shown.contains("\"nope\""),
        "{shown}"
    );
}

#[test]
fn document_pack_errors() {
    let opts = LoadOptions::default();
    let err = load_str("conventions = [\"sqlalchemy\", \"nosuch\"]\n[[tables]]\nname = \"t\"\ncolumns = [{ name = \"a\" }]\n", &opts.clone().format(Format::Toml).name("d.toml"))
        .unwrap_err();
    assert_eq!(err.place.path.as_deref(), Some("conventions[1]"));
    assert_eq!(err.place.line_col.map(|l| l.0), Some(1));
    assert!(err.message.contains("nosuch"), "{err}");
    // Missing plugin: a clear error.
    let err = load_str(
        "conventions = \"digest\"\n[[tables]]\nname = \"t\"\ncolumns = [{ name = \"a\" }]\n",
        &opts.clone().format(Format::Toml).name("d.toml"),
    )
    .unwrap_err();
    let shown = err.to_string();
    assert!(shown.starts_with("d.toml"), "{shown}");
    assert!(
        shown.contains("plugin \"digest\"") && shown.contains("not registered"),
        "{shown}"
    );
    // Unknown inline key: the place is naming_convention.<key>, with line and column.
    let err = load_str("[naming_convention]\nfoo = \"x\"\n[[tables]]\nname = \"t\"\ncolumns = [{ name = \"a\" }]\n", &opts.clone().format(Format::Toml).name("d.toml"))
        .unwrap_err();
    assert_eq!(err.place.path.as_deref(), Some("naming_convention.foo"));
    assert_eq!(err.place.line_col, Some((2, 1)));
    // Bad inline template: the key and the position.
    let err = load_str("[naming_convention]\nuq = \"uq_%(table_name\"\n[[tables]]\nname = \"t\"\ncolumns = [{ name = \"a\" }]\n", &opts.clone().format(Format::Toml).name("d.toml"))
        .unwrap_err();
    assert_eq!(err.place.path.as_deref(), Some("naming_convention.uq"));
    assert!(err.message.contains("position 3"), "{err}");
}

#[test]
fn a_pack_of_plugins_only_says_nothing_of_names() {
    let mut set = ConventionSet::new();
    set.add_pack("boolean-checks", None).unwrap();
    set.add_pack("index-foreign-keys", None).unwrap();
    assert!(
        !set.is_specified(),
        "plugin packs replaced the default convention"
    );
    set.add_pack("sqlalchemy", None).unwrap();
    assert!(set.is_specified());
    // An inline convention, even empty, does say something.
    let mut set = ConventionSet::new();
    set.add_pack("enums", None).unwrap();
    set.add_inline(&Default::default(), "naming_convention")
        .unwrap();
    assert!(set.is_specified());
}
