/*
 * host_menu.c — the host screen (host mode, app/kiosk/host.h), in the host's language:
 * how the device is doing (its name and place, records waiting, the last successful
 * sync, whether the case store answers, records kept aside by reason code, free disk,
 * the printer, the holiday table's last year) and what the host can do (acknowledge a
 * crisis alert, send now, test the sound and the printer, close for today or open again,
 * leave the kiosk for ICT). Counts, codes and dates only: never a name, an answer or a
 * record.
 */
#include "platform/i18n.h"
#include "app/screens/chrome.h"
#include "app/screens/host_ui.h"
#include "app/ui/layout.h"
#include "app/ui/theme.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

int host_alert_banner(struct kiosk *k, struct ui_tree *t, const struct ui_measure *m, int y)
{
	int n = k->host.st.crisis_alerts > 0 ? k->host.st.crisis_alerts : 1, by = y + 6;
	char text[320];
	struct ui_widget *p, *w;

	if (!k->host.st.crisis_alert)
		return y;
	snprintf(text, sizeof(text), i18n_plural(i18n_host_lang(),
		 "For the staff member: %d urgent registration is waiting for you (staff menu).",
		 "For the staff member: %d urgent registrations are waiting for you (staff menu).",
		 (unsigned long)n), n);
	p = ui_add(t, ROLE_PANEL, "", "", (struct ui_rect){ 0, y, t->lw, 0 });
	w = layout_text(t, m, "host-banner", text, THEME_TEXT_SMALL, 1, THEME_MARGIN, &by,
			t->lw - 2 * THEME_MARGIN, THEME_ALERT_FG, THEME_ALERT_BG, 6);
	w->align = ALIGN_CENTER;   /* small and one line: Welcome must still fit around it */
	if (t->rtl && strcmp(i18n_host_lang(), "ar"))
		w->flags |= UI_LTR_TEXT;
	if (p)
		p->bg = THEME_ALERT_BG, p->r.h = by - y;
	return by;
}

/* "30-04-2026 14:02" (isolated left to right) for unix seconds t, or "" for 0. */
static void when_text(long long t, char *buf, size_t size)
{
	time_t tt = (time_t)t;
	struct tm tm;
	char s[32];

	buf[0] = '\0';
	if (t > 0 && localtime_r(&tt, &tm) && strftime(s, sizeof(s), "%d-%m-%Y %H:%M", &tm))
		snprintf(buf, size, "\u2066%s\u2069", s);
}

/* One fact line; moves *y. */
static void fact(struct ui_tree *t, const struct ui_measure *m, const char *id, const char *text,
		 int x, int *y, int w)
{
	layout_text(t, m, id, text, THEME_TEXT_BODY, 0, x, y, w, THEME_TEXT, THEME_BG, 10);
}

static void fact_casestore(struct kiosk *k, char *buf, size_t size)
{
	const struct host_facts *f = &k->host.facts;

	switch (f->casestore) {
	case CS_REACHABLE:
		snprintf(buf, size, "%s", H_("Case store: reachable."));
		break;
	case CS_UNREACHABLE:
		snprintf(buf, size, H_("Case store: not reachable (%s). Records stay safely on this kiosk."),
			 f->casestore_why);
		break;
	case CS_REFUSED:
		snprintf(buf, size, "%s", H_("Case store: refuses this kiosk. Please call ICT."));
		break;
	case CS_NOT_TRIED:
		snprintf(buf, size, "%s", H_("Case store: not contacted yet."));
		break;
	default:
		snprintf(buf, size, "%s", H_("Case store: not checked (this kiosk is offline)."));
	}
}

static void fact_held(struct kiosk *k, char *buf, size_t size)
{
	const struct host_facts *f = &k->host.facts;
	char codes[160] = "";
	size_t n = 0;

	if (!f->held) {
		snprintf(buf, size, "%s", H_("Kept aside: none."));
		return;
	}
	for (int i = 0; i < f->n_held_by && n < sizeof(codes); i++)
		n += (size_t)snprintf(codes + n, sizeof(codes) - n, "%s\u2066%s: %d\u2069", i ? ", " : "",
				      f->held_by[i].code, f->held_by[i].n);
	snprintf(buf, size, H_("Kept aside: %d (reason: %s). Please call ICT."), f->held, codes);
}

