/*
 * staff.c — "talk to a staff member", reachable from every question: where to find a
 * person, and a way back to the same place with every answer kept.
 */
#include "app/i18n.h"
#include "app/screens/chrome.h"
#include "app/ui/layout.h"
#include "app/ui/theme.h"

#include <stdio.h>

static void build(struct kiosk *k, struct ui_tree *t, const struct ui_measure *m)
{
	struct ui_rect a = chrome_bars(k, t, m, CHROME_BACK, NULL, 0);
	int w = a.w > 1100 ? 1100 : a.w, x = a.x + (a.w - w) / 2, y = a.y + 24;

	layout_text(t, m, "title", _("Talk to a staff member"), THEME_TEXT_HUGE, 1, x, &y, w,
		    THEME_TEXT, THEME_BG, 24)->align = ALIGN_CENTER;
	layout_text(t, m, "where", _("Please go to the host, or wave to them. The host can help you fill this in, or find an interpreter. Your answers stay here for a short while."),
		    THEME_TEXT_TITLE, 0, x, &y, w, THEME_TEXT, THEME_BG, 0)->align = ALIGN_CENTER;
}

static int event(struct kiosk *k, const struct kiosk_event *ev)
{
	if (ev->kind == EV_ACTIVATE && ev->w->action == ACT_BACK) {
		kiosk_resume(k, k->staff_return);
		return 1;
	}
	return 0;
}

static void spoken(struct kiosk *k, char *buf, size_t size)
{
	(void)k;
	snprintf(buf, size, "%s %s", _("Talk to a staff member"),
		 _("Please go to the host, or wave to them. The host can help you fill this in, or find an interpreter. Your answers stay here for a short while."));
}

const struct screen screen_staff = { "staff", NULL, build, event, spoken };
