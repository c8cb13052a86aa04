#!/bin/sh
# Every test of mailtrail, twice: with the normal build (build/) and with
# the ASan+UBSan build (build-asan/).  Each suite prints "PASS name" /
# "FAIL name: why" lines (cmocka binaries are counted per test case).
# Ends with one line: "N passed, N failed"; exit status 1 on any failure.
cd "$(dirname "$0")/.." || exit 2
pass=0
fail=0
log=$(mktemp)
trap 'rm -f "$log"' EXIT

count() {
	# $1 = suite label; output of the suite is in $log; $2 = exit status
	p=$(grep -c '^PASS ' "$log")
	f=$(grep -c '^FAIL ' "$log")
	# cmocka: "[  PASSED  ] 12 test(s)." / "[  FAILED  ] 1 test(s), listed below:"
	cp=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' "$log" | head -1)
	cf=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' "$log" | head -1)
	p=$((p + ${cp:-0}))
	f=$((f + ${cf:-0}))
	if [ "$2" -ne 0 ] && [ "$f" -eq 0 ]; then
		f=1 # crashed or failed without saying which test
		echo "FAIL $1: exited with status $2"
	fi
	grep -E '^(FAIL |\[  FAILED  \]|\[  ERROR   \])' "$log" | sed "s|^|  $1: |"
	if [ "$f" -gt 0 ]; then
		echo "---- last lines of $1 ----"
		tail -n 25 "$log"
		echo "----"
	fi
	echo "$1: $p passed, $f failed"
	pass=$((pass + p))
	fail=$((fail + f))
}

suite() {
	label=$1
	shift
	"$@" >"$log" 2>&1
	count "$label" $?
}

for build in build build-asan; do
	[ -d "$build" ] || continue
	export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:halt_on_error=1
	export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
	for t in "$build"/tests/test_*; do
		[ -x "$t" ] || continue
		suite "$build/$(basename "$t")" "$t"
	done
	export MAILTRAIL="$build/mailtrail"
	suite "$build golden" sh tests/golden/run.sh
	suite "$build hostile" sh tests/hostile/run.sh
	# every input fuzzing ever crashed on, replayed with this build
	suite "$build fuzz-replay" sh tests/fuzz/replay.sh "$build"
	if command -v tmux >/dev/null 2>&1; then
		for e in tests/e2e/*.sh; do
			[ -f "$e" ] && suite "$build $(basename "$e" .sh)" sh "$e"
		done
	fi
	# memcheck on the normal build (valgrind and ASan do not mix)
	if [ "$build" = build ]; then
		suite "valgrind" sh tests/valgrind.sh
	fi
done
suite "layers" sh tests/check-layers.sh
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
