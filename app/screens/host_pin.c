/*
 * host_pin.c — the staff member's PIN pad (host mode, app/kiosk/host.h): large digits,
 * the PIN shown as dots only, OK and Cancel; after too many wrong PINs the pad goes and
 * the wait is shown instead; with no PIN configured it says so and does not open. All in
 * the host's language (config host_lang): the kiosk switched to it on the way in.
 */
#include "platform/i18n.h"
#include "app/screens/chrome.h"
#include "app/screens/host_ui.h"
#include "app/ui/layout.h"
#include "app/ui/theme.h"

#include <stdio.h>
#include <string.h>

#define KEY_W 168
#define KEY_H 104

int host_top_bar(struct ui_tree *t, const struct ui_measure *m, const char *title,
		 const char *back_label)
{
	int bw = chrome_button_width(m, back_label, THEME_TEXT_BODY, 1) + 24;
	int tw = t->lw - 3 * THEME_MARGIN - bw, two = 0, th, h, y;
	struct ui_widget *p;

	if (tw < m->width(m->ctx, title, THEME_TEXT_TITLE, 1)) {   /* a narrow screen: two rows */
		two = 1;
		tw = t->lw - 2 * THEME_MARGIN;
		bw = bw > tw ? tw : bw;
	}
	th = layout_text_height(m, title, THEME_TEXT_TITLE, 1, tw);
	h = two ? 24 + th + THEME_GAP + THEME_TARGET + 24 : th + 48 < 112 ? 112 : th + 48;
	p = ui_add(t, ROLE_PANEL, "", "", (struct ui_rect){ 0, 0, t->lw, h });
	if (p)
		p->bg = THEME_BAR_BG;
	y = two ? 24 : (h - th) / 2;
	layout_text(t, m, "title", title, THEME_TEXT_TITLE, 1, THEME_MARGIN, &y, tw, THEME_TEXT,
		    THEME_BAR_BG, THEME_GAP);
	chrome_secondary(t, "back", back_label, t->rtl ? "arrow-right" : "arrow-left",
			 (struct ui_rect){ two ? THEME_MARGIN : t->lw - THEME_MARGIN - bw,
					   two ? y : (h - THEME_TARGET) / 2, bw, THEME_TARGET },
			 ACT_HOST)->arg = HA_BACK;
	return h;
}

/* "Try again in 30 seconds" / "in 2 minutes", with the host language's plural. */
static void wait_text(struct kiosk *k, char *buf, size_t size)
{
	long long s = host_pin_wait_left(k);
	const char *hl = i18n_host_lang();

	if (s < 120)
		snprintf(buf, size, i18n_plural(hl, "Too many wrong PINs. You can try again in %d second.",
						"Too many wrong PINs. You can try again in %d seconds.",
						(unsigned long)s), (int)s);
	else
		snprintf(buf, size, i18n_plural(hl, "Too many wrong PINs. You can try again in %d minute.",
						"Too many wrong PINs. You can try again in %d minutes.",
						(unsigned long)((s + 59) / 60)), (int)((s + 59) / 60));
}

/* The dots for the digits typed (never the digits). */
static void dots(const struct kiosk *k, char *buf, size_t size)
{
	size_t n = 0;

	buf[0] = '\0';
	for (int i = 0; i < k->host.pin_len && n + 4 < size; i++)
		n += (size_t)snprintf(buf + n, size - n, "%s", i ? " \u25CF" : "\u25CF");
}

/* The text size of the OK key: the largest of the digits', a title's and a button's at
 * which the host language's word fits ("Tamam" needs a smaller one than "OK"). */
static int ok_size(const struct ui_measure *m, const char *label)
{
	static const int sizes[] = { THEME_TEXT_HUGE, THEME_TEXT_TITLE };

	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++)
		if (m->width(m->ctx, label, sizes[i], 1) <= KEY_W - 48)
			return sizes[i];
	return THEME_TEXT_BODY;
}

/* The pad: 1-9, then Backspace, 0, OK; at (x, y). Its columns are laid out reversed in a
 * right-to-left tree, so that after the mirror it reads 1 2 3 from the left like every
 * keypad. */
