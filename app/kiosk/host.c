/*
 * host.c — host mode's logic (see host.h): the corner hold, the PIN with its growing
 * wait, the facts the host screen shows and the actions behind its buttons. The screens
 * (app/screens/host_menu.c, host_pin.c, closed.c) only lay these out.
 */
#include "app/kiosk/host.h"
#include "app/kiosk/kiosk.h"
#include "app/ui/chime.h"
#include "platform/i18n.h"
#include "platform/util.h"
#include "sync/device/outbox.h"
#include "sync/device/upload.h"
#include "sync/rules/calendar.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <sys/statvfs.h>
#include <time.h>

void host_init(struct kiosk *k)
{
	struct kiosk_host *h = &k->host;

	h->status_ok = status_load(k->cfg.dir, &h->st) == 0;
	if (!h->status_ok)
		warning("host: status.json was damaged: the crisis alert is up and the PIN waits");
	print_init(&h->print, kiosk_wake, NULL);
	if (sodium_init() < 0)
		warning("host: libsodium did not start: the host PIN cannot be checked");
}

void host_free(struct kiosk *k)
{
	util_cleanse(k->host.pin, sizeof(k->host.pin));
	print_stop(&k->host.print);
}

long long host_now(const struct kiosk *k)
{
	return (long long)time(NULL) + (k->virtual_clock ? (long long)(k->now_ms / 1000) : 0);
}

/* Today's date (Dutch time: the program runs with TZ Europe/Amsterdam) as YYYY-MM-DD. */
static void today(const struct kiosk *k, char out[11])
{
	time_t t = (time_t)host_now(k);
	struct tm tm;

	out[0] = '\0';
	if (localtime_r(&t, &tm) && !strftime(out, 11, "%Y-%m-%d", &tm))
		out[0] = '\0';
}

int host_closed_today(const struct kiosk *k)
{
	char d[11];

	today(k, d);
	return k->host.st.closed_on[0] && !strcmp(k->host.st.closed_on, d);
}

const struct screen *host_idle_screen(const struct kiosk *k)
{
	if (!k->ready)
		return &screen_not_ready;
	return host_closed_today(k) ? &screen_closed : &screen_welcome;
}

/* Writes the status; a failure is told to the host (and logged), never fatal. */
static void save(struct kiosk *k)
{
	if (status_save(k->cfg.dir, &k->host.st) < 0) {
		warning("host: the device status could not be saved");
		k->host.note = NOTE_SAVE_FAILED;
	}
}

/* ---- the way in ---- */

void host_pointer(struct kiosk *k, int x, int y, int down, uint64_t now_ms)
{
	struct kiosk_host *h = &k->host;

	h->holding = down && x >= 0 && y >= 0 && x < HOST_CORNER && y < HOST_CORNER;
	h->hold_since_ms = now_ms;
}

void host_pointer_moved(struct kiosk *k, int x, int y)
{
	if (x < 0 || y < 0 || x >= HOST_CORNER || y >= HOST_CORNER)
		k->host.holding = 0;
}

int host_tick(struct kiosk *k, uint64_t now_ms, int *ms_left)
{
	struct kiosk_host *h = &k->host;

	if (ms_left)
		*ms_left = -1;
	if (!h->holding)
		return 0;
	if (now_ms < h->hold_since_ms + HOST_HOLD_MS) {
		if (ms_left)
			*ms_left = (int)(h->hold_since_ms + HOST_HOLD_MS - now_ms);
		return 0;
	}
	h->holding = 0;
	return host_enter(k);
}

long long host_pin_wait_left(const struct kiosk *k)
{
	long long left = k->host.st.pin_wait_until - host_now(k);

	return left > 0 ? left : 0;
}

/* The PIN screen's state when it opens or a wait ends. */
static enum host_pin_state pin_state_now(const struct kiosk *k)
{
	if (!k->cfg.host_pin[0])
		return PIN_NONE;
	return host_pin_wait_left(k) > 0 ? PIN_WAIT : PIN_ENTER;
}

int host_enter(struct kiosk *k)
{
	const struct screen *s = k->screen;

	if (!k->ready || json_object_size(k->person.answers) || (s != &screen_welcome && s != &screen_closed))
		return 0;
	kiosk_wipe(k);                     /* the kiosk's forget-everything path */
	kiosk_set_lang(k, k->cfg.host_lang);
	host_pin_clear(k);
	k->host.pin_state = pin_state_now(k);
	k->host.holding = 0;
	kiosk_go(k, &screen_host_pin);
	return 1;
}

