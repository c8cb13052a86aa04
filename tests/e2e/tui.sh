#!/bin/sh
# tests/e2e/tui.sh - drive the real TUI in tmux, the way a person would.
#
# Starts $MAILTRAIL (default build/mailtrail) on logs-sample/ in an 80x24
# pane of a private tmux server, waits for screen content (polling
# capture-pane, never a fixed sleep alone; 20 s limit per wait), types a
# quick search, checks the visible rows, opens the bounced message and
# checks the trace (DSN, explanation, linked bounce, raw lines, following
# the link and coming back, writing the trace to a file), resizes the pane,
# opens the help, quits, and checks that the terminal is usable again
# (prompt back, echo and canonical mode on).  Then SIGTERM and Ctrl-C on a
# running TUI, a monochrome terminal with NO_COLOR, and TERM=dumb.
#
# Prints "PASS name" / "FAIL name: reason" per check; exits 1 on any
# failure.  The expectations name messages of logs-sample/exim (the
# Exim bounce of nonexist@wp.pl, 5.1.1, and its DSN back to the sender).
cd "$(dirname "$0")/../.." || exit 2
MT=${MAILTRAIL:-build/mailtrail}
SOCK="mailtrail-test-$$"
SAMPLES=logs-sample/
fails=0
. tests/e2e/lib.inc

e2e_setup

# ---- start, first screen, loading ends -------------------------------------------
type_text "$MT $SAMPLES; echo rc=\$?"
keys Enter
expect_running=1
if wait_for 'mailtrail: message list'; then
	pass "first-screen"
else
	fail "first-screen" "no list title within 20 s"
fi
if wait_for 'F1 Help.*Search.*Filter' && screen | grep -q 'Time  *Status  *Sender  *Recipient  *Subject  *Size'; then
	pass "key-bar-and-columns"
else
	fail "key-bar-and-columns" "key bar or column titles missing"
fi
# loading is over when the progress line is gone and the title counts
# all messages ("N of N")
if wait_gone 'Loading \[' && wait_for ' ([0-9,]+) of \1 messages'; then
	pass "loaded"
else
	fail "loaded" "progress line still there or count not 'N of N'"
fi
total=$(screen | sed -n '1s/.* of \([0-9,]*\) messages.*/\1/p')
n_rows=$(list_rows | wc -l)
if [ "$n_rows" -ge 10 ]; then
	pass "list-rows"
else
	fail "list-rows" "only $n_rows rows shown"
fi

# ---- quick search as you type ---------------------------------------------------------
keys /
type_text "nonex"
if wait_for '^Search: nonex' && wait_for ' 1 of [0-9,]+ messages'; then
	pass "search-as-you-type"
else
	fail "search-as-you-type" "the list did not narrow while typing"
fi
type_text "ist@wp.pl"
if wait_for 'Search: nonexist@wp\.pl' && wait_for ' 1 of [0-9,]+ messages'; then
	rows=$(list_rows)
	if [ "$(printf '%s\n' "$rows" | wc -l)" -eq 1 ] &&
		printf '%s\n' "$rows" | grep -qE '^[0-9]{2}-[0-9]{2} [0-9:]{5} bounced +fred@example\.pl +nonexist@wp\.pl +Oferta'; then
		pass "search-rows"
	else
		fail "search-rows" "expected one bounced row fred@example.pl -> nonexist@wp.pl"
	fi
else
	fail "search-rows" "no '1 of N messages' after typing nonexist@wp.pl"
fi
keys Enter
if wait_for '^Filter: search=nonexist@wp\.pl'; then
	pass "search-kept"
else
	fail "search-kept" "Enter did not keep the search as the filter"
fi

# ---- the trace of the bounced message ----------------------------------------------------
keys Enter
if wait_for 'mailtrail: trace of' && wait_for 'DSN 5\.1\.1' && wait_for 'What happened:'; then
	pass "trace-dsn-explained"
else
	fail "trace-dsn-explained" "trace without DSN 5.1.1 or explanation"
fi
if screen | grep -q 'Linked messages (2)' && screen | grep -qE '\[delivered\].*bounce of'; then
	pass "trace-linked-bounce"
else
	fail "trace-linked-bounce" "the bounce (DSN back to the sender) is not listed"
fi
root_title=$(screen | sed -n 1p | sed 's/^ *//; s/  .*//')
keys r
wait_for 'raw lines on' 5
# the raw line is further down: find it (/ in a trace searches its text)
keys /
type_text "** nonexist"
keys Enter
if wait_for 'raw lines on' && wait_for '1mXzKq-0003Fh-2c \*\* nonexist@wp\.pl$'; then
	pass "trace-raw-lines"
else
	fail "trace-raw-lines" "r did not show the raw Exim ** line (or / did not find it)"
fi
keys r
wait_gone 'raw lines on' 5
# Tab selects the linked bounce; Enter opens it; Esc comes back.
keys Tab
keys Enter
if wait_for 'Mail delivery failed' && ! screen | sed -n 1p | grep -qF "$root_title"; then
	pass "trace-follow-link"
else
	fail "trace-follow-link" "Tab+Enter did not open the linked bounce"
fi
keys Escape
if wait_for "^ *$(printf '%s' "$root_title" | sed 's/[.[\*^$]/\\&/g')"; then
	pass "trace-back"
else
	fail "trace-back" "Esc did not return to $root_title"
fi

