/*
 * keyboard.h — on-screen keyboards fitted to what is typed: letters in the language's
 * script (Arabic) with a switch to Latin, Latin letters for names, a numeric pad for
 * phone numbers and house numbers, digits and capitals for a postcode, and an e-mail
 * layout. Keys are ROLE_KEY widgets (action ACT_KEY, arg = the code point typed;
 * ACT_KEYMODE, arg = the layout to switch to). No SDL here.
 */
#ifndef INLOOP_KEYBOARD_H
#define INLOOP_KEYBOARD_H

#include "app/ui/ui.h"

enum kb_layout { KB_LATIN, KB_ARABIC, KB_PHONE, KB_HOUSE, KB_POSTCODE, KB_EMAIL };

#define KB_BACKSPACE 8   /* arg of the backspace key */

/*
 * Adds the keys of layout into area (logical units, laid out left to right; in a
 * right-to-left tree Latin and digit keys are pre-mirrored inside the area, so the
 * tree's mirror moves the keyboard but keeps their order). switch_to is
 * the layout the mode key switches to, or -1 for no mode key. action_key/action_mode are
 * the screen's action codes. Returns the height used.
 */
int keyboard_build(struct ui_tree *t, enum kb_layout layout, int switch_to, struct ui_rect area,
		   int action_key, int action_mode);

/* The least height the layout needs (keys of 52 logical px). */
int keyboard_min_height(enum kb_layout layout);

#endif
