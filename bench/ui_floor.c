/*
 * ui_floor.c — the floor for the kiosk's figures (UI.md "The floor"): a bare SDL2 +
 * SDL2_ttf program drawing one kiosk screen like inloop's (title, progress bar, question,
 * four choice buttons with icons, a text field, Back/Next) borderless at the desktop size,
 * software renderer without a GL-backed window surface, sleeping in SDL_WaitEvent.
 *
 * It does what the simplest careful program does: static text rendered once into
 * textures, the whole screen redrawn on each change. bench/ui.sh compares inloop with it.
 *   ui_floor [--type N]   after the first frame, type N synthetic characters, one a frame,
 *                         then exit
 * Environment, the same hooks as build/inloop:
 *   INLOOP_BENCH_FIRST_FRAME=1       print first_frame_ms=N on stderr after the first present,
 *                                    counted like inloop's: from a constructor (the process
 *                                    has been loaded and linked) to the first present
 *   INLOOP_BENCH_T0=ns               count from this CLOCK_REALTIME instead (exec included)
 *   INLOOP_BENCH_FRAMES=FILE         one line per frame after the first: µs to draw it
 * Exits on SDL_QUIT (SIGTERM, window close) or Escape.
 */
#include <SDL.h>
#include <SDL_ttf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define FONT_DIR "/usr/share/fonts/truetype/noto/"
#define ICON_FONT "/usr/share/fonts/truetype/font-awesome/fontawesome-webfont.ttf"
#define FIELD_MAX 64

struct floor {
	SDL_Window *win;
	SDL_Renderer *ren;
	TTF_Font *title, *body, *icons, *field_font;
	SDL_Texture *tx_title, *tx_question, *tx_choice[4], *tx_icon[4], *tx_back, *tx_next;
	SDL_Texture *tx_field;
	int w, h;
	char field[FIELD_MAX + 1];
	FILE *frames;
};

static const SDL_Color ink = { 0x1a, 0x1a, 0x1a, 0xff };
static const SDL_Color paper = { 0xfb, 0xfa, 0xf6, 0xff };
static const SDL_Color accent = { 0x0b, 0x3d, 0x91, 0xff };
static const SDL_Color white = { 0xff, 0xff, 0xff, 0xff };

