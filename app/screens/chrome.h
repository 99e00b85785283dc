/*
 * chrome.h — what every screen shares: the top bar (the language button, read aloud with
 * its "stop" while it reads), the progress, the bottom bar (Back, talk to a staff member, Next), and small
 * builders for buttons, so the screens stay short and look alike. Built left to right;
 * the kiosk mirrors the whole tree for Arabic.
 */
#ifndef INLOOP_CHROME_H
#define INLOOP_CHROME_H

#include "app/kiosk/kiosk.h"

enum chrome_flags {
	CHROME_BACK = 1,       /* a Back button */
	CHROME_PROGRESS = 2,   /* "Question 2 of 9" and a bar */
	CHROME_STAFF = 4,      /* "talk to a staff member" */
	CHROME_WELCOME = 8,    /* Welcome: "always read aloud" instead of the language button */
	CHROME_NO_LANG = 16,   /* no language button (the language screen itself) */
};

/* Buttons for every language of the kiosk, named in itself (ids lang-CODE, the current
 * one selected), in centred rows that wrap within width w from (x, *y); text size size,
 * buttons h high. Moves *y below them; with t NULL it only measures. */
void chrome_lang_grid(struct kiosk *k, struct ui_tree *t, const struct ui_measure *m, int size,
		      int h, int x, int *y, int w);

/* Adds the bars; next_label (NULL: no Next) is the primary button, next_action what it
 * does. Returns the content area between the bars. */
struct ui_rect chrome_bars(struct kiosk *k, struct ui_tree *t, const struct ui_measure *m,
			   int flags, const char *next_label, int next_action);

/* The `event` of screens that end a visit (receipt, ask-the-host): Done or Enter
 * forgets the person and returns to Welcome. */
int chrome_event_done(struct kiosk *k, const struct kiosk_event *ev);

/* The question screens' read-aloud text (the `spoken` callback of choice, entry and
 * date): a choice's title, every option and "I don't know", then its help; other types
 * the form's "spoken" text (examples and dates written out); then the follow-up shown on
 * the same screen; "" when no question is shown. */
void chrome_spoken_question(struct kiosk *k, char *buf, size_t size);

/* Appends sentence s (NULL or "" adds nothing) to the read-aloud text in buf, with a
 * space before it and a full stop after it when it ends without one. */
void chrome_say(char *buf, size_t size, const char *s);

/* A primary (dark) button. Returns the widget (owned by t) or NULL. */
struct ui_widget *chrome_primary(struct ui_tree *t, const char *id, const char *label,
				 const char *icon, struct ui_rect r, int action);

/* A secondary (light, outlined) button. */
struct ui_widget *chrome_secondary(struct ui_tree *t, const char *id, const char *label,
				   const char *icon, struct ui_rect r, int action);

/* A plain-words message in a soft box (errors next to a field; never red). Moves *y. */
void chrome_note(struct ui_tree *t, const struct ui_measure *m, const char *id,
		 const char *text, int x, int *y, int w);

/* Marks w, a host text (in the host's language), left to right in a right-to-left screen
 * unless the host's language is Arabic too, so a Dutch sentence keeps its full stop at its
 * end. Returns w. */
struct ui_widget *chrome_host_ltr(const struct ui_tree *t, struct ui_widget *w);

/* The banner for the host across the full width at y, in the host's language (config
 * host_lang): msgid is the untranslated text ("For the staff member: ..."). Returns
 * its bottom. */
int chrome_host_banner(struct ui_tree *t, const struct ui_measure *m, int y, const char *msgid);

/* The crisis phone block for the resident ("If no one can help you here, call ..."),
 * when the config has a number; nothing otherwise. Moves *y. */
void chrome_crisis_phone(struct kiosk *k, struct ui_tree *t, const struct ui_measure *m,
			 int x, int *y, int w);

/* The width of label at size plus room for an icon and padding. */
int chrome_button_width(const struct ui_measure *m, const char *label, int size, int icon);

/* The title (and help, when not NULL) of a screen at the top of area; moves area.y. */
void chrome_title(struct ui_tree *t, const struct ui_measure *m, const char *title,
		  const char *help, struct ui_rect *area);

#endif
