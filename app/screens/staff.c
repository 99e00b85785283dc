/*
 * staff.c — "talk to a staff member", reachable from every question: where to find a
 * person, and a way back to the same place with every answer kept. The answers wait
 * here, on a screen with no personal data, for the host's long wait (config
 * host_wait_seconds), not the short idle time. The host's own row (in the host's
 * language) continues, sends or clears. When the wait ends and the answers hold a
 * crisis, the host banner goes up and stays: nothing is wiped silently (kiosk.c).
 */
#include "platform/i18n.h"
#include "app/screens/chrome.h"
#include "app/ui/layout.h"
#include "app/ui/theme.h"

#include <stdio.h>
#include <string.h>

/* The host's row: Continue, Send, Clear, under a label, at the foot of the area (bottom)
 * when there is room (in portrait, where a label would need three lines, one button a
 * row); moves *y. */
static void host_row(struct kiosk *k, struct ui_tree *t, const struct ui_measure *m, int x,
		     int *y, int w, int bottom)
{
	static const struct { const char *id, *label, *icon; int action; } b[] = {
		{ "host-continue", N_("Continue"), "arrow-right", ACT_BACK },
		{ "host-send", N_("Send the answers"), "check", ACT_SEND },
		{ "host-clear", N_("Clear the answers"), "trash", ACT_DONE },
	};
	int bw = (w - 2 * THEME_GAP) / 3, by, rows = 1;
	int need;

	for (int i = 0; i < 3; i++)   /* a label that needs more than its third: one button a row */
		if (chrome_button_width(m, H_(b[i].label), THEME_TEXT_BODY, 1) > bw)
			rows = 3;
	if (rows == 3 && t->lh <= t->lw)
		rows = 1;   /* landscape: the labels wrap to two lines beside each other */
	if (rows == 3)
		bw = w > 560 ? 560 : w;
	need = layout_text_height(m, H_("For the staff member:"), THEME_TEXT_BODY, 1, w) + 12 +
	       rows * THEME_TARGET_MAIN + (rows - 1) * THEME_GAP;

	if (bottom - need > *y)
		*y = bottom - need;   /* the host's row at the foot, away from the person's text */
	layout_text(t, m, "host-label", H_("For the staff member:"), THEME_TEXT_BODY, 1, x, y, w,
		    THEME_TEXT, THEME_BG, 12)->flags |= k->rtl && strcmp(i18n_host_lang(), "ar") ? UI_LTR_TEXT : 0;
	by = *y;
	for (int i = 0; i < 3; i++) {
		struct ui_rect r = { x + i * (bw + THEME_GAP), by, bw, THEME_TARGET_MAIN };
		struct ui_widget *bt;
		if (rows == 3)   /* portrait: stacked, centred */
			r.x = x + (w - bw) / 2, r.y = by + i * (THEME_TARGET_MAIN + THEME_GAP);
		bt = chrome_secondary(t, b[i].id, H_(b[i].label), b[i].icon, r, b[i].action);
		if (bt && i == 0 && k->rtl)
			bt->icon = kiosk_icon("arrow-left");
	}
	*y = by + rows * THEME_TARGET_MAIN + (rows - 1) * THEME_GAP;
}

static void build(struct kiosk *k, struct ui_tree *t, const struct ui_measure *m)
{
	struct ui_rect a = chrome_bars(k, t, m, CHROME_BACK, NULL, 0);
	int w = a.w > 1100 ? 1100 : a.w, x = a.x + (a.w - w) / 2, y = a.y + 8;

	if (k->crisis_alert) {
		y = chrome_host_banner(t, m, a.y - 20,
				       N_("For the staff member: an urgent registration is waiting for you. Please come to this kiosk now.")) + 24;
	}
	layout_text(t, m, "title", _("Talk to a staff member"), THEME_TEXT_HUGE, 1, x, &y, w,
		    THEME_TEXT, THEME_BG, 24)->align = ALIGN_CENTER;
	layout_text(t, m, "where", _("Please go to a staff member, or wave to them. They can help you fill this in, or find an interpreter. Your answers wait here until you come back."),
		    THEME_TEXT_TITLE, 0, x, &y, w, THEME_TEXT, THEME_BG, 40)->align = ALIGN_CENTER;
	host_row(k, t, m, x, &y, w, a.y + a.h);
}

static int event(struct kiosk *k, const struct kiosk_event *ev)
{
	if (ev->kind != EV_ACTIVATE)
		return 0;
	switch (ev->w->action) {
	case ACT_BACK:   /* the person (Back) or the host (Continue): the host has come */
		k->crisis_alert = k->send_failed = 0;
		kiosk_resume(k, k->staff_return);
		return 1;
	case ACT_SEND:
		kiosk_send(k);
		return 1;
	case ACT_DONE:
		kiosk_wipe(k);
		return 1;
	}
	return 0;
}

static void spoken(struct kiosk *k, char *buf, size_t size)
{
	(void)k;
	snprintf(buf, size, "%s %s", _("Talk to a staff member"),
		 _("Please go to a staff member, or wave to them. They can help you fill this in, or find an interpreter. Your answers wait here until you come back."));
}

const struct screen screen_staff = { "staff", NULL, build, event, spoken };
