/*
 * render.h — the only part of the kiosk that draws: one SDL window with the software
 * renderer (UI.md: SDL_FRAMEBUFFER_ACCELERATION=0 keeps GL out), a cache of rendered
 * text textures keyed by (text, size, weight, direction, colour), and a redraw limited to
 * the widgets that changed since the last frame (STYLE.md habit 5).
 *
 * Logical units: the shorter side of the window is 800 logical px; everything scales from
 * the real window size (window events), so 1280x800 .. 3840x2160 and portrait all fit.
 */
#ifndef INLOOP_RENDER_H
#define INLOOP_RENDER_H

#include "app/ui/ui.h"

struct render;

/*
 * Opens the window: borderless at 0,0 the size of the desktop (no FULLSCREEN_DESKTOP: it
 * waits ~100 ms for a window manager), or a normal window when windowed is "WxH". On
 * success *out is set (release with render_close) and 0 is returned; -1 with a reason.
 */
int render_open(const char *windowed, struct render **out);

/* Closes the window, every cached texture (keys wiped) and the fonts. NULL is a no-op. */
void render_close(struct render *r);

/* Re-reads the window's pixel size after a resize; returns 1 when it changed. */
int render_resized(struct render *r);

/* The logical size of the window. */
void render_logical_size(const struct render *r, int *lw, int *lh);

/* The text measure for screens, in logical units, for t's direction and squeeze (set
 * them on t before asking). The returned struct is owned by r. */
const struct ui_measure *render_measure(struct render *r, const struct ui_tree *t);

/* Logical <-> pixel coordinates (the centre of a widget for replayed taps). */
void render_to_pixels(const struct render *r, int lx, int ly, int *px, int *py);
void render_to_logical(const struct render *r, int px, int py, int *lx, int *ly);

/*
 * Draws t with a focus ring around the widget named focus (NULL or "" for none) and
 * presents it. Only widgets that changed since the last frame are redrawn when the
 * layout is the same; nothing is drawn when nothing changed. Returns 1 when it
 * presented a frame, 0 when there was nothing to do.
 */
int render_frame(struct render *r, const struct ui_tree *t, const char *focus);

/* Forces the next render_frame to redraw everything. */
void render_invalidate(struct render *r);

/* Writes what is on screen as a 24-bit BMP (no alpha: UI.md). 0 or -1. */
int render_shot(struct render *r, const char *path);

/* Destroys every cached text texture and wipes its key and the last frame's tree: call
 * when the kiosk forgets a person. */
void render_forget(struct render *r);

/* Number of cached text textures, and 1 when any cache key contains needle (tests). */
int render_cache_count(const struct render *r);
int render_cache_holds(const struct render *r, const char *needle);

/* The renderer's glyph check (text.h text_missing_glyphs), for dumps. */
int render_missing_glyphs(const char *text);

/* Milliseconds since the process started (a stamp taken before main). */
double render_ms_since_start(void);

#endif
