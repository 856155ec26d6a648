//! `nomenclator ddl`, `nomenclator sort` and `nomenclator graph`.

use clap::{Args, ValueEnum};

use super::{emit, emit_all, load, DialectArgs, DocArgs, Failure};
use nomenclator::ddl::{create_script, drop_script, sort_tables_and_constraints, DdlOptions};
use nomenclator::schema::TableRef;
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
        checkfirst: false,
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
    /// postgres), sqlite or mysql (alias mariadb). SQLite cannot ALTER TABLE, so there foreign
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
    Dot,
    Mermaid,
}

#[derive(Args, Debug)]
pub(crate) struct GraphArgs {
    #[command(flatten)]
    doc: DocArgs,
    /// Output format.
    #[arg(long, value_enum, default_value = "dot")]
    format: GraphFormat,
}

/// Tables as nodes, foreign keys as edges from the referring table to the
/// referred one; edges left out of the order (cycles, `use_alter`) dashed.
pub(crate) fn run_graph(a: &GraphArgs, plugins: &Plugins) -> Result<(), Failure> {
    let md = load(&a.doc, plugins)?;
    let sorted = sort_tables_and_constraints(&md, true)
        .map_err(|e| Failure::new(format!("{}: {e}", a.doc.label())))?;
    let ids: std::collections::HashMap<&TableRef, usize> = sorted
        .tables
        .iter()
        .enumerate()
        .map(|(i, r)| (r, i))
        .collect();
    let id = |r: &TableRef| ids.get(r).map_or_else(String::new, |i| format!("t{i}"));
    // A set, not a scan of `deferred` per foreign key: a ring of 100,000
    // tables has 100,000 deferred foreign keys.
    let deferred: std::collections::HashSet<(&TableRef, usize)> = sorted
        .deferred
        .iter()
        .map(|x| (&x.table, x.constraint))
        .collect();
    let mut out = String::new();
    match a.format {
        GraphFormat::Dot => out.push_str("digraph schema {\n  rankdir=RL;\n  node [shape=box];\n"),
        GraphFormat::Mermaid => out.push_str("flowchart RL\n"),
    }
    for r in &sorted.tables {
        let label = r.to_string();
        match a.format {
            GraphFormat::Dot => out.push_str(&format!(
                "  {} [label=\"{}\"];\n",
                id(r),
                label.replace('\\', "\\\\").replace('"', "\\\"")
            )),
            GraphFormat::Mermaid => out.push_str(&format!(
                "  {}[\"{}\"]\n",
                id(r),
                label.replace('"', "#quot;")
            )),
        }
    }
    for r in &sorted.tables {
        let t = md.get(r).expect("sorted tables exist");
        for (ci, k) in t.constraints().iter().enumerate() {
            let Some(fk) = k.as_foreign_key() else {
                continue;
            };
            let deferred = deferred.contains(&(r, ci));
            let label = fk.columns().join(", ");
            let (from, to) = (id(r), id(fk.referred_table()));
            match (a.format, deferred) {
                (GraphFormat::Dot, false) => out.push_str(&format!(
                    "  {from} -> {to} [label=\"{}\"];\n",
                    label.replace('"', "\\\"")
                )),
                (GraphFormat::Dot, true) => out.push_str(&format!(
                    "  {from} -> {to} [label=\"{} (deferred)\", style=dashed];\n",
                    label.replace('"', "\\\"")
                )),
                (GraphFormat::Mermaid, false) => out.push_str(&format!(
                    "  {from} -->|\"{}\"| {to}\n",
                    label.replace('"', "#quot;")
                )),
                (GraphFormat::Mermaid, true) => out.push_str(&format!(
                    "  {from} -.->|\"{} (deferred)\"| {to}\n",
                    label.replace('"', "#quot;")
                )),
            }
        }
    }
    if let GraphFormat::Dot = a.format {
        out.push_str("}\n");
    }
    emit(&out)
}
