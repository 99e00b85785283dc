/*
 * layout.c — greedy line breaking at spaces, and stacking text widgets.
 */
#include "app/ui/layout.h"

#include <string.h>

/* Width of text[off, off+len) through the measure (copied to terminate it). */
static int span_width(const struct ui_measure *m, const char *text, int off, int len, int size,
		      int bold)
{
	char buf[UI_TEXT_MAX];

	if (len >= (int)sizeof(buf))
		len = (int)sizeof(buf) - 1;
	memcpy(buf, text + off, (size_t)len);
	buf[len] = '\0';
	return m->width(m->ctx, buf, size, bold);
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
