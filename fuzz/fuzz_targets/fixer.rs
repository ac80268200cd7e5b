//! Fuzz target: see `corpuslint::properties::fixer` for what it checks.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    corpuslint::properties::fixer(data);
});
