/*
 * tui.h - the interactive screen (ncursesw).  The only module that talks
 * to the terminal; it reads the store through store.h/query.h/trace.h and
 * never parses.
 */
#ifndef MAILTRAIL_TUI_H
#define MAILTRAIL_TUI_H

#include "load.h"
#include "query.h"
#include "store.h"

/* Run the TUI: starts load_run(st, o, ...) on a background thread (the
 * files are already expanded into st->files), shows progress and the
 * message list as it fills, applies `initial` as the starting filter.
 * Restores the terminal on every exit path (also SIGINT/SIGTERM and
 * fatal errors).  Returns the process exit status (0). */
int tui_run(struct store *st, const struct load_opts *o, const struct query_spec *initial);

#endif
