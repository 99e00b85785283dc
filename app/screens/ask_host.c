/*
 * ask_host.c — after a failed Send (disk full, key unreadable): nothing was stored. The
 * person is told calmly to ask a staff member. Without a crisis the answers are already
 * wiped. With a crisis they are kept for the host (kiosk_send): the host banner is up,
 * the crisis phone number is shown, and one tap hands over to the host (the staff
 * screen, whose host row can send again).
 */
#include "platform/i18n.h"
#include "app/screens/chrome.h"
#include "app/ui/layout.h"
#include "app/ui/theme.h"

#include <stdio.h>

static const char msg_cleared[] = N_("Your answers could not be saved. To protect your privacy we have cleared them. Please ask a staff member for help.");
static const char msg_kept[] = N_("Your answers could not be saved yet. Your situation is urgent: a staff member will help you now.");

static void build(struct kiosk *k, struct ui_tree *t, const struct ui_measure *m)
{
	int kept = k->send_failed;
	struct ui_rect a = chrome_bars(k, t, m, 0, kept ? _("Get a staff member") : _("Start again"),
				       kept ? ACT_STAFF : ACT_DONE);
	int w = a.w > 1100 ? 1100 : a.w, x = a.x + (a.w - w) / 2, y = a.y + 24;
	struct ui_widget *b = ui_find(t, "next");

	if (kept) {
		y = chrome_host_banner(t, m, a.y - 20,
				       N_("For the staff member: an urgent registration could not be saved. Please come to this kiosk now.")) + 24;
		if (b)
			snprintf(b->id, sizeof(b->id), "handover"), b->icon = kiosk_icon("hand");
	}
	layout_text(t, m, "title", _("Sorry, something went wrong."), THEME_TEXT_HUGE, 1, x, &y, w,
		    THEME_TEXT, THEME_BG, 24)->align = ALIGN_CENTER;
	layout_text(t, m, "ask-host", _(kept ? msg_kept : msg_cleared), THEME_TEXT_TITLE, 0, x, &y,
		    w, THEME_TEXT, THEME_BG, 24)->align = ALIGN_CENTER;
	if (kept)
		chrome_crisis_phone(k, t, m, x, &y, w);
}

static void spoken(struct kiosk *k, char *buf, size_t size)
{
	snprintf(buf, size, "%s %s", _("Sorry, something went wrong."),
		 _(k->send_failed ? msg_kept : msg_cleared));
}

/* Kept answers are never wiped by Enter or a stray tap: only the host ends them. */
static int event(struct kiosk *k, const struct kiosk_event *ev)
{
	return k->send_failed ? 0 : chrome_event_done(k, ev);
}

const struct screen screen_ask_host = { "ask-host", NULL, build, event, spoken };
