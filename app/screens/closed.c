/*
 * closed.c — the kiosk is closed for today (the host closed it in the staff menu; it
 * stays closed after a restart until the host opens it again, or the next day). The
 * resident reads when the walk-in hours are (config walk_in_hours, in their language)
 * and the crisis number; there is no Start. Host mode opens from here as from Welcome.
 */
#include "platform/i18n.h"
#include "app/screens/chrome.h"
#include "app/screens/host_ui.h"
#include "app/ui/layout.h"
#include "app/ui/theme.h"

#include <stdio.h>

static void build(struct kiosk *k, struct ui_tree *t, const struct ui_measure *m)
{
	struct ui_rect a = chrome_bars(k, t, m, 0, NULL, 0);
	const char *hours = config_walk_in(&k->cfg, k->lang);
	int w = a.w > 1100 ? 1100 : a.w, x = a.x + (a.w - w) / 2, y = a.y + 24;
	char text[400];

	y = host_alert_banner(k, t, m, a.y - 20);
	y = y > a.y ? y + 24 : a.y + 24;
	layout_text(t, m, "title", _("This kiosk is closed for today."), THEME_TEXT_HUGE, 1, x, &y,
		    w, THEME_TEXT, THEME_BG, 24)->align = ALIGN_CENTER;
	if (hours) {
		snprintf(text, sizeof(text), _("You are welcome at the walk-in hours: %s"), hours);
		layout_text(t, m, "walk-in", text, THEME_TEXT_TITLE, 0, x, &y, w, THEME_TEXT, THEME_BG,
			    32)->align = ALIGN_CENTER;
	} else {
		layout_text(t, m, "walk-in-none", _("Please come back another day."), THEME_TEXT_TITLE, 0,
			    x, &y, w, THEME_TEXT, THEME_BG, 32)->align = ALIGN_CENTER;
	}
	chrome_crisis_phone(k, t, m, x, &y, w);
}

/* No Start while closed: nothing here begins a registration. */
static int event(struct kiosk *k, const struct kiosk_event *ev)
{
	(void)k;
	(void)ev;
	return 0;
}

static void spoken(struct kiosk *k, char *buf, size_t size)
{
	const char *hours = config_walk_in(&k->cfg, k->lang);

	snprintf(buf, size, "%s %s %s", _("This kiosk is closed for today."),
		 hours ? _("You are welcome at the walk-in hours:") : _("Please come back another day."),
		 hours ? hours : "");
}

const struct screen screen_closed = { "closed", NULL, build, event, spoken };
