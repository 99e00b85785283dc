/*
 * termsafe.h — printing record text to a terminal or a file a person opens (issue 9, D3):
 * whatever a record says, it cannot set a window title, clear the screen, overwrite a line
 * or reverse one. Every character form_cp_refused() names (controls incl. ESC, CR, LF,
 * C1, bidi controls, zero-width and format characters, ...) is written as a visible
 * \uXXXX escape (a surrogate pair above U+FFFF, so JSON stays valid), and a byte that is
 * not UTF-8 as \xNN.
 */
#ifndef INLOOP_TERMSAFE_H
#define INLOOP_TERMSAFE_H

#include <stdio.h>

/* Writes s escaped (LF included). */
void termsafe_put(FILE *f, const char *s);

/* Writes JSON text (json_dumps output) escaped; its own line breaks stay (JSON strings
 * never hold a raw LF, so every LF is structure). */
void termsafe_put_json(FILE *f, const char *json);

/* printf, then the result escaped except the line breaks it starts or ends with (put
 * line breaks of your own only there). */
void termsafe_printf(FILE *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* The escaped form of s as a new string (caller frees); NULL on OOM. */
char *termsafe_dup(const char *s);

#endif
