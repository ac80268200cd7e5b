//! The `corpuslint` binary: a thin entry point. The command line lives in
//! `cli/`, one module per command; everything else is the library's.

mod cli;

/// mimalloc rather than the system allocator: regex compilation at start-up
/// and the many small allocations of findings spend a tenth of their time in
/// glibc's malloc and free, more with several threads.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    no_huge_pages();
    cli::run()
}

/// Transparent huge pages off for this process. With the kernel's THP set
/// to `always`, each fresh 2 MB region of the heap is faulted in and zeroed
/// whole: a run of `check` on one line of text grew to 120 MB resident and
/// spent a third of its start-up in the kernel clearing pages. The flag
/// counts from the next page fault on, so the few allocations before `main`
/// lose nothing of it. (mimalloc's `MIMALLOC_ALLOW_THP=0` does the same, but
/// as an environment variable it would be the user's to set.)
fn no_huge_pages() {
    #[cfg(target_os = "linux")]
    // SAFETY: prctl with PR_SET_THP_DISABLE takes plain integers and only
    // sets a flag on this process; a kernel without it returns an error,
    // which changes nothing.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
}