static void fact_printer(struct kiosk *k, char *buf, size_t size)
{
	char why[16];
	enum print_state s = print_status(&k->host.print, why);
	int test = k->host.print_test;

	k->host.print_shown = s;

	if (!k->cfg.printer[0])
		snprintf(buf, size, "%s", H_("Printer: none set."));
	else if (s == PRINT_BUSY)
		snprintf(buf, size, "%s", test ? H_("Printer: printing the test page...") : H_("Printer: checking..."));
	else if (s == PRINT_DONE)
		snprintf(buf, size, "%s", test ? H_("Printer: the test page has been printed.") : H_("Printer: ready."));
	else if (s == PRINT_FAILED)
		snprintf(buf, size, test ? H_("Printer: the test page was not printed (%s).") :
			 H_("Printer: not ready (%s)."), why);
	else
		snprintf(buf, size, "%s", H_("Printer: not checked."));
}

/* The facts, top to bottom in the column at x of width w from y; returns the y below. */
static int facts(struct kiosk *k, struct ui_tree *t, const struct ui_measure *m, int x, int y, int w)
{
	const struct host_facts *f = &k->host.facts;
	char text[512], when[64];

	snprintf(text, sizeof(text), H_("Kiosk: %s, %s"), k->cfg.device_id[0] ? k->cfg.device_id : "-",
		 k->cfg.location[0] ? k->cfg.location : "-");   /* (the name and place as ICT gave them) */
	fact(t, m, "fact-device", text, x, &y, w);
	snprintf(text, sizeof(text), H_("Waiting to be sent: %d (urgent: %d)."), f->pending, f->crisis_pending);
	fact(t, m, "fact-waiting", text, x, &y, w);
	when_text(f->last_success, when, sizeof(when));
	if (when[0])
		snprintf(text, sizeof(text), H_("Last sent: %s."), when);
	else
		snprintf(text, sizeof(text), "%s", H_("Last sent: not known."));
	fact(t, m, "fact-last-sync", text, x, &y, w);
	fact_casestore(k, text, sizeof(text));
	fact(t, m, "fact-casestore", text, x, &y, w);
	fact_held(k, text, sizeof(text));
	fact(t, m, "fact-held", text, x, &y, w);
	if (f->free_bytes >= 0)
		snprintf(text, sizeof(text), H_("Free disk space: %.1f GB."), (double)f->free_bytes / 1e9);
	else
		snprintf(text, sizeof(text), "%s", H_("Free disk space: not known."));
	fact(t, m, "fact-disk", text, x, &y, w);
	fact_printer(k, text, sizeof(text));
	fact(t, m, "fact-printer", text, x, &y, w);
	snprintf(text, sizeof(text), H_("Holiday table: up to and including %d."), f->holiday_last_year);
	fact(t, m, "fact-holidays", text, x, &y, w);
	if (host_closed_today(k))
		fact(t, m, "fact-closed", H_("This kiosk is closed for today."), x, &y, w);
	return y;
}

/* The outcome of the last action (a code the host reads, never data). */
static void note(struct kiosk *k, struct ui_tree *t, const struct ui_measure *m, int x, int *y, int w)
{
	static const struct { const char *id, *text; } notes[] = {
		[NOTE_NONE] = { "", "" },
		[NOTE_SYNC_STARTED] = { "note-sync", N_("Sending has started.") },
		[NOTE_SYNC_OFFLINE] = { "note-sync-offline", N_("This kiosk is offline: nothing can be sent now.") },
		[NOTE_SOUND_OK] = { "note-sound", N_("The test sound is playing.") },
		[NOTE_SOUND_NONE] = { "note-sound-none", N_("This kiosk has no sound output.") },
		[NOTE_PRINT_SENT] = { "note-print", N_("The test page goes to the printer.") },
		[NOTE_PRINT_NONE] = { "note-print-none", N_("This kiosk has no printer set.") },
		[NOTE_ACKNOWLEDGED] = { "note-acknowledged", N_("The urgent registration has been acknowledged.") },
		[NOTE_SAVE_FAILED] = { "note-save-failed", N_("This could not be saved on the kiosk. Please call ICT.") },
	};
	enum host_note n = k->host.note;

	if (n > NOTE_NONE && n <= NOTE_SAVE_FAILED)
		chrome_note(t, m, notes[n].id, H_(notes[n].text), x, y, w);
}

