//! `nomenclator lint`: names that are not the naming convention's.

use std::path::PathBuf;

use clap::{Args, ValueEnum};

use super::reflect::UrlArgs;
use super::{emit, load, DocArgs, Failure};
use nomenclator::dialect::{self, Dialect};
use nomenclator::reflect::{catalog_of, lint, Finding, WriteOptions};
use nomenclator::Plugins;

#[derive(Clone, Copy, Debug, ValueEnum)]
pub(crate) enum LintFormat {
    Table,
    Json,
}

#[derive(Args, Debug)]
pub(crate) struct LintArgs {
    /// The schema document (.toml or .json); or give --url.
    #[arg(required_unless_present = "url", conflicts_with = "url")]
    file: Option<PathBuf>,
    #[command(flatten)]
    db: UrlArgs,
    /// Convention packs to check against (built-in name or path); repeatable. Default: the
    /// document's own conventions, or `sqlalchemy` for a database.
    #[arg(long = "conventions", value_name = "PACK")]
    conventions: Vec<String>,
    /// For a document: postgresql (alias postgres), sqlite or mysql (mariadb: MySQL as MariaDB differs from it).
    #[arg(long, default_value = "sqlite", value_parser = parse_dialect)]
    dialect: &'static dyn Dialect,
    /// Output format.
    #[arg(long, value_enum, default_value = "table")]
    format: LintFormat,
}

fn parse_dialect(s: &str) -> Result<&'static dyn Dialect, String> {
    dialect::by_name(s).ok_or_else(|| {
        format!("unknown dialect {s:?}: use postgresql (postgres), sqlite or mysql (mariadb)")
    })
}

pub(crate) fn run(a: &LintArgs, plugins: &Plugins) -> Result<(), Failure> {
    let mut options = WriteOptions {
        plugins: plugins.clone(),
        base: std::env::current_dir().ok(),
        ..WriteOptions::default()
    };
    let catalog = match &a.file {
        Some(file) => {
            let doc = DocArgs {
                file: file.clone(),
                conventions: Vec::new(),
            };
            let md = load(&doc, plugins)?;
            if a.conventions.is_empty() {
                own_conventions(file, &mut options)?;
            }
            catalog_of(&md, a.dialect).map_err(|e| Failure::new(format!("{}: {e}", doc.label())))?
        }
        None => {
            let catalog = a.db.catalog()?;
            if a.conventions.is_empty() {
                options.conventions = vec!["sqlalchemy".into()];
            }
            catalog
        }
    };
    if !a.conventions.is_empty() {
        options.conventions = a.conventions.clone();
    }
    let findings = lint(&catalog, &options)?;
    let text = match a.format {
        LintFormat::Json => {
            let mut s = serde_json::to_string_pretty(&findings)?;
            s.push('\n');
            s
        }
        LintFormat::Table => table(&findings),
    };
    emit(&text)?;
    if findings.is_empty() {
        Ok(())
    } else {
        Err(Failure::new(format!(
            "{} name(s) do not follow the convention",
            findings.len()
        )))
    }
}

/// The document's own `conventions` and `naming_convention`, read as
/// plain data.
fn own_conventions(file: &std::path::Path, options: &mut WriteOptions) -> Result<(), Failure> {
    let text = std::fs::read_to_string(file)
        .map_err(|e| Failure::new(format!("{}: {e}", file.display())))?;
    let value: serde_json::Value = if nomenclator::document::Format::detect(Some(file), &text)
        == nomenclator::document::Format::Json
    {
        serde_json::from_str(&text)?
    } else {
        let t: toml::Value = toml::from_str(&text)?;
        serde_json::to_value(t)?
    };
    match &value["conventions"] {
        serde_json::Value::String(s) => options.conventions.push(s.clone()),
        serde_json::Value::Array(a) => options
            .conventions
            .extend(a.iter().filter_map(|v| v.as_str().map(str::to_owned))),
        _ => {}
    }
    if let Some(nc) = value["naming_convention"].as_object() {
        for (k, v) in nc {
            if let Some(t) = v.as_str() {
                options.naming_convention.push((k.clone(), t.to_owned()));
            }
        }
    }
    if let Some(dir) = file.parent() {
        options.base = Some(if dir.as_os_str().is_empty() {
            PathBuf::from(".")
        } else {
            dir.to_owned()
        });
    }
    Ok(())
}

fn table(findings: &[Finding]) -> String {
    if findings.is_empty() {
        return String::new();
    }
    let mut rows = vec![[
        "table".to_owned(),
        "kind".to_owned(),
        "columns".to_owned(),
        "actual".to_owned(),
        "expected".to_owned(),
    ]];
    for f in findings {
        let table = match &f.schema {
            Some(s) => format!("{s}.{}", f.table),
            None => f.table.clone(),
        };
        let kind = if f.unique == Some(true) {
            format!("{} unique", f.kind.key())
        } else {
            f.kind.key().to_owned()
        };
        rows.push([
            table,
            kind,
            format!("({})", f.columns.join(", ")),
            f.actual.clone().unwrap_or_else(|| "-".into()),
            f.expected.clone(),
        ]);
    }
    let mut widths = [0usize; 5];
    for r in &rows {
        for (w, c) in widths.iter_mut().zip(r) {
            *w = (*w).max(c.chars().count());
        }
    }
    let mut out = String::new();
    for r in &rows {
        let line: Vec<String> = r
            .iter()
            .zip(widths)
            .map(|(c, w)| format!("{c:<w$}"))
            .collect();
        out.push_str(line.join("  ").trim_end());
        out.push('\n');
    }
    out
}
