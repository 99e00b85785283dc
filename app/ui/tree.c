/*
 * tree.c — the widget tree: building, finding, hit-testing, focus order, the
 * right-to-left mirror, wiping and the dump the tests read. No SDL here.
 */
#include "app/ui/ui.h"
#include "app/ui/layout.h"
#include "platform/util.h"

#include <string.h>

static const char *const role_names[ROLE_ROLE_COUNT] = {
	"panel", "text", "button", "choice", "field", "key", "progress", "qr",
};

const char *ui_role_name(enum ui_role r)
{
	return (unsigned)r < ROLE_ROLE_COUNT ? role_names[r] : "?";
}

int ui_rect_has(struct ui_rect r, int x, int y)
{
	return x >= r.x && y >= r.y && x < r.x + r.w && y < r.y + r.h;
}

int ui_squeezed(int size, int squeeze)
{
	int s = size * (10 - squeeze) / 10;

	if (squeeze <= 0 || size <= 24)
		return size;
	return s < 24 ? 24 : s;
}

void ui_tree_reset(struct ui_tree *t, const char *screen, const char *lang, int rtl, int lw,
		   int lh, uint32_t bg)
{
	ui_tree_cleanse(t);
	snprintf(t->screen, sizeof(t->screen), "%s", screen);
	snprintf(t->lang, sizeof(t->lang), "%s", lang);
	t->rtl = rtl;
	t->lw = lw;
	t->lh = lh;
	t->bg = bg;
	t->squeeze = 0;
}

/* Copies src into dst (size bytes), cutting only between whole UTF-8 characters. */
static void copy_utf8(char *dst, size_t size, const char *src)
{
	size_t n = strlen(src);

	if (n >= size) {
		n = size - 1;
		while (n > 0 && ((unsigned char)src[n] & 0xC0) == 0x80)
			n--;
	}
	memcpy(dst, src, n);
	dst[n] = '\0';
}

struct ui_widget *ui_add(struct ui_tree *t, enum ui_role role, const char *id, const char *text,
			 struct ui_rect r)
{
	static int warned;
	struct ui_widget *w;

	if (t->n >= UI_MAX_WIDGETS) {
		if (!warned++)
			warning("widget tree full on screen %s", t->screen);
		return NULL;
	}
	w = &t->w[t->n++];
	memset(w, 0, sizeof(*w));
	copy_utf8(w->id, sizeof(w->id), id ? id : "");
	copy_utf8(w->text, sizeof(w->text), text ? text : "");
	w->role = role;
	w->r = r;
	w->size = 28;
	w->align = ALIGN_START;
	return w;
}

struct ui_widget *ui_find(struct ui_tree *t, const char *id)
{
	for (int i = 0; i < t->n; i++)
		if (!strcmp(t->w[i].id, id))
			return &t->w[i];
	return NULL;
}

struct ui_widget *ui_hit(struct ui_tree *t, int x, int y)
{
	for (int i = t->n - 1; i >= 0; i--) {
		struct ui_widget *w = &t->w[i];
		if ((w->flags & UI_FOCUSABLE) && !(w->flags & UI_DISABLED) && ui_rect_has(w->r, x, y))
			return w;
	}
	return NULL;
}

void ui_tree_mirror(struct ui_tree *t)
{
	for (int i = 0; i < t->n; i++) {
		struct ui_widget *w = &t->w[i];
		if (w->flags & UI_NO_MIRROR)
			continue;
		w->r.x = t->lw - w->r.x - w->r.w;
		if (w->align == ALIGN_START)
			w->align = ALIGN_END;
		else if (w->align == ALIGN_END)
			w->align = ALIGN_START;
	}
}

static int focusable(const struct ui_widget *w)
{
	return (w->flags & UI_FOCUSABLE) && !(w->flags & UI_DISABLED);
}

void ui_focus_step(const struct ui_tree *t, const char *cur, int dir, char out[UI_ID_MAX])
{
	int at = -1, i;

	for (i = 0; cur && cur[0] && i < t->n; i++)
		if (!strcmp(t->w[i].id, cur))
			at = i;
	out[0] = '\0';   /* only now: the kiosk passes its focus as both cur and out */
	if (at < 0)
		at = dir > 0 ? -1 : t->n;
	for (i = at + dir; i >= 0 && i < t->n; i += dir)
		if (focusable(&t->w[i]))
			break;
	if (i < 0 || i >= t->n) /* wrap around */
		for (i = dir > 0 ? 0 : t->n - 1; i >= 0 && i < t->n; i += dir)
			if (focusable(&t->w[i]))
				break;
	if (i >= 0 && i < t->n)
		snprintf(out, UI_ID_MAX, "%s", t->w[i].id);
}

void ui_tree_cleanse(struct ui_tree *t)
{
	util_cleanse(t->w, sizeof(t->w[0]) * (size_t)(t->n > 0 ? t->n : 0));
	t->n = 0;
	t->qr = NULL;
}

/* Prints s in double quotes with ", \ and control characters escaped. */
static void dump_quoted(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c < 0x20)
			fprintf(f, "\\x%02x", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
}

/* room=WxH ink=WxH of a widget's text (layout_text_extent), or nothing. */
static void dump_extent(const struct ui_tree *t, const struct ui_widget *w,
			const struct ui_measure *m, FILE *f)
{
	struct ui_rect room = layout_text_room(t, w);
	int iw, ih;

	layout_text_extent(t, w, m, &iw, &ih);
	if (iw || ih)
		fprintf(f, " room=%dx%d ink=%dx%d", room.w, room.h, iw, ih);
}

void ui_tree_dump(const struct ui_tree *t, FILE *f, int (*glyph_check)(const char *text),
		  const struct ui_measure *m)
{
	fprintf(f, "screen %s lang=%s dir=%s size=%dx%d bg=#%06x widgets=%d squeeze=%d\n",
		t->screen, t->lang, t->rtl ? "rtl" : "ltr", t->lw, t->lh, (unsigned)t->bg, t->n,
		t->squeeze);
	for (int i = 0; i < t->n; i++) {
		const struct ui_widget *w = &t->w[i];
		fprintf(f, "widget id=%s role=%s x=%d y=%d w=%d h=%d fg=#%06x bg=#%06x size=%d%s%s%s%s%s",
			w->id, ui_role_name(w->role), w->r.x, w->r.y, w->r.w, w->r.h,
			(unsigned)w->fg, (unsigned)w->bg, ui_squeezed(w->size, t->squeeze),
			(w->flags & UI_FOCUSABLE) ? " target" : "",
			(w->flags & UI_SELECTED) ? " selected" : "",
			(w->flags & UI_DISABLED) ? " disabled" : "",
			(w->flags & UI_MAIN) ? " main" : "",
			(w->flags & UI_LTR_TEXT) ? " ltr-text" : "");
		if (w->icon)
			fprintf(f, " icon=U+%04X", w->icon);
		if (glyph_check && w->text[0])
			fprintf(f, " missing=%d", glyph_check(w->text));
		if (m)
			dump_extent(t, w, m, f);
		fputs(" text=", f);
		dump_quoted(f, w->text);
		fputc('\n', f);
	}
}
