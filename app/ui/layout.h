/*
 * layout.h — line breaking and stacking in logical units, over a passed-in measure
 * (ui.h), so the same breaks are computed by screens (for heights) and by the renderer
 * (for drawing), and tests can run them without fonts.
 */
#ifndef INLOOP_LAYOUT_H
#define INLOOP_LAYOUT_H

#include "app/ui/ui.h"

#include <stdio.h>

#define LAYOUT_MAX_LINES 24

struct layout_line { int off, len; };

/*
 * Breaks text into lines no wider than width (at spaces; '\n' always breaks; a word wider
 * than width gets a line of its own). Writes at most max lines into lines (byte offsets
 * into text) and returns how many.
 */
int layout_wrap(const struct ui_measure *m, const char *text, int size, int bold, int width,
		struct layout_line *lines, int max);

/* Height of text wrapped to width: lines x line height (0 for ""). */
int layout_text_height(const struct ui_measure *m, const char *text, int size, int bold,
		       int width);

/* Adds a ROLE_TEXT widget at (x, *y) of width w with the text's wrapped height, colours
 * fg on bg, and moves *y below it plus gap. Returns the widget (owned by t; a scratch
 * widget outside the tree when the tree is full, so callers may always set fields). */
struct ui_widget *layout_text(struct ui_tree *t, const struct ui_measure *m, const char *id,
			      const char *text, int size, int bold, int x, int *y, int w,
			      uint32_t fg, uint32_t bg, int gap);

/* Padding inside a control (button, choice, key, field) on each side of its label, and
 * between its icon and the label, in logical px. */
#define LAYOUT_PAD 16
#define LAYOUT_KEY_PAD 4   /* keys and narrow controls: a short label, centred */

/* The padding of control w: LAYOUT_PAD, or LAYOUT_KEY_PAD for keys and controls narrower
 * than four times their text size. */
int layout_control_pad(const struct ui_tree *t, const struct ui_widget *w);

/* A choice's check box (ROLE_CHOICE): a LAYOUT_CHECK square on its start side, inside the
 * padding; empty when not selected, a tick when selected (drawn by the renderer). */
#define LAYOUT_CHECK 36
struct ui_rect layout_check_box(const struct ui_tree *t, const struct ui_widget *w);

/* The logical box the renderer wraps w's text into: a text widget's own rect; for a
 * control, inside the padding and beside its icon slot (the icon is drawn centred in a
 * slot 5/4 of the text size wide, on the start side, or the end side for UI_ICON_END,
 * or centred in the whole control when there is no label). */
struct ui_rect layout_text_room(const struct ui_tree *t, const struct ui_widget *w);

/* The byte offset from which text's end fits on one line of width (0 when all of it
 * does): a field shows the end of what was typed, where the caret is. */
int layout_field_tail(const struct ui_measure *m, const char *text, int size, int bold,
		      int width);

/* The lines of w's text as the renderer draws them into its room: wrapped, or for a
 * field the one line of its tail. Writes at most max; returns how many. */
int layout_lines_of(const struct ui_tree *t, const struct ui_widget *w,
		    const struct ui_measure *m, struct layout_line *lines, int max);

/* The extent of w's text wrapped into its room as the renderer draws it: *ink_w the
 * widest line, *ink_h the lines' total height (logical units; 0 x 0 for no text). */
void layout_text_extent(const struct ui_tree *t, const struct ui_widget *w,
			const struct ui_measure *m, int *ink_w, int *ink_h);

/*
 * The fit problems of a built tree, each printed as one line to f (may be NULL): a widget
 * leaving the window, a text whose lines run outside its box, two widgets (other than
 * panels) on top of each other, a widget crossing the edge of a panel (a box cut by the
 * bottom bar). Returns how many. The same rules as tests/replays/check-tree.awk.
 */
int layout_tree_problems(const struct ui_tree *t, const struct ui_measure *m, FILE *f);

/* A grid of choice buttons with icons (see layout_grid). */
struct layout_grid {
	int cols, rows;
	int cw, h;         /* one button's width and height */
};

/* The height a row of choice buttons cw wide needs (at least min_h) for n labels wrapped
 * as drawn: the tallest label's lines plus 8 above and below. */
int layout_row_height(const struct ui_measure *m, const char *const labels[], int n, int size,
		      int cw, int min_h);

/*
 * Picks columns and a button height for n labels (UTF-8, size, regular weight) in area a:
 * cols columns when they do, else the next count up to max_cols, else fewer: the first
 * whose buttons of at least min_h are tall enough for
 * every label wrapped to at most two lines, and all rows fit a.h; else the layout whose
 * longest label needs the fewest lines. Buttons never get taller than max_h unless a
 * label needs it. Returns 0 when every label fits, -1 when some label had to overflow
 * (the caller's screen is then built smaller, see UI_SQUEEZE_MAX).
 */
int layout_grid(const struct ui_measure *m, const char *const labels[], int n, int size,
		struct ui_rect a, int cols, int max_cols, int min_h, int max_h, struct layout_grid *g);

#endif
