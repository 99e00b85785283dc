/*
 * text.c — lines of text over a Noto font chain: each character takes the first font of
 * the chain that has its glyph (staying in the current font while it can, so spaces and
 * digits inside Arabic stay Arabic); FriBidi levels order the runs; each run is shaped by
 * SDL2_ttf/HarfBuzz with its own script and direction (UI.md: both calls, per font, or a
 * later Latin label comes out reversed). Explicit bidi controls are dropped before
 * shaping (UI.md pitfall 4); reordering happens once, here (pitfall 3).
 */
#include "app/ui/text.h"
#include "platform/util.h"

#include <SDL_ttf.h>
#include <fribidi.h>
#include <string.h>

#define CHAIN 4          /* NotoSans, NotoSansArabic, NotoSansEthiopic, NotoSansSymbols2 */
#define MAX_FACES 32
#define MAX_CP 512       /* code points per line (UI_TEXT_MAX bytes hold no more) */

static const char *const chain_file[2][CHAIN] = {
	{ "NotoSans-Regular.ttf", "NotoSansArabic-Regular.ttf", "NotoSansEthiopic-Regular.ttf",
	  "NotoSansSymbols2-Regular.ttf" },
	{ "NotoSans-Bold.ttf", "NotoSansArabic-Bold.ttf", "NotoSansEthiopic-Bold.ttf",
	  "NotoSansSymbols2-Regular.ttf" },   /* symbols (the shift key's arrow) in one weight */
};
static const char *const chain_script[CHAIN] = { "Latn", "Arab", "Ethi", "Zsym" };

struct face {
	int px, bold, icon;
	TTF_Font *f[CHAIN];
};

static struct {
	int open;
	int rtl;
	char dir[512];
	char icon_path[512];
	int n_faces;
	struct face faces[MAX_FACES];
} T;

