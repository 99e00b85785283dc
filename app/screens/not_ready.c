/*
 * not_ready.c — shown when the device is not enrolled or its form, calendar, outbox or
 * key cannot be loaded: a calm sentence for the resident and the reason, small, for the
 * host. Never a crash.
 */
#include "app/i18n.h"
#include "app/screens/chrome.h"
#include "app/ui/layout.h"
#include "app/ui/theme.h"

#include <stdio.h>

static void build(struct kiosk *k, struct ui_tree *t, const struct ui_measure *m)
{
	struct ui_rect a = chrome_bars(k, t, m, 0, NULL, 0);
	char reason[600];
	int w = a.w > 1100 ? 1100 : a.w, x = a.x + (a.w - w) / 2, y = a.y + 24;

	layout_text(t, m, "title", _("This kiosk is not ready."), THEME_TEXT_HUGE, 1, x, &y, w,
		    THEME_TEXT, THEME_BG, 24)->align = ALIGN_CENTER;
	layout_text(t, m, "ask-host", _("Please ask the host for help."), THEME_TEXT_TITLE, 0, x, &y,
		    w, THEME_TEXT, THEME_BG, 64)->align = ALIGN_CENTER;
	snprintf(reason, sizeof(reason), "%s %s", _("For the host:"), k->not_ready);
	layout_text(t, m, "reason", reason, THEME_TEXT_SMALL, 0, x, &y, w, THEME_TEXT, THEME_BG, 0)
		->flags |= UI_LTR_TEXT;
}

static int event(struct kiosk *k, const struct kiosk_event *ev)
{
	(void)k;
	(void)ev;
	return 0;
}

static void spoken(struct kiosk *k, char *buf, size_t size)
{
	(void)k;
	snprintf(buf, size, "%s %s", _("This kiosk is not ready."), _("Please ask the host for help."));
}

const struct screen screen_not_ready = { "not-ready", NULL, build, event, spoken };
