/*
 * words.h — answers and dates written out for people: "Thursday 30 April 2026", option
 * labels joined, "I don't know". Used by the date, review and receipt screens.
 */
#ifndef INLOOP_WORDS_H
#define INLOOP_WORDS_H

#include "app/calendar.h"
#include "app/kiosk.h"

#include <stddef.h>

/* Writes the date in words in the current gettext language ("Thursday 30 April 2026").
 * The numeric part is wrapped in LRI ... PDI so right-to-left text keeps it readable
 * (UI.md bidi pitfall 2). */
void words_date(struct ymd d, char *buf, size_t size);

/* The name of month m (1..12), translated. */
const char *words_month(int m);

/* The answer to q written out (labels, dates in words, "I don't know"); "" when there
 * is none. Writes into buf (the caller cleanses it: it may hold personal data). */
void words_answer(const struct kiosk *k, const struct question *q, char *buf, size_t size);

#endif
