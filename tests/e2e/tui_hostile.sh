#!/bin/sh
# tests/e2e/tui_hostile.sh - log fields with terminal escape sequences
# (CSI colour, OSC 0 title, OSC 52 clipboard, C1 CSI, bidi override) shown
# in the real TUI inside tmux: the pane must show them as visible escapes,
# the pane title must not change, and the clipboard escape must not reach
# tmux's paste buffers.
cd "$(dirname "$0")/../.." || exit 2
MT=${MAILTRAIL:-build/mailtrail}
SOCK="mailtrail-hostile-test-$$"
SAMPLES=
fails=0
. tests/e2e/lib.inc

ESC=$(printf '\033')
BEL=$(printf '\007')
log="$tmpd/evil.log"
{
	echo "Nov 20 10:00:00 mx postfix/smtpd[100]: connect from evil.example[192.0.2.66]"
	echo "Nov 20 10:00:01 mx postfix/smtpd[100]: AAA111BBB2: client=evil.example[192.0.2.66]"
	echo "Nov 20 10:00:01 mx postfix/cleanup[101]: AAA111BBB2: warning: header Subject: ${ESC}]0;PWNED-TITLE${BEL}hi ${ESC}[31mRED${ESC}]52;c;cHduZWQ=${BEL} from evil.example[192.0.2.66]; from=<a${ESC}[7m@evil> to=<v@example.pl> proto=ESMTP helo=<x>"
	echo "Nov 20 10:00:01 mx postfix/qmgr[102]: AAA111BBB2: from=<a${ESC}[7m@evil>, size=100, nrcpt=1 (queue active)"
	printf 'Nov 20 10:00:02 mx postfix/smtp[103]: AAA111BBB2: to=<v@example.pl>, relay=mx[198.51.100.1]:25, delay=1, delays=0/0/0/1, dsn=5.1.1, status=bounced (host mx said: 550 5.1.1 \342\200\256gnp.exe \302\233c (in reply to RCPT TO command))\n'
} >"$log"

e2e_setup
t set-option -t mt set-titles on >/dev/null 2>&1
before_title=$(t display -p -t mt '#{pane_title}')
type_text "$MT --year 2026 $log; echo rc=\$?"
keys Enter
expect_running=1
if wait_for '1 of 1 message' && wait_for 'x1b'; then
	pass "list-shows-escapes"
else
	fail "list-shows-escapes" "the escape sequences are not shown as text in the list"
fi
keys Enter
if wait_for 'x1b\]0;PWNED-TITLE' && wait_for '550 5.1.1'; then
	pass "trace-shows-escapes"
else
	fail "trace-shows-escapes" "the trace does not show the OSC title sequence escaped"
fi
after_title=$(t display -p -t mt '#{pane_title}')
if [ "$after_title" = "$before_title" ] && ! echo "$after_title" | grep -q PWNED; then
	pass "title-unchanged"
else
	fail "title-unchanged" "pane title changed to \"$after_title\""
fi
if t show-buffer 2>/dev/null | grep -q pwned; then
	fail "clipboard-untouched" "the OSC 52 sequence reached tmux's buffer"
else
	pass "clipboard-untouched"
fi
if screen | grep -q "$ESC"; then
	fail "no-raw-escape" "a raw ESC byte is on the screen"
else
	pass "no-raw-escape"
fi
keys Q
expect_running=0
if wait_for '^rc=0' 10; then
	pass "quit"
else
	fail "quit" "mailtrail did not exit with status 0"
fi
[ "$fails" -eq 0 ]
