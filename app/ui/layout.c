/*
 * layout.c — greedy line breaking at spaces, and stacking text widgets.
 */
#include "app/ui/layout.h"
#include "app/ui/theme.h"
#include "platform/util.h"

#include <string.h>

/* Width of text[off, off+len) through the measure (copied to terminate it). */
static int span_width(const struct ui_measure *m, const char *text, int off, int len, int size,
		      int bold)
{
	char buf[UI_TEXT_MAX];

	if (len >= (int)sizeof(buf))
		len = (int)sizeof(buf) - 1;
	int w;

	memcpy(buf, text + off, (size_t)len);
	buf[len] = '\0';
	w = m->width(m->ctx, buf, size, bold);
	util_cleanse(buf, (size_t)len + 1);   /* may be a typed name */
	return w;
}

int layout_wrap(const struct ui_measure *m, const char *text, int size, int bold, int width,
		struct layout_line *lines, int max)
{
	int n = 0, start = 0, len = (int)strlen(text);

	while (start <= len && n < max) {
		int para = start, best = -1, from = start;
		while (para < len && text[para] != '\n')
			para++;
		for (;;) {
			int cand = from;
			while (cand < para && text[cand] != ' ')
				cand++;
			if (best >= 0 && span_width(m, text, start, cand - start, size, bold) > width)
				break;
			best = cand;       /* fits, or a first word wider than the line */
			if (cand == para)
				break;
			from = cand + 1;
		}
		lines[n++] = (struct layout_line){ start, best - start };
		if (best >= len)
			break;
		start = best + 1;     /* skip the space or newline broken at */
	}
	return n;
}

int layout_text_height(const struct ui_measure *m, const char *text, int size, int bold,
		       int width)
{
	struct layout_line lines[LAYOUT_MAX_LINES];
	int n;

	if (!*text)
		return 0;
	n = layout_wrap(m, text, size, bold, width, lines, LAYOUT_MAX_LINES);
	return n * m->height(m->ctx, text, size, bold);
}

struct ui_widget *layout_text(struct ui_tree *t, const struct ui_measure *m, const char *id,
			      const char *text, int size, int bold, int x, int *y, int w,
			      uint32_t fg, uint32_t bg, int gap)
{
	int h = layout_text_height(m, text, size, bold, w);
	static struct ui_widget scratch;   /* returned when the tree is full */
	struct ui_widget *wd = ui_add(t, ROLE_TEXT, id, text, (struct ui_rect){ x, *y, w, h });

	if (!wd)
		memset(wd = &scratch, 0, sizeof(scratch));
	{
		wd->size = size;
		wd->bold = bold;
		wd->fg = fg;
		wd->bg = bg;
	}
	*y += h + gap;
	return wd;
}

int layout_control_pad(const struct ui_tree *t, const struct ui_widget *w)
{
	int size = ui_squeezed(w->size, t->squeeze);

	return w->role == ROLE_KEY || w->r.w < 4 * size ? LAYOUT_KEY_PAD : LAYOUT_PAD;
}

struct ui_rect layout_check_box(const struct ui_tree *t, const struct ui_widget *w)
{
	int pad = layout_control_pad(t, w);

	return (struct ui_rect){ t->rtl ? w->r.x + w->r.w - pad - LAYOUT_CHECK : w->r.x + pad,
				 w->r.y + (w->r.h - LAYOUT_CHECK) / 2, LAYOUT_CHECK, LAYOUT_CHECK };
}

struct ui_rect layout_text_room(const struct ui_tree *t, const struct ui_widget *w)
{
	struct ui_rect r = w->r;
	int pad = layout_control_pad(t, w), slot = ui_squeezed(w->size, t->squeeze) * 5 / 4 + pad;

	if (w->role == ROLE_TEXT)
		return r;
	r.x += pad;
	r.w -= 2 * pad;
	if (w->role == ROLE_CHOICE) {   /* the check box on the start side */
		r.w -= LAYOUT_CHECK + pad;
		if (!t->rtl)
			r.x += LAYOUT_CHECK + pad;
	}
	if (w->icon) {
		r.w -= slot;
		if (t->rtl == !!(w->flags & UI_ICON_END))   /* the icon on the left */
			r.x += slot;
	}
	return r;
}

/* 1 for the roles that draw w->text (not panels, bars or codes). */
static int has_text(const struct ui_widget *w)
{
	return w->text[0] && w->role != ROLE_PANEL && w->role != ROLE_PROGRESS && w->role != ROLE_QR;
}

