//! Bytes → `load_str` in both formats: any input gives a metadata or an
//! error, never a panic, a stack overflow or a hang; a metadata gives names
//! within each dialect's limit, and DDL (create and drop scripts) or an error.
#![no_main]

use libfuzzer_sys::fuzz_target;
use nomenclator::document::{load_str, Format, LoadOptions};
use nomenclator::naming::final_names;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let options = LoadOptions::default();
    for format in [Format::Json, Format::Toml] {
        if let Ok(md) = load_str(text, &options.clone().format(format).name("fuzz")) {
            for dialect in ["postgresql", "mysql", "sqlite"] {
                let rules = nomenclator::dialect::by_name(dialect).expect("dialect").name_rules(None);
                if let Ok(names) = final_names(&md, &rules) {
                    for n in names.iter().filter_map(|n| n.name.as_deref()) {
                        assert!(rules.limit.fits(n), "{n:?} over the {dialect} limit");
                    }
                }
                let d = nomenclator::dialect::by_name(dialect).expect("dialect");
                let options = nomenclator::ddl::DdlOptions::default();
                let _ = nomenclator::ddl::create_script(&md, d, &options);
                let _ = nomenclator::ddl::drop_script(&md, d, &options);
            }
        }
    }
});