/* ---- the PIN ---- */

void host_pin_key(struct kiosk *k, int digit)
{
	struct kiosk_host *h = &k->host;

	if (h->pin_state == PIN_NONE || digit < 0 || digit > 9 || h->pin_len >= HOST_PIN_MAX)
		return;
	if ((h->pin_state = pin_state_now(k)) == PIN_WAIT)
		return;
	h->pin[h->pin_len++] = (char)('0' + digit);
	h->pin[h->pin_len] = '\0';
}

void host_pin_backspace(struct kiosk *k)
{
	if (k->host.pin_len > 0)
		k->host.pin[--k->host.pin_len] = '\0';
}

void host_pin_clear(struct kiosk *k)
{
	util_cleanse(k->host.pin, sizeof(k->host.pin));
	k->host.pin_len = 0;
}

/* The wait after the nth wrong PIN in a row: none before HOST_PIN_FREE_TRIES, then
 * HOST_PIN_WAIT_S doubling, up to HOST_PIN_WAIT_MAX_S. */
static long long wait_after(int failures)
{
	long long w = HOST_PIN_WAIT_S;

	if (failures < HOST_PIN_FREE_TRIES)
		return 0;
	for (int i = HOST_PIN_FREE_TRIES; i < failures && w < HOST_PIN_WAIT_MAX_S; i++)
		w *= 2;
	return w > HOST_PIN_WAIT_MAX_S ? HOST_PIN_WAIT_MAX_S : w;
}

void host_pin_try(struct kiosk *k)
{
	struct kiosk_host *h = &k->host;
	int ok;

	if ((h->pin_state = pin_state_now(k)) != PIN_ENTER)
		return host_pin_clear(k);  /* no PIN set, or a wait runs: nothing is checked */
	ok = h->pin_len >= HOST_PIN_MIN &&
	     crypto_pwhash_str_verify(k->cfg.host_pin, h->pin, (unsigned long long)h->pin_len) == 0;
	host_pin_clear(k);
	if (ok) {
		h->st.pin_failures = 0;
		h->st.pin_wait_until = 0;
		save(k);
		h->note = NOTE_NONE;
		host_refresh(k);
		h->print_test = 0;
		if (k->cfg.printer[0])
			print_check(&h->print, k->cfg.printer);
		kiosk_go(k, &screen_host);
		return;
	}
	h->st.pin_failures = h->st.pin_failures < 1000000 ? h->st.pin_failures + 1 : 1000000;
	if (wait_after(h->st.pin_failures))
		h->st.pin_wait_until = host_now(k) + wait_after(h->st.pin_failures);
	save(k);
	warning("host: a wrong PIN (%d in a row)", h->st.pin_failures);
	h->pin_state = pin_state_now(k) == PIN_WAIT ? PIN_WAIT : PIN_WRONG;
}

/* ---- the facts ---- */

/* A reason code for an uploader's or outbox's error text: "http-409", "curl-7", else
 * "other" (the texts hold codes and reasons only, but the screen shows just the code). */
static void reason_code(const char *why, char out[32])
{
	const char *p = strstr(why, "HTTP ");
	int n;

	if (p && sscanf(p + 5, "%d", &n) == 1)
		snprintf(out, 32, "http-%d", n % 1000);
	else if (!strncmp(why, "curl ", 5) && sscanf(why + 5, "%d", &n) == 1)
		snprintf(out, 32, "curl-%d", n % 1000);
	else if (strstr(why, "certificate") || strstr(why, "CRL"))
		snprintf(out, 32, "certificate");
	else
		snprintf(out, 32, "other");
}

/* outbox_list callback: counts the held rows by reason code. */
static int count_held(const struct outbox_row *r, void *arg)
{
	struct host_facts *f = arg;
	char code[32];
	int i;

	if (!r->held)
		return 0;
	reason_code(r->last_error, code);
	for (i = 0; i < f->n_held_by && strcmp(f->held_by[i].code, code); i++)
		;
	if (i == f->n_held_by && f->n_held_by < HOST_HELD_KINDS)
		snprintf(f->held_by[f->n_held_by++].code, 32, "%s", code);
	if (i < f->n_held_by)
		f->held_by[i].n++;
	return 0;
}

static void outbox_facts(struct kiosk *k, struct host_facts *f)
{
	struct outbox_counts c = { 0 };

	if (!k->sub.ob || outbox_counts(k->sub.ob, &c) < 0)
		return;
	f->pending = c.pending;
	f->crisis_pending = c.crisis_pending;
	f->held = c.held;
	if (c.held)
		outbox_list(k->sub.ob, count_held, f);
}

