/*
 * ui.h — the widget tree the kiosk's screens build, without SDL.
 *
 * A screen fills a struct ui_tree with widgets in logical units (the layout scales from
 * the real window size, see render.h); only the renderer turns the tree into pixels. Text
 * measuring comes in as a struct ui_measure, so screens, layout and the right-to-left
 * mirror run in tests without a display (STYLE.md habit 3, rxi/microui). The tree is
 * fixed-size memory: no allocation per frame. Widgets that hold what a person typed carry
 * UI_PERSONAL, so the tree can be cleansed when the kiosk forgets them.
 */
#ifndef INLOOP_UI_H
#define INLOOP_UI_H

#include <stdint.h>
#include <stdio.h>

#define UI_MAX_WIDGETS 160
#define UI_TEXT_MAX 512
#define UI_ID_MAX 48

enum ui_role {
	ROLE_PANEL,      /* a coloured area behind other widgets */
	ROLE_TEXT,       /* text, wrapped to its rect */
	ROLE_BUTTON,     /* an action: back, next, start, send, yes */
	ROLE_CHOICE,     /* an answer option (selected or not) */
	ROLE_FIELD,      /* an input field showing what was typed */
	ROLE_KEY,        /* an on-screen keyboard key */
	ROLE_PROGRESS,   /* progress bar: arg = done, arg2 = total */
	ROLE_QR,         /* a QR code matrix (struct ui_tree.qr) */
	ROLE_ROLE_COUNT
};

enum ui_align { ALIGN_START, ALIGN_CENTER, ALIGN_END };

enum ui_flags {
	UI_FOCUSABLE = 1,   /* reachable by Tab and by taps */
	UI_SELECTED = 2,    /* a chosen option */
	UI_DISABLED = 4,    /* shown but does nothing */
	UI_PERSONAL = 8,    /* shows what a person typed: cleansed on wipe */
	UI_MAIN = 16,       /* a main choice: at least 72 logical px high */
	UI_NO_MIRROR = 32,  /* keep its x in right-to-left layouts (keyboards of Latin keys) */
	UI_LTR_TEXT = 64,   /* text always left-to-right (numbers typed, postcodes) */
	UI_ICON_END = 128,  /* the icon after the label (an arrow on Next) */
};

struct ui_rect { int x, y, w, h; };

struct ui_widget {
	char id[UI_ID_MAX];     /* stable name: "start", "opt-eviction", "key-a" */
	enum ui_role role;
	char text[UI_TEXT_MAX]; /* UTF-8, may be empty */
	unsigned icon;          /* pictogram codepoint (icon font), 0 = none */
	struct ui_rect r;       /* logical units */
	uint32_t fg, bg;        /* 0xRRGGBB */
	int size;               /* text size in logical px */
	int bold;
	enum ui_align align;
	int flags;              /* enum ui_flags */
	int action;             /* what activating it means to the screen (enum kiosk_action) */
	int arg, arg2;          /* action argument (option index, key code, ...) */
};

struct qr;

struct ui_tree {
	char screen[UI_ID_MAX]; /* stable screen id: "welcome", "q-name", "receipt" */
	char lang[8];           /* language the texts are in */
	int rtl;                /* laid out right to left (mirrored) */
	int lw, lh;             /* logical size of the window */
	uint32_t bg;            /* screen background */
	int squeeze;            /* text drawn this many steps smaller (ui_squeezed) to fit */
	int n;
	struct ui_widget w[UI_MAX_WIDGETS];
	const struct qr *qr;    /* borrowed; drawn by ROLE_QR widgets */
};

/* Text measuring in logical units, passed to screens and layout (the renderer supplies
 * the real one, tests a fake). width: the advance of the text on one line; height: the
 * line height of that text at size (Arabic lines are taller than Latin ones). */
struct ui_measure {
	int (*width)(void *ctx, const char *text, int size, int bold);
	int (*height)(void *ctx, const char *text, int size, int bold);
	void *ctx;
};

#define UI_SQUEEZE_MAX 3   /* steps a screen's text may shrink to fit its window */

/* The text size drawn for logical size at squeeze steps: a tenth smaller per step, never
 * below 24 (THEME_TEXT_SMALL); sizes already below that stay as they are. */
int ui_squeezed(int size, int squeeze);

/* Empties t and sets its screen id, language, direction and logical size. */
void ui_tree_reset(struct ui_tree *t, const char *screen, const char *lang, int rtl, int lw,
		   int lh, uint32_t bg);

/* Appends a widget (text copied, cut only at a whole UTF-8 character if it is longer than
 * UI_TEXT_MAX - 1, which the caller's layout never asks for). Returns the widget, owned by
 * t, or NULL when the tree is full (the widget is dropped and a warning printed once). */
struct ui_widget *ui_add(struct ui_tree *t, enum ui_role role, const char *id, const char *text,
			 struct ui_rect r);

/* The widget with this id, or NULL. Borrowed from t. */
struct ui_widget *ui_find(struct ui_tree *t, const char *id);

/* The topmost focusable, enabled widget containing the logical point, or NULL. */
struct ui_widget *ui_hit(struct ui_tree *t, int x, int y);

/* Mirrors every widget's x for a right-to-left layout (except UI_NO_MIRROR ones) and swaps
 * start/end alignment. Call once, after the screen has built t left to right. */
void ui_tree_mirror(struct ui_tree *t);

/* The id of the focusable widget after (dir 1) or before (dir -1) the one named cur
 * (NULL or unknown: the first or last). Writes "" when there is none. */
void ui_focus_step(const struct ui_tree *t, const char *cur, int dir, char out[UI_ID_MAX]);

/* Wipes the texts of every widget (all may show a person's data) and empties t. */
void ui_tree_cleanse(struct ui_tree *t);

/* Prints the tree, one widget a line: id, role, rect, colours, size (as drawn, after the
 * squeeze), flags (target selected disabled main ltr-text), and the text in quotes (escaped). glyph_check (may be NULL) returns the
 * number of code points of a text without a glyph in the font chain; it is printed as
 * missing=N. With a measure m (may be NULL; the renderer's real one), each text also gets
 * room=WxH (the box its lines are drawn in) and ink=WxH (its widest line and the height of
 * its lines, wrapped as drawn), in logical units. */
void ui_tree_dump(const struct ui_tree *t, FILE *f, int (*glyph_check)(const char *text),
		  const struct ui_measure *m);

/* The role's name in dumps: "button", "choice", ... */
const char *ui_role_name(enum ui_role r);

/* 1 when the rect contains the point. */
int ui_rect_has(struct ui_rect r, int x, int y);

#endif