static void pad(struct ui_tree *t, const struct ui_measure *m, int x, int y)
{
	static const int order[12] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, HA_PIN_DEL, 0, HA_PIN_OK };
	char id[16], label[4];

	for (int i = 0; i < 12; i++) {
		int col = t->rtl ? 2 - i % 3 : i % 3;
		struct ui_rect r = { x + col * (KEY_W + THEME_GAP), y + (i / 3) * (KEY_H + THEME_GAP),
				     KEY_W, KEY_H };
		struct ui_widget *w;
		if (order[i] == HA_PIN_DEL) {
			w = chrome_secondary(t, "pin-del", "", "backspace", r, ACT_HOST);
		} else if (order[i] == HA_PIN_OK) {
			w = chrome_primary(t, "pin-ok", H_("OK"), NULL, r, ACT_HOST);
		} else {
			snprintf(id, sizeof(id), "pin-%d", order[i]);
			snprintf(label, sizeof(label), "%d", order[i]);
			w = chrome_secondary(t, id, label, NULL, r, ACT_HOST);
		}
		if (w)
			w->arg = order[i], w->flags |= UI_LTR_TEXT,
			w->size = order[i] == HA_PIN_OK ? ok_size(m, H_("OK")) : THEME_TEXT_HUGE;
	}
}

/* The message under the prompt: wrong, wait or no PIN; moves *y. */
static void state_line(struct kiosk *k, struct ui_tree *t, const struct ui_measure *m, int x,
		       int *y, int w)
{
	char text[256];

	switch (k->host.pin_state) {
	case PIN_WRONG:
		chrome_note(t, m, "pin-wrong", H_("Wrong PIN. Please try again."), x, y, w);
		break;
	case PIN_WAIT:
		wait_text(k, text, sizeof(text));
		chrome_note(t, m, "pin-wait", text, x, y, w);
		break;
	case PIN_NONE:
		chrome_note(t, m, "pin-none", H_("No staff PIN has been set for this kiosk, so the staff menu cannot open. Please ask ICT."), x, y, w);
		break;
	default:
		break;
	}
}

static void build(struct kiosk *k, struct ui_tree *t, const struct ui_measure *m)
{
	int top = host_top_bar(t, m, H_("Staff menu"), H_("Cancel")) + 32;
	int pad_w = 3 * KEY_W + 2 * THEME_GAP, pad_h = 4 * KEY_H + 3 * THEME_GAP;
	int side = t->lw >= 2 * pad_w + 3 * THEME_MARGIN && t->lw > t->lh;
	int w = side ? t->lw - pad_w - 4 * THEME_MARGIN : t->lw - 2 * THEME_MARGIN;
	int x = THEME_MARGIN, y = top, show_pad = k->host.pin_state == PIN_ENTER ||
						  k->host.pin_state == PIN_WRONG;
	char text[64];
	struct ui_widget *f;

	w = w > 900 ? 900 : w;
	if (!side)
		x = (t->lw - w) / 2;
	if (show_pad)
		layout_text(t, m, "pin-prompt", H_("For the staff member: enter your PIN."),
			    THEME_TEXT_TITLE, 0, x, &y, w, THEME_TEXT, THEME_BG, THEME_GAP);
	state_line(k, t, m, x, &y, w);
	if (!show_pad)
		return;
	dots(k, text, sizeof(text));
	f = ui_add(t, ROLE_FIELD, "pin-dots", text, (struct ui_rect){ x, y, w < pad_w ? w : pad_w, 88 });
	if (f)
		f->fg = THEME_FIELD_FG, f->bg = THEME_FIELD_BG, f->size = THEME_TEXT_TITLE,
		f->flags = UI_LTR_TEXT;
	y += 88 + 2 * THEME_GAP;
	if (side)
		pad(t, m, t->lw - THEME_MARGIN - pad_w, top + (t->lh - top - pad_h - 24 > 0 ? (t->lh - top - pad_h - 24) / 2 : 0));
	else
		pad(t, m, (t->lw - pad_w) / 2, y);
}

static int event(struct kiosk *k, const struct kiosk_event *ev)
{
	int a = ev->kind == EV_ACTIVATE && ev->w->action == ACT_HOST ? ev->w->arg : -1;

	if (ev->kind == EV_TEXT && ev->text[0] >= '0' && ev->text[0] <= '9' && !ev->text[1])
		a = ev->text[0] - '0';
	else if (ev->kind == EV_KEY)
		a = ev->key == KEY_BACKSPACE ? HA_PIN_DEL : ev->key == KEY_ENTER ? HA_PIN_OK : -1;
	if (a >= 0 && a <= HA_DIGIT_9)
		host_pin_key(k, a);
	else if (a == HA_PIN_DEL)
		host_pin_backspace(k);
	else if (a == HA_PIN_OK)
		host_pin_try(k);
	else if (a == HA_BACK)
		kiosk_wipe(k);
	else
		return 0;
	return 1;
}

const struct screen screen_host_pin = { "host-pin", NULL, build, event, NULL };
