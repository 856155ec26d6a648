//! `nomenclator`, the command line: names, DDL, sort and graph offline;
//! apply and drop against SQLite, PostgreSQL and MySQL/MariaDB, with the
//! plugin crates of `plugins/` registered.

/// mimalloc: the command line allocates many small strings and vectors;
/// it spends about half as long in the allocator as glibc malloc does.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    let plugins = nomenclator::Plugins::new()
        .with(nomenclator_digest::DigestPlugin)
        .with(nomenclator_digest::StrictPlugin);
    nomenclator_cli::main(plugins)
}
