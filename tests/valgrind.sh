#!/bin/sh
# The CLI paths under valgrind memcheck: no invalid read or write, no
# uninitialised value used, no leak.  Runs on logs-sample/ (all formats),
# so every parser, the correlator, the trace re-reading (gzip access
# points included) and every output are exercised.
cd "$(dirname "$0")/.." || exit 2
bin=${MAILTRAIL:-build/mailtrail}
if ! command -v valgrind >/dev/null 2>&1; then
	echo "PASS valgrind: not installed, skipped"
	exit 0
fi
export TZ=Europe/Warsaw LC_ALL=C.UTF-8
st=0
log=$(mktemp)
trap 'rm -f "$log"' EXIT
check() {
	name=$1
	shift
	valgrind --quiet --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect \
		--track-origins=yes "$bin" -q "$@" >/dev/null 2>"$log"
	rc=$?
	if [ $rc -eq 99 ] || grep -q '==[0-9]*==' "$log"; then
		echo "FAIL valgrind $name"
		grep '==[0-9]*==' "$log" | head -20
		st=1
	else
		echo "PASS valgrind $name"
	fi
}
check list --year 2026 --list logs-sample/
check json --year 2026 --json logs-sample/
check trace --year 2026 --trace B7E21E0517 logs-sample/
check stats --year 2026 --stats --json logs-sample/
check filters --year 2026 --list -E --from 'anna|fred' --since 2026-11-19 --status bounced,delivered logs-sample/
exit $st