int layout_field_tail(const struct ui_measure *m, const char *text, int size, int bold,
		      int width)
{
	int len = (int)strlen(text), lo = 0, hi = len;

	if (span_width(m, text, 0, len, size, bold) <= width)
		return 0;
	while (lo < hi) {   /* the first character boundary whose tail fits */
		int mid = (lo + hi) / 2;
		while (mid < len && ((unsigned char)text[mid] & 0xC0) == 0x80)
			mid++;
		if (mid >= hi) {
			lo = hi;
			break;
		}
		if (span_width(m, text, mid, len - mid, size, bold) <= width)
			hi = mid;
		else
			lo = mid + 1;
	}
	while (hi < len && ((unsigned char)text[hi] & 0xC0) == 0x80)
		hi++;
	return hi;
}

int layout_lines_of(const struct ui_tree *t, const struct ui_widget *w,
		    const struct ui_measure *m, struct layout_line *lines, int max)
{
	struct ui_rect room = layout_text_room(t, w);

	if (w->role == ROLE_FIELD) {   /* one line: the end of what was typed */
		int from = layout_field_tail(m, w->text, w->size, w->bold, room.w);
		lines[0] = (struct layout_line){ from, (int)strlen(w->text) - from };
		return 1;
	}
	return layout_wrap(m, w->text, w->size, w->bold, room.w, lines, max);
}

void layout_text_extent(const struct ui_tree *t, const struct ui_widget *w,
			const struct ui_measure *m, int *ink_w, int *ink_h)
{
	struct layout_line lines[LAYOUT_MAX_LINES];
	int n;

	*ink_w = *ink_h = 0;
	if (!has_text(w))
		return;
	n = layout_lines_of(t, w, m, lines, LAYOUT_MAX_LINES);
	for (int i = 0; i < n; i++) {
		int lw = span_width(m, w->text, lines[i].off, lines[i].len, w->size, w->bold);
		*ink_w = lw > *ink_w ? lw : *ink_w;
	}
	*ink_h = n * m->height(m->ctx, w->text, w->size, w->bold);
}

static int meets(struct ui_rect a, struct ui_rect b)
{
	return a.w > 0 && a.h > 0 && b.w > 0 && b.h > 0 && a.x < b.x + b.w && b.x < a.x + a.w &&
	       a.y < b.y + b.h && b.y < a.y + a.h;
}

static int holds(struct ui_rect out, struct ui_rect in)
{
	return in.x >= out.x && in.y >= out.y && in.x + in.w <= out.x + out.w &&
	       in.y + in.h <= out.y + out.h;
}

/* Problems of widget i against the window and the widgets before it. */
static int widget_problems(const struct ui_tree *t, const struct ui_measure *m, int i, FILE *f)
{
	const struct ui_widget *w = &t->w[i];
	struct ui_rect r = w->r, room;
	int bad = 0, iw, ih;

	if (r.x < 0 || r.y < 0 || r.x + r.w > t->lw || r.y + r.h > t->lh) {
		bad++;
		if (f)
			fprintf(f, "%s: %s (%d,%d %dx%d) leaves the %dx%d window\n", t->screen, w->id,
				r.x, r.y, r.w, r.h, t->lw, t->lh);
	}
	layout_text_extent(t, w, m, &iw, &ih);
	room = layout_text_room(t, w);
	if (iw > room.w || ih > room.h) {
		bad++;
		if (f)
			fprintf(f, "%s: %s text %dx%d runs outside its %dx%d box\n", t->screen, w->id,
				iw, ih, room.w, room.h);
	}
	for (int j = 0; j < i; j++) {
		const struct ui_widget *o = &t->w[j];
		int panel = w->role == ROLE_PANEL || o->role == ROLE_PANEL;
		if (!meets(r, o->r) || (panel && (holds(r, o->r) || holds(o->r, r))))
			continue;
		bad++;
		if (f && panel)
			fprintf(f, "%s: %s (%d,%d %dx%d) crosses the edge of the panel %s(%d,%d %dx%d)\n",
				t->screen, w->id, r.x, r.y, r.w, r.h, o->id, o->r.x, o->r.y, o->r.w,
				o->r.h);
		else if (f)
			fprintf(f, "%s: %s overlaps %s\n", t->screen, w->id, o->id);
	}
	return bad;
}

