#!/bin/sh
# tests/e2e/tui_stats.sh - the statistics screen of the TUI, driven in tmux
# the way a person would.
#
# Starts $MAILTRAIL (default build/mailtrail) on logs-sample/ in an 80x24
# pane of a private tmux server, waits for screen content (polling
# capture-pane, never a fixed sleep alone; 20 s limit per wait), presses s
# and checks the title, the sections and the key bar; moves to the top
# senders with Tab, lists the messages behind the first sender with Enter
# (every row is that sender's, as many rows as the figures say), opens one
# message's trace and comes back to the same statistics row; the screen's
# help (h) and the general help (?); resizing; a filtered list (the title
# names the filter and counts fewer messages); Polish (LANG=pl_PL.UTF-8);
# a monochrome terminal with NO_COLOR; q back to the list and Q to quit,
# with the terminal restored.
#
# Prints "PASS name" / "FAIL name: reason" per check; exits 1 on any
# failure.  Figures are read from the screen and compared with each other,
# so the checks do not depend on the exact content of logs-sample/.
cd "$(dirname "$0")/../.." || exit 2
MT=${MAILTRAIL:-build/mailtrail}
SOCK="mailtrail-stats-test-$$"
SAMPLES=logs-sample/
fails=0
. tests/e2e/lib.inc

# The selected line (drawn in reverse video) of the pane, without escapes.
selected_line() {
	t capture-pane -p -e -t mt 2>/dev/null | grep -E "$(printf '\033')\\[([0-9]+;)*7m" |
		head -1 | sed "s/$(printf '\033')\\[[0-9;]*m//g"
}

e2e_setup

# ---- start, loading ends ----------------------------------------------------------------
type_text "$MT $SAMPLES; echo rc=\$?"
keys Enter
expect_running=1
if wait_for 'mailtrail: message list' && wait_gone 'Loading \[' &&
	wait_for ' ([0-9,]+) of \1 messages'; then
	pass "loaded"
else
	fail "loaded" "no complete message list within 20 s"
fi

# ---- s: the statistics screen -------------------------------------------------------------
keys s
if wait_for '^ Statistics — [0-9,]+ messages \(no filter\)'; then
	pass "stats-title"
else
	fail "stats-title" "s did not open 'Statistics — N messages (no filter)'"
fi
all=$(screen | sed -n '1s/^ Statistics — \([0-9,]*\) messages.*/\1/p')
if screen | grep -qE '^  Messages first seen: 20[0-9]{2}-' &&
	screen | grep -qE '^  [0-9]+ messages, [0-9]+ recipients\.' &&
	screen | grep -q '^Possible spam sources' && screen | grep -q '^Messages per hour'; then
	pass "stats-first-sections"
else
	fail "stats-first-sections" "summary, spam sources or messages per hour missing"
fi
if screen | sed -n 24p | grep -qE 'F1 Help.*Esc Back.*Enter Messages.*Tab Section'; then
	pass "stats-key-bar"
else
	fail "stats-key-bar" "no key bar on row 24"
fi

# Tab: section by section; Outcomes, then the top senders
keys Tab
if wait_for '^Outcomes' && wait_for '^  status +messages +recipients' &&
	wait_for '^  delivered +[0-9]+ +[0-9]+'; then
	pass "stats-outcomes"
else
	fail "stats-outcomes" "Tab did not bring the Outcomes table"
fi
keys Tab
if wait_for '^Top senders' && wait_for '^  sender +msgs +rcpts +bounced +deferred +rejected'; then
	pass "stats-top-senders"
else
	fail "stats-top-senders" "Tab did not bring the Top senders table"
fi
# the cursor is on the first sender
row=$(selected_line)
sender=$(printf '%s\n' "$row" | awk '{ print $1 }')
msgs=$(printf '%s\n' "$row" | awk '{ print $2 }')
first=$(screen | grep -A1 -E '^  sender +msgs' | sed -n 2p | awk '{ print $1 }')
if [ -n "$sender" ] && [ "$sender" = "$first" ] && [ "$msgs" -gt 0 ] 2>/dev/null; then
	pass "stats-cursor-on-first-sender"
