/*
 * ask_host.c — after a failed Send (disk full, key unreadable): nothing was stored and
 * the answers are already wiped; the person is told calmly to ask the host.
 */
#include "app/i18n.h"
#include "app/screens/chrome.h"
#include "app/ui/layout.h"
#include "app/ui/theme.h"

#include <stdio.h>

static void build(struct kiosk *k, struct ui_tree *t, const struct ui_measure *m)
{
	struct ui_rect a = chrome_bars(k, t, m, 0, _("Start again"), ACT_DONE);
	int w = a.w > 1100 ? 1100 : a.w, x = a.x + (a.w - w) / 2, y = a.y + 24;

	layout_text(t, m, "title", _("Sorry, something went wrong."), THEME_TEXT_HUGE, 1, x, &y, w,
		    THEME_TEXT, THEME_BG, 24)->align = ALIGN_CENTER;
	layout_text(t, m, "ask-host", _("Your answers could not be saved. To protect your privacy we have cleared them. Please ask the host for help."),
		    THEME_TEXT_TITLE, 0, x, &y, w, THEME_TEXT, THEME_BG, 0)->align = ALIGN_CENTER;
}

static void spoken(struct kiosk *k, char *buf, size_t size)
{
	(void)k;
	snprintf(buf, size, "%s %s", _("Sorry, something went wrong."),
		 _("Your answers could not be saved. To protect your privacy we have cleared them. Please ask the host for help."));
}

const struct screen screen_ask_host = { "ask-host", NULL, build, chrome_event_done, spoken };
