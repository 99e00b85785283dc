/*
 * form_check.h — what form_check.c offers beyond form.h: the Unicode rules for typed text
 * (shared by the kiosk's form check and the office's re-check and terminal escaping) and
 * a whole-form check as of a given day (the office re-checks old records as of the day
 * they were made, not today).
 */
#ifndef INLOOP_FORM_CHECK_H
#define INLOOP_FORM_CHECK_H

#include "app/calendar.h"
#include "app/form.h"

#include <stddef.h>

/*
 * Decodes one UTF-8 sequence at s (n bytes left, n >= 1) into *cp; returns its length,
 * or 0 for an invalid, overlong or surrogate sequence.
 */
size_t form_utf8_next(const unsigned char *s, size_t n, unsigned *cp);

/*
 * 1 when cp may never appear in typed text: C0/C1 controls and DEL, line and paragraph
 * separators, the bidi controls (U+061C, U+200E/F, U+202A-E, U+2066-9), zero-width and
 * other default-ignorable format characters (U+00AD, U+034F, U+115F/60, U+180E,
 * U+200B, U+2060-4, U+3164, U+FEFF, U+FFA0, variation selectors), tag characters,
 * noncharacters, private use and the replacement/annotation specials U+FFF9-FFFD.
 * U+200C/U+200D (ZWNJ/ZWJ) are judged in context by the text check (between letters only).
 */
int form_cp_refused(unsigned cp);

/* form_check_all (form.h) with date ranges judged as of `today` instead of the clock. */
int form_check_all_on(const struct form *f, const json_t *answers, struct ymd today,
		      form_problem_fn fn, void *ctx);

#endif
