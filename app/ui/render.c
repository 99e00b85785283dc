/*
 * render.c — the SDL window, the software renderer, the text texture cache and the
 * drawing of a widget tree. Screens never get here; they hand over a struct ui_tree.
 */
#include "app/ui/render.h"
#include "app/media/qr.h"
#include "app/ui/layout.h"
#include "app/ui/text.h"
#include "app/ui/theme.h"
#include "platform/util.h"

#include <SDL.h>
#include <string.h>
#include <time.h>

#define CACHE_MAX 384
#define MEASURE_MAX 4096   /* remembered measurements (a power of two) */

/* One measurement: a 64-bit hash of (text, px, weight, direction, what), never the text. */
struct measured {
	uint64_t key;
	int value;
};

struct cache_entry {
	char key[UI_TEXT_MAX];
	int px, bold, rtl;
	unsigned icon;
	uint32_t rgb;
	SDL_Texture *tex;
	int w, h;
	unsigned long used;
};

struct render {
	SDL_Window *win;
	SDL_Renderer *ren;
	int pw, ph;              /* pixels */
	double scale;            /* pixels per logical px */
	int lw, lh;
	int rtl;                 /* direction the measure works in */
	int squeeze;             /* steps the measure's sizes shrink (ui_squeezed) */
	struct ui_measure measure;
	struct cache_entry cache[CACHE_MAX];
	struct measured measured[MEASURE_MAX];
	unsigned long frame;
	int valid;               /* prev holds what is on screen */
	struct ui_tree prev;
	char prev_focus[UI_ID_MAX];
};

static struct timespec start_stamp;

__attribute__((constructor)) static void stamp_start(void)
{
	clock_gettime(CLOCK_MONOTONIC, &start_stamp);
}

double render_ms_since_start(void)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - start_stamp.tv_sec) * 1e3 +
	       (double)(now.tv_nsec - start_stamp.tv_nsec) / 1e6;
}

static int px_of(const struct render *r, int logical)
{
	return (int)(logical * r->scale + 0.5);
}

static SDL_Rect to_px(const struct render *r, struct ui_rect lr)
{
	int x0 = px_of(r, lr.x), y0 = px_of(r, lr.y);
	return (SDL_Rect){ x0, y0, px_of(r, lr.x + lr.w) - x0, px_of(r, lr.y + lr.h) - y0 };
}

/* FNV-1a over the text and the parameters that change its measure. */
static uint64_t measure_key(const char *s, int px, int bold, int rtl, int what)
{
	uint64_t h = 14695981039346656037ull;
	int p[4] = { px, bold, rtl, what };

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	for (int i = 0; i < 4; i++)
		h = (h ^ (uint64_t)(unsigned)p[i]) * 1099511628211ull;
	return h | 1;   /* 0 marks an empty slot */
}

/* text_width (what 0) or text_height (what 1) of s at px, remembered: layout, the fit
 * check and drawing measure the same lines again and again, and shaping is costly. */
static int measure_px(struct render *r, const char *s, int px, int bold, int what)
{
	uint64_t key = measure_key(s, px, bold, r->rtl, what);
	struct measured *m = &r->measured[key & (MEASURE_MAX - 1)];

	if (m->key != key) {
		text_set_rtl(r->rtl);
		m->value = what ? text_height(s, px, bold) : text_width(s, px, bold);
		m->key = key;
	}
	return m->value;
}

static int measure_width(void *ctx, const char *s, int size, int bold)
{
	struct render *r = ctx;
	return (int)(measure_px(r, s, px_of(r, ui_squeezed(size, r->squeeze)), bold, 0) / r->scale + 0.999);
}

static int measure_height(void *ctx, const char *s, int size, int bold)
{
	struct render *r = ctx;
	return (int)(measure_px(r, s, px_of(r, ui_squeezed(size, r->squeeze)), bold, 1) / r->scale + 0.999);
}

int render_resized(struct render *r)
{
	int pw = 0, ph = 0;

	SDL_GetRendererOutputSize(r->ren, &pw, &ph);
	if (pw <= 0 || ph <= 0 || (pw == r->pw && ph == r->ph))
		return 0;
	r->pw = pw;
	r->ph = ph;
	r->scale = (pw < ph ? pw : ph) / 800.0;
	r->lw = (int)(pw / r->scale);
	r->lh = (int)(ph / r->scale);
	render_forget(r);   /* sizes in pixels changed: every texture is stale */
	return 1;
}

