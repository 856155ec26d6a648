//! `nomenclator ddl`, `nomenclator sort` and `nomenclator graph`.

use clap::{Args, ValueEnum};

use std::path::PathBuf;

use super::reflect::UrlArgs;
use super::{emit, emit_all, load, DialectArgs, DocArgs, Failure};
use nomenclator::ddl::{create_script, drop_script, sort_tables_and_constraints, DdlOptions};
use nomenclator::diagram::Diagram;
use nomenclator::dialect::Dialect;
use nomenclator::Plugins;

#[derive(Args, Debug)]
pub(crate) struct DdlArgs {
    #[command(flatten)]
    doc: DocArgs,
    #[command(flatten)]
    dialect: DialectArgs,
    /// Print the drop script instead of the create script.
    #[arg(long)]
    drop: bool,
    /// MySQL: the database of the tables without a schema (needed when a table in a schema refers to one).
    #[arg(long, value_name = "NAME")]
    database: Option<String>,
}

pub(crate) fn run_ddl(a: &DdlArgs, plugins: &Plugins) -> Result<(), Failure> {
    let md = load(&a.doc, plugins)?;
    let options = DdlOptions {
        max_identifier_length: a.dialect.max_identifier_length.map(usize::from),
        database: a.database.clone(),
        ..DdlOptions::default()
    };
    let d = a.dialect.dialect;
    let script = if a.drop {
        drop_script(&md, d, &options)
    } else {
        create_script(&md, d, &options)
    };
    let script = script.map_err(|e| Failure::new(format!("{}: {e}", a.doc.label())))?;
    emit_all(script.pieces())?;
    // Nothing is left to do but free the model and the script, piece by
    // piece: the operating system takes them back faster at exit.
    super::exit_success()
}

#[derive(Args, Debug)]
pub(crate) struct SortArgs {
    #[command(flatten)]
    doc: DocArgs,
    /// Show the order `ddl --dialect DIALECT` creates the tables in: postgresql (alias
    /// postgres), sqlite or mysql (mariadb: MySQL as MariaDB differs from it). SQLite cannot ALTER TABLE, so there foreign
    /// keys marked use_alter stay in the order. Default: the order of the dialects that can
    /// (postgresql, mysql).
    #[arg(long, value_parser = super::parse_dialect)]
    dialect: Option<&'static dyn nomenclator::dialect::Dialect>,
    /// Drop order instead of creation order.
    #[arg(long)]
    reverse: bool,
}

pub(crate) fn run_sort(a: &SortArgs, plugins: &Plugins) -> Result<(), Failure> {
    let md = load(&a.doc, plugins)?;
    let can_alter = a
        .dialect
        .is_none_or(|d| d.capabilities().alter_add_constraint);
    let sorted = sort_tables_and_constraints(&md, can_alter)
        .map_err(|e| Failure::new(format!("{}: {e}", a.doc.label())))?;
    let mut tables = sorted.tables;
    if a.reverse {
        tables.reverse();
    }
    let mut out = String::new();
    for t in tables {
        out.push_str(&t.to_string());
        out.push('\n');
    }
    emit(&out)
}

#[derive(Clone, Copy, Debug, ValueEnum)]
pub(crate) enum GraphFormat {
    /// Graphviz: record-shaped tables, foreign keys from column to column.
    Dot,
    /// A Mermaid `erDiagram`, which code hosts draw in Markdown.
    Mermaid,
    /// An SVG picture, laid out by nomenclator itself (needs nothing installed).
    Svg,
}

#[derive(Args, Debug)]
pub(crate) struct GraphArgs {
    /// The schema document (.toml or .json; `-` reads standard input); or give --url.
    #[arg(required_unless_present = "url", conflicts_with = "url")]
    file: Option<PathBuf>,
    /// Convention packs applied after the document's own (built-in name or path); repeatable.
    #[arg(long = "conventions", value_name = "PACK")]
    conventions: Vec<String>,
    #[command(flatten)]
    db: UrlArgs,
    /// For a document: the dialect whose names are drawn, postgresql (alias postgres), sqlite
    /// or mysql (mariadb: MySQL as MariaDB differs from it).
    #[arg(long, default_value = "sqlite", value_parser = super::parse_dialect)]
    dialect: &'static dyn Dialect,
    /// Draw only the tables whose name (or schema.name) matches PATTERN (`*` and `?`
    /// wildcards); repeatable.
    #[arg(long = "tables", value_name = "PATTERN")]
    tables: Vec<String>,
    /// Output format.
    #[arg(long, value_enum, default_value = "dot")]
    format: GraphFormat,
}

/// The diagram in the format asked for.
pub(crate) fn draw(d: &Diagram, format: GraphFormat) -> String {
    match format {
        GraphFormat::Dot => d.dot(),
        GraphFormat::Mermaid => d.mermaid(),
        GraphFormat::Svg => d.svg(),
    }
}

/// An entity–relationship diagram of a document (names final for
/// --dialect) or of a live database (through reflection).
pub(crate) fn run_graph(a: &GraphArgs, plugins: &Plugins) -> Result<(), Failure> {
    let mut diagram = match &a.file {
        Some(file) => {
            let doc = DocArgs {
                file: file.clone(),
                conventions: a.conventions.clone(),
            };
            let md = load(&doc, plugins)?;
            let mut d = Diagram::from_metadata(&md, a.dialect)
                .map_err(|e| Failure::new(format!("{}: {e}", doc.label())))?;
            // A document's tables are limited here; a database's by reflection.
            d.retain(&a.db.schemas, &[])
                .map_err(|e| Failure::new(e.to_string()))?;
            d
        }
        None => {
            let catalog = a.db.catalog()?;
            super::reflect::warn(&catalog);
            Diagram::from_catalog(&catalog)
        }
    };
    diagram
        .retain(&[], &a.tables)
        .map_err(|e| Failure::new(e.to_string()))?;
    emit(&draw(&diagram, a.format))
}
