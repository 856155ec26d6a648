//! `nomenclator`, the command line: names, DDL, sort and graph offline;
//! apply and drop against SQLite, PostgreSQL and MySQL/MariaDB, with the
//! plugin crates of `plugins/` registered: `digest` and `strict`, the
//! native handlers `postgresql-native`, `mariadb-native` and `mysql-native`
//! that the `postgresql`, `mariadb` and `mysql` packs use, and the
//! constraint conventions `boolean-checks`, `enums`, `index-foreign-keys`
//! and `house-rules`.

mod alloc;

/// mimalloc: the command line allocates many small strings and vectors;
/// it spends about half as long in the allocator as glibc malloc does.
#[global_allocator]
static GLOBAL: alloc::Mimalloc = alloc::Mimalloc;

fn main() -> std::process::ExitCode {
    let mut plugins = nomenclator::Plugins::new()
        .with(nomenclator_digest::DigestPlugin)
        .with(nomenclator_digest::StrictPlugin);
    for native in nomenclator_native::NativePlugin::all() {
        plugins.register(native);
    }
    nomenclator_conventions::register(&mut plugins);
    nomenclator_cli::main(plugins)
}
