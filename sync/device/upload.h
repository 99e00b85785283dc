/*
 * upload.h — the device's uploader: drains the outbox (outbox.h) to the case store with
 * `PUT /v1/records/{id}` over HTTPS with the device's client certificate (libcurl, one
 * reused connection, the enrolled CA pinned and the system store never trusted; SYNC.md
 * §2 and DESIGN.md "The wire").
 *
 * Crisis rows first, then oldest. 200/201: the row is deleted (in batches; a re-sent
 * record gets 200, so a crash between answer and delete is harmless). Network errors,
 * timeouts, 5xx and 429: the row stays, with exponential backoff and jitter, honouring
 * Retry-After; a crisis row's backoff stays within 3 s. The background thread also wakes
 * when the network changes (platform_netwatch) and then tries every row at once. 401/403 and TLS alerts that refuse the device's certificate: stop and
 * report it for the host. A server certificate that does not chain to the pinned CA:
 * stop and report. 400/409/413 and other 4xx: the row is held aside with its error.
 * Nothing is ever deleted without a 200/201.
 *
 * After a pass that drained, both also fetch the visits of the device's consultants
 * (sync/device/visitbox.h) over the same link settings.
 *
 * Two ways in: a background thread for the kiosk (upload_start; the UI never waits on
 * the network) and one pass for the command line (upload_run_once).
 */
#ifndef INLOOP_UPLOAD_H
#define INLOOP_UPLOAD_H

#include <time.h>

struct uploader;
struct device_config;

/* What the last pass or the thread knows; no personal data, only counts and reasons. */
struct upload_status {
	int pending;               /* rows waiting (not held) after the last pass */
	int held;                  /* rows kept aside (refused by the server) */
	int crisis_pending;        /* of pending, crisis rows */
	time_t last_success;       /* when a record was last accepted; 0 never */
	time_t last_attempt;       /* when the uploader last talked to the network; 0 never */
	int blocked;               /* 1: the server refused this device, or is not the pinned one */
	char last_error[256];      /* reason for the host ("" when the last pass went well) */
};

/*
 * Starts the background uploader for the device in state_dir (config.json's url, device
 * key and certificate, pinned ca.pem, outbox.sqlite). It drains whenever something is
 * due, wakes on upload_kick, and backs off on failures. Returns 0 and *out (stop and free
 * with upload_stop), or -1 with a clear error (no config, no key: the kiosk still runs).
 */
int upload_start(const char *state_dir, struct uploader **out);

/* The same for a device whose state the caller loaded already (config_load): the kiosk
 * reads its config.json once and hands it here. cfg is copied. */
int upload_start_for(const struct device_config *cfg, struct uploader **out);

/* Wakes the uploader now (call after each new record). Never blocks on the network. */
void upload_kick(struct uploader *u);

/* Tells the uploader the network changed (may be back): it aborts a connect still in
 * flight and sends every waiting row now, whatever its backoff. The platform's network
 * watcher (platform_netwatch_start) calls it on its own; anything else that learns of a
 * change may too. Thread-safe, never blocks on the network. */
void upload_network_changed(struct uploader *u);

/* Registers fn, called on the uploader's thread after each pass (when the status may have
 * changed), so an event loop can wake and look. fn must be quick and thread-safe (e.g.
 * SDL_PushEvent); NULL turns it off. */
void upload_set_notify(struct uploader *u, void (*fn)(void *arg), void *arg);

/* Copies the current status; takes only a mutex, never waits on the network or disk. */
void upload_status(struct uploader *u, struct upload_status *st);

/* Stops the thread (aborting a transfer in flight; the row stays), joins it and frees u.
 * NULL is a no-op. */
void upload_stop(struct uploader *u);

struct upload_report {
	int created;               /* 201: newly stored */
	int already;               /* 200: the store held it already (a re-send) */
	int held;                  /* rows kept aside in this pass (400/409/413/...) */
	int retries;               /* transient failures (network, 5xx, 429) met and retried */
	int left;                  /* rows still waiting after the pass (not held) */
	int held_total;            /* rows held aside in total after the pass */
	int blocked;               /* 1: stopped because the server refused us or is untrusted */
	int visits;                /* visits received for the device's consultants (visitbox.h) */
	int consultants_removed;   /* consultants the office disabled, removed from the device */
	char error[256];           /* the reason when blocked or when rows were left */
};

/*
 * One pass for the command line: uploads every row that is not held (ignoring their
 * retry times), retrying transient failures with backoff until the outbox is drained, six
 * failures in a row made no progress, or the server asked to wait more than 10 s.
 * url_override replaces config.json's url (NULL: use it). Fills *rep. Returns 0 when the
 * outbox is empty, 1 when rows were left, are held aside or the pass was blocked, -1 on a
 * local error (no config, unreadable key, outbox error).
 */
int upload_run_once(const char *state_dir, const char *url_override, struct upload_report *rep);

/* The same with each request bounded by timeout_s seconds (0: the default 30 s). */
int upload_run_once_timeout(const char *state_dir, const char *url_override, int timeout_s,
			    struct upload_report *rep);

#endif
