//! Time spent per check, for profiling the engine: with the environment
//! variable `CORPUSLINT_TIMINGS` set, every check's run is timed and the
//! totals go to standard error when the command ends (CPU time of all
//! worker threads summed, so it may exceed the wall time). Unset, a check
//! costs one relaxed load.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

/// 0: not yet read, 1: off, 2: on.
static STATE: AtomicU8 = AtomicU8::new(0);
static TOTALS: Mutex<Option<HashMap<&'static str, (Duration, u64)>>> = Mutex::new(None);

/// Whether `CORPUSLINT_TIMINGS` is set.
pub fn enabled() -> bool {
    match STATE.load(Ordering::Relaxed) {
        0 => {
            let on = std::env::var_os("CORPUSLINT_TIMINGS").is_some();
            STATE.store(if on { 2 } else { 1 }, Ordering::Relaxed);
            on
        }
        s => s == 2,
    }
}

/// Runs `f`, adding its time to `name`'s total when timings are on.
pub fn time<R>(name: &'static str, f: impl FnOnce() -> R) -> R {
    if !enabled() {
        return f();
    }
    let start = Instant::now();
    let r = f();
    let took = start.elapsed();
    let mut totals = TOTALS.lock().unwrap_or_else(PoisonError::into_inner);
    let entry = totals
        .get_or_insert_with(HashMap::new)
        .entry(name)
        .or_default();
    entry.0 += took;
    entry.1 += 1;
    r
}

/// The totals, largest first, as a table for standard error; `None`
/// when timings are off.
pub fn report() -> Option<String> {
    if !enabled() {
        return None;
    }
    let totals = TOTALS.lock().unwrap_or_else(PoisonError::into_inner);
    let mut rows: Vec<_> = totals.as_ref()?.iter().collect();
    rows.sort_by(|a, b| b.1.0.cmp(&a.1.0).then(a.0.cmp(b.0)));
    let all: Duration = rows.iter().map(|r| r.1.0).sum();
    let mut out = String::from("timings (CPU time summed over threads):\n");
    for (name, (took, calls)) in rows {
        let short = name.rsplit("::").next().unwrap_or(name);
        out.push_str(&format!(
            "{:>9.1} ms {:>5.1}% {:>8} calls  {short}\n",
            took.as_secs_f64() * 1e3,
            100.0 * took.as_secs_f64() / all.as_secs_f64().max(1e-9),
            calls
        ));
    }
    Some(out)
}