struct action { const char *id, *label, *icon; int act; };

/* The buttons, in cols columns at x, y, width w. */
static void actions(struct kiosk *k, struct ui_tree *t, int x, int y, int w, int cols)
{
	struct action b[7];
	int n = 0, bw = (w - (cols - 1) * THEME_GAP) / cols, bh = cols > 1 ? 112 : 80;   /* two lines */

	if (k->host.st.crisis_alert)
		b[n++] = (struct action){ "host-ack", H_("Seen: acknowledge the alert"), "check", HA_ACK };
	b[n++] = (struct action){ "host-sync", H_("Send now"), "refresh", HA_SYNC };
	b[n++] = (struct action){ "host-sound", H_("Test the sound"), "speaker", HA_SOUND };
	b[n++] = (struct action){ "host-print", H_("Test the printer"), "print", HA_PRINT };
	if (host_closed_today(k))
		b[n++] = (struct action){ "host-reopen", H_("Open the kiosk again"), "door", HA_REOPEN };
	else
		b[n++] = (struct action){ "host-close", H_("Close for today"), "lock", HA_CLOSE };
	b[n++] = (struct action){ "host-leave", H_("Leave the kiosk (for ICT)"), "times", HA_LEAVE };
	for (int i = 0; i < n; i++) {
		struct ui_rect r = { x + (i % cols) * (bw + THEME_GAP), y + (i / cols) * (bh + THEME_GAP), bw, bh };
		struct ui_widget *wd = b[i].act == HA_ACK ?
			chrome_primary(t, b[i].id, b[i].label, b[i].icon, r, ACT_HOST) :
			chrome_secondary(t, b[i].id, b[i].label, b[i].icon, r, ACT_HOST);
		if (wd)
			wd->arg = b[i].act;
	}
}

static void build(struct kiosk *k, struct ui_tree *t, const struct ui_measure *m)
{
	int y = host_top_bar(t, m, H_("Staff menu"), H_("Back to the kiosk"));
	int wide = t->lw > t->lh && t->lw >= 1000, x = THEME_MARGIN, w = t->lw - 2 * THEME_MARGIN;
	int fw = wide ? w * 11 / 20 : w, yf;

	y = host_alert_banner(k, t, m, y) + 24;
	yf = facts(k, t, m, x, y, fw);
	if (wide) {
		note(k, t, m, x, &yf, fw);
		actions(k, t, x + fw + 2 * THEME_GAP, y, w - fw - 2 * THEME_GAP, 1);
	} else {
		note(k, t, m, x, &yf, fw);
		actions(k, t, x, yf + THEME_GAP, w, 2);
	}
}

static int event(struct kiosk *k, const struct kiosk_event *ev)
{
	if (ev->kind != EV_ACTIVATE || ev->w->action != ACT_HOST)
		return 0;
	switch (ev->w->arg) {
	case HA_BACK: kiosk_wipe(k); break;
	case HA_SYNC: host_sync_now(k); break;
	case HA_SOUND: host_test_sound(k); break;
	case HA_PRINT: host_test_print(k); break;
	case HA_CLOSE: host_close_day(k); break;
	case HA_REOPEN: host_reopen(k); break;
	case HA_ACK: host_acknowledge(k); break;
	case HA_LEAVE: host_leave(k); break;
	default: return 0;
	}
	return 1;
}

const struct screen screen_host = { "host", NULL, build, event, NULL };
