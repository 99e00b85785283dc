/*
 * layout.h — line breaking and stacking in logical units, over a passed-in measure
 * (ui.h), so the same breaks are computed by screens (for heights) and by the renderer
 * (for drawing), and tests can run them without fonts.
 */
#ifndef INLOOP_LAYOUT_H
#define INLOOP_LAYOUT_H

#include "app/ui/ui.h"

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

#endif
