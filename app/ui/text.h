/*
 * text.h — one line of text in any of the kiosk's scripts, measured and rendered with
 * SDL2_ttf (HarfBuzz shaping) and FriBidi (run order), over a fixed chain of Noto fonts
 * with a per-character fallback (UI.md "Fonts" and "Bidi"). Sizes are in pixels here;
 * the renderer converts from logical units. Line breaking is the caller's (layout.h).
 */
#ifndef INLOOP_TEXT_H
#define INLOOP_TEXT_H

#include <SDL.h>
#include <stdint.h>

/* Opens SDL2_ttf and finds the fonts (env INLOOP_FONT_DIR overrides the Noto folder).
 * 0 ok; -1 with the missing font's path when NotoSans itself cannot be opened. */
int text_open(void);

/* Closes every font and SDL2_ttf. Safe to call when text_open failed. */
void text_close(void);

/* The paragraph direction for the next calls: 1 right-to-left (Arabic), 0 left-to-right. */
void text_set_rtl(int rtl);

/* Width in pixels of one line at px pixels (bidi-ordered, shaped runs). */
int text_width(const char *s, int px, int bold);

/* Line height in pixels of s at px: the tallest font its characters use. */
int text_height(const char *s, int px, int bold);

/* Renders one line in colour rgb (0xRRGGBB) into a new ARGB8888 surface with a
 * transparent background; caller frees with SDL_FreeSurface. NULL for an empty line
 * (nothing to draw) or on failure (with a warning that never holds the text). */
SDL_Surface *text_render(const char *s, int px, int bold, uint32_t rgb);

/* Renders one icon-font glyph (codepoint cp) at px into a new surface, or NULL when no
 * icon font is set or the glyph is missing. Caller frees with SDL_FreeSurface. */
SDL_Surface *text_render_icon(unsigned cp, int px, uint32_t rgb);

/* Sets the icon font file (borrowed path; copied). NULL or an unreadable file: no icons. */
void text_set_icon_font(const char *path);

/* Number of code points of s (UTF-8) that no font of the chain has a glyph for; the
 * invisible bidi controls (U+200B-200F, 202A-202E, 2066-2069, FEFF) and newlines are
 * skipped. Invalid UTF-8 counts as missing. Needs text_open. */
int text_missing_glyphs(const char *s);

/* The same at px pixels (the fonts opened at that size; for the all-sizes glyph test).
 * A font that cannot be opened at px counts its characters as missing. */
int text_missing_glyphs_px(const char *s, int px);

/* Wipes the measuring buffer, which keeps the last line measured (a typed name or phone
 * number): called when the kiosk forgets a person (render_forget). */
void text_forget(void);

/* 1 when the measuring buffer holds a trace of needle: any 8 of its code points in a
 * row (all of them when shorter), anywhere, also past the last line's end (tests of the
 * wipe). */
int text_holds(const char *needle);

/* Decodes one UTF-8 code point at s (n bytes left) into *cp; returns its length, or -1
 * for an invalid or truncated sequence. */
int text_utf8_next(const char *s, size_t n, unsigned *cp);

#endif
