/*
 * welcome.c — the first screen: every language named in itself, one plain sentence, one
 * big Start, "rather talk to someone? ask a staff member", and in the top bar "always read
 * aloud" for people who cannot read (and read aloud itself).
 */
#include "sync/rules/form.h"
#include "platform/i18n.h"
#include "app/screens/chrome.h"
#include "app/screens/host_ui.h"
#include "app/ui/layout.h"
#include "app/ui/theme.h"

#include <stdio.h>

static void build(struct kiosk *k, struct ui_tree *t, const struct ui_measure *m)
{
	struct ui_rect a = chrome_bars(k, t, m, CHROME_WELCOME, NULL, 0);
	const char *start = _("Start");
	const char *intro = _("Here you can ask the municipality for help with money worries. It takes about five minutes.");
	const char *talk = _("Would you rather talk to someone? Please ask a staff member.");
	int w = a.w > 1000 ? 1000 : a.w, x = a.x + (a.w - w) / 2, y;
	int bw = chrome_button_width(m, start, THEME_TEXT_HUGE, 1) + 80;
	int h = layout_text_height(m, _("Welcome"), THEME_TEXT_HUGE, 1, w) + 24 +
		layout_text_height(m, intro, THEME_TEXT_TITLE, 0, w) + 48 + 128 + 56 +
		layout_text_height(m, talk, THEME_TEXT_BODY, 0, w);
	struct ui_widget *b;
	int ly = 0;

	if (k->host.st.crisis_alert) {   /* stays until the host acknowledges it (host mode) */
		y = host_alert_banner(k, t, m, a.y - 20);
		a.h -= y - a.y, a.y = y;
	}
	/* the languages over the whole width: one row at 1280x800, so the texts keep their size */
	chrome_lang_grid(k, NULL, m, THEME_TEXT_BODY, THEME_TARGET, a.x, &ly, a.w);   /* its height */
	h += ly + 24;
	y = a.y + (a.h - h > 48 ? (a.h - h) / 2 : 8);   /* centred: calm, nothing crammed at the top */
	chrome_lang_grid(k, t, m, THEME_TEXT_BODY, THEME_TARGET, a.x, &y, a.w);
	y += 12;
	layout_text(t, m, "title", _("Welcome"), THEME_TEXT_HUGE, 1, x, &y, w, THEME_TEXT,
		    THEME_BG, 24)->align = ALIGN_CENTER;
	layout_text(t, m, "intro", intro, THEME_TEXT_TITLE, 0, x, &y, w, THEME_TEXT, THEME_BG,
		    48)->align = ALIGN_CENTER;
	bw = bw < 420 ? 420 : bw > w ? w : bw;
	b = chrome_primary(t, "start", start, k->rtl ? "arrow-left" : "arrow-right",
			   (struct ui_rect){ x + (w - bw) / 2, y, bw, 128 }, ACT_START);
	if (b) {
		b->size = THEME_TEXT_HUGE;
		b->flags |= UI_MAIN | UI_ICON_END;
	}
	y += 128 + 56;
	layout_text(t, m, "talk", talk, THEME_TEXT_BODY, 0, x, &y, w, THEME_TEXT, THEME_BG,
		    0)->align = ALIGN_CENTER;
	if (k->sync.line[0]) {   /* for the host, at the foot: has everything left the building? */
		int foot = a.y + a.h - 16 - layout_text_height(m, k->sync.line, THEME_TEXT_SMALL, 0, w);
		y = foot > y + 24 ? foot : y + 24;
		chrome_host_ltr(t, layout_text(t, m, "host-status", k->sync.line, THEME_TEXT_SMALL, 0,
					       x, &y, w, THEME_TEXT, THEME_BG, 0))->align = ALIGN_CENTER;
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
		 _("Tap Start to begin. Would you rather talk to someone? Please ask a staff member."));
}

const struct screen screen_welcome = { "welcome", NULL, build, event, spoken };
