/*
 * receipt.c — proof of registration: a short reference with its QR code, the date by
 * which the team makes contact (the Wgs deadline), and for a crisis a clear "tell the
 * host now" with the crisis phone number and a banner for the host. It returns to
 * Welcome (and forgets the person) after its own time or on Done.
 */
#include "app/i18n.h"
#include "app/screens/chrome.h"
#include "app/screens/words.h"
#include "app/ui/layout.h"
#include "app/ui/theme.h"
#include "app/util.h"

#include <stdio.h>
#include <string.h>

static void enter(struct kiosk *k)
{
	k->crisis_alert = k->result.triage.crisis;
}

/* The crisis block: "tell the host now" and the phone number. Moves *y. */
static void crisis(struct kiosk *k, struct ui_tree *t, const struct ui_measure *m, int x,
		   int *y, int w)
{
	char text[256];
	int h, ty;
	struct ui_widget *p;

	if (k->cfg.crisis_phone[0])
		snprintf(text, sizeof(text), _("Your situation is urgent. If no one can help you here, call \u2066%s\u2069."),
			 k->cfg.crisis_phone);
	else
		snprintf(text, sizeof(text), "%s", _("Your situation is urgent. The host can help you right away."));
	h = layout_text_height(m, _("Tell the host now."), THEME_TEXT_TITLE, 1, w - 48) +
	    layout_text_height(m, text, THEME_TEXT_BODY, 0, w - 48) + 48;
	p = ui_add(t, ROLE_PANEL, "", "", (struct ui_rect){ x, *y, w, h });
	if (p)
		p->bg = THEME_ALERT_BG;
	ty = *y + 16;
	layout_text(t, m, "tell-host", _("Tell the host now."), THEME_TEXT_TITLE, 1, x + 24, &ty,
		    w - 48, THEME_ALERT_FG, THEME_ALERT_BG, 8);
	layout_text(t, m, "crisis-phone", text, THEME_TEXT_BODY, 0, x + 24, &ty, w - 48,
		    THEME_ALERT_FG, THEME_ALERT_BG, 0);
	*y += h + THEME_GAP;
}

/* Reference, its QR code and the photo hint in column c, the code as large as the
 * column's height allows (160 to 340); the hint goes when even 160 does not fit. */
static int reference(struct kiosk *k, struct ui_tree *t, const struct ui_measure *m,
		     struct ui_rect c)
{
	const char *hint = _("You can take a photo of this screen.");
	int y = c.y, hp = layout_text_height(m, hint, THEME_TEXT_SMALL, 0, c.w);
	int qr = c.h - 12 - hp - 8 -
		 layout_text_height(m, _("Your reference:"), THEME_TEXT_BODY, 0, c.w) -
		 layout_text_height(m, k->result.ref, THEME_TEXT_HUGE, 1, c.w);
	struct ui_widget *w;

	if (qr < 160)
		qr += hp, hint = NULL;
	qr = qr > 340 ? 340 : qr < 160 ? 160 : qr;
	qr = qr > c.w ? c.w : qr;

	layout_text(t, m, "ref-label", _("Your reference:"), THEME_TEXT_BODY, 0, c.x, &y, c.w,
		    THEME_TEXT, THEME_BG, 4);
	w = layout_text(t, m, "reference", k->result.ref, THEME_TEXT_HUGE, 1, c.x, &y, c.w,
			THEME_TEXT, THEME_BG, 8);
	w->flags |= UI_LTR_TEXT | UI_PERSONAL;
	t->qr = &k->qr;
	ui_add(t, ROLE_QR, "qr", "", (struct ui_rect){ c.x, y, qr, qr });
	y += qr + 8;
	if (hint)
		layout_text(t, m, "photo", hint, THEME_TEXT_SMALL, 0, c.x, &y, c.w, THEME_TEXT,
			    THEME_BG, 0);
	return y;
}

/* The banner for the host across the full width at y; returns its bottom. */
static int banner(struct ui_tree *t, const struct ui_measure *m, int y)
{
	struct ui_widget *p = ui_add(t, ROLE_PANEL, "", "", (struct ui_rect){ 0, y, t->lw, 0 });
	int by = y + 8;

	layout_text(t, m, "host-banner", _("For the host: urgent registration. Please come to this kiosk now."),
		    THEME_TEXT_BODY, 1, THEME_MARGIN, &by, t->lw - 2 * THEME_MARGIN, THEME_ALERT_FG,
		    THEME_ALERT_BG, 8)->align = ALIGN_CENTER;
	if (p)
		p->bg = THEME_ALERT_BG, p->r.h = by - y;
	return by;
}

static void build(struct kiosk *k, struct ui_tree *t, const struct ui_measure *m)
{
	struct ui_rect a = chrome_bars(k, t, m, 0, _("Done"), ACT_DONE), c;
	char date[160], text[320];
	int wide = a.w >= 960, y, tw;   /* 1024x768 too: stacked, the code falls off */

	if (k->crisis_alert) {
		y = banner(t, m, a.y - 20);
		a.h -= y + 16 - a.y;
		a.y = y + 16;
	}
	tw = wide ? a.w * 3 / 5 : a.w;
	y = a.y;
	layout_text(t, m, "title", _("Thank you. Your request has been received."), THEME_TEXT_TITLE,
		    1, a.x, &y, tw, THEME_TEXT, THEME_BG, 20);
	words_date(k->result.triage.deadline.legal, date, sizeof(date));
	snprintf(text, sizeof(text), _("The debt help team will contact you on or before %s."), date);
	layout_text(t, m, "deadline", text, THEME_TEXT_BODY, 1, a.x, &y, tw, THEME_TEXT, THEME_BG, 20);
	if (k->result.triage.crisis)
		crisis(k, t, m, a.x, &y, tw);
	c = wide ? (struct ui_rect){ a.x + tw + 48, a.y, a.w - tw - 48, a.h }
		 : (struct ui_rect){ a.x, y, a.w, a.y + a.h - y };
	reference(k, t, m, c);
}

static void spoken(struct kiosk *k, char *buf, size_t size)
{
	char date[160];
	struct ymd d = k->result.triage.deadline.legal;

	words_date(d, date, sizeof(date));
	if (strchr(date, '('))
		*strchr(date, '(') = '\0';   /* the numbers in brackets are read badly */
	snprintf(buf, size, "%s %s %s %s", _("Thank you. Your request has been received."),
		 _("The debt help team will contact you on or before this date:"), date,
		 k->result.triage.crisis ? _("Tell the host now.") : "");
}

const struct screen screen_receipt = { "receipt", enter, build, chrome_event_done, spoken };
