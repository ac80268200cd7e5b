//! Fuzz target: see `corpuslint::properties::rule_file` for what it checks.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    corpuslint::properties::rule_file(data);
});
