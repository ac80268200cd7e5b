#!/usr/bin/env bash
# The Python package against real engines: build the abi3 wheel, then run
# the core tests and each engine's tests in a venv of its own (datatrove,
# Ray and Spark pin different pandas; dolma and datatrove in one venv
# downgrade one another). Every dependency is pinned in
# python/tests/requirements/*.txt and installed without resolution.
#
#   scripts/python_tests.sh              # core, spark, ray, datatrove
#   scripts/python_tests.sh core ray     # some of them
#
# Venvs live in target/py/<name> and are reused while their lock file is
# unchanged. A skipped engine test fails the run (CORPUSLINT_NO_SKIP), and
# so does pytest's exit code 5 (no tests ran). Spark needs Java 17+.
set -euo pipefail
cd "$(dirname "$0")/.."

suites=("$@")
[ ${#suites[@]} -gt 0 ] || suites=(core spark ray datatrove)

# Ray 2.60, pyspark 4.3 and datatrove 0.10 all have wheels for 3.10–3.12.
py=""
for candidate in python3.11 python3.12 python3.10 python3; do
  if command -v "$candidate" >/dev/null &&
     "$candidate" -c 'import sys; sys.exit(not (3, 10) <= sys.version_info[:2] <= (3, 12))' 2>/dev/null; then
    py=$candidate
    break
  fi
done
[ -n "$py" ] || { echo "python_tests: no Python 3.10 to 3.12 found" >&2; exit 1; }

venv() {
  local name=$1 lock=python/tests/requirements/$1.txt dir=target/py/$1
  if [ ! -f "$dir/lock.txt" ] || ! cmp -s "$lock" "$dir/lock.txt"; then
    rm -rf "$dir"
    "$py" -m venv "$dir"
    "$dir/bin/pip" install --quiet --disable-pip-version-check --no-deps -r "$lock"
    cp "$lock" "$dir/lock.txt"
  fi
  echo "$dir"
}

core=$(venv core)
rm -rf target/py/wheels
"$core/bin/maturin" build --quiet --release --locked -m python/Cargo.toml -o target/py/wheels
wheel=$(ls target/py/wheels/corpuslint-*-abi3-*.whl)
echo "python_tests: built $wheel"
cargo build --release --locked --quiet   # the CLI the tests compare with

status=0
for suite in "${suites[@]}"; do
  case $suite in
    core) dir=$core; tests=python/tests/test_core.py ;;
    spark | ray | datatrove) dir=$(venv "$suite"); tests=python/tests/test_$suite.py ;;
    *) echo "python_tests: unknown suite $suite" >&2; exit 1 ;;
  esac
  "$dir/bin/pip" install --quiet --disable-pip-version-check --no-deps --force-reinstall "$wheel"
  echo "python_tests: $suite"
  # Run from the tests folder, so that `corpuslint` is the installed wheel,
  # not the source folder beside it.
  rc=0
  (cd python/tests && PYSPARK_PYTHON="$PWD/../../$dir/bin/python" CORPUSLINT_NO_SKIP=1 \
     CORPUSLINT_BIN="$PWD/../../target/release/corpuslint" \
     "../../$dir/bin/python" -m pytest -q -p no:cacheprovider -rs "$(basename "$tests")") || rc=$?
  if [ $rc -ne 0 ]; then
    [ $rc -eq 5 ] && echo "python_tests: $suite: no test ran (pytest exit 5)" >&2
    echo "python_tests: $suite FAILED (exit $rc)" >&2
    status=1
  fi
done
exit $status