/* Window size from "WxH", or the desktop's. */
static int window_size(const char *windowed, int *w, int *h)
{
	SDL_DisplayMode dm;

	if (windowed) {
		char end;
		if (sscanf(windowed, "%dx%d%c", w, h, &end) != 2 || *w < 320 || *h < 320 ||
		    *w > 8192 || *h > 8192)
			return error("--windowed wants WxH, e.g. 1280x800 (got %s)", windowed);
		return 0;
	}
	if (SDL_GetDesktopDisplayMode(0, &dm) < 0)
		return error("no display mode: %s", SDL_GetError());
	*w = dm.w;
	*h = dm.h;
	return 0;
}

int render_open(const char *windowed, struct render **out)
{
	struct render *r;
	int w, h;

	*out = NULL;
	SDL_SetHint(SDL_HINT_FRAMEBUFFER_ACCELERATION, "0");
	SDL_SetHint(SDL_HINT_RENDER_DRIVER, "software");
	SDL_SetHint(SDL_HINT_VIDEO_MINIMIZE_ON_FOCUS_LOSS, "0");
	if (SDL_Init(SDL_INIT_VIDEO | SDL_INIT_EVENTS) < 0)
		return error("SDL: %s", SDL_GetError());
	if (window_size(windowed, &w, &h) < 0 || text_open() < 0)
		return -1;
	r = calloc(1, sizeof(*r));
	if (!r)
		return error("out of memory");
	r->win = SDL_CreateWindow("inloop", windowed ? SDL_WINDOWPOS_CENTERED : 0,
				  windowed ? SDL_WINDOWPOS_CENTERED : 0, w, h,
				  windowed ? SDL_WINDOW_RESIZABLE : SDL_WINDOW_BORDERLESS);
	if (r->win)
		r->ren = SDL_CreateRenderer(r->win, -1, SDL_RENDERER_SOFTWARE);
	if (!r->ren) {
		error("window: %s", SDL_GetError());
		render_close(r);
		return -1;
	}
	r->measure = (struct ui_measure){ measure_width, measure_height, r };
	render_resized(r);
	*out = r;
	return 0;
}

void render_close(struct render *r)
{
	if (!r)
		return;
	render_forget(r);
	if (r->ren)
		SDL_DestroyRenderer(r->ren);
	if (r->win)
		SDL_DestroyWindow(r->win);
	text_close();
	util_clear_free(r);
	SDL_Quit();
}

void render_logical_size(const struct render *r, int *lw, int *lh)
{
	*lw = r->lw;
	*lh = r->lh;
}

const struct ui_measure *render_measure(struct render *r, const struct ui_tree *t)
{
	r->rtl = t->rtl;
	r->squeeze = t->squeeze;
	return &r->measure;
}

void render_to_pixels(const struct render *r, int lx, int ly, int *px, int *py)
{
	*px = px_of(r, lx);
	*py = px_of(r, ly);
}

void render_to_logical(const struct render *r, int px, int py, int *lx, int *ly)
{
	*lx = (int)(px / r->scale);
	*ly = (int)(py / r->scale);
}

void render_invalidate(struct render *r)
{
	r->valid = 0;
}

static void cache_drop(struct cache_entry *e)
{
	if (e->tex)
		SDL_DestroyTexture(e->tex);
	util_cleanse(e, sizeof(*e));
}

void render_forget(struct render *r)
{
	for (int i = 0; i < CACHE_MAX; i++)
		cache_drop(&r->cache[i]);
	text_forget();   /* the measuring buffer keeps the last text measured */
	util_cleanse(r->measured, sizeof(r->measured));
	ui_tree_cleanse(&r->prev);
	r->valid = 0;
}

int render_cache_count(const struct render *r)
{
	int n = 0;
	for (int i = 0; i < CACHE_MAX; i++)
		n += r->cache[i].tex != NULL;
	return n;
}

int render_cache_holds(const struct render *r, const char *needle)
{
	for (int i = 0; i < CACHE_MAX; i++)
		if (r->cache[i].tex && strstr(r->cache[i].key, needle))
			return 1;
	return 0;
}

int render_missing_glyphs(const char *text)
{
	return text_missing_glyphs(text);
}

/* The cached texture for a line of text (or an icon when icon != 0); renders it on a
 * miss, evicting the least recently used entry. NULL when there is nothing to draw. */