int text_utf8_next(const char *s, size_t n, unsigned *cp)
{
	const unsigned char *u = (const unsigned char *)s;
	int len, i;
	unsigned c;

	if (n == 0)
		return -1;
	if (u[0] < 0x80) {
		*cp = u[0];
		return 1;
	}
	if ((u[0] & 0xE0) == 0xC0) { len = 2; c = u[0] & 0x1F; }
	else if ((u[0] & 0xF0) == 0xE0) { len = 3; c = u[0] & 0x0F; }
	else if ((u[0] & 0xF8) == 0xF0) { len = 4; c = u[0] & 0x07; }
	else return -1;
	if ((size_t)len > n)
		return -1;
	for (i = 1; i < len; i++) {
		if ((u[i] & 0xC0) != 0x80)
			return -1;
		c = (c << 6) | (u[i] & 0x3F);
	}
	if ((len == 2 && c < 0x80) || (len == 3 && c < 0x800) || (len == 4 && c < 0x10000) ||
	    c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
		return -1;
	*cp = c;
	return len;
}

/* Appends code point c as UTF-8 to out (room checked by the caller: 4 bytes). */
static size_t utf8_put(char *out, unsigned c)
{
	if (c < 0x80) { out[0] = (char)c; return 1; }
	if (c < 0x800) { out[0] = (char)(0xC0 | (c >> 6)); out[1] = (char)(0x80 | (c & 0x3F)); return 2; }
	if (c < 0x10000) {
		out[0] = (char)(0xE0 | (c >> 12)); out[1] = (char)(0x80 | ((c >> 6) & 0x3F));
		out[2] = (char)(0x80 | (c & 0x3F)); return 3;
	}
	out[0] = (char)(0xF0 | (c >> 18)); out[1] = (char)(0x80 | ((c >> 12) & 0x3F));
	out[2] = (char)(0x80 | ((c >> 6) & 0x3F)); out[3] = (char)(0x80 | (c & 0x3F));
	return 4;
}

/* The invisible controls the glyph check skips and shaping never sees. */
static int is_control(unsigned c)
{
	return (c >= 0x200B && c <= 0x200F) || (c >= 0x202A && c <= 0x202E) ||
	       (c >= 0x2066 && c <= 0x2069) || c == 0xFEFF || c == '\n' || c == '\r' || c == '\t';
}

int text_open(void)
{
	const char *d = getenv("INLOOP_FONT_DIR");
	char path[1024];
	TTF_Font *probe;

	if (T.open)
		return 0;
	snprintf(T.dir, sizeof(T.dir), "%s", d && *d ? d : "/usr/share/fonts/truetype/noto");
	if (TTF_Init() < 0)
		return error("SDL2_ttf: %s", TTF_GetError());
	if (util_fmt(path, sizeof(path), "%s/%s", T.dir, chain_file[0][0]) < 0)
		return -1;
	probe = TTF_OpenFont(path, 12);
	if (!probe) {
		TTF_Quit();
		return error("font %s: %s (install fonts-noto-core)", path, TTF_GetError());
	}
	TTF_CloseFont(probe);
	T.open = 1;
	return 0;
}

void text_close(void)
{
	for (int i = 0; i < T.n_faces; i++)
		for (int k = 0; k < CHAIN; k++)
			if (T.faces[i].f[k])
				TTF_CloseFont(T.faces[i].f[k]);
	T.n_faces = 0;
	if (T.open)
		TTF_Quit();
	T.open = 0;
}

void text_set_rtl(int rtl)
{
	T.rtl = rtl;
}

void text_set_icon_font(const char *path)
{
	snprintf(T.icon_path, sizeof(T.icon_path), "%s", path ? path : "");
}

/* The fonts at px (icon: the icon font in slot 0), opened on first use; NULL when the
 * table is full or the base font cannot be opened. */
static struct face *face_get(int px, int bold, int icon)
{
	char path[1024];
	struct face *fc;

	if (px < 6)
		px = 6;
	for (int i = 0; i < T.n_faces; i++)
		if (T.faces[i].px == px && T.faces[i].bold == bold && T.faces[i].icon == icon)
			return &T.faces[i];
	if (!T.open || T.n_faces == MAX_FACES)
		return NULL;
	fc = &T.faces[T.n_faces];
	memset(fc, 0, sizeof(*fc));
	fc->px = px;
	fc->bold = bold;
	fc->icon = icon;
	if (icon) {
		if (!T.icon_path[0] || !(fc->f[0] = TTF_OpenFont(T.icon_path, px)))
			return NULL;
	} else {
		for (int k = 0; k < CHAIN; k++) {
			if (util_fmt(path, sizeof(path), "%s/%s", T.dir, chain_file[bold != 0][k]) < 0)
				continue;
			fc->f[k] = TTF_OpenFont(path, px);
			if (!fc->f[k] && k == 0)
				return NULL;
		}
	}
	T.n_faces++;
	return fc;
}

struct line {
	unsigned cp[MAX_CP];
	signed char font[MAX_CP];
	int n;
	FriBidiLevel levels[MAX_CP];
	FriBidiStrIndex map[MAX_CP];
};

/* Decodes s into l->cp and picks a font per character. -1 for invalid UTF-8 or too long. */
static int line_fonts(struct line *l, const char *s, const struct face *fc)
{
	size_t n = strlen(s), at = 0;
	int cur = 0;

	l->n = 0;
	while (at < n) {
		unsigned c;
		int k = text_utf8_next(s + at, n - at, &c);
		if (k < 0 || l->n == MAX_CP)
			return -1;
		at += (size_t)k;
		if (!is_control(c) && !(fc->f[cur] && TTF_GlyphIsProvided32(fc->f[cur], c)))
			for (int f = 0; f < CHAIN; f++)
				if (fc->f[f] && TTF_GlyphIsProvided32(fc->f[f], c)) {
					cur = f;
					break;
				}
		l->cp[l->n] = c;
		l->font[l->n++] = (signed char)cur;
	}
	return 0;
}

/* FriBidi levels and the visual-to-logical map (map[visual] = logical). */
static int line_bidi(struct line *l)
{
	FriBidiCharType types[MAX_CP];
	FriBidiBracketType bt[MAX_CP];
	FriBidiParType base = T.rtl ? FRIBIDI_PAR_RTL : FRIBIDI_PAR_LTR;
	FriBidiChar u[MAX_CP];

	for (int i = 0; i < l->n; i++) {
		u[i] = l->cp[i];
		l->map[i] = i;
	}
	fribidi_get_bidi_types(u, l->n, types);
	fribidi_get_bracket_types(u, l->n, types, bt);
	int ok = fribidi_get_par_embedding_levels_ex(types, bt, l->n, &base, l->levels) &&
		 fribidi_reorder_line(0, types, l->n, 0, base, l->levels, NULL, l->map);

	util_cleanse(u, sizeof(u));   /* the text itself (a typed name) */
	return ok ? 0 : -1;
}

struct run {
	int lo, hi;       /* logical range [lo, hi) */
	int rtl, font;
};

/* Splits the visual order into runs of one level and one font whose logical range is
 * contiguous; returns the number of runs written (at most max). */
static int line_runs(const struct line *l, struct run *runs, int max)
{
	int n = 0, v = 0;

	while (v < l->n && n < max) {
		int lg = l->map[v], lev = l->levels[lg], f = l->font[lg];
		int lo = lg, hi = lg + 1, w = v + 1;
		while (w < l->n) {
			int g = l->map[w];
			if (l->levels[g] != lev || l->font[g] != f)
				break;
			if ((lev & 1) ? g != lo - 1 : g != hi)
				break;
			if (lev & 1) lo = g; else hi = g + 1;
			w++;
		}
		runs[n++] = (struct run){ lo, hi, lev & 1, f };
		v = w;
	}
	return n;
}

/* The run's logical text as UTF-8 without controls into buf; 0 when nothing is left. */
static size_t run_text(const struct line *l, const struct run *r, char *buf, size_t size)
{
	size_t at = 0;

	for (int i = r->lo; i < r->hi && at + 5 < size; i++)
		if (!is_control(l->cp[i]))
			at += utf8_put(buf + at, l->cp[i]);
	buf[at] = '\0';
	return at;
}

/* Sets script and direction for one run on its font (both, every time: UI.md). */
static TTF_Font *run_font(const struct face *fc, const struct run *r)
{
	TTF_Font *f = fc->f[r->font];

	if (!f)
		f = fc->f[0];
	TTF_SetFontScriptName(f, chain_script[fc->f[r->font] ? r->font : 0]);
	TTF_SetFontDirection(f, r->rtl ? TTF_DIRECTION_RTL : TTF_DIRECTION_LTR);
	return f;
}

struct laid {
	struct line line;
	struct run runs[MAX_CP];
	int n_runs;
	int width[MAX_CP];
	int total, ascent, height;
};

/* Lays out s at px: runs in visual order, their widths, the line's ascent and height. */
static int lay_out(struct laid *L, const char *s, int px, int bold)
{
	struct face *fc = face_get(px, bold, 0);
	char buf[MAX_CP * 4 + 1];
	int descent = 0;

	if (!fc || line_fonts(&L->line, s, fc) < 0 || line_bidi(&L->line) < 0)
		return -1;
	L->n_runs = line_runs(&L->line, L->runs, MAX_CP);
	L->total = 0;
	L->ascent = TTF_FontAscent(fc->f[0]);
	descent = -TTF_FontDescent(fc->f[0]);
	for (int i = 0; i < L->n_runs; i++) {
		TTF_Font *f = run_font(fc, &L->runs[i]);
		int w = 0, h = 0;
		L->width[i] = 0;
		if (run_text(&L->line, &L->runs[i], buf, sizeof(buf)) && TTF_SizeUTF8(f, buf, &w, &h) == 0)
			L->width[i] = w;
		L->total += L->width[i];
		if (TTF_FontAscent(f) > L->ascent)
			L->ascent = TTF_FontAscent(f);
		if (-TTF_FontDescent(f) > descent)
			descent = -TTF_FontDescent(f);
	}
	util_cleanse(buf, sizeof(buf));
	L->height = L->ascent + descent;
	return 0;
}

/* lay_out's working memory is large; one static copy (the UI is single-threaded). It
 * holds the last line measured (a typed name, a phone number) until text_forget. */
static struct laid laid_buf;

void text_forget(void)
{
	util_cleanse(&laid_buf, sizeof(laid_buf));
}

int text_holds(const char *needle)
{
	unsigned want[MAX_CP];
	size_t n = strlen(needle), at = 0;
	int len = 0, win, found = 0;

	while (at < n && len < MAX_CP) {
		int k = text_utf8_next(needle + at, n - at, &want[len]);
		if (k < 0)
			break;
		at += (size_t)k;
		len++;
	}
	win = len < 8 ? len : 8;   /* any 8 code points of it in a row are a trace */
	for (int from = 0; win > 0 && from + win <= len && !found; from++)
		for (int i = 0; i + win <= MAX_CP && !found; i++)
			found = !memcmp(&laid_buf.line.cp[i], &want[from], (size_t)win * sizeof(want[0]));
	util_cleanse(want, sizeof(want));   /* the needle is someone's name too */
	return found;
}

int text_width(const char *s, int px, int bold)
{
	if (!*s || lay_out(&laid_buf, s, px, bold) < 0)
		return 0;
	return laid_buf.total;
}

int text_height(const char *s, int px, int bold)
{
	struct face *fc;

	/* The line advance: the fonts' own height, but at most 1.6 x px. NotoSansArabic's
	 * ascent and descent leave room for stacked marks these texts never use; its full
	 * 2.1 x px made Arabic screens overflow. Lines are drawn centred on the advance. */
	if (*s && lay_out(&laid_buf, s, px, bold) == 0)
		return laid_buf.height < px * 8 / 5 ? laid_buf.height : px * 8 / 5;
	fc = face_get(px, bold, 0);
	return fc ? TTF_FontHeight(fc->f[0]) : px;
}

SDL_Surface *text_render(const char *s, int px, int bold, uint32_t rgb)
{
	struct laid *L = &laid_buf;
	struct face *fc;
	SDL_Color col = { (Uint8)(rgb >> 16), (Uint8)(rgb >> 8), (Uint8)rgb, 255 };
	char buf[MAX_CP * 4 + 1];
	SDL_Surface *out;
	int x = 0;

	if (!*s || lay_out(L, s, px, bold) < 0 || L->total <= 0)
		return NULL;
	fc = face_get(px, bold, 0);
	out = SDL_CreateRGBSurfaceWithFormat(0, L->total, L->height, 32, SDL_PIXELFORMAT_ARGB8888);
	if (!out)
		return NULL;
	SDL_FillRect(out, NULL, SDL_MapRGBA(out->format, col.r, col.g, col.b, 0));
	for (int i = 0; i < L->n_runs; i++) {
		TTF_Font *f = run_font(fc, &L->runs[i]);
		SDL_Surface *piece;
		if (!run_text(&L->line, &L->runs[i], buf, sizeof(buf)))
			continue;
		piece = TTF_RenderUTF8_Blended(f, buf, col);
		if (piece) {
			SDL_Rect at = { x, L->ascent - TTF_FontAscent(f), piece->w, piece->h };
			SDL_SetSurfaceBlendMode(piece, SDL_BLENDMODE_NONE);
			SDL_BlitSurface(piece, NULL, out, &at);
			SDL_FreeSurface(piece);
		}
		x += L->width[i];
	}
	util_cleanse(buf, sizeof(buf));
	util_cleanse(&L->line, sizeof(L->line));
	return out;
}

SDL_Surface *text_render_icon(unsigned cp, int px, uint32_t rgb)
{
	struct face *fc = face_get(px, 0, 1);
	SDL_Color col = { (Uint8)(rgb >> 16), (Uint8)(rgb >> 8), (Uint8)rgb, 255 };

	if (!fc || !TTF_GlyphIsProvided32(fc->f[0], cp))
		return NULL;
	return TTF_RenderGlyph32_Blended(fc->f[0], cp, col);
}

/* Missing glyphs of s in one weight's chain at px. */
static int missing_in(const char *s, int px, int bold)
{
	struct face *fc = face_get(px, bold, 0);
	size_t n = strlen(s), at = 0;
	int missing = 0;

	while (at < n) {
		unsigned c;
		int k = text_utf8_next(s + at, n - at, &c), found = 0;
		if (k < 0)
			return missing + 1;
		at += (size_t)k;
		if (is_control(c))
			continue;
		for (int f = 0; fc && f < CHAIN && !found; f++)
			found = fc->f[f] && TTF_GlyphIsProvided32(fc->f[f], c);
		missing += !found;
	}
	return missing;
}

int text_missing_glyphs_px(const char *s, int px)
{
	int a = missing_in(s, px, 0), b = missing_in(s, px, 1);
	return a > b ? a : b;   /* labels are drawn in both weights */
}

int text_missing_glyphs(const char *s)
{
	return text_missing_glyphs_px(s, 24);
}
