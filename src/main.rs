//! The `nomenclator` binary: a thin entry to [`nomenclator::cli`].
//!
//! The binary is a crate of its own, apart from the library, so it can
//! compile in the plugin crates bundled in `plugins/` (which depend on the
//! library and so cannot be dependencies of its package).

#[path = "../plugins/nomenclator-digest/src/lib.rs"]
mod digest;

/// mimalloc: the command line allocates many small strings and vectors;
/// it spends about half as long in the allocator as glibc malloc does.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    let plugins = nomenclator::Plugins::new()
        .with(digest::DigestPlugin)
        .with(digest::StrictPlugin);
    nomenclator::cli::main(plugins)
}