static struct cache_entry *cached(struct render *r, const char *s, int px, int bold, int rtl,
				  unsigned icon, uint32_t rgb)
{
	struct cache_entry *e, *victim = &r->cache[0];
	SDL_Surface *surf;

	for (int i = 0; i < CACHE_MAX; i++) {
		e = &r->cache[i];
		if (e->tex && e->px == px && e->bold == bold && e->rtl == rtl && e->icon == icon &&
		    e->rgb == rgb && !strcmp(e->key, s)) {
			e->used = r->frame;
			return e;
		}
		if (!e->tex || (victim->tex && e->used < victim->used))
			victim = e;
	}
	text_set_rtl(rtl);
	surf = icon ? text_render_icon(icon, px, rgb) : text_render(s, px, bold, rgb);
	if (!surf)
		return NULL;
	cache_drop(victim);
	victim->tex = SDL_CreateTextureFromSurface(r->ren, surf);
	SDL_FreeSurface(surf);
	if (!victim->tex)
		return NULL;
	snprintf(victim->key, sizeof(victim->key), "%s", s);
	SDL_QueryTexture(victim->tex, NULL, NULL, &victim->w, &victim->h);
	victim->px = px;
	victim->bold = bold;
	victim->rtl = rtl;
	victim->icon = icon;
	victim->rgb = rgb;
	victim->used = r->frame;
	return victim;
}

static void fill(struct render *r, SDL_Rect rc, uint32_t rgb)
{
	SDL_SetRenderDrawColor(r->ren, (Uint8)(rgb >> 16), (Uint8)(rgb >> 8), (Uint8)rgb, 255);
	SDL_RenderFillRect(r->ren, &rc);
}

/* A frame of thickness t pixels inside rc. */
static void frame(struct render *r, SDL_Rect rc, int t, uint32_t rgb)
{
	fill(r, (SDL_Rect){ rc.x, rc.y, rc.w, t }, rgb);
	fill(r, (SDL_Rect){ rc.x, rc.y + rc.h - t, rc.w, t }, rgb);
	fill(r, (SDL_Rect){ rc.x, rc.y, t, rc.h }, rgb);
	fill(r, (SDL_Rect){ rc.x + rc.w - t, rc.y, t, rc.h }, rgb);
}

/* Draws the widget's text wrapped into its logical room (layout_text_room), centred
 * vertically when center_v. */
static void draw_text(struct render *r, const struct ui_tree *t, const struct ui_widget *w,
		      int center_v)
{
	struct layout_line lines[LAYOUT_MAX_LINES];
	struct ui_rect room = layout_text_room(t, w);
	SDL_Rect box = to_px(r, room);
	int rtl = t->rtl && !(w->flags & UI_LTR_TEXT);
	int px = px_of(r, ui_squeezed(w->size, t->squeeze)), n, lh, y;
	char buf[UI_TEXT_MAX];

	r->rtl = rtl;
	n = layout_lines_of(t, w, &r->measure, lines, LAYOUT_MAX_LINES);
	lh = measure_px(r, w->text, px, w->bold, 1);
	text_set_rtl(rtl);
	y = center_v ? box.y + (box.h - n * lh) / 2 : box.y;
	for (int i = 0; i < n; i++, y += lh) {
		struct cache_entry *e;
		int x;
		memcpy(buf, w->text + lines[i].off, (size_t)lines[i].len);
		buf[lines[i].len] = '\0';
		e = cached(r, buf, px, w->bold, rtl, 0, w->fg);
		if (!e)
			continue;
		x = w->align == ALIGN_START ? box.x :
		    w->align == ALIGN_END ? box.x + box.w - e->w : box.x + (box.w - e->w) / 2;
		SDL_RenderCopy(r->ren, e->tex, NULL, &(SDL_Rect){ x, y + (lh - e->h) / 2, e->w, e->h });
	}
	util_cleanse(buf, sizeof(buf));
}

static void draw_qr(struct render *r, const struct ui_tree *t, SDL_Rect rc)
{
	const struct qr *q = t->qr;
	int side, mod, x0, y0;

	fill(r, rc, 0xFFFFFF);
	if (!q || q->size <= 0)
		return;
	side = rc.w < rc.h ? rc.w : rc.h;
	mod = side / (q->size + 8);
	if (mod < 1)
		return;
	x0 = rc.x + (rc.w - mod * q->size) / 2;
	y0 = rc.y + (rc.h - mod * q->size) / 2;
	for (int y = 0; y < q->size; y++)
		for (int x = 0; x < q->size; x++)
			if (q->modules[y * q->size + x])
				fill(r, (SDL_Rect){ x0 + x * mod, y0 + y * mod, mod, mod }, 0x000000);
}

