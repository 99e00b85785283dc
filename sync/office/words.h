/*
 * words.h — the office's Dutch words for the record's fixed values (crisis kinds,
 * statuses, contact outcomes, languages), shared by the pages (words.c).
 */
#ifndef INLOOP_OFFICE_WORDS_H
#define INLOOP_OFFICE_WORDS_H

struct word { const char *id, *nl; };

extern const struct word words_kinds[];      /* eviction, energy, water, health_insurance */
extern const struct word words_status[];     /* open, assigned, contacted, handed_over, erased */
extern const struct word words_outcomes[];   /* reached, not_reached, voicemail, wrong_number */
extern const struct word words_events[];     /* assign, contact, first_conversation, note, handover */

/* The Dutch word of id in list (NULL-terminated), or NULL when id is not in it. */
const char *words_nl(const struct word *list, const char *id);

/* "K7QF2M9D" as printed on the receipt: "K7QF-2M9D" into out. */
void words_ref(const char *norm, char out[12]);

#endif
