//! `nomenclator diff` and `nomenclator migrate`: the changes that bring a
//! database (or an older document) to a document, and running them.

use std::path::PathBuf;
use std::time::SystemTime;

use clap::{Args, ValueEnum};

use super::db::{
    check_target, engine, existing_database, failure, options, ConnArgs, Reporter, Signals, Verb,
};
use super::ddl::{draw, GraphFormat};
use super::{emit, load_with, parse_dialect, DocArgs, Failure};
use nomenclator::diagram::Diagram;
use nomenclator::dialect::Dialect;
use nomenclator::diff::files::{migration_files, write_files, Runner};
use nomenclator::diff::{diff, diff_database, diff_database_catalog, Migration, Schema, Server};
use nomenclator::engine::{Engine, RunOptions};
use nomenclator::reflect::{catalog_of, Catalog};
use nomenclator::{MetaData, Plugins};

/// The forms `diff` prints.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum DiffFormat {
    /// The statements, as `ddl` prints them, with `-- destructive:` lines.
    Sql,
    /// One JSON array of changes.
    Json,
    /// The tables the migration touches as a Graphviz diagram, with what it adds, drops,
    /// renames and alters marked.
    Dot,
    /// The same diagram as an SVG picture (needs nothing installed).
    Svg,
}

#[derive(Args, Debug)]
pub(crate) struct DiffArgs {
    /// The schema document the database should match; with NEW, the old document.
    file: PathBuf,
    /// The new document: compare FILE (old) with it offline, for --dialect.
    new: Option<PathBuf>,
    /// Convention packs applied after each document's own (built-in name or path); repeatable.
    #[arg(long = "conventions", value_name = "PACK")]
    conventions: Vec<String>,
    /// Offline (two documents): postgresql (alias postgres), sqlite or mysql (mariadb: MySQL as MariaDB differs from it).
    #[arg(long, default_value = "sqlite", value_parser = parse_dialect)]
    dialect: &'static dyn Dialect,
    /// Offline, MySQL: the database of the tables without a schema (needed when a table in a
    /// schema refers to one).
    #[arg(long, value_name = "NAME")]
    database: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value = "sql")]
    format: DiffFormat,
    /// Write the migration as files in DIR (up and down scripts, named for --migrations)
    /// instead of printing it.
    #[arg(
        long,
        value_name = "DIR",
        requires = "migrations",
        conflicts_with = "format"
    )]
    out: Option<PathBuf>,
    /// The migration runner whose file names --out uses.
    #[arg(long, value_enum, value_name = "RUNNER", requires = "out")]
    migrations: Option<RunnerArg>,
    /// The migration's name in its file names (letters, digits and `_`; others become `_`).
    #[arg(long, default_value = "migration", requires = "out")]
    name: String,
    #[command(flatten)]
    conn: ConnArgs,
}

/// The migration runners `diff --out` writes files for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum RunnerArg {
    /// `<YYYYMMDDHHMMSS>_<name>.up.sql` and `.down.sql`.
    Sqlx,
    /// `<YYYY-MM-DD-HHMMSS>_<name>/up.sql` and `down.sql`.
    Diesel,
    /// `V<n>__<name>.sql`, and the down script as `V<n>__<name>.down.sql`, which refinery skips.
    Refinery,
}

impl From<RunnerArg> for Runner {
    fn from(r: RunnerArg) -> Runner {
        match r {
            RunnerArg::Sqlx => Runner::Sqlx,
            RunnerArg::Diesel => Runner::Diesel,
            RunnerArg::Refinery => Runner::Refinery,
        }
    }
}

#[derive(Args, Debug)]
pub(crate) struct MigrateArgs {
    #[command(flatten)]
    doc: DocArgs,
    #[command(flatten)]
    conn: ConnArgs,
    /// Run destructive changes too (tables and columns dropped, types narrowed, columns
    /// made NOT NULL); without it they are listed and nothing runs.
    #[arg(long)]
    allow_destructive: bool,
    /// Print the statements that would run, and change nothing.
    #[arg(long)]
    dry_run: bool,
}

