#!/bin/sh
# Golden outputs: run mailtrail on logs-sample/ with fixed zone, locale and
# year, and compare stdout and the exit status with tests/golden/expected/.
# Expected files are reviewed by a person line by line; UPDATE=1 rewrites
# them for that review (never commit them unread).
cd "$(dirname "$0")/../.." || exit 2
bin=${MAILTRAIL:-build/mailtrail}
export TZ=Europe/Warsaw LC_ALL=C.UTF-8 LANGUAGE= LANG=C.UTF-8
st=0
out=$(mktemp)
trap 'rm -f "$out"' EXIT
while IFS='|' read -r name args env; do
	case "$name" in '' | \#*) continue ;; esac
	exp="tests/golden/expected/$name.out"
	eval "set -- $args"
	# shellcheck disable=SC2086
	env $env "$bin" -q "$@" >"$out" 2>/dev/null
	echo "exit=$?" >>"$out"
	if [ -n "$UPDATE" ]; then
		cp "$out" "$exp"
		echo "PASS $name (rewritten: review it)"
	elif [ ! -f "$exp" ]; then
		echo "FAIL $name: no expected output $exp"
		st=1
	elif cmp -s "$out" "$exp"; then
		echo "PASS $name"
	else
		echo "FAIL $name: output differs from $exp"
		diff -u "$exp" "$out" | head -n 30
		st=1
	fi
done <tests/golden/cases
exit $st