else
	fail "stats-cursor-on-first-sender" "selected row '$row', first sender '$first'"
fi

# ---- Enter: the messages behind the row ----------------------------------------------------------
keys Enter
esc_sender=$(printf '%s' "$sender" | sed 's/[.[\*^$]/\\&/g')
if wait_for "^ Statistics: sender $esc_sender +$msgs messages"; then
	pass "rows-title"
else
	fail "rows-title" "Enter did not list 'sender $sender' with $msgs messages"
fi
rows=$(list_rows)
nrows=$(printf '%s\n' "$rows" | grep -c .)
# the sender column is cut at 15 columns: compare its first 10 characters
prefix=$(printf '%s' "$sender" | cut -c1-10)
others=$(printf '%s\n' "$rows" | awk -v p="$prefix" 'substr($4, 1, length(p)) != p' | grep -c .)
if [ "$nrows" -eq "$msgs" ] && [ "$others" -eq 0 ] &&
	screen | grep -qE '^Time +Status +Sender +Recipient +Subject +Size'; then
	pass "rows-are-the-senders"
else
	fail "rows-are-the-senders" "$nrows rows (want $msgs), $others not from $sender"
fi
keys Enter
if wait_for 'mailtrail: trace of' && wait_for "From: +$esc_sender"; then
	pass "rows-open-trace"
else
	fail "rows-open-trace" "Enter on a listed message did not open its trace"
fi
keys Escape
if wait_for "^ Statistics: sender $esc_sender"; then
	pass "trace-back-to-rows"
else
	fail "trace-back-to-rows" "Esc from the trace did not return to the list of the row"
fi
keys Escape
if wait_for '^ Statistics — ' && wait_for '^Top senders' &&
	[ "$(selected_line | awk '{ print $1 }')" = "$sender" ]; then
	pass "rows-back-to-stats"
else
	fail "rows-back-to-stats" "Esc did not return to the statistics on the same row"
fi

# ---- help: the screen's own (h) and the general one (?) ----------------------------------------------
keys h
if wait_for '^ Help: statistics' && wait_for 'Tab, Shift-Tab +next / previous section'; then
	pass "stats-help"
else
	fail "stats-help" "h did not open the statistics help"
fi
keys Escape
wait_for '^ Statistics — ' 5
keys '?'
# F1/? on this screen: the key list, starting with this screen's keys
if wait_for '^ Help: keys' && wait_for 'Tab, Shift-Tab +next / previous section'; then
	pass "general-help"
else
	fail "general-help" "? did not open the key list with the statistics keys first"
fi
keys Escape
if wait_for '^ Statistics — '; then
	pass "help-back"
else
	fail "help-back" "Esc from the help did not return to the statistics"
fi

# ---- resize --------------------------------------------------------------------------------------------
t resize-window -t mt -x 120 -y 30
if wait_for '^ Statistics — ' && wait_for '^  sender +msgs +rcpts +bounced' &&
	[ "$(screen | sed -n 30p | grep -c 'F1 Help')" -eq 1 ] &&
	[ "$(screen | sed -n 1p | awk '{ print length($0) }')" -gt 100 ]; then
	pass "resize-larger"
else
	fail "resize-larger" "no redraw for 120x30"
fi
t resize-window -t mt -x 60 -y 20
# 60 columns: the shares are dropped, nothing wraps onto a second line
# (characters, not bytes: the title's dash and the bars are multibyte)
if wait_for '^  sender +msgs +rcpts *$' && [ "$(screen | sed -n 20p | grep -c 'F1 Help')" -eq 1 ] &&
	[ "$(screen | LC_ALL=C.UTF-8 sed 's/[^ -~]/x/g' | awk 'length($0) > 60' | grep -c .)" -eq 0 ]; then
	pass "resize-narrow"