/// The plugin that names what a document leaves unnamed as `dialect`'s
/// server would, when the command line has it: PostgreSQL only, whose
/// names for unnamed objects follow the table and column names (a renamed
/// table keeps its old `<table>_pkey` unless the migration renames it).
/// MySQL and MariaDB name them after things a rename does not change, or
/// rename them themselves (`<table>_ibfk_<n>`).
fn native_plugin(dialect: &dyn Dialect, plugins: &Plugins) -> Vec<String> {
    if dialect.kind() != nomenclator::DialectKind::PostgreSql {
        return Vec::new();
    }
    let name = format!("{}-native", dialect.name());
    if plugins.get(&name).is_some() {
        vec![name]
    } else {
        Vec::new()
    }
}

/// The document, with the server's own names for what it leaves unnamed.
fn load_for(doc: &DocArgs, dialect: &dyn Dialect, plugins: &Plugins) -> Result<MetaData, Failure> {
    load_with(doc, plugins, native_plugin(dialect, plugins))
}

/// The database side: engine, server, run options.
fn connect(
    conn: &ConnArgs,
    doc: &DocArgs,
    verb: Verb,
    signals: &Signals,
) -> Result<(Engine, String, Server, RunOptions), Failure> {
    let (engine, given) = engine(&conn.url, doc, verb)?;
    let run = options(conn, false, &engine, signals)?;
    existing_database(&engine, verb.name())?;
    let server = Server::probe(&engine, &run)?;
    Ok((engine, given, server, run))
}

/// Prints the migration, or writes it as files when `--out` is given.
fn output(migration: &Migration<'_>, a: &DiffArgs) -> Result<(), Failure> {
    let (Some(dir), Some(runner)) = (&a.out, a.migrations) else {
        return print(migration, a.format);
    };
    if migration.is_empty() {
        eprintln!("diff: nothing to write: the schemas agree, no file was written");
        return Ok(());
    }
    let files = migration_files(migration, runner.into(), dir, &a.name, SystemTime::now())
        .and_then(|files| write_files(&files).map(|()| files))
        .map_err(Failure::from)?;
    for f in &files {
        eprintln!("diff: wrote {}", f.path.display());
    }
    if migration.inverse().is_none() {
        eprintln!(
            "diff: warning: this migration cannot be undone (it copies rows into rebuilt \
             tables); the down script says so and fails if run"
        );
    }
    Ok(())
}

fn print(migration: &Migration<'_>, format: DiffFormat) -> Result<(), Failure> {
    let text = match format {
        DiffFormat::Sql => migration.script()?,
        DiffFormat::Json => {
            let mut s = serde_json::to_string_pretty(&migration.records()?)?;
            s.push('\n');
            s
        }
        // Drawn before a migration is printed (`draw_migration`).
        DiffFormat::Dot | DiffFormat::Svg => {
            return Err(Failure::new(
                "a diagram is drawn before the migration is printed",
            ))
        }
    };
    emit(&text)
}

pub(crate) fn run_diff(a: &DiffArgs, plugins: &Plugins) -> Result<(), Failure> {
    let doc = |file: &PathBuf| DocArgs {
        file: file.clone(),
        conventions: a.conventions.clone(),
    };
    if let Some(new) = &a.new {
        if a.conn.url.is_some() {
            return Err(Failure {
                message: "--url compares one document with a database; two documents are \
                          compared offline: drop --url or the second document"
                    .into(),
                code: 2,
            });
        }
        let dialect = a.dialect;
        // The two documents' plans are made at once, one on each thread.
        let options = nomenclator::ddl::DdlOptions {
            one_thread: true,
            database: a.database.clone(),
            ..Default::default()
        };
        let database = a.database.as_deref();
        // Only a diagram needs the models after their schemas are made;
        // otherwise each is freed as soon as its plan is, and its schema
        // takes the memory it held.
        let keep = drawn(a.format).is_some();
        let side = |file: &PathBuf| -> Result<(Option<MetaData>, Schema), Failure> {
            let md = load_for(&doc(file), dialect, plugins)?;
            if keep {
                let schema = Schema::from_metadata(&md, dialect, &options, database)?;
                return Ok((Some(md), schema));
            }
            Ok((
                None,
                Schema::from_metadata_owned(md, dialect, &options, database)?,
            ))
        };
        // The two sides are independent: one on each of two threads.
        let (old, new) = std::thread::scope(|scope| {
            let old = scope.spawn(|| side(&a.file));
            let new = side(new);
            let old = old
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            (old, new)
        });
        let ((old_md, mut old), (new_md, new)) = (old?, new?);
        // What the server named, as it would have named it.
        old.predict_server_names(dialect);
        let migration = diff(&old, &new, dialect)?;
        if let (Some(format), Some(old_md), Some(new_md)) = (drawn(a.format), &old_md, &new_md) {
            let named = |md: &MetaData, file: &PathBuf| {
                catalog_of(md, dialect)
                    .map_err(|e| Failure::new(format!("{}: {e}", file.display())))
            };
            let new_file = a.new.as_ref().unwrap_or(&a.file);
            let (old, new) = (named(old_md, &a.file)?, named(new_md, new_file)?);
            return draw_migration(&old, &new, &migration, format);
        }
        output(&migration, a)?;
        // The two schemas of every table are left to the operating system
        // rather than freed value by value.
        super::exit_success();
    }
    let doc = doc(&a.file);
    let signals = Signals::catch();
    let (engine, given, server, run) = connect(&a.conn, &doc, Verb::Diff, &signals)?;
    let md = load_for(&doc, server.dialect, plugins)?;
    check_target(&engine, &given, &md, Verb::Diff)?;
    if let Some(format) = drawn(a.format) {
        let (old, migration) = diff_database_catalog(&engine, &run, &server, &md)?;
        let new = catalog_of(&md, server.dialect)
            .map_err(|e| Failure::new(format!("{}: {e}", doc.label())))?;
        return draw_migration(&old, &new, &migration, format);
    }
    let migration = diff_database(&engine, &run, &server, &md)?;
    output(&migration, a)
}

