//! The `nomenclator` command line (`spec/cli.md`).
//!
//! Exit status: 0 success; 1 the input or the database said no (message on
//! standard error); 2 a usage error (from clap); 130 (SIGINT) or 143
//! (SIGTERM) when `apply` or `drop` was interrupted and stopped between two
//! statements. Only the requested output goes to standard output.

mod db;
mod ddl;
mod evolve;
mod lint;
mod names;
mod reflect;
mod shell;

use std::io::{Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

use nomenclator::dialect::{self, Dialect};
use nomenclator::document::{
    line_col, load_path, load_str, DocumentError, Format, LoadOptions, Place,
};
use nomenclator::{MetaData, Plugins};

/// Schema definitions whose constraint and index names are never left to chance.
#[derive(Parser, Debug)]
#[command(name = "nomenclator", version, about)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Every constraint and index with its final name for a dialect.
    Names(names::NamesArgs),
    /// List the built-in convention packs.
    Packs,
    /// The create (or drop) script for a dialect, in dependency order.
    Ddl(ddl::DdlArgs),
    /// Table names in creation (or drop) order.
    Sort(ddl::SortArgs),
    /// An entity–relationship diagram: Mermaid, Graphviz or SVG, of a document or a database.
    Graph(ddl::GraphArgs),
    /// create_all: create every table, index and constraint in a database.
    Apply(db::DbArgs),
    /// drop_all: drop every table of the document from a database, never hanging on a lock.
    Drop(db::DbArgs),
    /// Read a live database back: its catalog as a schema document.
    Reflect(reflect::ReflectArgs),
    /// Constraints and indexes whose names are not the naming convention's.
    Lint(lint::LintArgs),
    /// The migration that brings a database (or an old document) to a document.
    Diff(evolve::DiffArgs),
    /// Bring a database to a document: renames kept, destructive changes only on request.
    Migrate(evolve::MigrateArgs),
    /// Print a completion script for a shell (bash, zsh, fish, elvish, powershell).
    Completions(shell::CompletionsArgs),
    /// Print the manual page (roff), or write every page into a directory.
    Man(shell::ManArgs),
}

/// Options shared by the offline commands.
#[derive(Args, Debug, Clone)]
pub(crate) struct DocArgs {
    /// The schema document (.toml or .json); `-` reads it from standard input.
    pub file: PathBuf,
    /// Convention packs applied after the document's own (built-in name or path); repeatable.
    #[arg(long = "conventions", value_name = "PACK")]
    pub conventions: Vec<String>,
}

impl DocArgs {
    /// Whether the document comes from standard input (`-`).
    pub fn is_stdin(&self) -> bool {
        self.file.as_os_str() == "-"
    }

    /// The document's name in messages: its path, or `<stdin>`.
    pub fn label(&self) -> String {
        if self.is_stdin() {
            STDIN_LABEL.to_owned()
        } else {
            self.file.display().to_string()
        }
    }
}

/// How a document read from standard input is named in messages.
const STDIN_LABEL: &str = "<stdin>";

/// The dialect options.
#[derive(Args, Debug, Clone)]
pub(crate) struct DialectArgs {
    /// postgresql (alias postgres), sqlite or mysql (mariadb: MySQL as MariaDB differs from it).
    #[arg(long, default_value = "sqlite", value_parser = parse_dialect)]
    pub dialect: &'static dyn Dialect,
    /// Overrides the dialect's limit on constraint and index names (at least 8).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(8..))]
    pub max_identifier_length: Option<u16>,
}

pub(crate) fn parse_dialect(s: &str) -> Result<&'static dyn Dialect, String> {
    dialect::by_name(s).ok_or_else(|| {
        format!("unknown dialect {s:?}: use postgresql (postgres), sqlite or mysql (mariadb)")
    })
}

/// A failure already described for the user, and the exit status it gives.
pub(crate) struct Failure {
    /// The message (printed after `error: `).
    pub message: String,
    /// The exit status: 1, or 128 + the signal that interrupted a run.
    pub code: u8,
}

impl Failure {
    /// A failure with exit status 1.
    pub fn new(message: impl Into<String>) -> Self {
        Failure {
            message: message.into(),
            code: 1,
        }
    }
}

impl<E: std::fmt::Display> From<E> for Failure {
    fn from(e: E) -> Self {
        Failure::new(e.to_string())
    }
}

pub(crate) fn load(args: &DocArgs, plugins: &Plugins) -> Result<MetaData, Failure> {
    load_with(args, plugins, Vec::new())
}