static double now_ms(clockid_t clk)
{
	struct timespec ts;
	clock_gettime(clk, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static double loaded_ms;             /* CLOCK_REALTIME when the process was loaded */

__attribute__((constructor)) static void stamp_loaded(void)
{
	loaded_ms = now_ms(CLOCK_REALTIME);
}

/* Renders text once into a texture; exits on failure (a bench, not the kiosk). */
static SDL_Texture *text_tex(struct floor *f, TTF_Font *font, const char *s, SDL_Color c)
{
	SDL_Surface *surf = TTF_RenderUTF8_Blended(font, s, c);
	if (!surf) {
		fprintf(stderr, "ui_floor: render '%s': %s\n", s, TTF_GetError());
		exit(1);
	}
	SDL_Texture *t = SDL_CreateTextureFromSurface(f->ren, surf);
	SDL_FreeSurface(surf);
	return t;
}

static SDL_Texture *icon_tex(struct floor *f, Uint16 cp, SDL_Color c)
{
	SDL_Surface *surf = TTF_RenderGlyph_Blended(f->icons, cp, c);
	SDL_Texture *t = SDL_CreateTextureFromSurface(f->ren, surf);
	SDL_FreeSurface(surf);
	return t;
}

static void blit(struct floor *f, SDL_Texture *t, int x, int y)
{
	SDL_Rect r = { x, y, 0, 0 };
	if (!t)
		return;
	SDL_QueryTexture(t, NULL, NULL, &r.w, &r.h);
	SDL_RenderCopy(f->ren, t, NULL, &r);
}

static void fill(struct floor *f, SDL_Color c, int x, int y, int w, int h)
{
	SDL_Rect r = { x, y, w, h };
	SDL_SetRenderDrawColor(f->ren, c.r, c.g, c.b, c.a);
	SDL_RenderFillRect(f->ren, &r);
}

static TTF_Font *font(const char *path, int pt)
{
	TTF_Font *ft = TTF_OpenFont(path, pt);
	if (!ft) {
		fprintf(stderr, "ui_floor: %s: %s\n", path, TTF_GetError());
		exit(1);
	}
	return ft;
}

/* Opens the window, renderer and fonts and renders the static strings once. */
static void setup(struct floor *f)
{
	static const char *choices[4] = { "Gas of stroom", "Water", "Huur of hypotheek",
	                                  "Zorgverzekering" };
	static const Uint16 icons[4] = { 0xf0e7, 0xf043, 0xf015, 0xf0fa };
	SDL_DisplayMode dm;

	SDL_SetHint(SDL_HINT_RENDER_DRIVER, "software");
	SDL_SetHint(SDL_HINT_FRAMEBUFFER_ACCELERATION, "0");
	if (SDL_Init(SDL_INIT_VIDEO) != 0 || TTF_Init() != 0 ||
	    SDL_GetDesktopDisplayMode(0, &dm) != 0) {
		fprintf(stderr, "ui_floor: %s\n", SDL_GetError());
		exit(1);
	}
	f->w = dm.w;
	f->h = dm.h;
	f->win = SDL_CreateWindow("floor", 0, 0, f->w, f->h, SDL_WINDOW_BORDERLESS);
	f->ren = f->win ? SDL_CreateRenderer(f->win, -1, SDL_RENDERER_SOFTWARE) : NULL;
	if (!f->ren) {
		fprintf(stderr, "ui_floor: %s\n", SDL_GetError());
		exit(1);
	}
	f->title = font(FONT_DIR "NotoSans-Bold.ttf", 40);
	f->body = font(FONT_DIR "NotoSans-Regular.ttf", 44);
	f->field_font = font(FONT_DIR "NotoSans-Regular.ttf", 40);
	f->icons = font(ICON_FONT, 56);
	f->tx_title = text_tex(f, f->title, "Vraag 2 van 9", ink);
	f->tx_question = text_tex(f, f->body, "Dreigt er een afsluiting of een ontruiming?", ink);
	for (int i = 0; i < 4; i++) {
		f->tx_choice[i] = text_tex(f, f->body, choices[i], ink);
		f->tx_icon[i] = icon_tex(f, icons[i], accent);
	}
	f->tx_back = text_tex(f, f->body, "Terug", accent);
	f->tx_next = text_tex(f, f->body, "Verder", white);
}

/* Draws the whole screen from cached textures and presents it. */
static void draw(struct floor *f)
{
	int u = f->h / 1080 > 0 ? f->h / 1080 : 1, m = 96 * u, bw = (f->w - 3 * m) / 2;

	fill(f, paper, 0, 0, f->w, f->h);
	blit(f, f->tx_title, m, 48);
	fill(f, (SDL_Color){ 0xd8, 0xd8, 0xd8, 0xff }, m, 120, f->w - 2 * m, 16);
	fill(f, accent, m, 120, (f->w - 2 * m) * 2 / 9, 16);
	blit(f, f->tx_question, m, 180);
	for (int i = 0; i < 4; i++) {
		int x = m + (i % 2) * (bw + m), y = 300 + (i / 2) * 170;
		fill(f, accent, x, y, bw, 140);
		fill(f, white, x + 4, y + 4, bw - 8, 132);
		blit(f, f->tx_icon[i], x + 40, y + 36);
		blit(f, f->tx_choice[i], x + 140, y + 40);
	}
	fill(f, ink, m, 660, f->w - 2 * m, 110);
	fill(f, white, m + 3, 663, f->w - 2 * m - 6, 104);
	blit(f, f->tx_field, m + 30, 685);
	fill(f, accent, m, f->h - 180, 360, 110);
	fill(f, white, m + 4, f->h - 176, 352, 102);
	blit(f, f->tx_back, m + 100, f->h - 155);
	fill(f, accent, f->w - m - 360, f->h - 180, 360, 110);
	blit(f, f->tx_next, f->w - m - 270, f->h - 155);
	SDL_RenderPresent(f->ren);
}

/* Applies one typed character: the field's text texture is rendered again. */
static void type_char(struct floor *f, const char *utf8)
{
	size_t n = strlen(f->field);
	if (n + strlen(utf8) > 30)
		n = 0;                        /* start over, like a new name */
	snprintf(f->field + n, sizeof f->field - n, "%s", utf8);
	if (f->tx_field)
		SDL_DestroyTexture(f->tx_field);
	f->tx_field = text_tex(f, f->field_font, f->field, ink);
}

/* Queues the next synthetic key of the typing run, as a text-input event. */
static void push_key(int i)
{
	static const char sample[] = "Fatima de Vries-El Amrani ";
	SDL_Event e = { 0 };
	e.type = SDL_TEXTINPUT;
	e.text.text[0] = sample[i % (int)(sizeof sample - 1)];
	SDL_PushEvent(&e);
}

static void loop(struct floor *f, int to_type)
{
	SDL_Event e;
	int typed = 0;
	while (SDL_WaitEvent(&e)) {
		if (e.type == SDL_QUIT)
			return;
		if (e.type == SDL_KEYDOWN && e.key.keysym.sym == SDLK_ESCAPE)
			return;
		if (e.type == SDL_WINDOWEVENT && e.window.event == SDL_WINDOWEVENT_EXPOSED) {
			draw(f);
		} else if (e.type == SDL_TEXTINPUT) {
			double t0 = now_ms(CLOCK_MONOTONIC);
			type_char(f, e.text.text);
			draw(f);
			if (f->frames)
				fprintf(f->frames, "%.0f\n", (now_ms(CLOCK_MONOTONIC) - t0) * 1000);
			if (++typed < to_type)
				push_key(typed);
			else
				return;               /* the typing run is done */
		}
	}
}

int main(int argc, char **argv)
{
	struct floor f = { 0 };
	const char *t0env = getenv("INLOOP_BENCH_T0"), *frames = getenv("INLOOP_BENCH_FRAMES");
	double start = t0env ? atof(t0env) / 1e6 : loaded_ms;
	int to_type = argc == 3 && !strcmp(argv[1], "--type") ? atoi(argv[2]) : 0;

	if (frames && !(f.frames = fopen(frames, "w"))) {
		perror(frames);
		return 1;
	}
	setup(&f);
	draw(&f);
	if (getenv("INLOOP_BENCH_FIRST_FRAME"))
		fprintf(stderr, "first_frame_ms=%.1f\n", now_ms(CLOCK_REALTIME) - start);
	if (to_type > 0)
		push_key(0);
	loop(&f, to_type);
	if (f.frames)
		fclose(f.frames);
	TTF_Quit();
	SDL_Quit();
	return 0;
}
