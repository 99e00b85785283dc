/*
 * recheck.c — the office's own check of each opened record (recheck.h).
 */
#include "platform/assets.h"
#include "sync/office/recheck.h"
#include "sync/record/record.h"
#include "sync/rules/calendar.h"
#include "sync/rules/form.h"
#include "sync/rules/form_check.h"
#include "sync/rules/triage.h"
#include "sync/rules/triage.h"
#include "platform/util.h"

#include <stdlib.h>
#include <string.h>

struct recheck {
	struct form *form;
	struct calendar *cal;
	struct form *intake;   /* field mode's records say "form": "intake" (issue 12) */
};

int recheck_load(struct recheck **out)
{
	char dir[4096], path[4200];
	struct recheck *rc = calloc(1, sizeof(*rc));

	*out = NULL;
	if (!rc)
		return error("out of memory");
	if (assets_dir(dir, sizeof(dir)) < 0 ||
	    util_fmt(path, sizeof(path), "%s/forms/registration.json", dir) < 0 ||
	    form_load(path, &rc->form) < 0 ||
	    util_fmt(path, sizeof(path), "%s/forms/intake.json", dir) < 0 ||
	    form_load(path, &rc->intake) < 0 ||
	    util_fmt(path, sizeof(path), "%s/holidays.json", dir) < 0 ||
	    calendar_load(path, &rc->cal) < 0) {
		recheck_free(rc);
		return -1;
	}
	*out = rc;
	return 0;
}

void recheck_free(struct recheck *rc)
{
	if (!rc)
		return;
	form_free(rc->form);
	form_free(rc->intake);
	calendar_free(rc->cal);
	free(rc);
}

/* What the form check found: refusals (ids only); absent answers, and valid answers to a
 * question the form defines but no longer asks (disabled, or hidden by its condition), are
 * tolerated: records made with an earlier form. */
struct findings {
	const struct form *form;
	const json_t *answers;
	int refused;
	char ids[160];
};

static void on_problem(const struct question *q, const char *answer_id, const char *msgid, void *arg)
{
	struct findings *fd = arg;
	size_t off = strlen(fd->ids);
	const json_t *v = json_object_get(fd->answers, answer_id);

	(void)msgid;
	if (q && (!v || json_is_null(v)))
		return;   /* absent: a record made before the form grew */
	if (q && form_check_answer(fd->form, answer_id, v, NULL) == 0)
		return;   /* a valid answer to a question not asked (now): an earlier form */
	fd->refused++;
	if (off + 2 < sizeof(fd->ids))
		snprintf(fd->ids + off, sizeof(fd->ids) - off, "%s%s", off ? ", " : "",
			 q ? answer_id : "an answer the form does not define");
}

/* 1 when s is UTF-8 text of at most max bytes without a refused character. */
static int clean_text(const char *s, size_t max)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t n = s ? strlen(s) : 0;
	unsigned cp;

	if (!s || n == 0 || n > max)
		return 0;
	for (size_t i = 0, k; i < n; i += k)
		if (!(k = form_utf8_next(u + i, n - i, &cp)) || form_cp_refused(cp))
			return 0;
	return 1;
}

/* The record's own fields the worklist prints: a form language, kiosk/field, a location. */
static const char *bad_field(const struct recheck *rc, const json_t *rec)
{
	const char *lang = json_string_value(json_object_get(rec, RECORD_F_LANGUAGE));
	const char *mode = json_string_value(json_object_get(rec, RECORD_F_MODE));

	const char *created = json_string_value(json_object_get(rec, RECORD_F_CREATED_AT));
	struct ymd d;
	char day[11];
	int hh, mi, ss, oh, om, n = -1;

	if (!created || strlen(created) != 25 ||
	    sscanf(created, "%10[0-9-]T%2d:%2d:%2d%*[+-]%2d:%2d%n", day, &hh, &mi, &ss, &oh, &om, &n) != 6 ||
	    n != 25 || ymd_parse(day, &d) < 0 || hh > 23 || mi > 59 || ss > 60 || oh > 14 || om > 59)
		return "created_at";
	if (!lang || !form_has_lang(rc->form, lang))
		return "language";
	if (!mode || (strcmp(mode, "kiosk") && strcmp(mode, "field")))
		return "mode";
	if (!clean_text(json_string_value(json_object_get(rec, RECORD_F_LOCATION)), 128))
		return "location";
	return NULL;
}

/* The record's day (created_at, Amsterdam date) into *day. */
static int record_day(const json_t *rec, struct ymd *day)
{
	const char *created = json_string_value(json_object_get(rec, RECORD_F_CREATED_AT));
	char d[11];

	if (!created || strlen(created) < 10)
		return -1;
	snprintf(d, sizeof(d), "%.10s", created);
	return ymd_parse(d, day);
}

/* 1 when the device's crisis/deadline differ from the office's in what the team acts on. */
static int triage_differs(const json_t *rec, const json_t *crisis, const json_t *deadline)
{
	const json_t *dc = json_object_get(rec, RECORD_F_CRISIS), *dd = json_object_get(rec, RECORD_F_DEADLINE);
	const char *keys[] = { "crisis", "acuut" };

	for (size_t i = 0; i < 2; i++)
		if (json_is_true(json_object_get(dc, keys[i])) != json_is_true(json_object_get(crisis, keys[i])))
			return 1;
	return !json_equal(json_object_get(dd, "legal"), json_object_get(deadline, "legal"));
}

enum recheck_result recheck_record(const struct recheck *rc, json_t *rec, char *why, size_t size)
{
	struct findings fd = { 0 };
	json_t *answers = json_object_get(rec, RECORD_F_ANSWERS), *crisis, *deadline;
	struct ymd day;
	struct triage t;
	int changed;

	fd.form = json_string_value(json_object_get(rec, RECORD_F_FORM)) &&
		  !strcmp(json_string_value(json_object_get(rec, RECORD_F_FORM)), "intake") ? rc->intake : rc->form;
	fd.answers = answers;
	if (!json_is_object(answers) || record_day(rec, &day) < 0)
		return snprintf(why, size, "record has no answers or no created_at"), RECHECK_REFUSED;
	if (bad_field(rc, rec))
		return snprintf(why, size, "the record's %s is not one the office accepts: not trusted",
				bad_field(rc, rec)), RECHECK_REFUSED;
	form_check_all_on(fd.form, answers, day, on_problem, &fd);
	if (fd.refused)
		return snprintf(why, size, "the answers break the form's rules (%d: %s): not trusted",
				fd.refused, fd.ids), RECHECK_REFUSED;
	if (triage_compute(rc->cal, answers, day, &t) < 0)
		return RECHECK_KEPT;   /* the answers passed: only the holiday table falls short */
	crisis = triage_crisis_json(&t);
	deadline = triage_deadline_json(&t, rc->cal);
	if (!crisis || !deadline) {
		json_decref(crisis);
		json_decref(deadline);
		return snprintf(why, size, "out of memory"), RECHECK_REFUSED;
	}
	changed = triage_differs(rec, crisis, deadline);
	json_object_set_new(rec, RECORD_F_CRISIS, crisis);
	json_object_set_new(rec, RECORD_F_DEADLINE, deadline);
	if (t.deadline.provisional)   /* past this office's holiday table too */
		json_object_set_new(rec, RECORD_F_DEADLINE_PROVISIONAL, json_true());
	else
		json_object_del(rec, RECORD_F_DEADLINE_PROVISIONAL);
	return changed ? RECHECK_CHANGED : RECHECK_OK;
}
