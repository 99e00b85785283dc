/*
 * submit.h — the one path from finished answers to a sealed, stored record. Both
 * `inloop submit FILE.json` and the kiosk's Send button take it: validate against the form,
 * compute triage and deadline, build the record JSON, seal and store it in the outbox.
 */
#ifndef INLOOP_SUBMIT_H
#define INLOOP_SUBMIT_H

#include <jansson.h>

#include "sync/rules/triage.h"

struct form;
struct calendar;
struct device_config;
struct outbox;
struct seal_device;

struct submit_ctx {
	struct form *form;
	struct calendar *cal;
	struct outbox *ob;
	struct seal_device *dev;
	char location[128];       /* from the device's config */
	char mode[16];            /* "kiosk" / "field" from the device's config */
	const json_t *extra;      /* fields added to each record (field mode: form, consultant_id, follows); borrowed, may be NULL */
};

/*
 * Loads the form (assets/forms/registration.json), the calendar (assets/holidays.json),
 * the device key (submit_seal_device) and the outbox of the device whose state cfg holds
 * (config_load, read once by the caller). Each failure is a clear error naming the file.
 * On success the caller releases *ctx with submit_ctx_close; on failure *ctx is left
 * empty (closing it is still safe).
 */
int submit_ctx_open(const struct device_config *cfg, struct submit_ctx *ctx);

/* Loads the sealing identity of the state folder state_dir (STATE_KEY, STATE_CERT,
 * STATE_CA, STATE_RECIPIENTS of config.h) with seal_device_load (sync/record/seal.h). */
int submit_seal_device(const char *state_dir, struct seal_device **out);
void submit_ctx_close(struct submit_ctx *ctx);

struct submit_result {
	char id[37];              /* record id (UUID) */
	char ref[12];             /* short human reference, e.g. "K7QF-2M9D" */
	long long seq;            /* per-device sequence number */
	struct triage triage;     /* priority, crisis kinds, deadline */
	char created_at[40];      /* ISO 8601 with offset, Europe/Amsterdam */
};

/*
 * Validates answers against the form (each problem reported through cb with the question
 * id and a msgid; never the value), computes triage/deadline from the registration date
 * (now, Europe/Amsterdam), builds the record JSON and calls outbox_seal_store. mode NULL
 * takes ctx->mode. answers stay owned by the caller. Returns 0 when stored (the receipt may
 * be shown; *out filled), 1 when the answers were refused (nothing stored), -1 on failure
 * (disk full, key unreadable: error printed, nothing stored).
 */
int submit_answers(struct submit_ctx *ctx, const json_t *answers, const char *lang, const char *mode,
                   void (*cb)(const char *question_id, const char *msgid, void *arg), void *arg,
                   struct submit_result *out);

#endif
