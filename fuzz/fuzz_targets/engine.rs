//! Fuzz target: see `corpuslint::properties::engine` for what it checks.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    corpuslint::properties::engine(data);
});
