#!/bin/sh
# Hostile input: log fields are written by strangers.  Every case builds its
# input in a private temporary directory, runs the real binary and checks
# that it (a) does not crash or hang, (b) never writes a control character
# or invalid UTF-8 to the terminal outputs, (c) names the file and the
# position of what it could not read, and (d) still reads the rest.
cd "$(dirname "$0")/../.." || exit 2
root=$(pwd)
bin=${MAILTRAIL:-build/mailtrail}
case "$bin" in /*) ;; *) bin="$root/$bin" ;; esac
export TZ=UTC LC_ALL=C.UTF-8 LANGUAGE=
tmp=$(mktemp -d)
trap 'chmod -R u+w "$tmp" 2>/dev/null; rm -rf "$tmp"' EXIT
st=0
pass() { echo "PASS $1"; }
fail() { echo "FAIL $1: $2"; st=1; }

# run NAME ARGS... : stdout -> $tmp/out, stderr -> $tmp/err, status -> $rc
run() {
	timeout 120 "$bin" "$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	if [ $rc -ge 124 ]; then
		echo "  (exit status $rc: crash or timeout)"
		tail -n 5 "$tmp/err" | sed 's/^/  /'
	fi
}

# No byte below 0x20 except newline, no DEL, and valid UTF-8 in a file.
clean_text() {
	if LC_ALL=C grep -q "$(printf '[\001-\011\013-\037\177]')" "$1"; then
		echo "control character"
		return 1
	fi
	if ! iconv -f UTF-8 -t UTF-8 "$1" >/dev/null 2>&1; then
		echo "invalid UTF-8"
		return 1
	fi
	return 0
}

ESC=$(printf '\033')
BEL=$(printf '\007')
# --- terminal escapes in subject, sender, HELO -------------------------------
{
	echo "Nov 20 10:00:00 mx postfix/smtpd[100]: connect from evil${ESC}]0;pwned${BEL}.example[192.0.2.66]"
	echo "Nov 20 10:00:01 mx postfix/smtpd[100]: AAA111BBB2: client=evil.example[192.0.2.66]"
	echo "Nov 20 10:00:01 mx postfix/cleanup[101]: AAA111BBB2: message-id=<x${ESC}[2J@evil>"
	echo "Nov 20 10:00:01 mx postfix/cleanup[101]: AAA111BBB2: warning: header Subject: hi ${ESC}[31mRED${ESC}[0m ${ESC}]52;c;aGVsbG8=${BEL} =?UTF-8?B?G10wO293bmVkBw==?= from evil.example[192.0.2.66]; from=<a${ESC}[1m@evil> to=<v@example.pl> proto=ESMTP helo=<${ESC}]0;title${BEL}>"
	echo "Nov 20 10:00:01 mx postfix/qmgr[102]: AAA111BBB2: from=<a${ESC}[1m@evil>, size=100, nrcpt=1 (queue active)"
	echo "Nov 20 10:00:02 mx postfix/smtp[103]: AAA111BBB2: to=<v@example.pl>, relay=mx.example.pl[198.51.100.1]:25, delay=1, delays=0/0/0/1, dsn=5.1.1, status=bounced (host mx said: 550 5.1.1 ${ESC}[5mno${ESC}[0m (in reply to RCPT TO command))"
	printf 'Nov 20 10:00:03 mx postfix/cleanup[101]: CCC333DDD4: warning: header Subject: bad \300\257 overlong \355\240\200 surrogate \377 byte \302\233 c1 from local; from=<u@x> to=<v@y>\n'
	echo "Nov 20 10:00:03 mx postfix/qmgr[102]: CCC333DDD4: from=<u@x>, size=1, nrcpt=1 (queue active)"
} >"$tmp/escapes.log"
for mode in "--list" "--trace AAA111BBB2" "--json" "--trace CCC333DDD4"; do
	# shellcheck disable=SC2086
	run --year 2026 $mode "$tmp/escapes.log"
	why=$(clean_text "$tmp/out")
	if [ $rc -ge 2 ]; then
		fail "escapes $mode" "exit status $rc"
	elif [ -n "$why" ]; then
		fail "escapes $mode" "$why in stdout"
	elif ! grep -qE 'x1b|u001b|xc0|ufffd|\\u009b' "$tmp/out" && ! grep -q "$(printf '\357\277\275')" "$tmp/out"; then
		fail "escapes $mode" "the hostile bytes vanished instead of being shown escaped"
	else
		pass "escapes $mode"
	fi
done
why=$(clean_text "$tmp/err")
[ -z "$why" ] && pass "escapes stderr report" || fail "escapes stderr report" "$why"

# --- a pathological user regex is cut short with a message ------------------
{
	printf 'Nov 20 10:00:00 mx postfix/cleanup[1]: ABCDEF1234: warning: header Subject: '
	printf 'a%.0s' $(seq 1 60)
	printf 'b from local; from=<a@b> to=<c@d>\n'
	echo "Nov 20 10:00:01 mx postfix/qmgr[2]: ABCDEF1234: from=<a@b>, size=1, nrcpt=1 (queue active)"
} >"$tmp/patho.log"
run -q --list -E --subject '(a+)+$' --year 2026 "$tmp/patho.log"
if [ $rc -eq 1 ] && grep -q -- '--subject: the pattern needed too much work' "$tmp/err"; then
	pass "pathological regex stopped with a message"
else
	fail "pathological regex" "status $rc: $(head -c 300 "$tmp/err")"
fi

# --- a real sample as the "rest of the input" --------------------------------
good=logs-sample/postfix/mail.log
good_n=$(TZ=UTC "$bin" -q --list --year 2026 "$good" 2>/dev/null | wc -l)
[ "$good_n" -gt 5 ] && pass "baseline $good_n messages" || fail baseline "only $good_n messages"

# rest_is_read NAME FILE: the good lines appended after the hostile part are there
rest_is_read() {
	n=$("$bin" -q --list --year 2026 "$2" 2>"$tmp/err" | wc -l)
	if [ "$n" -ge "$good_n" ]; then
		pass "$1: rest of the file read ($n messages)"
	else
		fail "$1" "only $n of $good_n messages after the bad part"
	fi
}

# --- 1 MB and 100 MB lines --------------------------------------------------
{
	printf 'Nov 20 09:00:00 mx postfix/cleanup[1]: ABCDEF1234: warning: header Subject: '
	head -c 1048576 /dev/zero | tr '\0' 'A'
	printf ' from local; from=<a@b> to=<c@d>\n'
	cat "$good"
} >"$tmp/long1m.log"
rest_is_read "1 MB line" "$tmp/long1m.log"
grep -q 'long1m.log.*64 KiB' "$tmp/err" && pass "1 MB line reported" ||
	fail "1 MB line reported" "no diagnostic naming the file: $(head -c 300 "$tmp/err")"
{
	head -c 104857600 /dev/zero | tr '\0' 'B'
	printf '\n'
	cat "$good"
} >"$tmp/long100m.log"
rest_is_read "100 MB line" "$tmp/long100m.log"
rm -f "$tmp/long100m.log"

# --- NUL bytes, CRLF, lone CR ------------------------------------------------
{
	head -n 3 "$good"
	printf 'Nov 20 09:00:01 mx postfix/smtpd[7]: \000\000\000 connect from x[1.2.3.4]\000tail\n'
	printf '\000\000\000\000\n'
	tail -n +4 "$good"
} >"$tmp/nul.log"
rest_is_read "NUL bytes" "$tmp/nul.log"
sed 's/$/\r/' "$good" >"$tmp/crlf.log"
n=$("$bin" -q --list --year 2026 "$tmp/crlf.log" 2>/dev/null | wc -l)
[ "$n" -eq "$good_n" ] && pass "CRLF line ends ($n messages)" || fail "CRLF" "$n vs $good_n messages"
{
	printf 'Nov 20 08:00:00 mx postfix/qmgr[1]: 1234ABCDEF: removed\rNov 20 08:00:01 mx junk\r\n'
	cat "$good"
} >"$tmp/cr.log"
rest_is_read "lone CR" "$tmp/cr.log"

# --- gzip: truncated, corrupt CRC, concatenated members ---------------------
gzip -c "$good" >"$tmp/full.gz"
size=$(wc -c <"$tmp/full.gz")
head -c $((size / 2)) "$tmp/full.gz" >"$tmp/trunc.gz"
run -q --list --year 2026 "$tmp/trunc.gz" "$tmp/full.gz"
if grep -q 'trunc.gz.*truncated' "$tmp/err" && [ "$(wc -l <"$tmp/out")" -ge "$good_n" ]; then
	pass "truncated gzip: diagnostic and other file read"
else
	fail "truncated gzip" "status $rc, err: $(head -c 300 "$tmp/err")"
fi
cp "$tmp/full.gz" "$tmp/crc.gz"
# flip a bit of the CRC-32 in the 8-byte trailer
off=$((size - 8))
byte=$(od -An -tu1 -j $off -N1 "$tmp/crc.gz" | tr -d ' ')
printf "$(printf '\\%03o' $(((byte + 1) % 256)))" | dd of="$tmp/crc.gz" bs=1 seek=$off conv=notrunc 2>/dev/null
run -q --list --year 2026 "$tmp/crc.gz"
if grep -q 'crc.gz.*corrupt' "$tmp/err" && [ "$(wc -l <"$tmp/out")" -ge "$good_n" ]; then
	pass "corrupt gzip CRC: diagnostic, lines kept"
else
	fail "corrupt gzip CRC" "status $rc, err: $(head -c 300 "$tmp/err")"
fi
gzip -c logs-sample/postfix/mail.log.1 >"$tmp/part1.gz"
cat "$tmp/part1.gz" "$tmp/full.gz" >"$tmp/concat.gz"
n1=$("$bin" -q --list --year 2026 logs-sample/postfix/mail.log.1 "$good" 2>/dev/null | wc -l)
n2=$("$bin" -q --list --year 2026 "$tmp/concat.gz" 2>/dev/null | wc -l)
[ "$n1" -eq "$n2" ] && pass "concatenated gzip members ($n2 messages)" ||
	fail "concatenated gzip" "$n2 messages, expected $n1"

# --- empty file, not a log, devices -----------------------------------------
: >"$tmp/empty.log"
run -q --list --year 2026 "$tmp/empty.log" "$good"
grep -q 'empty.log.*empty' "$tmp/err" && [ "$(wc -l <"$tmp/out")" -eq "$good_n" ] &&
	pass "empty file" || fail "empty file" "$(head -c 200 "$tmp/err")"
head -c 200000 /dev/urandom >"$tmp/binary.bin"
head -c 10485760 /dev/zero >"$tmp/zero.bin"
run -q --list --year 2026 "$tmp/binary.bin" "$tmp/zero.bin" "$good"
if grep -q 'binary.bin.*not a mail log' "$tmp/err" && grep -q 'zero.bin.*not a mail log' "$tmp/err" &&
	[ "$(wc -l <"$tmp/out")" -eq "$good_n" ] && [ -z "$(clean_text "$tmp/err")" ]; then
	pass "binary junk and zeros: named, rest read"
else
	fail "binary junk" "$(head -c 300 "$tmp/err")"
fi
run -q --list /dev/zero "$good"
grep -q '/dev/zero.*not a regular file' "$tmp/err" && [ "$(wc -l <"$tmp/out")" -eq "$good_n" ] &&
	pass "/dev/zero refused" || fail "/dev/zero" "$(head -c 200 "$tmp/err")"
run -q --list "$tmp/does-not-exist.log" "$good"
grep -q 'does-not-exist.log: No such file' "$tmp/err" && [ $rc -eq 0 ] &&
	pass "missing file named, others read" || fail "missing file" "status $rc $(head -c 200 "$tmp/err")"

# --- 5000 small files -------------------------------------------------------
mkdir "$tmp/many"
i=0
while [ $i -lt 5000 ]; do
	printf 'Nov 20 10:%02d:%02d mx postfix/qmgr[9]: %010X: from=<s%d@example.pl>, size=10, nrcpt=1 (queue active)\n' \
		$((i / 60 % 60)) $((i % 60)) $((i + 1048576)) $i >"$tmp/many/f$i.log"
	i=$((i + 1))
done
run -q --list --year 2026 "$tmp/many"
[ "$(wc -l <"$tmp/out")" -eq 5000 ] && pass "directory of 5000 files" ||
	fail "5000 files" "$(wc -l <"$tmp/out") messages, status $rc"
rm -rf "$tmp/many"

# --- Exim lines naming thousands of recipients ------------------------------
# 40 messages, each "for" ~3,000 addresses filling a 64 KiB line (a spam
# run's shape): every address kept once, nothing quadratic in the list.
awk 'BEGIN {
	for (k = 0; k < 40; k++) {
		line = sprintf("2026-11-20 10:00:%02d [55461] 1mZz%02d-000001-Ab <= spam@evil.example H=(pc) [203.0.113.9]:53011 P=esmtp S=2000 id=x%d@evil.example T=\"hi\" from <spam@evil.example> for", k, k, k)
		for (i = 0; length(line) < 65000; i++)
			line = line sprintf(" r%d@victim.example", i)
		print line
	}
}' >"$tmp/bigrcpt.log"
want=$(head -n 1 "$tmp/bigrcpt.log" | tr ' ' '\n' | grep -c '@victim.example$')
run -q --json "$tmp/bigrcpt.log"
got=$(head -n 1 "$tmp/out" | tr '{' '\n' | grep -c '"address":"r[0-9]*@victim.example"')
if [ $rc -eq 0 ] && [ "$(wc -l <"$tmp/out")" -eq 40 ] && [ "$got" -eq "$want" ]; then
	pass "40 lines of $want recipients each"
else
	fail "long recipient lists" "status $rc, $(wc -l <"$tmp/out") messages, $got of $want recipients"
fi

# --- one message with tens of thousands of lines ----------------------------
# 30,000 deliveries with the clock zigzagging (each pair of seconds swapped)
# and 50,000 deferrals of another message: every line kept, in time order,
# in linear time and memory (re-packing a deferred message on every
# attempt once took 4 GB for the second file; the memory cap below, on
# the normal build, would catch that).
awk 'BEGIN {
	print "2026-11-20 10:00:00 [1] 1mZz00-000001-Ab <= a@b.example H=(pc) [203.0.113.9]:5301 P=esmtp S=2000 id=x@e T=\"hi\" from <a@b.example> for r@x.example"
	for (i = 0; i < 30000; i++) {
		t = i % 2 ? i - 1 : i + 1
		printf "2026-11-20 %02d:%02d:%02d [2] 1mZz00-000001-Ab => u%d@victim.example R=dnslookup T=remote_smtp H=mx.victim.example [192.0.2.1] C=\"250 OK\"\n", 11 + int(t / 3600), int(t / 60) % 60, t % 60, i
	}
}' >"$tmp/manydeliv.log"
awk 'BEGIN {
	print "2026-11-20 10:00:00 [1] 1mZz01-000001-Ab <= a@b.example H=(pc) [203.0.113.9]:5301 P=esmtp S=2000 id=y@e T=\"hi\" from <a@b.example> for r@x.example"
	for (i = 0; i < 50000; i++)
		printf "2026-11-%02d %02d:%02d:%02d [2] 1mZz01-000001-Ab == r@x.example R=dnslookup T=remote_smtp defer (-44): SMTP error from remote mail server after RCPT TO:<r@x.example>: 451 4.7.1 Greylisted\n", 20 + int((10 + int(i / 3600)) / 24), (10 + int(i / 3600)) % 24, int(i / 60) % 60, i % 60
}' >"$tmp/manydefer.log"
case "$bin" in
*asan*) cap="" ;;                     # ASan reserves terabytes of address space
*) cap="ulimit -v 1500000;" ;;        # 1.5 GB
esac
timeout 120 sh -c "$cap exec \"\$0\" -q --json \"\$1\" \"\$2\"" "$bin" "$tmp/manydeliv.log" "$tmp/manydefer.log" >"$tmp/out" 2>"$tmp/err"
rc=$?
nd=$(tr '{' '\n' <"$tmp/out" | grep -c '"address":"u[0-9]*@victim.example"')
nev=$(tr '{' '\n' <"$tmp/out" | grep -c '"kind":"deferred"')
if [ $rc -eq 0 ] && [ "$(wc -l <"$tmp/out")" -eq 2 ] && [ "$nd" -eq 30000 ] && [ "$nev" -eq 50000 ]; then
	pass "one message of 30,000 deliveries, one of 50,000 deferrals"
else
	fail "huge messages" "status $rc, $(wc -l <"$tmp/out") messages, $nd recipients, $nev deferrals; $(head -c 200 "$tmp/err")"
fi

# --- a file that grows while it is read -------------------------------------
cp "$good" "$tmp/grow.log"
(
	i=0
	while [ $i -lt 2000 ]; do
		cat "$good" >>"$tmp/grow.log"
		i=$((i + 1))
	done
) &
writer=$!
run -q --list --year 2026 "$tmp/grow.log"
wait $writer
[ $rc -le 1 ] && [ "$(wc -l <"$tmp/out")" -ge "$good_n" ] && pass "growing file" ||
	fail "growing file" "status $rc"

# --- read-only: logs and working directory read-only, nothing opened to write
mkdir -p "$tmp/ro/logs" "$tmp/ro/cwd"
cp -r logs-sample/postfix "$tmp/ro/logs/"
chmod -R a-w "$tmp/ro"
if command -v strace >/dev/null 2>&1; then
	# LeakSanitizer cannot run under ptrace: leaks are checked elsewhere
	(cd "$tmp/ro/cwd" && ASAN_OPTIONS=detect_leaks=0 strace -f -e trace=open,openat,creat -o "$tmp/strace.txt" \
		"$bin" -q --list --year 2026 "$tmp/ro/logs/postfix" >"$tmp/out" 2>"$tmp/err")
	rc=$?
	writes=$(grep -E 'O_WRONLY|O_RDWR|O_CREAT|creat\(' "$tmp/strace.txt" | grep -v ENOENT)
	if [ $rc -eq 0 ] && [ -z "$writes" ]; then
		pass "read-only run: no file opened for writing"
	else
		fail "read-only run" "status $rc; $writes"
	fi
else
	(cd "$tmp/ro/cwd" && "$bin" -q --list --year 2026 "$tmp/ro/logs/postfix" >"$tmp/out" 2>"$tmp/err")
	[ $? -eq 0 ] && pass "read-only run (strace missing: writes not checked)" || fail "read-only run" "$(cat "$tmp/err")"
fi
exit $st
