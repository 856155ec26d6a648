//! `nomenclator apply` and `nomenclator drop`: create_all and drop_all on a database.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use clap::Args;

use super::{emit_after_change, load, DocArgs, Failure};
use nomenclator::engine::{DbUrl, Engine, EngineError, Interrupt, Progress, RunOptions, RunReport};
use nomenclator::naming::final_names;
use nomenclator::{MetaData, Plugins};

#[derive(Args, Debug)]
pub(crate) struct DbArgs {
    #[command(flatten)]
    pub(crate) doc: DocArgs,
    #[command(flatten)]
    pub(crate) conn: ConnArgs,
    /// apply: create the tables that are missing, and the indexes missing from those that
    /// exist; drop: drop only the tables and views that exist.
    #[arg(long)]
    checkfirst: bool,
}

/// Where the database is, and how long to wait for it.
#[derive(Args, Debug)]
pub(crate) struct ConnArgs {
    /// The database URL (default: DATABASE_URL, else an SQLite file next to the document).
    #[arg(long)]
    pub(crate) url: Option<String>,
    /// How long a statement may wait for a lock held by another session (then it names
    /// the sessions holding it).
    #[arg(long, value_name = "DURATION", default_value = "5s", value_parser = humantime::parse_duration)]
    lock_timeout: Duration,
    /// How long opening the connection may take, and then the server's greeting and the
    /// login, each.
    #[arg(long, value_name = "DURATION", default_value = "10s", value_parser = humantime::parse_duration)]
    connect_timeout: Duration,
    /// How long to wait for the answer to each statement and catalog query (PostgreSQL,
    /// MySQL/MariaDB), on top of --lock-timeout; then the connection is closed and the run
    /// fails.
    #[arg(long, value_name = "DURATION", default_value = "60s", value_parser = humantime::parse_duration)]
    statement_timeout: Duration,
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Verb {
    Apply,
    Drop,
    Diff,
    Migrate,
}

impl Verb {
    pub(crate) fn name(self) -> &'static str {
        match self {
            Verb::Apply => "apply",
            Verb::Drop => "drop",
            Verb::Diff => "diff",
            Verb::Migrate => "migrate",
        }
    }
}

/// The engine, and the URL as given (for messages).
pub(crate) fn engine(
    url: &Option<String>,
    doc: &DocArgs,
    verb: Verb,
) -> Result<(Engine, String), Failure> {
    let given = url.clone().or_else(|| {
        std::env::var("DATABASE_URL")
            .ok()
            .filter(|u| !u.trim().is_empty())
    });
    if let Some(u) = given {
        let engine = Engine::from_url(&u)?;
        return Ok((engine, u));
    }
    if doc.is_stdin() {
        return Err(Failure::new(
            "the document comes from standard input, so there is no file to keep an SQLite \
             database next to: give --url or set DATABASE_URL",
        ));
    }
    let path: PathBuf = doc.file.with_extension("db");
    if verb != Verb::Apply && !path.exists() {
        return Err(Failure::new(format!(
            "no database to {}: {} does not exist (give --url or set DATABASE_URL)",
            if verb == Verb::Drop {
                "drop from"
            } else {
                verb.name()
            },
            path.display()
        )));
    }
    let url = format!("sqlite://{}", path.display());
    Ok((Engine::from_url(&url)?, url))
}

/// Refuses an SQLite URL whose file does not exist, for a command that
/// reads or changes a database (`what`) rather than making one: opening it
/// would create an empty file and report on that.
pub(crate) fn existing_database(engine: &Engine, what: &str) -> Result<(), Failure> {
    match engine.url() {
        DbUrl::SqliteFile(p) if !p.exists() => Err(Failure::new(format!(
            "no database to {what}: the SQLite file {} does not exist (check the path; `apply` \
             creates a database)",
            p.display()
        ))),
        _ => Ok(()),
    }
}

