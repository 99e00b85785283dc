/*
 * kiosk_sync.c — the background uploader inside the kiosk, and the host's status line.
 */
#include "app/kiosk/kiosk_sync.h"
#include "sync/rules/calendar.h"
#include "sync/rules/form.h"
#include "platform/i18n.h"
#include "platform/util.h"
#include "sync/device/outbox.h"
#include "sync/device/upload.h"

#include <time.h>
#include <unistd.h>

/* Loads the holiday table for the host's warning; without it there is simply no warning
 * (registrations load their own copy and say why when it is missing). */
static void load_calendar(struct kiosk_sync *s)
{
	char path[4096];

	s->cal = NULL;
	if (form_asset_path(path, sizeof(path), "holidays.json") < 0 || calendar_load(path, &s->cal) < 0)
		s->cal = NULL;
}

int kiosk_sync_start(struct kiosk_sync *s, const struct device_config *cfg, void (*wake)(void *arg),
		     void *arg)
{
	s->u = NULL;
	s->line[0] = '\0';
	load_calendar(s);
	if (upload_start_for(cfg, &s->u) < 0) {
		s->u = NULL;
		snprintf(s->line, sizeof(s->line), "%s",
			 _("Offline: records stay safely on this device."));
		return -1;
	}
	upload_set_notify(s->u, wake, arg);
	return 0;
}

void kiosk_sync_kick(struct kiosk_sync *s)
{
	if (s->u)
		upload_kick(s->u);
}

/* "14:02" in Dutch time, or "" for never. */
static void clock_text(time_t t, char out[8])
{
	struct tm tm;

	out[0] = '\0';
	if (t && localtime_r(&t, &tm))
		snprintf(out, 8, "%02d:%02d", tm.tm_hour % 24, tm.tm_min % 60);
}

/* Composes the line from a status snapshot (counts and reasons only, never content). */
static void compose(const struct upload_status *st, char *buf, size_t size)
{
	char at[8];
	int n = 0;

	clock_text(st->last_success, at);
	if (st->blocked)
		n = snprintf(buf, size, "%s", _("This device is not accepted by the case store. Please call ICT."));
	else if (st->pending > 0 && st->last_error[0])
		n = snprintf(buf, size, _("Waiting to be sent: %d (no connection). They stay safely on this device."),
			     st->pending);
	else if (st->pending > 0)
		n = snprintf(buf, size, _("Waiting to be sent: %d."), st->pending);
	else if (at[0])
		n = snprintf(buf, size, _("Everything has been sent. Last at %s."), at);
	else if (st->last_attempt && !st->last_error[0])
		n = snprintf(buf, size, "%s", _("Everything has been sent."));
	if (n >= 0 && (size_t)n < size && st->held > 0)
		snprintf(buf + n, size - (size_t)n, _("%sKept aside: %d (see the outbox)."), n ? " " : "",
			 st->held);
}

/* Appends the warning that the holiday table runs out (or ran out) to the line. */
static void calendar_note(const struct calendar *cal, char *buf, size_t size)
{
	struct ymd today;
	size_t n = strlen(buf);
	char end[16];
	int left;

	if (!cal || ymd_today(&today) < 0 || !calendar_table_warning(cal, today, &left) || n >= size)
		return;
	snprintf(end, sizeof(end), "31-12-%04d", calendar_last_year(cal) % 10000);
	snprintf(buf + n, size - n, left >= 0 ?
		 _("%sThe holiday table ends on %s: please ask ICT for the new one.") :
		 _("%sThe holiday table ran out on %s: deadlines are provisional. Please ask ICT for the new one."),
		 n ? " " : "", end);
}

int kiosk_sync_refresh(struct kiosk_sync *s)
{
	struct upload_status st;
	char line[sizeof(s->line)] = "";

	if (!s->u && !s->cal)
		return 0;
	if (s->u) {
		upload_status(s->u, &st);
		compose(&st, line, sizeof(line));
	} else {
		snprintf(line, sizeof(line), "%s", _("Offline: records stay safely on this device."));
	}
	calendar_note(s->cal, line, sizeof(line));
	if (!strcmp(line, s->line))
		return 0;
	snprintf(s->line, sizeof(s->line), "%s", line);
	return 1;
}

int kiosk_sync_settled(struct kiosk_sync *s)
{
	struct upload_status st;

	upload_status(s->u, &st);
	return s->u && st.last_attempt != 0;
}

int kiosk_sync_wait(struct kiosk_sync *s, struct outbox *ob, int ms)
{
	struct outbox_counts c = { 0 };
	struct upload_status st;

	if (!s->u)
		return error("no uploader runs (not enrolled?)");
	upload_kick(s->u);
	for (; ms > 0; ms -= 20) {
		if (outbox_counts(ob, &c) < 0)
			return -1;
		if (c.pending == 0)
			return 0;
		usleep(20000);
	}
	upload_status(s->u, &st);
	return error("records still waiting to be sent: %d (%s)", c.pending,
		     st.last_error[0] ? st.last_error : "no answer yet");
}

void kiosk_sync_stop(struct kiosk_sync *s)
{
	upload_stop(s->u);
	s->u = NULL;
	calendar_free(s->cal);
	s->cal = NULL;
}
