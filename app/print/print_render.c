/*
 * print_render.c — the receipt as a PDF in memory (see print_render.h). Each block of the
 * document is one pango layout in the paragraph direction of the receipt's language; the
 * page is drawn twice, first on a recording surface to learn the roll's length, then into
 * a PDF surface whose bytes go to a bounded memory buffer (never a file).
 */
#include "app/print/print_render.h"
#include "app/media/qr.h"
#include "platform/util.h"

#include <cairo-pdf.h>
#include <cairo.h>
#include <pango/pangocairo.h>
#include <stdlib.h>
#include <string.h>

#define MM 2.834645669   /* points per millimetre */
#define FONTS "Noto Sans, Noto Sans Arabic, Noto Naskh Arabic, Noto Sans Ethiopic"

/* One paper's measures: page width, margins, the text scale, QR module size (points). */
struct page {
	double w, margin, scale, module;
	int rtl;
};

/* Text styles: size in points on the roll (scaled for A4), bold, space after. */
static const struct style {
	const char *name;
	double size;
	int bold;
	double after;
} styles[] = {
	{ "small", 10, 0, 5 }, { "title", 15, 1, 8 }, { "label", 11, 0, 1 },
	{ "huge", 22, 1, 8 }, { "body", 12, 0, 7 }, { "alert", 12, 1, 9 },
	{ "note", 9.5, 0, 4 }, { "qr", 0, 0, 8 },
};

static const struct style *style_find(const char *name)
{
	for (size_t i = 0; i < sizeof(styles) / sizeof(styles[0]); i++)
		if (!strcmp(styles[i].name, name))
			return &styles[i];
	return NULL;
}

int print_paper_parse(const char *s, enum print_paper *out)
{
	if (!s)
		return -1;
	if (!strcmp(s, "80mm") || !strcmp(s, "roll"))
		return *out = PAPER_ROLL80, 0;
	if (!strcmp(s, "a4") || !strcmp(s, "A4"))
		return *out = PAPER_A4, 0;
	return -1;
}

static struct page page_for(enum print_paper paper, int rtl)
{
	if (paper == PAPER_A4)
		return (struct page){ 210 * MM, 25 * MM, 1.4, 1.3 * MM, rtl };
	return (struct page){ 80 * MM, 5 * MM, 1.0, 1.0 * MM, rtl };
}

/* Arabic lines at Noto Sans Arabic's own height are far apart (about 2 x the size); the
 * kiosk caps them at 1.6 x (UI.md), the paper at 1.7 x. */
static void cap_line_height(PangoLayout *l, double size)
{
	PangoAttrList *al = pango_attr_list_new();

	pango_attr_list_insert(al, pango_attr_line_height_new_absolute((int)(size * 1.7 * PANGO_SCALE)));
	pango_layout_set_attributes(l, al);
	pango_attr_list_unref(al);
}

/* A pango layout for text in style st across the text column, right to left when rtl;
 * "huge" (the reference) is always left to right, centred. Caller unrefs. */
