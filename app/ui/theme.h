/*
 * theme.h — the kiosk's colours and sizes, in one place. Calm colours, big type: every
 * text / background pair below reaches at least 7:1 (WCAG AAA), which tests check on
 * every screen's tree; every touch target is at least 48 logical px, main choices 72+.
 */
#ifndef INLOOP_THEME_H
#define INLOOP_THEME_H

#include <stdint.h>

#define THEME_BG          0xF5F1E8u   /* warm paper */
#define THEME_TEXT        0x1A2230u   /* ink */
#define THEME_BAR_BG      0xE6E0D2u   /* top and bottom bars */
#define THEME_PRIMARY_BG  0x1D4A70u   /* Start, Next, Send, Yes */
#define THEME_PRIMARY_FG  0xFFFFFFu
#define THEME_SECOND_BG   0xFFFFFFu   /* Back, language, read aloud, staff */
#define THEME_SECOND_FG   0x1A2230u
#define THEME_CHOICE_BG   0xFFFFFFu
#define THEME_CHOICE_FG   0x1A2230u
#define THEME_SELECTED_BG 0x1E5B44u   /* a chosen option: deep green */
#define THEME_SELECTED_FG 0xFFFFFFu
#define THEME_KEY_BG      0xFFFFFFu
#define THEME_KEY_FG      0x1A2230u
#define THEME_NOTE_BG     0xFBEFC8u   /* a plain-words message beside a field */
#define THEME_NOTE_FG     0x3E2C00u
#define THEME_ALERT_BG    0x7D2A0Au   /* "tell the host now" */
#define THEME_ALERT_FG    0xFFFFFFu
#define THEME_FIELD_BG    0xFFFFFFu
#define THEME_FIELD_FG    0x1A2230u
#define THEME_BORDER      0x6B6457u   /* outlines of light buttons and fields */
#define THEME_FOCUS       0xB54708u   /* the focus ring (a control colour, not text) */
#define THEME_PROGRESS    0x1D4A70u

/* Logical sizes (px at 1280x800; everything scales from the window). */
#define THEME_TEXT_SMALL  24          /* host reasons, never below 24 */
#define THEME_TEXT_BODY   30
#define THEME_TEXT_TITLE  42
#define THEME_TEXT_HUGE   56
#define THEME_TARGET      64          /* ordinary buttons */
#define THEME_TARGET_MAIN 88          /* main choices and Next */
#define THEME_KEY_H       72
#define THEME_KEY_H_MAX   104         /* keys grow up to this where the screen has room */
#define THEME_KEY_H_TALL  144         /* ... and up to this in portrait (a tall screen) */
#define THEME_TEXT_KEY_BIG 40         /* a letter key's label on the tall keys */
#define THEME_GAP         16
#define THEME_MARGIN      32

/* WCAG 2 contrast ratio of two 0xRRGGBB colours (1.0 .. 21.0). */
double theme_contrast(uint32_t a, uint32_t b);

#endif
