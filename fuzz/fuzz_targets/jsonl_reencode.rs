//! Fuzz target: see `corpuslint::properties::jsonl_reencode` for what it checks.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    corpuslint::properties::jsonl_reencode(data);
});