static PangoLayout *text_layout(cairo_t *cr, const struct page *pg, const struct style *st,
				const char *text, double width, int rtl)
{
	PangoLayout *l = pango_cairo_create_layout(cr);
	PangoFontDescription *fd = pango_font_description_from_string(FONTS);
	int ltr = !rtl || !strcmp(st->name, "huge");

	pango_font_description_set_size(fd, (int)(st->size * pg->scale * PANGO_SCALE));
	pango_font_description_set_weight(fd, st->bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
	pango_layout_set_font_description(l, fd);
	pango_font_description_free(fd);
	pango_context_set_base_dir(pango_layout_get_context(l),
				   ltr ? PANGO_DIRECTION_LTR : PANGO_DIRECTION_RTL);
	pango_layout_context_changed(l);
	pango_layout_set_auto_dir(l, FALSE);
	pango_layout_set_width(l, (int)(width * PANGO_SCALE));
	pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
	pango_layout_set_alignment(l, !strcmp(st->name, "huge") ? PANGO_ALIGN_CENTER
					: ltr ? PANGO_ALIGN_LEFT : PANGO_ALIGN_RIGHT);
	if (rtl)
		cap_line_height(l, st->size * pg->scale);
	pango_layout_set_text(l, text, -1);
	return l;
}

/* Draws text at y (an "alert" inside a box); returns the height used. */
static double draw_text(cairo_t *cr, const struct page *pg, const struct style *st,
			const char *text, double y, int rtl)
{
	int alert = !strcmp(st->name, "alert");
	double pad = alert ? 3 * MM : 0, x = pg->margin + pad, w = pg->w - 2 * x;
	PangoLayout *l = text_layout(cr, pg, st, text, w, rtl);
	int lw, lh;

	pango_layout_get_size(l, &lw, &lh);
	cairo_move_to(cr, x, y + pad);
	pango_cairo_show_layout(cr, l);
	g_object_unref(l);
	if (alert) {
		cairo_set_line_width(cr, 2 * pg->scale);
		cairo_rectangle(cr, pg->margin + 1, y, pg->w - 2 * pg->margin - 2,
				(double)lh / PANGO_SCALE + 2 * pad);
		cairo_stroke(cr);
	}
	return (double)lh / PANGO_SCALE + 2 * pad;
}

/* Draws text's QR code centred at y, all dark modules in one path (no seams); returns
 * the height used with the quiet zone, -1 when libqrencode refuses the text. */
static double draw_qr(cairo_t *cr, const struct page *pg, const char *text, double y)
{
	struct qr q;
	double m = pg->module, x0;

	if (qr_make(text, &q) < 0)
		return -1;
	x0 = (pg->w - q.size * m) / 2;
	y += 4 * m;
	for (int r = 0; r < q.size; r++)
		for (int c = 0; c < q.size; c++)
			if (q.modules[r * q.size + c])
				cairo_rectangle(cr, x0 + c * m, y + r * m, m, m);
	cairo_fill(cr);
	m *= q.size + 8;
	util_cleanse(q.modules, (size_t)q.size * (size_t)q.size);
	qr_free(&q);
	return m;
}

/* Draws every block of doc from the top margin; returns the page height needed, -1 on a
 * malformed block. A block's own "dir" (a Dutch line on an Arabic receipt) overrides the
 * receipt's. */
static double draw_blocks(cairo_t *cr, const struct page *pg, const json_t *blocks)
{
	double y = pg->margin, h;
	size_t i;
	json_t *b;

	cairo_set_source_rgb(cr, 0, 0, 0);
	json_array_foreach(blocks, i, b) {
		const char *sn = json_string_value(json_object_get(b, "style"));
		const char *text = json_string_value(json_object_get(b, "text"));
		const char *dir = json_string_value(json_object_get(b, "dir"));
		const struct style *st = sn ? style_find(sn) : NULL;
		if (!st || !text || !*text)
			return error("print: block %zu has no known style or no text", i);
		h = st->size ? draw_text(cr, pg, st, text, y, dir ? !strcmp(dir, "rtl") : pg->rtl)
			     : draw_qr(cr, pg, text, y);
		if (h < 0)
			return -1;
		y += h + st->after * pg->scale;
	}
	return y + pg->margin + (pg->scale > 1 ? 0 : 8 * MM);   /* the roll: room to tear */
}

/* cairo's write callback: appends to the bounded buffer. */
static cairo_status_t to_memory(void *closure, const unsigned char *data, unsigned int len)
{
	struct print_pdf *b = closure;

	if (b->len + len > PRINT_PDF_MAX)
		return b->too_big = 1, CAIRO_STATUS_WRITE_ERROR;
	if (b->len + len > b->cap) {
		size_t cap = b->cap ? b->cap : 64 * 1024;
		unsigned char *n;
		while (cap < b->len + len)
			cap *= 2;
		if (!(n = malloc(cap)))
			return CAIRO_STATUS_NO_MEMORY;
		if (b->len)
			memcpy(n, b->data, b->len);
		util_cleanse(b->data, b->cap);
		free(b->data);
		b->data = n, b->cap = cap;
	}
	memcpy(b->data + b->len, data, len);
	b->len += len;
	return CAIRO_STATUS_SUCCESS;
}

/* The height the blocks need, measured on a recording surface; -1 on a bad block. */
static double measure(const struct page *pg, const json_t *blocks)
{
	cairo_surface_t *s = cairo_recording_surface_create(CAIRO_CONTENT_COLOR_ALPHA, NULL);
	cairo_t *cr = cairo_create(s);
	double h = draw_blocks(cr, pg, blocks);

	cairo_destroy(cr);
	cairo_surface_destroy(s);
	return h;
}

int print_render_pdf(const json_t *doc, enum print_paper paper, struct print_pdf *out)
{
	const json_t *blocks = json_object_get(doc, "blocks");
	const char *dir = json_string_value(json_object_get(doc, "dir"));
	struct page pg = page_for(paper, dir && !strcmp(dir, "rtl"));
	double h = json_is_array(blocks) ? measure(&pg, blocks) : -1;
	cairo_surface_t *s;
	cairo_t *cr;
	cairo_status_t st;

	memset(out, 0, sizeof(*out));
	if (h < 0)
		return error("print: the receipt has no blocks it can lay out");
	if (paper == PAPER_A4)
		h = h > 297 * MM ? h : 297 * MM;   /* one A4 page is plenty; longer is still whole */
	s = cairo_pdf_surface_create_for_stream(to_memory, out, pg.w, h);
	cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_TITLE, "inloop receipt");
	cr = cairo_create(s);
	draw_blocks(cr, &pg, blocks);
	cairo_destroy(cr);
	cairo_surface_finish(s);
	st = cairo_surface_status(s);
	cairo_surface_destroy(s);
	out->width_mm = pg.w / MM;
	out->height_mm = h / MM;
	if (st != CAIRO_STATUS_SUCCESS || out->too_big) {
		print_pdf_release(out);
		return error("print: the PDF could not be made (%s)",
			     out->too_big ? "larger than the limit" : cairo_status_to_string(st));
	}
	return 0;
}

void print_pdf_release(struct print_pdf *b)
{
	if (!b)
		return;
	if (b->data)
		util_cleanse(b->data, b->cap);
	free(b->data);
	memset(b, 0, sizeof(*b));
}
