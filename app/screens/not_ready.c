/*
 * not_ready.c — shown when the device is not enrolled or its form, calendar, outbox or
 * key cannot be loaded: a calm sentence for the resident (and the crisis number, when
 * the config has one), and for the host a plain reason in the host's language and whom
 * to call. Never a raw error or a file path: those go to the log. Never a crash.
 */
#include "platform/i18n.h"
#include "app/screens/chrome.h"
#include "app/ui/layout.h"
#include "app/ui/theme.h"

#include <stdio.h>
#include <string.h>

static const struct { const char *id, *text; } reasons[] = {
	[NR_NONE] = { "reason-none", "" },
	[NR_NOT_ENROLLED] = { "reason-not-enrolled", N_("For the staff member: this kiosk has not been set up (enrolled) yet. Please call ICT.") },
	[NR_SETTINGS] = { "reason-settings", N_("For the staff member: the settings of this kiosk cannot be read. Please call ICT.") },
	[NR_PROGRAM] = { "reason-program", N_("For the staff member: the program files of this kiosk are incomplete. Please call ICT.") },
	[NR_FILES] = { "reason-files", N_("For the staff member: this kiosk cannot open its key or its storage. Please call ICT.") },
};

static void build(struct kiosk *k, struct ui_tree *t, const struct ui_measure *m)
{
	struct ui_rect a = chrome_bars(k, t, m, 0, NULL, 0);
	int w = a.w > 1100 ? 1100 : a.w, x = a.x + (a.w - w) / 2, y = a.y + 24;
	int r = k->not_ready > 0 && k->not_ready <= NR_FILES ? k->not_ready : NR_FILES;
	struct ui_widget *tw;

	layout_text(t, m, "title", _("This kiosk is not ready."), THEME_TEXT_HUGE, 1, x, &y, w,
		    THEME_TEXT, THEME_BG, 24)->align = ALIGN_CENTER;
	layout_text(t, m, "ask-host", _("Please ask a staff member for help."), THEME_TEXT_TITLE, 0, x,
		    &y, w, THEME_TEXT, THEME_BG, 40)->align = ALIGN_CENTER;
	chrome_crisis_phone(k, t, m, x, &y, w);
	y += 24;
	tw = layout_text(t, m, reasons[r].id, H_(reasons[r].text), THEME_TEXT_BODY, 0, x, &y, w,
			 THEME_TEXT, THEME_BG, 0);
	if (k->rtl && strcmp(i18n_host_lang(), "ar"))
		tw->flags |= UI_LTR_TEXT;
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
	snprintf(buf, size, "%s %s", _("This kiosk is not ready."), _("Please ask a staff member for help."));
}

const struct screen screen_not_ready = { "not-ready", NULL, build, event, spoken };
