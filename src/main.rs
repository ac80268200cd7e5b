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
    purge_soon();
    cli::run()
}

/// mimalloc's `mi_option_purge_delay` (`mimalloc.h`; the bindings name no
/// constant for it): how long freed memory stays committed, in ms.
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// Freed memory goes back to the system after 10 ms (mimalloc 2's default)
/// rather than mimalloc 3's 1,000 ms. The lazy DFAs of the line patterns
/// grow by doubling their tables, and every document's buffers come and go:
/// held for a second, the freed blocks kept a two-thread run on real pages
/// about 25 MB higher (160 → 135 MB) for no measured speed. An explicit
/// `MIMALLOC_PURGE_DELAY` still wins.
fn purge_soon() {
    if std::env::var_os("MIMALLOC_PURGE_DELAY").is_none() {
        // SAFETY: sets one of mimalloc's integer options; the allocator
        // reads it on its next purge.
        unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, 10) }
    }
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

#[cfg(test)]
mod tests {
    /// The option number is mimalloc's `purge_delay`: its default in
    /// mimalloc 3 is 1,000 ms, the number after it (`use_numa_nodes`) is 0.
    #[test]
    fn purge_delay_option_is_the_one_set() {
        // SAFETY: reads integer options.
        let (delay, numa) = unsafe {
            (
                libmimalloc_sys::mi_option_get(super::MI_OPTION_PURGE_DELAY),
                libmimalloc_sys::mi_option_get(super::MI_OPTION_PURGE_DELAY + 1),
            )
        };
        if std::env::var_os("MIMALLOC_PURGE_DELAY").is_none() {
            assert_eq!(delay, 1000);
        }
        assert_eq!(numa, 0);
    }
}