int layout_tree_problems(const struct ui_tree *t, const struct ui_measure *m, FILE *f)
{
	int bad = 0;

	for (int i = 0; i < t->n; i++)
		bad += widget_problems(t, m, i, f);
	return bad;
}

/* The lines (at least 1) label needs at width room, and its ink height; *over is set
 * when a line stays wider than room (one long word). */
static int label_lines(const struct ui_measure *m, const char *label, int size, int room,
		       int *ink_h, int *over)
{
	struct layout_line lines[LAYOUT_MAX_LINES];
	int n = layout_wrap(m, label, size, 0, room, lines, LAYOUT_MAX_LINES);

	for (int i = 0; i < n; i++)
		if (span_width(m, label, lines[i].off, lines[i].len, size, 0) > room)
			*over = 1;
	*ink_h = n * m->height(m->ctx, label, size, 0);
	return n;
}

/* The room a choice button of width cw leaves its label: padding, icon, check box. */
static int choice_room(int cw, int size)
{
	return cw - 2 * LAYOUT_PAD - size * 5 / 4 - LAYOUT_PAD - LAYOUT_CHECK - LAYOUT_PAD;
}

int layout_row_height(const struct ui_measure *m, const char *const labels[], int n, int size,
		      int cw, int min_h)
{
	int h = min_h, ink, over = 0;

	for (int i = 0; i < n; i++) {
		label_lines(m, labels[i], size, choice_room(cw, size), &ink, &over);
		h = ink + 16 > h ? ink + 16 : h;   /* 8 above and below the lines */
	}
	return h;
}

/* Fills g for cols columns; returns the most lines a label needs (LAYOUT_MAX_LINES + 1
 * when a label is wider than its button or the rows do not fit). */
static int grid_try(const struct ui_measure *m, const char *const labels[], int n, int size,
		    struct ui_rect a, int cols, int min_h, int max_h, struct layout_grid *g)
{
	int lines = 0, ink = 0, over = 0, room;

	g->cols = cols;
	g->rows = (n + cols - 1) / cols;
	g->cw = (a.w - (cols - 1) * THEME_GAP) / cols;
	room = choice_room(g->cw, size);
	for (int i = 0; i < n; i++) {
		int h = 0, l = label_lines(m, labels[i], size, room, &h, &over);
		lines = l > lines ? l : lines;
		ink = h > ink ? h : ink;
	}
	g->h = a.h / g->rows - THEME_GAP;
	g->h = g->h > max_h ? max_h : g->h;
	if (g->h < ink + 16)
		g->h = ink + 16;   /* 8 above and below the lines */
	if (g->h < min_h)
		g->h = min_h;
	if (over || g->rows * g->h + (g->rows - 1) * THEME_GAP > a.h)
		return LAYOUT_MAX_LINES + 1;
	return lines;
}

int layout_grid(const struct ui_measure *m, const char *const labels[], int n, int size,
		struct ui_rect a, int cols, int max_cols, int min_h, int max_h, struct layout_grid *g)
{
	int best = cols, best_lines = LAYOUT_MAX_LINES + 2, best_h = -1;

	max_cols = max_cols < cols ? cols : max_cols;
	/* the preferred count first, then more columns, then fewer */
	for (int i = 0, c = cols; n > 0 && c >= 1; i++, c = cols + i <= max_cols ? cols + i : max_cols - i) {
		int l = grid_try(m, labels, n, size, a, c, min_h, max_h, g);
		int total = g->rows * g->h + (g->rows - 1) * THEME_GAP;
		if (l <= 2)
			return 0;
		if (l < best_lines || (best_lines > LAYOUT_MAX_LINES && (best_h < 0 || total < best_h)))
			best = c, best_lines = l, best_h = total;
	}
	grid_try(m, labels, n, size, a, best, min_h, max_h, g);
	if (best_lines <= LAYOUT_MAX_LINES)
		return 0;
	/* nothing fits: the shortest grid, squeezed into the area (never below min_h); the
	 * screen is built again with smaller text (UI_SQUEEZE_MAX) */
	if (g->rows * g->h + (g->rows - 1) * THEME_GAP > a.h)
		g->h = (a.h - (g->rows - 1) * THEME_GAP) / (g->rows > 0 ? g->rows : 1);
	g->h = g->h < min_h ? min_h : g->h;
	return -1;
}
