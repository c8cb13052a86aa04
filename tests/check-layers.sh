#!/bin/sh
# The layer rule (docs/ARCHITECTURE.md): only src/tui/ includes curses;
# parsers see only the event/parser/timeparse/csv/diag interfaces; core
# code never prints to the terminal except main.c, output.c and stats.c.
cd "$(dirname "$0")/.." || exit 2
st=0
bad=$(grep -lE '#include *[<"](n?curses|ncursesw/)' src/*.c parsers/*.c include/*.h 2>/dev/null)
if [ -n "$bad" ]; then echo "FAIL curses-outside-tui: $bad"; st=1; else echo "PASS curses-only-in-tui"; fi
bad=$(grep -lE '#include *"(store|correlate|query|trace|load|output|tui|stats|lineio|strtab)\.h"' parsers/*.c 2>/dev/null)
if [ -n "$bad" ]; then echo "FAIL parser-includes-core: $bad"; st=1; else echo "PASS parsers-see-only-parser-api"; fi
bad=$(grep -lE '\b(printf|fprintf|puts|fputs|putchar)\s*\(' parsers/*.c 2>/dev/null)
if [ -n "$bad" ]; then echo "FAIL parser-prints: $bad"; st=1; else echo "PASS parsers-never-print"; fi
bad=$(grep -lE '\b(printf|puts|putchar)\s*\(|fprintf\s*\(\s*(stdout|stderr)' \
	src/correlate.c src/load.c src/store.c src/query.c src/trace.c src/lineio.c src/strtab.c 2>/dev/null)
if [ -n "$bad" ]; then echo "FAIL core-prints: $bad"; st=1; else echo "PASS core-never-prints"; fi
bad=$(grep -lE 'parse|parser->line|->line\(' src/tui/*.c 2>/dev/null | xargs -r grep -lE 'parser_registry|->line\(' 2>/dev/null)
if [ -n "$bad" ]; then echo "FAIL tui-parses: $bad"; st=1; else echo "PASS tui-never-parses"; fi
exit $st
