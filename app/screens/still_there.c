/*
 * still_there.c — "Are you still there?" after the quiet time: a countdown and one big
 * Yes, shown and read aloud. When the countdown ends the kiosk forgets everything (kiosk.c) and Welcome returns.
 */
#include "platform/i18n.h"
#include "app/screens/chrome.h"
#include "app/ui/layout.h"
#include "app/ui/theme.h"

#include <stdio.h>

/* "... cleared in 20 seconds", with the plural form the language needs for n. */
static void countdown(struct kiosk *k, char *buf, size_t size)
{
	int n = kiosk_countdown_left(k);

	snprintf(buf, size, P_("To protect your privacy, your answers will be cleared in %d second.",
			       "To protect your privacy, your answers will be cleared in %d seconds.",
			       (unsigned long)n), n);
}

static void build(struct kiosk *k, struct ui_tree *t, const struct ui_measure *m)
{
	struct ui_rect a = chrome_bars(k, t, m, 0, NULL, 0);
	char text[256];
	const char *yes = _("Yes, I am still here");
	int w = a.w > 1000 ? 1000 : a.w, x = a.x + (a.w - w) / 2, y = a.y + 24;
	int bw = chrome_button_width(m, yes, THEME_TEXT_TITLE, 1) + 80;
	struct ui_widget *b;

	countdown(k, text, sizeof(text));
	layout_text(t, m, "title", _("Are you still there?"), THEME_TEXT_HUGE, 1, x, &y, w,
		    THEME_TEXT, THEME_BG, 24)->align = ALIGN_CENTER;
	layout_text(t, m, "countdown", text, THEME_TEXT_TITLE, 0, x, &y, w, THEME_TEXT, THEME_BG, 40)
		->align = ALIGN_CENTER;
	bw = bw > w ? w : bw;
	b = chrome_primary(t, "yes", yes, "check", (struct ui_rect){ x + (w - bw) / 2, y, bw, 128 },
			   ACT_YES);
	if (b)
		b->size = THEME_TEXT_TITLE, b->flags |= UI_MAIN;
	y += 128 + 32;
	bw = chrome_button_width(m, _("Clear my answers now"), THEME_TEXT_BODY, 1);
	chrome_secondary(t, "clear", _("Clear my answers now"), "trash",
			 (struct ui_rect){ x + (w - bw) / 2, y, bw, THEME_TARGET }, ACT_DONE);
}

static int event(struct kiosk *k, const struct kiosk_event *ev)
{
	if (ev->kind != EV_ACTIVATE)
		return 0;
	if (ev->w->action == ACT_YES)
		kiosk_resume(k, k->idle_return);
	else if (ev->w->action == ACT_DONE)
		kiosk_wipe(k);
	return 1;
}

/* Read aloud when the screen comes up (kiosk.c), so a person who looked away hears it. */
static void spoken(struct kiosk *k, char *buf, size_t size)
{
	char text[256];

	countdown(k, text, sizeof(text));
	snprintf(buf, size, "%s %s %s", _("Are you still there?"), text, _("Tap Yes to go on."));
}

const struct screen screen_still_there = { "still-there", NULL, build, event, spoken };