else
	fail "resize-narrow" "no redraw for 60x20"
fi
t resize-window -t mt -x 80 -y 24
if wait_for '^  sender +msgs +rcpts +bounced +deferred +rejected' &&
	[ "$(screen | sed -n 24p | grep -c 'F1 Help')" -eq 1 ]; then
	pass "resize-back"
else
	fail "resize-back" "no redraw for 80x24"
fi

# ---- q: back to the list; a filter changes the figures -------------------------------------------------
keys q
if wait_for 'mailtrail: message list'; then
	pass "q-back-to-list"
else
	fail "q-back-to-list" "q did not return to the message list"
fi
keys /
type_text "$sender"
keys Enter
wait_for "^Filter: search=$esc_sender" 10
keys s
# (a long filter is cut at the screen's edge: its start is enough)
esc_prefix=$(printf '%s' "$prefix" | sed 's/[.[\*^$]/\\&/g')
if wait_for "^ Statistics — [0-9,]+ messages \\(filter: search=$esc_prefix"; then
	n=$(screen | sed -n '1s/^ Statistics — \([0-9,]*\) messages.*/\1/p' | tr -d ,)
	if [ "$n" -ge "$msgs" ] && [ "$n" -lt "$(printf '%s' "$all" | tr -d ,)" ]; then
		pass "stats-follow-filter"
	else
		fail "stats-follow-filter" "$n messages with the filter (all: $all, sender: $msgs)"
	fi
else
	fail "stats-follow-filter" "the title does not name the filter"
fi
keys Escape
wait_for 'mailtrail: message list' 5

# ---- Q quits from the statistics; the terminal is restored --------------------------------------------------
keys s
wait_for '^ Statistics — ' 10
expect_running=0
keys Q
if wait_for '^rc=0' && wait_gone 'Statistics — ' 5; then
	pass "quit-from-stats"
else
	fail "quit-from-stats" "Q did not end the program with status 0"
fi
check_terminal_restored

# ---- Polish ------------------------------------------------------------------------------------------------------
CLEAR="printf '\\033[H\\033[2J'; "
type_text "${CLEAR}LANG=pl_PL.UTF-8 LC_ALL= $MT $SAMPLES; echo rc=\$?"
keys Enter
expect_running=1
if wait_for 'mailtrail: lista|Filtr:' && wait_gone 'Wczytywanie|Loading \[' 20; then
	keys s
	if wait_for '^ Statystyki — [0-9,]+ wiadomości \(bez filtra\)' &&
		wait_for '^Możliwe źródła spamu' && wait_for 'Pomoc.*Wróć.*Wiadomości'; then
		pass "polish"
	else
		fail "polish" "no Polish statistics screen with LANG=pl_PL.UTF-8"
	fi
else
	fail "polish" "the TUI did not start in Polish"
fi
expect_running=0
keys Q
wait_for '^rc=0' 10 || fail "polish-quit" "Q did not quit"

# ---- monochrome terminal and NO_COLOR -----------------------------------------------------------------------------
type_text "${CLEAR}NO_COLOR=1 TERM=vt100 $MT $SAMPLES; echo rc=\$?"
keys Enter
expect_running=1
if wait_for 'mailtrail: message list'; then
	keys s
	keys Tab Tab
	if wait_for '^ Statistics — ' && wait_for '^Top senders' && [ -n "$(selected_line)" ]; then
		pass "monochrome"
	else
		fail "monochrome" "no statistics (or no visible cursor) on a vt100 with NO_COLOR"
	fi
else
	fail "monochrome" "no list on a vt100 with NO_COLOR"
fi
expect_running=0
keys Q
if wait_for '^rc=0'; then
	pass "monochrome-quit"
else
	fail "monochrome-quit" "Q did not quit"
fi

if [ "$fails" -ne 0 ]; then
	exit 1
fi
exit 0
