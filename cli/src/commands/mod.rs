//! The `nomenclator` command line (`spec/cli.md`).
//!
//! Exit status: 0 success; 1 the input or the database said no (message on
//! standard error); 2 a usage error (from clap). Only the requested output
//! goes to standard output.

mod db;
mod ddl;
mod names;

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

use nomenclator::dialect::{self, Dialect};
use nomenclator::document::{load_path, LoadOptions};
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
    /// Tables and foreign keys as a Graphviz or Mermaid graph.
    Graph(ddl::GraphArgs),
    /// create_all: create every table, index and constraint in a database.
    Apply(db::DbArgs),
    /// drop_all: drop every table of the document from a database, never hanging on a lock.
    Drop(db::DbArgs),
}

/// Options shared by the offline commands.
#[derive(Args, Debug, Clone)]
pub(crate) struct DocArgs {
    /// The schema document (.toml or .json).
    pub file: PathBuf,
    /// Convention packs applied after the document's own (built-in name or path); repeatable.
    #[arg(long = "conventions", value_name = "PACK")]
    pub conventions: Vec<String>,
}

/// The dialect options.
#[derive(Args, Debug, Clone)]
pub(crate) struct DialectArgs {
    /// postgresql (alias postgres), sqlite or mysql (alias mariadb).
    #[arg(long, default_value = "sqlite", value_parser = parse_dialect)]
    pub dialect: &'static dyn Dialect,
    /// Overrides the dialect's limit on constraint and index names (at least 8).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(8..))]
    pub max_identifier_length: Option<u16>,
}

fn parse_dialect(s: &str) -> Result<&'static dyn Dialect, String> {
    dialect::by_name(s).ok_or_else(|| {
        format!("unknown dialect {s:?}: use postgresql (postgres), sqlite or mysql (mariadb)")
    })
}

/// A failure already described for the user.
pub(crate) struct Failure(pub String);

impl<E: std::fmt::Display> From<E> for Failure {
    fn from(e: E) -> Self {
        Failure(e.to_string())
    }
}

pub(crate) fn load(args: &DocArgs, plugins: &Plugins) -> Result<MetaData, Failure> {
    let options = LoadOptions::new()
        .conventions(args.conventions.iter().cloned())
        .plugins(plugins.clone());
    Ok(load_path(&args.file, &options)?)
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
            Err(Failure(format!("cannot write output: {e}")))
        }
        _ => Ok(()),
    }
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
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure(msg)) => {
            eprintln!("error: {msg}");
            ExitCode::from(1)
        }
    }
}
