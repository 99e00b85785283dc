/*
 * words.h — answers and dates written out for people: "Thursday 30 April 2026", option
 * labels joined, "I don't know". Used by the date, review and receipt screens.
 */
#ifndef INLOOP_WORDS_H
#define INLOOP_WORDS_H

#include "sync/rules/calendar.h"
#include "app/kiosk/kiosk.h"

#include <stddef.h>

/* Writes the date in words in the current gettext language ("Thursday 30 April 2026").
 * The numeric part is wrapped in LRI ... PDI so right-to-left text keeps it readable
 * (UI.md bidi pitfall 2). */
void words_date(struct ymd d, char *buf, size_t size);

/* The same without the numbers in brackets, for read-aloud ("Thursday 30 April 2026"). */
void words_date_spoken(struct ymd d, char *buf, size_t size);

/* What the receipt promises (words_callback's kind; the receipt's widget id). */
enum words_callback_kind {
	CALLBACK_BY_DATE,     /* "the team will contact you on or before <legal deadline>" */
	CALLBACK_TODAY,       /* acuut: "someone will call you today, before <crisis date>" */
	CALLBACK_COME_TODAY,  /* acuut without phone or e-mail: "tell the staff member now" */
	CALLBACK_WALK_IN,     /* "I'll come back myself": where, when, what to bring */
};

/*
 * The receipt's call-back sentence(s) for a registration, in the current interface
 * language, for the screen and for the printed receipt alike. t is the triage of the
 * stored record; contact the answer "contact" ("phone", "email", "come_back" or NULL);
 * cfg gives the location and the walk-in hours (config walk_in_hours, in lang when
 * given per language). spoken 1 writes dates without the bracketed numbers. An acuut
 * registration never shows a date later than the crisis date; "tell the staff member now"
 * is the crisis block's (receipt.c), so print it beside this sentence too. Returns the kind.
 */
enum words_callback_kind words_callback(const struct triage *t, const char *contact,
					const struct device_config *cfg, const char *lang,
					int spoken, char *buf, size_t size);

/* The name of month m (1..12), translated: on its own (the date picker), and as it stands
 * inside a date (Polish and Ukrainian use the genitive: "30 kwietnia"). */
const char *words_month(int m);
const char *words_month_in_date(int m);

/* Writes s (a reference, a phone number) for read-aloud one letter or digit at a time:
 * "K7QF-2M9D" -> "K, 7, Q, F. 2, M, 9, D." so the voice spells it instead of reading
 * words or one large number; other characters become pauses. */
void words_spell(const char *s, char *buf, size_t size);

/* The answer to q written out (labels, dates in words, "I don't know"); "" when there
 * is none. Writes into buf (the caller cleanses it: it may hold personal data). */
void words_answer(const struct kiosk *k, const struct question *q, char *buf, size_t size);

#endif