void host_sync_seen(struct kiosk *k)
{
	struct upload_status us;

	if (!k->sync.u)
		return;
	upload_status(k->sync.u, &us);
	if (us.last_success > k->host.st.last_sync) {   /* kept for the next start */
		k->host.st.last_sync = us.last_success;
		save(k);
	}
}

static void casestore_facts(struct kiosk *k, struct host_facts *f)
{
	struct upload_status us;

	f->casestore = CS_OFFLINE;
	host_sync_seen(k);
	f->last_success = k->host.st.last_sync;
	if (!k->sync.u)
		return;
	upload_status(k->sync.u, &us);
	if (us.blocked)
		f->casestore = CS_REFUSED;
	else if (!us.last_attempt)
		f->casestore = CS_NOT_TRIED;
	else
		f->casestore = us.last_error[0] ? CS_UNREACHABLE : CS_REACHABLE;
	if (us.last_error[0])
		reason_code(us.last_error, f->casestore_why);
}

void host_refresh(struct kiosk *k)
{
	struct host_facts *f = &k->host.facts;
	struct statvfs sv;

	memset(f, 0, sizeof(*f));
	outbox_facts(k, f);
	casestore_facts(k, f);
	f->free_bytes = statvfs(k->cfg.dir, &sv) == 0 ? (long long)sv.f_bavail * (long long)sv.f_frsize : -1;
	f->holiday_last_year = k->sub.cal ? calendar_last_year(k->sub.cal) : 0;
	k->dirty = 1;
}

/* ---- the actions ---- */

void host_sync_now(struct kiosk *k)
{
	if (k->sync.u)
		upload_network_changed(k->sync.u);   /* every waiting record now, whatever its backoff */
	k->host.note = k->sync.u ? NOTE_SYNC_STARTED : NOTE_SYNC_OFFLINE;
	host_refresh(k);
}

void host_test_sound(struct kiosk *k)
{
	k->host.note = chime_play() == 0 ? NOTE_SOUND_OK : NOTE_SOUND_NONE;
}

/* The test page: the device, its location and the time; nothing about anyone. New
 * reference (json_decref) or NULL. */
static json_t *test_page(const struct kiosk *k)
{
	time_t t = (time_t)host_now(k);
	struct tm tm;
	char when[32] = "";

	if (localtime_r(&t, &tm))
		strftime(when, sizeof(when), "%d-%m-%Y %H:%M", &tm);
	return json_pack("{s:s, s:s, s:[{s:s, s:s}, {s:s, s:s}, {s:s, s:s}, {s:s, s:s}]}",
			 "dir", k->rtl ? "rtl" : "ltr", "paper", k->cfg.paper, "blocks",
			 "style", "title", "text", H_("Test page"),
			 "style", "body", "text", k->cfg.device_id[0] ? k->cfg.device_id : "-",
			 "style", "body", "text", k->cfg.location[0] ? k->cfg.location : "-",
			 "style", "body", "text", when);
}

void host_test_print(struct kiosk *k)
{
	json_t *doc;

	if (!k->cfg.printer[0]) {
		k->host.note = NOTE_PRINT_NONE;
		return;
	}
	doc = test_page(k);
	k->host.print_test = 1;
	print_start(&k->host.print, k->cfg.printer, doc);
	json_decref(doc);
	k->host.note = NOTE_PRINT_SENT;
}

void host_close_day(struct kiosk *k)
{
	today(k, k->host.st.closed_on);
	save(k);
	kiosk_wipe(k);   /* host mode ends; the idle screen is now the closed one */
}

void host_reopen(struct kiosk *k)
{
	k->host.st.closed_on[0] = '\0';
	save(k);
	kiosk_wipe(k);
}

void host_leave(struct kiosk *k)
{
	status_boot_id(k->host.st.left_boot);
	save(k);
	k->quit = 1;
}

void host_acknowledge(struct kiosk *k)
{
	k->host.st.crisis_alert = 0;
	k->host.st.crisis_alerts = 0;
	k->host.st.acknowledged_at = host_now(k);
	k->crisis_alert = 0;
	save(k);
	k->host.note = NOTE_ACKNOWLEDGED;
}

void host_raise_alert(struct kiosk *k)
{
	k->host.st.crisis_alert = 1;
	if (k->host.st.crisis_alerts < 1000000)
		k->host.st.crisis_alerts++;
	save(k);
}