static void draw_progress(struct render *r, const struct ui_tree *t, const struct ui_widget *w,
			  SDL_Rect rc)
{
	int done = w->arg2 > 0 ? rc.w * w->arg / w->arg2 : 0;

	fill(r, rc, w->bg);
	frame(r, rc, px_of(r, 2) > 0 ? px_of(r, 2) : 1, THEME_BORDER);
	if (done > 0)
		fill(r, (SDL_Rect){ t->rtl ? rc.x + rc.w - done : rc.x, rc.y, done, rc.h }, w->fg);
}

/* A stroke of width wpx from (x0,y0) to (x1,y1): a quad of two triangles. */
static void stroke(struct render *r, float x0, float y0, float x1, float y1, float wpx,
		   uint32_t rgb)
{
	float dx = x1 - x0, dy = y1 - y0, len = SDL_sqrtf(dx * dx + dy * dy);
	float nx = len > 0 ? -dy / len * wpx / 2 : 0, ny = len > 0 ? dx / len * wpx / 2 : 0;
	SDL_Color c = { (Uint8)(rgb >> 16), (Uint8)(rgb >> 8), (Uint8)rgb, 255 };
	SDL_Vertex v[4] = {
		{ { x0 + nx, y0 + ny }, c, { 0, 0 } }, { { x1 + nx, y1 + ny }, c, { 0, 0 } },
		{ { x1 - nx, y1 - ny }, c, { 0, 0 } }, { { x0 - nx, y0 - ny }, c, { 0, 0 } },
	};
	int idx[6] = { 0, 1, 2, 0, 2, 3 };

	SDL_RenderGeometry(r->ren, NULL, v, 4, idx, 6);
}

/* A choice's check box (layout_check_box; WCAG 1.4.1: the state shows in shape, not only
 * colour): an empty outlined box, or a filled box with a tick and a thick outline round
 * the whole option when selected. */
static void draw_check(struct render *r, const struct ui_tree *t, const struct ui_widget *w,
		       SDL_Rect rc)
{
	SDL_Rect cb = to_px(r, layout_check_box(t, w));
	float side = (float)cb.w;
	int b = px_of(r, 3) > 0 ? px_of(r, 3) : 1;

	if (w->flags & UI_SELECTED) {
		frame(r, rc, px_of(r, 6) > 1 ? px_of(r, 6) : 2, THEME_TEXT);
		fill(r, cb, w->fg);
		stroke(r, cb.x + side * 0.22f, cb.y + side * 0.52f, cb.x + side * 0.42f, cb.y + side * 0.72f,
		       side * 0.14f, w->bg);
		stroke(r, cb.x + side * 0.40f, cb.y + side * 0.72f, cb.x + side * 0.80f, cb.y + side * 0.28f,
		       side * 0.14f, w->bg);
	} else {
		fill(r, cb, 0xFFFFFF);
		frame(r, cb, b, THEME_BORDER);
	}
}

/* A button-like widget: fill, outline on light fills, the icon centred in its slot on
 * the start side (the end side for UI_ICON_END), the label beside it. */
static void draw_control(struct render *r, const struct ui_tree *t, const struct ui_widget *w,
			 SDL_Rect rc)
{
	int size = ui_squeezed(w->size, t->squeeze), border = px_of(r, 3);

	fill(r, rc, w->bg);
	if (w->bg == 0xFFFFFF || w->role == ROLE_FIELD)
		frame(r, rc, border > 0 ? border : 1, THEME_BORDER);
	if (w->role == ROLE_CHOICE)
		draw_check(r, t, w, rc);
	if (w->icon) {
		struct cache_entry *e = cached(r, "", px_of(r, size * 5 / 4), 0, 0, w->icon, w->fg);
		int left = t->rtl == !!(w->flags & UI_ICON_END), slot = size * 5 / 4;
		int pad = layout_control_pad(t, w), cb = w->role == ROLE_CHOICE ? LAYOUT_CHECK + pad : 0;
		int sx = left ? w->r.x + pad + cb : w->r.x + w->r.w - pad - slot - cb;
		if (!w->text[0])   /* an icon alone sits in the middle */
			sx = w->r.x, slot = w->r.w;
		if (e) {
			SDL_Rect s = to_px(r, (struct ui_rect){ sx, w->r.y, slot, w->r.h });
			SDL_RenderCopy(r->ren, e->tex, NULL, &(SDL_Rect){ s.x + (s.w - e->w) / 2,
				       s.y + (s.h - e->h) / 2, e->w, e->h });
		}
	}
	draw_text(r, t, w, 1);
}

