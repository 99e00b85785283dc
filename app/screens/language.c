/*
 * language.c — the language chooser behind the language button of every screen: each
 * language named in itself, big; a tap switches the interface and goes back to the very
 * screen the person came from with every answer and everything typed kept (kiosk.c
 * handles ACT_LANG and keeps the return screen). Back returns without a change.
 */
#include "platform/i18n.h"
#include "app/screens/chrome.h"
#include "app/ui/layout.h"
#include "app/ui/theme.h"

#include <stdio.h>

static void build(struct kiosk *k, struct ui_tree *t, const struct ui_measure *m)
{
	struct ui_rect a = chrome_bars(k, t, m, CHROME_BACK | CHROME_NO_LANG, NULL, 0);
	int w = a.w > 1100 ? 1100 : a.w, x = a.x + (a.w - w) / 2, y = a.y + 8;

	layout_text(t, m, "title", _("Choose your language"), THEME_TEXT_TITLE, 1, x, &y, w,
		    THEME_TEXT, THEME_BG, 32)->align = ALIGN_CENTER;
	chrome_lang_grid(k, t, m, THEME_TEXT_TITLE, THEME_TARGET_MAIN, x, &y, w);
}

static int event(struct kiosk *k, const struct kiosk_event *ev)
{
	if ((ev->kind == EV_ACTIVATE && ev->w->action == ACT_BACK) ||
	    (ev->kind == EV_KEY && ev->key == KEY_ENTER)) {
		kiosk_resume(k, k->lang_return);
		return 1;
	}
	return 0;
}

static void spoken(struct kiosk *k, char *buf, size_t size)
{
	(void)k;
	snprintf(buf, size, "%s", _("Choose your language"));
}

const struct screen screen_language = { "language", NULL, build, event, spoken };
