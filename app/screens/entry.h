/*
 * entry.h — typing the answer to a question (a name, a phone number, an e-mail address,
 * postcode and house number): the fields, the keyboard and what they do. Used by the
 * entry screen and by a choice screen that asks its follow-up under its options (the
 * phone number under "call me", same_screen in the form).
 */
#ifndef INLOOP_ENTRY_H
#define INLOOP_ENTRY_H

#include "app/kiosk/kiosk.h"

struct question;

/* Fills the edit buffers from q's stored answers and picks its keyboard. */
void entry_load(struct kiosk *k, const struct question *q);

/* q's fields in area a (label, field, "don't know" where allowed, the problem note);
 * returns the bottom. */
int entry_fields(struct kiosk *k, struct ui_tree *t, const struct ui_measure *m,
		 const struct question *q, struct ui_rect a);

/* The keyboard for the field being typed into, in area a (its big labels fitted at m). */
void entry_keyboard(struct kiosk *k, struct ui_tree *t, const struct ui_measure *m,
		    const struct question *q, struct ui_rect a);

/* A key, typed text or a tap on a field or on "don't know" for q: 1 when handled. */
int entry_input(struct kiosk *k, const struct question *q, const struct kiosk_event *ev);

/* Checks and stores what was typed for q ("don't know" stays; nothing typed on an
 * optional question stores nothing). 0 stored, -1 with k->problem set. */
int entry_store(struct kiosk *k, const struct question *q);

/* The "don't know" option (ROLE_CHOICE "opt-unknown", selected when sel) at r. */
struct ui_widget *entry_unknown_option(struct ui_tree *t, struct ui_rect r, int sel);

#endif
