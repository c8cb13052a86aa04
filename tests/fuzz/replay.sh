#!/bin/sh
# replay.sh [BUILD] - replay every fuzz target's committed inputs with the
# normal compiler: tests/fuzz/regress/<target>/ (crashes and leaks found
# by fuzzing, which must stay fixed), tests/fuzz/seeds/<target>/ and the
# matching logs-sample/ and tests/fixtures/ files (absent ones are
# skipped).  BUILD is build (default) or build-asan (adds ASan+UBSan, like
# the main build of that name).
#
# Prints one "PASS <target>: N inputs" or "FAIL <target>: <input>" line
# per target, for tests/run.sh; exit status 1 when any target failed.
cd "$(dirname "$0")/../.." || exit 2
build=${1:-build}
out=tests/fuzz/build/replay-$build
mkdir -p tests/fuzz/build
make -s --no-print-directory -f tests/fuzz/fuzz.mk replay BUILD="$build" >"$out.log" 2>&1 || {
	echo "FAIL fuzz replay: building $out/replay failed:"
	tail -n 20 "$out.log"
	exit 1
}
bin=$out/replay
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0:halt_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

status=0
log=$(mktemp)
trap 'rm -f "$log"' EXIT
for src in tests/fuzz/fuzz_*.c; do
	t=$(basename "$src" .c)
	t=${t#fuzz_}
	case $t in
	postfix) samples="logs-sample/postfix tests/fixtures/postfix tests/fixtures/dovecot-amavis" ;;
	exim | directadmin | emaillabs) samples="logs-sample/$t tests/fixtures/$t" ;;
	gws) samples="logs-sample/google-workspace tests/fixtures/google-workspace" ;;
	csv) samples="logs-sample/google-workspace logs-sample/emaillabs" ;;
	query) samples= ;;
	*) samples="logs-sample tests/fixtures" ;;
	esac
	# shellcheck disable=SC2086 # samples is a list of paths
	"$bin" "$t" "tests/fuzz/regress/$t" "tests/fuzz/seeds/$t" $samples >"$log" 2>&1
	rc=$?
	if [ $rc -eq 0 ] && grep -q "^PASS $t:" "$log"; then
		grep "^PASS $t:" "$log"
	else
		status=1
		if grep -q "^FAIL " "$log"; then
			grep "^FAIL " "$log" | head -n 1
		else
			last=$(sed -n 's/^input //p' "$log" | tail -n 1)
			echo "FAIL $t: ${last:-?} (exit status $rc)"
		fi
		grep -v -e '^FAIL ' -e '^input ' "$log" | head -n 30 | sed 's/^/    /'
	fi
done
exit $status
