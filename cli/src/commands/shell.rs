//! `nomenclator completions SHELL` and `nomenclator man`: what installers
//! and packagers put next to the binary, generated from the same clap
//! definition as the parser, so they never disagree with it.

use std::path::PathBuf;

use clap::{Args, CommandFactory};
use clap_complete::Shell;

use super::{emit, Cli, Failure};

#[derive(Args, Debug)]
pub(crate) struct CompletionsArgs {
    /// The shell: bash, zsh, fish, elvish or powershell.
    #[arg(value_enum)]
    shell: Shell,
}

/// The completion script for a shell, on standard output.
pub(crate) fn completions(a: &CompletionsArgs) -> Result<(), Failure> {
    let mut cmd = Cli::command();
    let mut out = Vec::new();
    clap_complete::generate(a.shell, &mut cmd, "nomenclator", &mut out);
    emit(&String::from_utf8_lossy(&out))
}

#[derive(Args, Debug)]
pub(crate) struct ManArgs {
    /// Print the page of this command (nomenclator-COMMAND(1)) instead of nomenclator(1).
    #[arg(value_name = "COMMAND", value_parser = command_name)]
    command: Option<String>,
    /// Write every page (nomenclator.1, nomenclator-apply.1, ...) into this directory instead.
    #[arg(long, value_name = "DIR", conflicts_with = "command")]
    out_dir: Option<PathBuf>,
}

/// The command with its subcommands built, so that each has its full name
/// (`nomenclator-apply`) as the title of its page.
fn built() -> clap::Command {
    let mut cmd = Cli::command().disable_help_subcommand(true);
    cmd.build();
    cmd
}

fn command_name(s: &str) -> Result<String, String> {
    let cmd = built();
    if cmd.find_subcommand(s).is_some() {
        return Ok(s.to_owned());
    }
    let names: Vec<&str> = cmd.get_subcommands().map(|c| c.get_name()).collect();
    Err(format!("no command {s:?}: one of {}", names.join(", ")))
}

/// Manual pages in roff: one on standard output, or all of them into a directory.
pub(crate) fn man(a: &ManArgs) -> Result<(), Failure> {
    let cmd = built();
    let source = format!("nomenclator {}", env!("CARGO_PKG_VERSION"));
    let page = |c: clap::Command| clap_mangen::Man::new(c).source(source.clone());
    if let Some(dir) = &a.out_dir {
        let pages = std::iter::once(cmd.clone()).chain(cmd.get_subcommands().cloned());
        for c in pages {
            page(c).generate_to(dir).map_err(|e| {
                Failure::new(format!("cannot write the pages to {}: {e}", dir.display()))
            })?;
        }
        eprintln!("man: wrote the manual pages to {}", dir.display());
        return Ok(());
    }
    let which = match &a.command {
        Some(name) => cmd
            .find_subcommand(name)
            .cloned()
            .ok_or_else(|| Failure::new(format!("no command {name:?}")))?,
        None => cmd,
    };
    let mut out = Vec::new();
    page(which).render(&mut out)?;
    emit(&String::from_utf8_lossy(&out))
}
