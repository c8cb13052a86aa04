#!/bin/sh
# Set-up for `make run` / `make test`: find the Debian packages that are
# missing and install them when we are root; otherwise print the exact line
# to run.  Arguments: the package names the build and the tests need.
missing=""
for p in "$@"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" = 0 ]; then
	echo "mailtrail set-up: installing$missing"
	export DEBIAN_FRONTEND=noninteractive
	apt-get install -y -qq $missing >/dev/null 2>&1 ||
		{ apt-get update -qq && apt-get install -y -qq $missing; } || {
		echo "mailtrail set-up: apt-get install failed for:$missing" >&2
		exit 1
	}
else
	echo "mailtrail set-up: missing packages:$missing" >&2
	echo "run as root:  apt-get install -y$missing" >&2
	exit 1
fi
