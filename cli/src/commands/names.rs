//! `nomenclator names` and `nomenclator packs`.

use clap::{Args, ValueEnum};

use super::{emit, load, DialectArgs, DocArgs, Failure};
use nomenclator::naming::{final_names, NamedObject, Pack};
use nomenclator::Plugins;

#[derive(Clone, Copy, Debug, ValueEnum)]
pub(crate) enum Format {
    Table,
    Json,
}

#[derive(Args, Debug)]
pub(crate) struct NamesArgs {
    #[command(flatten)]
    doc: DocArgs,
    #[command(flatten)]
    dialect: DialectArgs,
    /// Output format.
    #[arg(long, value_enum, default_value = "table")]
    format: Format,
}

pub(crate) fn run(a: &NamesArgs, plugins: &Plugins) -> Result<(), Failure> {
    let md = load(&a.doc, plugins)?;
    let rules = a
        .dialect
        .dialect
        .name_rules(a.dialect.max_identifier_length.map(usize::from));
    let names =
        final_names(&md, &rules).map_err(|e| Failure::new(format!("{}: {e}", a.doc.label())))?;
    let text = match a.format {
        Format::Json => {
            let mut s = serde_json::to_string_pretty(&names)?;
            s.push('\n');
            s
        }
        Format::Table => table(&names),
    };
    emit(&text)
}

fn table(names: &[NamedObject]) -> String {
    let rows: Vec<[String; 4]> = names
        .iter()
        .map(|o| {
            let table = match &o.schema {
                Some(s) => format!("{s}.{}", o.table),
                None => o.table.clone(),
            };
            let kind = if o.unique == Some(true) {
                format!("{} unique", o.kind.key())
            } else {
                o.kind.key().to_owned()
            };
            [
                table,
                kind,
                o.columns.join(", "),
                o.name
                    .clone()
                    .unwrap_or_else(|| "(chosen by the database)".into()),
            ]
        })
        .collect();
    let header = [
        "TABLE".to_owned(),
        "KIND".to_owned(),
        "COLUMNS".to_owned(),
        "NAME".to_owned(),
    ];
    let mut widths = [0usize; 4];
    for r in std::iter::once(&header).chain(rows.iter()) {
        for (w, c) in widths.iter_mut().zip(r) {
            *w = (*w).max(c.chars().count());
        }
    }
    let mut out = String::new();
    for r in std::iter::once(&header).chain(rows.iter()) {
        let line = format!(
            "{:w0$}  {:w1$}  {:w2$}  {}",
            r[0],
            r[1],
            r[2],
            r[3],
            w0 = widths[0],
            w1 = widths[1],
            w2 = widths[2]
        );
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

pub(crate) fn packs() -> Result<(), Failure> {
    let mut out = String::new();
    for p in Pack::builtin() {
        out.push_str(&format!("{}\t{}\n", p.name, p.description));
        for (k, t) in &p.naming_convention {
            out.push_str(&format!("    {k} = {t}\n"));
        }
    }
    emit(&out)
}
