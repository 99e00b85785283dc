/*
 * submit.c — the one path from finished answers to a sealed, stored record (submit.h).
 *
 * The answers are checked against the form, copied and normalised, triaged for the Wgs
 * deadline, wrapped in the record JSON and handed to the outbox, which seals and stores
 * them in one transaction. Every copy of the answers lives in jansson values, which wipe
 * their memory on free (util_json_wipe_on_free in the mains).
 */
#include "platform/assets.h"
#include "sync/record/record.h"
#include "sync/device/submit.h"
#include "sync/rules/calendar.h"
#include "sync/device/config.h"
#include "sync/rules/form.h"
#include "platform/util.h"
#include "sync/device/outbox.h"
#include "sync/record/seal.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Loads the form and the calendar from the assets folder. */
static int load_assets(struct submit_ctx *ctx)
{
	char dir[4096], path[4200];

	if (assets_dir(dir, sizeof(dir)) < 0)
		return -1;
	if (util_fmt(path, sizeof(path), "%s/forms/registration.json", dir) < 0 ||
	    form_load(path, &ctx->form) < 0)
		return -1;
	if (util_fmt(path, sizeof(path), "%s/holidays.json", dir) < 0 ||
	    calendar_load(path, &ctx->cal) < 0)
		return -1;
	return 0;
}

int submit_ctx_open(const struct device_config *cfg, struct submit_ctx *ctx)
{
	char path[4200];

	memset(ctx, 0, sizeof(*ctx));
	memcpy(ctx->location, cfg->location, sizeof(ctx->location));
	memcpy(ctx->mode, cfg->mode, sizeof(ctx->mode));
	if (load_assets(ctx) < 0 || submit_seal_device(cfg->dir, &ctx->dev) < 0 ||
	    (cfg->device_id[0] && strcmp(cfg->device_id, seal_device_id(ctx->dev)) &&
	     error("%s/" STATE_CONFIG " names another device than " STATE_CERT, cfg->dir)) ||
	    config_path(cfg, STATE_OUTBOX, path, sizeof(path)) < 0 || outbox_open(path, &ctx->ob) < 0) {
		submit_ctx_close(ctx);
		return -1;
	}
	return 0;
}

void submit_ctx_close(struct submit_ctx *ctx)
{
	if (!ctx)
		return;
	outbox_close(ctx->ob);
	seal_device_free(ctx->dev);
	calendar_free(ctx->cal);
	form_free(ctx->form);
	memset(ctx, 0, sizeof(*ctx));
}

struct problem_ctx {
	void (*cb)(const char *question_id, const char *msgid, void *arg);
	void *arg;
};

static void on_problem(const struct question *q, const char *answer_id, const char *msgid, void *arg)
{
	struct problem_ctx *p = arg;

	(void)q;
	if (p->cb)
		p->cb(answer_id, msgid, p->arg);
}

/* "now" as the registration date and the record's created_at (one clock reading). */
static int registration_time(struct ymd *day, char created_at[40])
{
	time_t now = time(NULL);
	struct tm tm;

	if (now == (time_t)-1 || !localtime_r(&now, &tm))
		return error("cannot read the clock");
	day->y = tm.tm_year + 1900;
	day->m = tm.tm_mon + 1;
	day->d = tm.tm_mday;
	return record_time_format(now, created_at);
}

/* The record from the checked answers (record_new); the outbox stamps its identity. */
static json_t *build_record(struct submit_ctx *ctx, json_t *answers, const char *lang,
			    const char *mode, const struct submit_result *r)
{
	struct record_body b = {
		.created_at = r->created_at, .location = ctx->location, .language = lang, .mode = mode,
		.answers = answers, .crisis = triage_crisis_json(&r->triage),
		.deadline = triage_deadline_json(&r->triage, ctx->cal),
		.deadline_provisional = r->triage.deadline.provisional, .extra = ctx->extra,
	};

	if (!b.crisis || !b.deadline) {
		json_decref(b.crisis);
		json_decref(b.deadline);
		error("out of memory building the record");
		return NULL;
	}
	return record_new(&b);
}

/* Checks lang and mode, which end up in the record. */
static int check_lang_mode(struct submit_ctx *ctx, const char *lang, const char *mode)
{
	if (!form_has_lang(ctx->form, lang))
		return error("language '%s' is not in the form", lang);
	if (strcmp(mode, "kiosk") != 0 && strcmp(mode, "field") != 0)
		return error("mode must be kiosk or field");
	return 0;
}

int submit_answers(struct submit_ctx *ctx, const json_t *answers, const char *lang, const char *mode,
		   void (*cb)(const char *question_id, const char *msgid, void *arg), void *arg,
		   struct submit_result *out)
{
	struct problem_ctx pc = { cb, arg };
	struct ymd today;
	json_t *copy = NULL, *rec = NULL;
	int n, rc = -1;

	memset(out, 0, sizeof(*out));
	lang = lang ? lang : "nl";
	mode = mode ? mode : ctx->mode;
	if (check_lang_mode(ctx, lang, mode) < 0)
		return -1;
	n = form_check_all(ctx->form, answers, on_problem, &pc);
	if (n != 0) {
		if (n < 0 && cb)
			cb("", "The answers must be a JSON object.", arg);
		return 1;
	}
	copy = json_deep_copy(answers);
	if (!copy || form_normalise(ctx->form, copy) < 0) {
		error("out of memory copying the answers");
		goto out;
	}
	if (registration_time(&today, out->created_at) < 0 ||
	    triage_compute(ctx->cal, copy, today, &out->triage) < 0)
		goto out;
	rec = build_record(ctx, copy, lang, mode, out);
	if (!rec || outbox_seal_store(ctx->ob, ctx->dev, rec, out->triage.priority, out->id, &out->seq) < 0)
		goto out;
	record_ref_from_id(out->id, out->ref);
	rc = 0;
out:
	json_decref(rec);
	json_decref(copy);
	return rc;
}

int submit_seal_device(const char *state_dir, struct seal_device **out)
{
	char key[4096], cert[4096], ca[4096], rcpt[4096];
	struct seal_device_files f = { key, cert, ca, rcpt };

	*out = NULL;
	if (util_fmt(key, sizeof(key), "%s/" STATE_KEY, state_dir) < 0 ||
	    util_fmt(cert, sizeof(cert), "%s/" STATE_CERT, state_dir) < 0 ||
	    util_fmt(ca, sizeof(ca), "%s/" STATE_CA, state_dir) < 0 ||
	    util_fmt(rcpt, sizeof(rcpt), "%s/" STATE_RECIPIENTS, state_dir) < 0)
		return error("the state folder's path is too long");
	return seal_device_load(&f, out);
}