/// Refuses (or warns about) databases that cannot be what the user meant:
/// an in-memory SQLite database keeps nothing after the command, and a
/// MySQL URL without a database has nowhere to put the tables that have no
/// schema.
pub(crate) fn check_target(
    engine: &Engine,
    given: &str,
    md: &MetaData,
    verb: Verb,
) -> Result<(), Failure> {
    let memory = || {
        let given = given.trim();
        if given == "sqlite://" {
            "sqlite:// names no file: it is an in-memory database".to_owned()
        } else {
            format!("{given} is an in-memory database")
        }
    };
    match engine.url() {
        DbUrl::SqliteMemory if verb != Verb::Apply => Err(Failure::new(format!(
            "{}, empty when nomenclator starts: there is nothing to {}. Give the database \
             file: --url sqlite://path/to/file.db",
            memory(),
            verb.name()
        ))),
        DbUrl::SqliteMemory => {
            eprintln!(
                "note: {}: what apply creates is gone when nomenclator ends (a trial run). \
                 To keep it, give a file: --url sqlite://path/to/file.db",
                memory()
            );
            Ok(())
        }
        DbUrl::MySql(u) if mysql_database(u).is_empty() => {
            let homeless: Vec<String> = md
                .tables()
                .iter()
                .filter(|t| t.schema().is_none())
                .take(3)
                .map(|t| t.name().to_owned())
                .collect();
            if homeless.is_empty() {
                return Ok(());
            }
            let shown = engine.url().display();
            Err(Failure::new(format!(
                "{shown} names no database, and tables without a schema ({}{}) need one: add it \
                 to the URL, as in {}/DATABASE",
                homeless.join(", "),
                if md.tables().iter().filter(|t| t.schema().is_none()).count() > 3 {
                    ", ..."
                } else {
                    ""
                },
                shown
                    .split('?')
                    .next()
                    .unwrap_or(&shown)
                    .trim_end_matches('/')
            )))
        }
        _ => Ok(()),
    }
}

/// The database of a `mysql://user@host:port/db?options` URL ("" for none).
fn mysql_database(url: &str) -> &str {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let rest = rest.split('?').next().unwrap_or("");
    let after_auth = rest.rsplit_once('@').map_or(rest, |(_, h)| h);
    after_auth.split_once('/').map_or("", |(_, db)| db)
}

/// Progress on standard error: a bar on a terminal, otherwise a line every
/// few seconds. Dropping it clears the bar, so that messages that follow
/// are not drawn over.
pub(crate) struct Reporter {
    verb: &'static str,
    bar: Option<indicatif::ProgressBar>,
    terminal: bool,
    started: Instant,
    last: Instant,
}

impl Reporter {
    pub(crate) fn new(verb: &'static str) -> Self {
        Reporter {
            verb,
            bar: None,
            terminal: std::io::stderr().is_terminal(),
            started: Instant::now(),
            last: Instant::now(),
        }
    }