/// The diagram format a diff format asks for, if it asks for one.
fn drawn(format: DiffFormat) -> Option<GraphFormat> {
    match format {
        DiffFormat::Dot => Some(GraphFormat::Dot),
        DiffFormat::Svg => Some(GraphFormat::Svg),
        DiffFormat::Sql | DiffFormat::Json => None,
    }
}

/// Prints the diagram of the tables a migration touches.
fn draw_migration(
    old: &Catalog,
    new: &Catalog,
    migration: &Migration<'_>,
    format: GraphFormat,
) -> Result<(), Failure> {
    if migration.is_empty() {
        eprintln!("diff: the schemas agree: the diagram is empty");
    }
    emit(&draw(&Diagram::from_migration(old, new, migration), format))
}

pub(crate) fn run_migrate(a: &MigrateArgs, plugins: &Plugins) -> Result<(), Failure> {
    let signals = Signals::catch();
    let (engine, given, server, run) = connect(&a.conn, &a.doc, Verb::Migrate, &signals)?;
    let mut md = load_for(&a.doc, server.dialect, plugins)?;
    check_target(&engine, &given, &md, Verb::Migrate)?;
    let migration = diff_database(&engine, &run, &server, &md)?;
    let label = a.doc.label();
    if migration.is_empty() {
        eprintln!(
            "migrate: nothing to do: {} matches {label}",
            engine.url().display()
        );
        return Ok(());
    }
    let destructive: Vec<_> = migration.destructive().collect();
    if !destructive.is_empty() && !a.allow_destructive && !a.dry_run {
        let list: Vec<String> = destructive
            .iter()
            .map(|c| format!("  - {}", c.destructive.as_deref().unwrap_or_default()))
            .collect();
        return Err(Failure::new(format!(
            "the migration to {label} holds {} destructive change(s), and nothing was run:\n{}\n\
             check them (`nomenclator diff {label} --url ...` prints every statement), then run \
             migrate again with --allow-destructive",
            destructive.len(),
            list.join("\n")
        )));
    }
    let statements = migration.statements().count();
    if a.dry_run {
        print(&migration, DiffFormat::Sql)?;
        eprintln!(
            "migrate: dry run: {} change(s), {statements} statement(s) would run; nothing was changed",
            migration.changes().len()
        );
        return Ok(());
    }
    let mut reporter = Reporter::new(Verb::Migrate.name());
    let report = engine.migrate(&mut md, migration.plan(), &run, &mut |p| reporter.update(p));
    std::mem::drop(reporter);
    let report = report.map_err(|e| failure(e, &signals))?;
    eprintln!(
        "migrate: {} change(s), {} statement(s) on {} in {:.2?}",
        migration.changes().len(),
        report.executed.len(),
        report.url,
        report.elapsed
    );
    Ok(())
}