static void draw_widget(struct render *r, const struct ui_tree *t, const struct ui_widget *w)
{
	SDL_Rect rc = to_px(r, w->r);

	switch (w->role) {
	case ROLE_PANEL:
		fill(r, rc, w->bg);
		break;
	case ROLE_TEXT:
		fill(r, rc, w->bg);
		draw_text(r, t, w, 0);
		break;
	case ROLE_PROGRESS:
		draw_progress(r, t, w, rc);
		break;
	case ROLE_QR:
		draw_qr(r, t, rc);
		break;
	default:
		draw_control(r, t, w, rc);
		break;
	}
}

static int rect_meets(SDL_Rect a, SDL_Rect b)
{
	return SDL_HasIntersection(&a, &b);
}

/* The focus ring's pixel rect (outside the widget), or an empty rect. */
static SDL_Rect focus_rect(struct render *r, const struct ui_tree *t, const char *focus)
{
	for (int i = 0; focus && focus[0] && i < t->n; i++)
		if (!strcmp(t->w[i].id, focus)) {
			SDL_Rect rc = to_px(r, t->w[i].r);
			int g = px_of(r, 6);
			return (SDL_Rect){ rc.x - g, rc.y - g, rc.w + 2 * g, rc.h + 2 * g };
		}
	return (SDL_Rect){ 0, 0, 0, 0 };
}

/* The pixel area that differs from the last frame; empty when nothing does; the whole
 * window when the layout itself changed. */
static SDL_Rect dirty_area(struct render *r, const struct ui_tree *t, const char *focus)
{
	SDL_Rect all = { 0, 0, r->pw, r->ph }, d = { 0, 0, 0, 0 };
	SDL_Rect f0, f1;

	if (!r->valid || t->n != r->prev.n || t->lw != r->prev.lw || t->lh != r->prev.lh ||
	    t->bg != r->prev.bg || t->rtl != r->prev.rtl || t->squeeze != r->prev.squeeze || strcmp(t->screen, r->prev.screen) ||
	    t->qr != r->prev.qr)
		return all;
	for (int i = 0; i < t->n; i++) {
		const struct ui_widget *a = &t->w[i], *b = &r->prev.w[i];
		if (memcmp(&a->r, &b->r, sizeof(a->r)))
			return all;
		if (memcmp(a, b, sizeof(*a))) {
			SDL_Rect rc = to_px(r, a->r);
			SDL_UnionRect(&d, &rc, &d);
		}
	}
	if (strcmp(focus, r->prev_focus)) {
		f0 = focus_rect(r, &r->prev, r->prev_focus);
		f1 = focus_rect(r, t, focus);
		if (f0.w) SDL_UnionRect(&d, &f0, &d);
		if (f1.w) SDL_UnionRect(&d, &f1, &d);
	}
	return d;
}

int render_frame(struct render *r, const struct ui_tree *t, const char *focus)
{
	SDL_Rect d, f;

	focus = focus ? focus : "";
	d = dirty_area(r, t, focus);
	if (d.w <= 0 || d.h <= 0)
		return 0;
	r->frame++;
	r->squeeze = t->squeeze;
	SDL_RenderSetClipRect(r->ren, &d);
	fill(r, d, t->bg);
	for (int i = 0; i < t->n; i++)
		if (rect_meets(to_px(r, t->w[i].r), d))
			draw_widget(r, t, &t->w[i]);
	f = focus_rect(r, t, focus);
	if (f.w)
		frame(r, f, px_of(r, 5) > 2 ? px_of(r, 5) : 2, THEME_FOCUS);
	SDL_RenderSetClipRect(r->ren, NULL);
	SDL_RenderPresent(r->ren);
	memcpy(&r->prev, t, sizeof(*t));
	snprintf(r->prev_focus, sizeof(r->prev_focus), "%s", focus);
	r->valid = 1;
	return 1;
}

int render_shot(struct render *r, const char *path)
{
	SDL_Surface *s = SDL_CreateRGBSurfaceWithFormat(0, r->pw, r->ph, 24, SDL_PIXELFORMAT_RGB24);
	int rc = -1;

	if (!s)
		return error("shot: %s", SDL_GetError());
	if (SDL_RenderReadPixels(r->ren, NULL, SDL_PIXELFORMAT_RGB24, s->pixels, s->pitch) < 0)
		error("shot: %s", SDL_GetError());
	else if (SDL_SaveBMP(s, path) < 0)
		error("shot %s: %s", path, SDL_GetError());
	else
		rc = 0;
	util_cleanse(s->pixels, (size_t)s->pitch * (size_t)s->h);
	SDL_FreeSurface(s);
	return rc;
}