    pub(crate) fn update(&mut self, p: &Progress) {
        if self.terminal {
            let verb = self.verb;
            let b = self.bar.get_or_insert_with(|| {
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
        } else if self.started.elapsed() > Duration::from_secs(2)
            && self.last.elapsed() > Duration::from_secs(2)
        {
            self.last = Instant::now();
            eprintln!("{}: {}/{} statements", self.verb, p.done, p.total);
        }
    }
}

impl Drop for Reporter {
    fn drop(&mut self) {
        if let Some(b) = &self.bar {
            b.finish_and_clear();
        }
    }
}

/// SIGINT and SIGTERM while a run is on: the first asks the run to stop
/// after its running statement (and to report what ran and how to undo it),
/// a second one ends the process at once, without a report.
pub(crate) struct Signals {
    interrupt: Interrupt,
    /// The signal that came (0: none).
    which: Arc<AtomicUsize>,
}

impl Signals {
    pub(crate) fn catch() -> Signals {
        let flag = Arc::new(AtomicBool::new(false));
        let which = Arc::new(AtomicUsize::new(0));
        #[cfg(unix)]
        for signal in [signal_hook::consts::SIGINT, signal_hook::consts::SIGTERM] {
            // Registered first, so that it only fires once the flag is set:
            // on the second signal.
            let armed = signal_hook::flag::register_conditional_shutdown(
                signal,
                128 + signal,
                flag.clone(),
            );
            let caught = armed.and_then(|_| {
                signal_hook::flag::register_usize(signal, which.clone(), signal as usize)?;
                signal_hook::flag::register(signal, flag.clone())
            });
            if let Err(e) = caught {
                eprintln!("warning: cannot catch signal {signal} ({e}): an interruption will not be reported");
            }
        }
        Signals {
            interrupt: Interrupt::from_flag(flag),
            which,
        }
    }

    /// The exit status for an interrupted run: 128 + the signal's number.
    fn exit_code(&self) -> u8 {
        match self.which.load(Ordering::SeqCst) {
            0 => 130,
            n => u8::try_from(128 + n).unwrap_or(130),
        }
    }
}

/// The run's options. A duration the database cannot take is a usage
/// error (exit 2), found before anything connects.
pub(crate) fn options(
    a: &ConnArgs,
    checkfirst: bool,
    engine: &Engine,
    signals: &Signals,
) -> Result<RunOptions, Failure> {
    let options = RunOptions {
        checkfirst,
        lock_timeout: Some(a.lock_timeout),
        connect_timeout: a.connect_timeout,
        statement_timeout: a.statement_timeout,
        interrupt: Some(signals.interrupt.clone()),
        ..RunOptions::default()
    };
    if let Err(e) = options.validate(engine.url().dialect_kind()) {
        let message = match &e {
            EngineError::InvalidOption {
                option,
                value,
                reason,
            } => format!(
                "invalid value '{}' for '--{}': {reason}",
                humantime::format_duration(*value),
                option.replace(' ', "-")
            ),
            other => other.to_string(),
        };
        return Err(Failure { message, code: 2 });
    }
    Ok(options)
}

/// A failed run as the command reports it: an interruption exits with
/// 128 + the signal's number, anything else with 1.
pub(crate) fn failure(e: EngineError, signals: &Signals) -> Failure {
    match e {
        EngineError::Interrupted { .. } => Failure {
            message: e.to_string(),
            code: signals.exit_code(),
        },
        e => Failure::new(e.to_string()),
    }
}

pub(crate) fn apply(a: &DbArgs, plugins: &Plugins) -> Result<(), Failure> {
    let mut md = load(&a.doc, plugins)?;
    let (engine, given) = engine(&a.conn.url, &a.doc, Verb::Apply)?;
    check_target(&engine, &given, &md, Verb::Apply)?;
    let signals = Signals::catch();
    let options = options(&a.conn, a.checkfirst, &engine, &signals)?;
    let mut reporter = Reporter::new(Verb::Apply.name());
    let run = engine.create_all_with_progress(&mut md, &options, &mut |p| reporter.update(p));
    std::mem::drop(reporter);
    let report = run.map_err(|e| failure(e, &signals))?;
    let rules = engine.dialect().name_rules(None);
    let names = final_names(&md, &rules)?;
    let summary = report.summary();
    emit_after_change(&created(&report, &names), &summary)?;
    eprintln!("apply: {summary}");
    Ok(())
}

pub(crate) fn drop(a: &DbArgs, plugins: &Plugins) -> Result<(), Failure> {
    let mut md = load(&a.doc, plugins)?;
    let (engine, given) = engine(&a.conn.url, &a.doc, Verb::Drop)?;
    check_target(&engine, &given, &md, Verb::Drop)?;
    let signals = Signals::catch();
    let options = options(&a.conn, a.checkfirst, &engine, &signals)?;
    existing_database(&engine, "drop from")?;
    let mut reporter = Reporter::new(Verb::Drop.name());
    let run = engine.drop_all_with_progress(&mut md, &options, &mut |p| reporter.update(p));
    std::mem::drop(reporter);
    let report = run.map_err(|e| failure(e, &signals))?;
    eprintln!("drop: {}", report.summary());
    Ok(())
}

/// The tables created, each with its constraints' and indexes' final names;
/// then the indexes and constraints added to tables that already existed
/// (`--checkfirst`).
fn created(report: &RunReport, names: &[nomenclator::NamedObject]) -> String {
    let mut out = String::new();
    let line = |out: &mut String, n: &nomenclator::NamedObject| {
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
    };
    let created = report.created_tables();
    for t in &created {
        out.push_str(&format!("created table {t}\n"));
        for n in names
            .iter()
            .filter(|n| n.table == t.name && n.schema == t.schema)
        {
            line(&mut out, n);
        }
    }
    for t in &report.skipped {
        let added: Vec<&nomenclator::NamedObject> = names
            .iter()
            .filter(|n| n.table == t.name && n.schema == t.schema)
            .filter(|n| {
                n.name.as_deref().is_some_and(|name| {
                    report.executed.iter().any(|e| {
                        e.statement.table() == Some(t) && e.statement.object() == Some(name)
                    })
                })
            })
            .collect();
        if !added.is_empty() {
            out.push_str(&format!("completed table {t}\n"));
            for n in added {
                line(&mut out, n);
            }
        }
    }
    out
}
