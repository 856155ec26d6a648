//! The `nomenclator` command line as a library: [`main`] runs it with the
//! plugins you register, so a binary of your own can add plugins to the
//! bundled commands.
//!
//! A crate of its own in the workspace, so that a library user of
//! `nomenclator` compiles none of clap, indicatif or the database drivers.

// Errors travel only on the cold path, as in the library.
#![allow(clippy::result_large_err)]
#![warn(missing_docs)]

mod commands;

pub use commands::main;
