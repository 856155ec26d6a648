//! `nomenclator apply` and `nomenclator drop`: create_all and drop_all on a database.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use clap::Args;

use super::{emit, load, DocArgs, Failure};
use nomenclator::engine::{Engine, Progress, RunOptions, RunReport};
use nomenclator::naming::final_names;
use nomenclator::Plugins;

#[derive(Args, Debug)]
pub(crate) struct DbArgs {
    #[command(flatten)]
    doc: DocArgs,
    /// The database URL (default: DATABASE_URL, else an SQLite file next to the document).
    #[arg(long)]
    url: Option<String>,
    /// apply: create only the tables that are missing; drop: drop only those that exist.
    #[arg(long)]
    checkfirst: bool,
    /// How long a statement may wait for a lock held by another session.
    #[arg(long, value_name = "DURATION", default_value = "5s", value_parser = humantime::parse_duration)]
    lock_timeout: Duration,
}

fn engine(a: &DbArgs, creating: bool) -> Result<Engine, Failure> {
    if let Some(u) = &a.url {
        return Ok(Engine::from_url(u)?);
    }
    if let Ok(u) = std::env::var("DATABASE_URL") {
        if !u.trim().is_empty() {
            return Ok(Engine::from_url(&u)?);
        }
    }
    let path: PathBuf = a.doc.file.with_extension("db");
    if !creating && !path.exists() {
        return Err(Failure(format!(
            "no database to drop from: {} does not exist (give --url or set DATABASE_URL)",
            path.display()
        )));
    }
    Ok(Engine::from_url(&format!("sqlite://{}", path.display()))?)
}

/// Progress on standard error: a bar on a terminal, otherwise a line every few seconds.
fn progress_reporter(verb: &'static str) -> Box<dyn FnMut(&Progress)> {
    if std::io::stderr().is_terminal() {
        let mut bar: Option<indicatif::ProgressBar> = None;
        Box::new(move |p: &Progress| {
            let b = bar.get_or_insert_with(|| {
                let b = indicatif::ProgressBar::new(p.total as u64);
                if let Ok(style) = indicatif::ProgressStyle::with_template(
                    "{prefix} [{bar:30}] {pos}/{len} {wide_msg}",
                ) {
                    b.set_style(style.progress_chars("=> "));
                }
                b.set_prefix(verb);
                b
            });
            b.set_length(p.total.max(p.done) as u64);
            b.set_position(p.done as u64);
            b.set_message(p.statement.chars().take(60).collect::<String>());
            if p.done >= p.total {
                b.finish_and_clear();
            }
        })
    } else {
        let started = Instant::now();
        let mut last = Instant::now();
        Box::new(move |p: &Progress| {
            if started.elapsed() > Duration::from_secs(2) && last.elapsed() > Duration::from_secs(2)
            {
                last = Instant::now();
                eprintln!("{verb}: {}/{} statements", p.done, p.total);
            }
        })
    }
}

fn options(a: &DbArgs) -> RunOptions {
    RunOptions {
        checkfirst: a.checkfirst,
        lock_timeout: Some(a.lock_timeout),
        ..RunOptions::default()
    }
}

pub(crate) fn apply(a: &DbArgs, plugins: &Plugins) -> Result<(), Failure> {
    let mut md = load(&a.doc, plugins)?;
    let engine = engine(a, true)?;
    let mut progress = progress_reporter("apply");
    let report = engine.create_all_with_progress(&mut md, &options(a), &mut *progress)?;
    let rules = engine.dialect().name_rules(None);
    let names = final_names(&md, &rules)?;
    emit(&created(&report, &names))?;
    eprintln!("apply: {}", report.summary());
    Ok(())
}

pub(crate) fn drop(a: &DbArgs, plugins: &Plugins) -> Result<(), Failure> {
    let mut md = load(&a.doc, plugins)?;
    let engine = engine(a, false)?;
    let mut progress = progress_reporter("drop");
    let report = engine.drop_all_with_progress(&mut md, &options(a), &mut *progress)?;
    eprintln!("drop: {}", report.summary());
    Ok(())
}

/// The tables created, each with its constraints' and indexes' final names.
fn created(report: &RunReport, names: &[nomenclator::NamedObject]) -> String {
    let mut out = String::new();
    for t in report.created_tables() {
        out.push_str(&format!("created table {t}\n"));
        for n in names
            .iter()
            .filter(|n| n.table == t.name && n.schema == t.schema)
        {
            let kind = if n.unique == Some(true) {
                "ix unique".to_owned()
            } else {
                n.kind.key().to_owned()
            };
            let name = n
                .name
                .clone()
                .unwrap_or_else(|| "(named by the database)".into());
            out.push_str(&format!(
                "  {kind:<9} {name:<40} ({})\n",
                n.columns.join(", ")
            ));
        }
    }
    out
}
