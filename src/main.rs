//! The `corpuslint` binary: a thin entry point. The command line lives in
//! `cli/`, one module per command; everything else is the library's.

mod cli;

// The system allocator. mimalloc was the allocator until 2026-12-05: the
// checks have since come to reuse their buffers, and with glibc's malloc a
// run takes as long (plain files, the 110 MB shard, one to eight threads;
// `filter` within 2 %) and 15 MB less memory at peak (a one-line file 21
// → 14 MB, the 1 GB shard 111–114 → 96–98 MB). The heap itself is the
// same (94 MB at peak on the 110 MB shard, heaptrack); mimalloc kept about
// 15 MB more of it committed.

fn main() -> std::process::ExitCode {
    no_huge_pages();
    cli::run()
}

/// Transparent huge pages off for this process. With the kernel's THP set
/// to `always`, each fresh 2 MB region of the heap is faulted in and zeroed
/// whole: a run of `check` on one line of text grew to 120 MB resident and
/// spent a third of its start-up in the kernel clearing pages. The flag
/// counts from the next page fault on, so the few allocations before `main`
/// lose nothing of it.
fn no_huge_pages() {
    #[cfg(target_os = "linux")]
    // SAFETY: prctl with PR_SET_THP_DISABLE takes plain integers and only
    // sets a flag on this process; a kernel without it returns an error,
    // which changes nothing.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
}
