/*
 * welcome.c — the first screen: one plain sentence, the languages named in themselves
 * (top bar), one big Start, and "rather talk to someone? ask the host".
 */
#include "app/form.h"
#include "app/i18n.h"
#include "app/screens/chrome.h"
#include "app/ui/layout.h"
#include "app/ui/theme.h"

#include <stdio.h>

static void build(struct kiosk *k, struct ui_tree *t, const struct ui_measure *m)
{
	struct ui_rect a = chrome_bars(k, t, m, 0, NULL, 0);
	const char *start = _("Start");
	int w = a.w > 1000 ? 1000 : a.w, x = a.x + (a.w - w) / 2, y = a.y + 24;
	int bw = chrome_button_width(m, start, THEME_TEXT_HUGE, 1) + 80;
	struct ui_widget *b;

	layout_text(t, m, "title", _("Welcome"), THEME_TEXT_HUGE, 1, x, &y, w, THEME_TEXT,
		    THEME_BG, 24)->align = ALIGN_CENTER;
	layout_text(t, m, "intro", _("Here you can ask the municipality for help with money worries. It takes about five minutes."),
		    THEME_TEXT_TITLE, 0, x, &y, w, THEME_TEXT, THEME_BG, 48)->align = ALIGN_CENTER;
	bw = bw < 420 ? 420 : bw > w ? w : bw;
	b = chrome_primary(t, "start", start, k->rtl ? "arrow-left" : "arrow-right",
			   (struct ui_rect){ x + (w - bw) / 2, y, bw, 128 }, ACT_START);
	if (b) {
		b->size = THEME_TEXT_HUGE;
		b->flags |= UI_MAIN | UI_ICON_END;
	}
	y += 128 + 56;
	layout_text(t, m, "talk", _("Would you rather talk to someone? Please ask the host."),
		    THEME_TEXT_BODY, 0, x, &y, w, THEME_TEXT, THEME_BG, 0)->align = ALIGN_CENTER;
	if (k->sync.line[0]) {   /* for the host: has everything left the building? */
		y += 48;
		layout_text(t, m, "host-status", k->sync.line, THEME_TEXT_SMALL, 0, x, &y, w,
			    THEME_TEXT, THEME_BG, 0)->align = ALIGN_CENTER;
	}
}

static int event(struct kiosk *k, const struct kiosk_event *ev)
{
	if ((ev->kind == EV_ACTIVATE && ev->w->action == ACT_START) ||
	    (ev->kind == EV_KEY && ev->key == KEY_ENTER)) {
		k->qi = -1;
		kiosk_next_question(k);
		return 1;
	}
	return 0;
}

static void spoken(struct kiosk *k, char *buf, size_t size)
{
	(void)k;
	snprintf(buf, size, "%s %s %s", _("Welcome"),
		 _("Here you can ask the municipality for help with money worries. It takes about five minutes."),
		 _("Tap Start to begin. Would you rather talk to someone? Please ask the host."));
}

const struct screen screen_welcome = { "welcome", NULL, build, event, spoken };