# w: write the trace; the name is typed over the proposed one.
keys w
if wait_for 'Write the trace to file: mailtrail-trace-'; then
	keys C-u
	type_text "$tmpd/trace.txt"
	keys Enter
	if wait_for 'Trace written to' && [ -f "$tmpd/trace.txt" ] &&
		grep -q '5\.1\.1' "$tmpd/trace.txt" && grep -q 'nonexist@wp\.pl' "$tmpd/trace.txt"; then
		pass "trace-write"
	else
		fail "trace-write" "file not written or without the DSN"
	fi
	# the same name again: asks before overwriting; n keeps the file
	keys w C-u
	type_text "$tmpd/trace.txt"
	keys Enter
	if wait_for 'exists\. Overwrite it\? \(y/N\)'; then
		keys n
		if wait_for 'Not written'; then
			pass "trace-write-no-overwrite"
		else
			fail "trace-write-no-overwrite" "no 'Not written' after n"
		fi
	else
		fail "trace-write-no-overwrite" "no overwrite question"
	fi
else
	fail "trace-write" "no file name prompt"
fi

# ---- back to the list, resize ------------------------------------------------------------------
keys Escape
wait_for 'mailtrail: message list' || fail "back-to-list" "Esc from the trace did not return"
keys Escape # clears the quick search
if wait_for "mailtrail: message list +$total of $total messages"; then
	pass "search-cleared"
else
	fail "search-cleared" "Esc did not clear the search"
fi
t resize-window -t mt -x 120 -y 30
# 120 columns: full dates appear and the key bar is on row 30
if wait_for '^20[0-9]{2}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2} ' &&
	[ "$(screen | sed -n 30p | grep -c 'F1 Help')" -eq 1 ] &&
	[ "$(screen | sed -n 1p | awk '{ print length($0) }')" -gt 100 ]; then
	pass "resize-larger"
else
	fail "resize-larger" "no redraw for 120x30"
fi
t resize-window -t mt -x 80 -y 24
if wait_for '^[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2} ' && wait_gone '^20[0-9]{2}-[0-9]{2}-[0-9]{2} ' &&
	[ "$(screen | sed -n 24p | grep -c 'F1 Help')" -eq 1 ]; then
	pass "resize-back"
else
	fail "resize-back" "no redraw for 80x24"
fi

# ---- help, filter form ---------------------------------------------------------------------------
keys '?'
if wait_for 'Help: keys' && wait_for '^ Message list' && keys G && wait_for '^ +queued +accepted'; then
	pass "help"
else
	fail "help" "? did not open the key list"
fi
keys Escape
wait_for 'mailtrail: message list' 5
keys f
if wait_for 'mailtrail: filter messages'; then
	keys Tab Tab Tab Tab Tab Tab Tab
	type_text "nosuchstatus"
	keys Enter
	if wait_for 'unknown status "nosuchstatus"'; then
		pass "form-error-shown"
	else
		fail "form-error-shown" "a bad status was not reported in the form"
	fi
	keys C-u
	type_text "bounced"
	keys Enter
	if wait_for '^Filter: status=bounced' && ! list_rows | grep -vqE ' bounced '; then
		pass "form-filter"
	else
		fail "form-filter" "status=bounced did not leave only bounced rows"
	fi
else
	fail "form-error-shown" "f did not open the form"
fi

# ---- quit: the terminal is restored -----------------------------------------------------------------
expect_running=0
keys q
if wait_for '^rc=0' && wait_gone 'mailtrail: message list' 5; then
	pass "quit"
else
	fail "quit" "q did not end the program with status 0"
fi
check_terminal_restored

# ---- SIGTERM and Ctrl-C end it cleanly too
# (each run starts on a cleared screen so an old "rc=" line cannot match)
CLEAR="printf '\\033[H\\033[2J'; "
type_text "$CLEAR$MT $SAMPLES; echo rc=\$?"
keys Enter
if wait_for 'mailtrail: message list'; then
	shell=$(t display -p -t mt '#{pane_pid}')
	pid=$(ps -o pid= --ppid "$shell" | tr -d ' ' | head -1)
	if [ -n "$pid" ] && kill -TERM "$pid" && wait_for '^rc=143' &&
		wait_gone 'mailtrail: message list' 5; then
		pass "sigterm-restores"
	else
		fail "sigterm-restores" "SIGTERM did not end the TUI with status 143"
	fi
else
	fail "sigterm-restores" "TUI did not start again"
fi
type_text "$CLEAR$MT $SAMPLES; echo rc=\$?"
keys Enter
if wait_for 'mailtrail: message list'; then
	keys C-c
	if wait_for '^rc=130' && wait_gone 'mailtrail: message list' 5; then
		pass "ctrl-c-restores"
	else
		fail "ctrl-c-restores" "Ctrl-C did not end the TUI with status 130"
	fi
else
	fail "ctrl-c-restores" "TUI did not start again"
fi

# ---- monochrome terminal and NO_COLOR -----------------------------------------------------------------
type_text "${CLEAR}NO_COLOR=1 TERM=vt100 $MT $SAMPLES; echo rc=\$?"
keys Enter
if wait_for 'mailtrail: message list' && wait_for ' (bounced|delivered) ' && wait_for 'F1 Help'; then
	keys Q
	if wait_for '^rc=0'; then
		pass "monochrome"
	else
		fail "monochrome" "Q did not quit"
	fi
else
	fail "monochrome" "no list on a vt100 with NO_COLOR"
fi

# ---- a terminal that cannot place the cursor: a clear message, status 2 ---------------------------------
type_text "${CLEAR}TERM=dumb $MT $SAMPLES; echo rc=\$?"
keys Enter
if wait_for 'cannot show the interactive screen' && wait_for '^rc=2'; then
	pass "dumb-terminal"
else
	fail "dumb-terminal" "no clear refusal on TERM=dumb"
fi

if [ "$fails" -ne 0 ]; then
	exit 1
fi
exit 0