/// [`load`], with the listeners of the named plugins installed after the
/// document's conventions.
pub(crate) fn load_with(
    args: &DocArgs,
    plugins: &Plugins,
    listeners_of: Vec<String>,
) -> Result<MetaData, Failure> {
    let options = LoadOptions::new()
        .conventions(args.conventions.iter().cloned())
        .plugins(plugins.clone())
        .listeners_of(listeners_of);
    if args.is_stdin() {
        return Ok(load_stdin(options)?);
    }
    Ok(load_path(&args.file, &options)?)
}

/// Loads the document on standard input. Relative pack paths are taken from
/// the current directory; the format is told by the text (JSON starts with
/// `{` or `[`, except a TOML table header such as `[[tables]]`).
fn load_stdin(options: LoadOptions) -> Result<MetaData, DocumentError> {
    let err = |line_col, message: String, help: Option<&str>| DocumentError {
        file: STDIN_LABEL.to_owned(),
        place: Place {
            path: None,
            line_col,
        },
        message,
        help: help.map(str::to_owned),
    };
    let mut bytes = Vec::new();
    std::io::stdin()
        .lock()
        .read_to_end(&mut bytes)
        .map_err(|e| err(None, format!("cannot read the document: {e}"), None))?;
    let text = String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        let valid = String::from_utf8_lossy(e.as_bytes().get(..at).unwrap_or_default());
        err(
            Some(line_col(&valid, at)),
            format!("the document is not valid UTF-8 (bad byte at offset {at})"),
            Some("send the document as UTF-8"),
        )
    })?;
    let options = options.format(stdin_format(&text)).name(STDIN_LABEL);
    load_str(&text, &options)
}

/// JSON when the text starts with `{` or `[`, unless that `[` opens a TOML
/// table header (`[table]`, `[[tables]]`).
fn stdin_format(text: &str) -> Format {
    let start = text.trim_start_matches(|c: char| c.is_whitespace() || c == '\u{feff}');
    let header = start
        .strip_prefix("[[")
        .or_else(|| start.strip_prefix('['))
        .map(str::trim_start)
        .and_then(|rest| rest.chars().next())
        .is_some_and(|c| c.is_alphabetic() || c == '_');
    if header {
        Format::Toml
    } else {
        Format::detect(None, start)
    }
}

/// Writes to standard output, treating a closed pipe as success.
pub(crate) fn emit(text: &str) -> Result<(), Failure> {
    emit_all(std::slice::from_ref(&text))
}

/// Writes the pieces to standard output one after the other, treating a
/// closed pipe as success.
pub(crate) fn emit_all(pieces: &[impl AsRef<str>]) -> Result<(), Failure> {
    let mut out = std::io::stdout().lock();
    let written = pieces
        .iter()
        .try_for_each(|p| out.write_all(p.as_ref().as_bytes()))
        .and_then(|()| out.flush());
    match written {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(Failure::new(format!("cannot write output: {e}")))
        }
        _ => Ok(()),
    }
}

/// Ends the process with exit status 0 at once, after standard output was
/// flushed (`std::process::exit` flushes it again): what the process holds
/// (a loaded model of many tables, a script) is left to the operating
/// system instead of being freed value by value.
pub(crate) fn exit_success() -> ! {
    let _ = std::io::stdout().flush();
    std::process::exit(0)
}

/// Writes to standard output, for commands that changed a database: a
/// failed write says so, since the change stays ("the database was changed
/// all the same: ..." with `done`, the run's summary).
pub(crate) fn emit_after_change(text: &str, done: &str) -> Result<(), Failure> {
    emit(text).map_err(|f| {
        Failure::new(format!(
            "{}; the database was changed all the same: {done}",
            f.message
        ))
    })
}

/// Runs the command line with the given plugins registered; returns the exit code.
pub fn main(plugins: Plugins) -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Names(a) => names::run(&a, &plugins),
        Command::Packs => names::packs(),
        Command::Ddl(a) => ddl::run_ddl(&a, &plugins),
        Command::Sort(a) => ddl::run_sort(&a, &plugins),
        Command::Graph(a) => ddl::run_graph(&a, &plugins),
        Command::Apply(a) => db::apply(&a, &plugins),
        Command::Drop(a) => db::drop(&a, &plugins),
        Command::Reflect(a) => reflect::run(&a, &plugins),
        Command::Lint(a) => lint::run(&a, &plugins),
        Command::Diff(a) => evolve::run_diff(&a, &plugins),
        Command::Migrate(a) => evolve::run_migrate(&a, &plugins),
        Command::Completions(a) => shell::completions(&a),
        Command::Man(a) => shell::man(&a),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure { message, code }) => {
            eprintln!("error: {message}");
            ExitCode::from(code)
        }
    }
}
