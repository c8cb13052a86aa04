#!/bin/sh
# seed.sh TARGET DIR - write the seeds of one fuzz target taken from
# logs-sample/ and tests/fixtures/
# into DIR (emptied first).  Called by tests/fuzz/fuzz.mk; the committed
# seeds in tests/fuzz/seeds/TARGET/ are passed to the fuzzer directly.
#
# Line targets get chunks of a few lines (a parser target splits its input
# into lines, so a chunk exercises per-file state); the reader gets whole
# files, .gz as they are; the text targets get single lines.
set -e
t=$1
dir=$2
cd "$(dirname "$0")/../.." || exit 2
mkdir -p "$dir"
find "$dir" -type f ! -name .stamp -delete

# text of every file of the given subdirectories of logs-sample/ and
# tests/fixtures/ (README files and comment lines left out)
text() {
	for d in "$@"; do
		for base in logs-sample tests/fixtures; do
			[ -d "$base/$d" ] || continue
			find "$base/$d" -type f ! -name 'README*' | sort | while read -r f; do
				case $f in
				*.gz) gzip -dc "$f" ;;
				*) grep -v '^# ' "$f" || true ;;
				esac
			done
		done
	done
}

# chunks of $1 lines from stdin, named $2-NNNN
chunks() {
	split -l "$1" -d -a 4 - "$dir/$2-"
}

all="postfix dovecot-amavis exim directadmin google-workspace emaillabs"
case $t in
postfix) text postfix dovecot-amavis | chunks 8 pf ;;
exim) text exim | chunks 8 ex ;;
directadmin) text directadmin | chunks 8 da ;;
gws)
	# header + a few rows per seed: the header must come first
	f=$(find logs-sample/google-workspace -type f -name '*.csv' | sort | head -1)
	[ -n "$f" ] && head -n 6 "$f" >"$dir/gws-head"
	text google-workspace >"$dir/gws-all"
	;;
emaillabs)
	f=$(find logs-sample/emaillabs -type f -name '*.csv' | sort | head -1)
	[ -n "$f" ] && head -n 6 "$f" >"$dir/el-head"
	text emaillabs >"$dir/el-all"
	;;
csv)
	for f in $(find logs-sample/google-workspace logs-sample/emaillabs -type f | sort); do
		head -n 6 "$f" >"$dir/csv-$(basename "$f")"
	done
	;;
detect)
	for d in $all; do
		text "$d" | head -n 50 >"$dir/head-$d"
		text "$d" | chunks 20 "$d"
	done
	;;
lineio)
	n=0
	for f in $(find logs-sample tests/fixtures -type f ! -name 'README*' | sort); do
		n=$((n + 1))
		cp "$f" "$dir/file-$n-$(basename "$f")"
	done
	# lines around the 64 KiB cut (LINEIO_MAX_LINE), too big to commit:
	# exactly 64 KiB then a newline, one byte less before CRLF, longer,
	# and exactly 64 KiB at the end without a newline
	a() { head -c "$1" /dev/zero | tr '\0' "$2"; }
	{ a 65536 a; printf '\nnext\n'; } >"$dir/long-exact"
	{ a 65535 b; printf '\r\nnext\r\n'; } >"$dir/long-crlf"
	{ printf 'first\n'; a 70000 c; printf '\nnext\n'; } >"$dir/long-cut"
	{ printf 'first\n'; a 65536 d; } >"$dir/long-exact-eof"
	;;
load)
	# every sample file whole (the pipeline detects the format), and
	# chunks of 40 lines of each format
	n=0
	for f in $(find logs-sample tests/fixtures -type f ! -name 'README*' ! -name '*.gz' | sort); do
		n=$((n + 1))
		head -c 60000 "$f" >"$dir/file-$n-$(basename "$f")"
	done
	for d in $all; do
		text "$d" | chunks 40 "$d"
	done
	;;
mime | textsafe) text $all | grep -v '^$' | chunks 1 line ;;
timeparse) text $all | cut -c1-40 | chunks 1 ts ;;
query) ;; # committed seeds only (tests/fuzz/seeds/query)
*)
	echo "seed.sh: unknown target $t" >&2
	exit 1
	;;
esac
