//! The `corpuslint` binary: a thin entry point. The command line lives in
//! `cli/`, one module per command; everything else is the library's.

mod cli;

/// mimalloc rather than the system allocator: regex compilation at start-up
/// and the many small allocations of findings spend a tenth of their time in
/// glibc's malloc and free, more with several threads.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    cli::run()
}
