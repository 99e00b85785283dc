/*
 * html.h — writing HTML safely into an evbuffer (OFFICE.md §7). html_printf escapes every
 * %s argument for text and double-quoted attributes; trusted markup made by the server
 * itself goes through %r. Data never goes into unquoted attributes, on*, <script>, <style>
 * or style=; hrefs are built only from ids the server made.
 */
#ifndef INLOOP_OFFICE_HTML_H
#define INLOOP_OFFICE_HTML_H

#include <stddef.h>

struct evbuffer;

/* Appends s with & < > " ' escaped (NULL appends nothing). */
void html_esc(struct evbuffer *out, const char *s);

/*
 * A small printf for pages: %s escaped text, %r raw trusted markup (constant strings and
 * what the server built), %d int, %L long long, %% a percent sign. Anything else is a
 * programming error and prints "?".
 */
void html_printf(struct evbuffer *out, const char *fmt, ...);

/* 1 when s (len bytes) is valid UTF-8 without NUL or C0 controls other than TAB/CR/LF. */
int html_text_ok(const char *s, size_t len);

#endif
