#!/bin/sh
# make bench: generate a deterministic >= 1 GiB rotated Postfix + Exim set
# (once; kept in build/bench/), then measure side by side in one run:
#   - zcat -f of the same files (the baseline),
#   - mailtrail's full load (parse + correlate + filter, no output),
#   - mailtrail --trace of one id (load included),
# reporting wall time, the ratio to zcat, throughput and peak RSS as a
# fraction of the uncompressed size.  BENCH_MB overrides the size.
cd "$(dirname "$0")/../.." || exit 2
mb=${BENCH_MB:-1100}
dir=build/bench/set-$mb
bin=${MAILTRAIL:-build/mailtrail}
mkdir -p build/bench
cc -O2 -std=c11 -D_GNU_SOURCE -o build/bench/gen tests/bench/gen.c || exit 2
cc -O2 -std=c11 -D_GNU_SOURCE -o build/bench/runstat tests/bench/runstat.c || exit 2
if [ ! -f "$dir/.done" ]; then
	echo "generating $mb MB of logs in $dir (once) ..."
	rm -rf "$dir"
	mkdir -p "$dir"
	build/bench/gen "$dir" "$mb" || exit 2
	for f in "$dir"/mail.log.[2-9] "$dir"/mainlog.[2-9]; do
		gzip -n -6 "$f"
	done
	touch "$dir/.done"
fi
files=$(ls "$dir"/mail.log* "$dir"/mainlog* | tr "\n" " ")
raw=$(zcat -f $files | wc -c)
comp=$(cat $files | wc -c)
echo "set: $(echo $files | wc -w) files, $((raw >> 20)) MiB uncompressed, $((comp >> 20)) MiB on disk"
# warm the page cache so both runs read from memory
cat $files >/dev/null
# runstat's figures (wall seconds ... peak KiB) are the last line of its
# standard error.  Shared 2-core machines are noisy, so zcat, the load
# and the trace run ROUNDS times, interleaved, and the medians are
# compared; every round is printed too.
rounds=${BENCH_ROUNDS:-3}
id=$(zcat -f "$dir/mail.log.4.gz" | sed -n 's/.*: \([0-9A-F]\{10\}\): client=.*/\1/p' | sed -n 5000p)
zs= ms= mrs= ts=
r=0
while [ "$r" -lt "$rounds" ]; do
	r=$((r + 1))
	z=$(build/bench/runstat sh -c "zcat -f $files" 2>&1 >/dev/null | tail -n 1)
	m=$(build/bench/runstat "$bin" -q --list --msgid no-such-message-id $files 2>&1 >/dev/null | tail -n 1)
	t=$(build/bench/runstat "$bin" -q --trace "$id" $files 2>&1 >/dev/null | tail -n 1)
	echo "round $r: zcat ${z%% *} s, load ${m%% *} s (peak ${m##* } KiB), trace ${t%% *} s"
	zs="$zs ${z%% *}" ms="$ms ${m%% *}" mrs="$mrs ${m##* }" ts="$ts ${t%% *}"
done
median() { echo "$@" | tr ' ' '\n' | sed '/^$/d' | sort -g | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}'; }
zw=$(median $zs)
mw=$(median $ms)
mr=$(median $mrs)
tw=$(median $ts)
awk -v zw="$zw" -v mw="$mw" -v mr="$mr" -v tw="$tw" -v raw="$raw" -v id="$id" -v n="$rounds" 'BEGIN {
	printf "medians of %d rounds:\n", n
	printf "zcat -f          %7.2f s  (baseline 1.00x)  %6.0f MB/s\n", zw, raw / 1e6 / zw
	printf "mailtrail load   %7.2f s  (%.2fx zcat)       %6.0f MB/s  peak RSS %.0f MiB = %.3fx uncompressed\n", mw, mw / zw, raw / 1e6 / mw, mr / 1024, mr * 1024 / raw
	printf "mailtrail --trace %s  %6.2f s  (%.2fx zcat, load included)\n", id, tw, tw / zw
}'
