/*
 * receipt.c — proof of registration: a short reference with its QR code, the date by
 * which the team makes contact (the Wgs deadline), and for a crisis a clear "tell the
 * staff member now" with the crisis phone number and a banner for the host. It returns to
 * Welcome (and forgets the person) after its own time or on Done.
 */
#include "platform/i18n.h"
#include "app/screens/chrome.h"
#include "app/screens/words.h"
#include "app/ui/layout.h"
#include "app/ui/theme.h"
#include "platform/util.h"

#include <stdio.h>
#include <string.h>

static void enter(struct kiosk *k)
{
	k->crisis_alert = k->person.result.triage.crisis;
}

/* The crisis block: "tell the staff member now" and the phone number. Moves *y. */
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
		snprintf(text, sizeof(text), "%s", _("Your situation is urgent. The staff member can help you right away."));
	h = layout_text_height(m, _("Tell the staff member now."), THEME_TEXT_TITLE, 1, w - 48) +
	    layout_text_height(m, text, THEME_TEXT_BODY, 0, w - 48) + 48;
	p = ui_add(t, ROLE_PANEL, "", "", (struct ui_rect){ x, *y, w, h });
	if (p)
		p->bg = THEME_ALERT_BG;
	ty = *y + 16;
	layout_text(t, m, "tell-host", _("Tell the staff member now."), THEME_TEXT_TITLE, 1, x + 24, &ty,
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
		 layout_text_height(m, k->person.result.ref, THEME_TEXT_HUGE, 1, c.w);
	struct ui_widget *w;

	if (qr < 160)
		qr += hp, hint = NULL;
	qr = qr > 340 ? 340 : qr < 160 ? 160 : qr;
	qr = qr > c.w ? c.w : qr;

	layout_text(t, m, "ref-label", _("Your reference:"), THEME_TEXT_BODY, 0, c.x, &y, c.w,
		    THEME_TEXT, THEME_BG, 4);
	w = layout_text(t, m, "reference", k->person.result.ref, THEME_TEXT_HUGE, 1, c.x, &y, c.w,
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

/* The host's line about the printed receipt (printing, printed, no printer, failed), in
 * the host's language: widget id print-STATE, so tests and the host see what happened.
 * Moves *y. */
static void print_line(struct kiosk *k, struct ui_tree *t, const struct ui_measure *m, int x,
		       int *y, int w)
{
	static const char *const ids[] = { "", "print-off", "print-busy", "print-done", "print-failed" };
	const char *msgid;

	k->print_shown = print_status(&k->print, NULL);
	if ((msgid = print_state_msgid(k->print_shown)))
		chrome_host_ltr(t, layout_text(t, m, ids[k->print_shown], H_(msgid), THEME_TEXT_SMALL,
					       0, x, y, w, THEME_TEXT, THEME_BG, 16));
}

/* The contact answer ("phone", "email", "come_back") or NULL. */
static const char *contact(const struct kiosk *k)
{
	return json_string_value(json_object_get(k->person.answers, "contact"));
}

static void build(struct kiosk *k, struct ui_tree *t, const struct ui_measure *m)
{
	static const char *const kind_ids[] = { "callback-date", "callback-today",
						"callback-come-today", "callback-walk-in" };
	struct ui_rect a = chrome_bars(k, t, m, 0, _("Done"), ACT_DONE), c;
	char text[1024];
	int wide = a.w >= 960, y, tw, kind;   /* 1024x768 too: stacked, the code falls off */

	if (k->crisis_alert) {
		y = chrome_host_banner(t, m, a.y - 20, N_("For the staff member: urgent registration. Please come to this kiosk now."));
		a.h -= y + 16 - a.y;
		a.y = y + 16;
	}
	tw = wide ? a.w * 2 / 3 : a.w;   /* the words get the room; the code column stays >= 360 */
	y = a.y;
	layout_text(t, m, "title", _("Thank you. Your request has been received."), THEME_TEXT_TITLE,
		    1, a.x, &y, tw, THEME_TEXT, THEME_BG, 20);
	kind = words_callback(&k->person.result.triage, contact(k), &k->cfg, k->lang, 0, text, sizeof(text));
	layout_text(t, m, kind_ids[kind], text, THEME_TEXT_BODY, 1, a.x, &y, tw, THEME_TEXT, THEME_BG, 20);
	util_cleanse(text, sizeof(text));
	if (k->person.result.triage.crisis)
		crisis(k, t, m, a.x, &y, tw);
	c = wide ? (struct ui_rect){ a.x + tw + 48, a.y, a.w - tw - 48, a.h }
		 : (struct ui_rect){ a.x, y, a.w, a.y + a.h - y };
	y = c.y;
	print_line(k, t, m, c.x, &y, c.w);   /* above the code, which shrinks to make room */
	c.h -= y - c.y, c.y = y;
	reference(k, t, m, c);
}

/* Read aloud: the thanks, when the team calls, the reference letter by letter and, for a
 * crisis, "tell the staff member now" with the crisis phone number digit by digit. */
static void spoken(struct kiosk *k, char *buf, size_t size)
{
	char text[1024], spelt[160];

	buf[0] = '\0';
	chrome_say(buf, size, _("Thank you. Your request has been received."));
	words_callback(&k->person.result.triage, contact(k), &k->cfg, k->lang, 1, text, sizeof(text));
	chrome_say(buf, size, text);
	words_spell(k->person.result.ref, spelt, sizeof(spelt));
	chrome_say(buf, size, _("Your reference:"));
	chrome_say(buf, size, spelt);
	if (k->person.result.triage.crisis) {
		chrome_say(buf, size, _("Tell the staff member now."));
		words_spell(k->cfg.crisis_phone, spelt, sizeof(spelt));
		if (k->cfg.crisis_phone[0])
			snprintf(text, sizeof(text), _("Your situation is urgent. If no one can help you here, call \u2066%s\u2069."),
				 spelt);
		else
			snprintf(text, sizeof(text), "%s", _("Your situation is urgent. The staff member can help you right away."));
		chrome_say(buf, size, text);
	}
	util_cleanse(text, sizeof(text));
	util_cleanse(spelt, sizeof(spelt));
}

const struct screen screen_receipt = { "receipt", enter, build, chrome_event_done, spoken };
