#!/usr/bin/env bash
# Fuzz corpuslint: seed each target's corpus, then run the targets.
#
#   scripts/fuzz.sh                 # every target for 60 s (the CI smoke test)
#   scripts/fuzz.sh 1800 fixer      # one target for 30 minutes
#   FUZZ_JOBS=2 scripts/fuzz.sh 1800  # two targets at a time
#
# Needs cargo-fuzz (`cargo install cargo-fuzz --version 0.13.2 --locked`)
# and a nightly toolchain; without one, the stable compiler is told to
# accept the nightly flags (RUSTC_BOOTSTRAP=1). Corpora live in
# fuzz/corpus/<target> (not checked in); crashes land in
# fuzz/artifacts/<target>: copy each into tests/fuzz_regressions/<target>/,
# where `cargo test` keeps checking it.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${1:-60}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(engine fixer rule_file jsonl_reencode)

if rustup toolchain list 2>/dev/null | grep -q '^nightly'; then
  toolchain=(+nightly)
else
  toolchain=()
  export RUSTC_BOOTSTRAP=1
fi

python3 scripts/fuzz_seeds.py ${FUZZ_SEEDS:-}

# Release builds with debug assertions and overflow checks (cargo-fuzz's
# default), so an arithmetic slip is a crash, not a wrong answer. No
# sanitizer: the code is safe Rust but for a UTF-8 conversion after
# validation, and AddressSanitizer would cost two thirds of the speed.
(cd fuzz && cargo "${toolchain[@]}" fuzz build --sanitizer none 2>&1 | tail -1)

run() {
  local t=$1
  local log=fuzz/fuzz-$t.log
  local status=0
  (cd fuzz && cargo "${toolchain[@]}" fuzz run --sanitizer none "$t" "corpus/$t" -- \
      -max_total_time="$seconds" -max_len=16384 -timeout=20 -rss_limit_mb=4096 \
      -print_final_stats=1) >"$log" 2>&1 || status=$?
  local runs
  runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo "?")
  if [ $status -eq 0 ]; then
    echo "fuzz $t: ok, $runs executions in ${seconds} s"
  else
    echo "fuzz $t: FAILED (exit $status), see $log and fuzz/artifacts/$t"
    tail -40 "$log"
  fi
  return $status
}

jobs=${FUZZ_JOBS:-1}
failed=0
pids=()
for t in "${targets[@]}"; do
  run "$t" &
  pids+=($!)
  if [ ${#pids[@]} -ge "$jobs" ]; then
    wait "${pids[0]}" || failed=1
    pids=("${pids[@]:1}")
  fi
done
for p in "${pids[@]}"; do wait "$p" || failed=1; done
exit $failed
