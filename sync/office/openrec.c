/*
 * openrec.c — opening a stored record as the office accepts it (openrec.h).
 */
#include "sync/office/openrec.h"
#include "sync/record/record.h"
#include "sync/office/recheck.h"
#include "sync/casestore/store.h"
#include "platform/util.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

int openrec_load(const char *office_dir, struct openrec *k)
{
	memset(k, 0, sizeof(*k));
	if (seal_opener_load(office_dir, &k->opener) < 0 || recheck_load(&k->recheck) < 0) {
		openrec_release(k);
		return -1;
	}
	return 0;
}

void openrec_release(struct openrec *k)
{
	seal_opener_free(k->opener);
	recheck_free(k->recheck);
	memset(k, 0, sizeof(*k));
}

void opened_release(struct opened *o)
{
	json_decref(o->rec);
	if (o->signed_json)
		util_cleanse(o->signed_json, o->signed_len);
	util_clear_free(o->signed_json);
	memset(o, 0, sizeof(*o));
}

/* Steps 1 and 2: the envelope opened at `at` into out->rec (and the bytes into *json when
 * json is not NULL, else wiped). */
static int open_json(const struct openrec *k, const unsigned char *der, size_t len, time_t at,
		     struct opened *out, char **json, size_t *json_len, char *why, size_t size)
{
	char *text = NULL;
	size_t n = 0;

	if (seal_open_at(k->opener, der, len, at, &text, &n, &out->info, why, size) < 0) {
		if (!why[0])
			snprintf(why, size, "does not open");
		return OPENREC_REFUSED;
	}
	out->rec = json_loadb(text, n, JSON_REJECT_DUPLICATES, NULL);
	if (json && out->rec) {
		*json = text;
		*json_len = n;
	} else {
		util_cleanse(text, n);
		util_clear_free(text);
	}
	if (!json_is_object(out->rec))
		return snprintf(why, size, "the opened record is not a JSON object"), OPENREC_REFUSED;
	return OPENREC_OK;
}

/* Step 4: the office's own check; a refusal names answer ids, never values. */
static int check_record(const struct openrec *k, struct opened *out, char *why, size_t size)
{
	enum recheck_result r = recheck_record(k->recheck, out->rec, why, size);

	if (r == RECHECK_REFUSED)
		return OPENREC_REFUSED;
	why[0] = '\0';
	out->triage_note = r > 0 ? (int)r : 0;
	return OPENREC_OK;
}

/* Zeroes *out on failure, so callers release nothing they did not get. */
static int finish(struct opened *out, int rc)
{
	if (rc != OPENREC_OK)
		opened_release(out);
	return rc;
}

int openrec_row(const struct openrec *k, const struct store_row *row, struct opened *out,
		char *why, size_t size)
{
	int rc;

	memset(out, 0, sizeof(*out));
	why[0] = '\0';
	/* judged at receipt (P12): a device stolen later does not lose its earlier residents */
	rc = open_json(k, row->body, row->len, row->received_at, out, NULL, NULL, why, size);
	if (rc == OPENREC_OK && strcmp(out->info.record_id, row->id) != 0) {
		snprintf(why, size, "stored under id %s but signed as record %s", row->id, out->info.record_id);
		rc = OPENREC_REFUSED;
	} else if (rc == OPENREC_OK && strcmp(out->info.device_id, row->device) != 0) {
		snprintf(why, size, "uploaded by device %s but signed by %s", row->device, out->info.device_id);
		rc = OPENREC_REFUSED;
	}
	if (rc == OPENREC_OK)
		rc = check_record(k, out, why, size);
	return finish(out, rc);
}

int openrec_id(const struct openrec *k, struct store *s, const char *id, struct opened *out,
	       char *why, size_t size)
{
	struct store_row row;
	int rc = store_get(s, id, &row);

	memset(out, 0, sizeof(*out));
	why[0] = '\0';
	if (rc == 1)
		return snprintf(why, size, "not in the case store"), OPENREC_ABSENT;
	if (rc != 0)
		return snprintf(why, size, "case store error"), OPENREC_ERROR;
	rc = openrec_row(k, &row, out, why, size);
	store_row_release(&row);
	return rc;
}

int openrec_file(const struct openrec *k, const unsigned char *der, size_t len, struct opened *out,
		 char *why, size_t size)
{
	int rc;

	memset(out, 0, sizeof(*out));
	why[0] = '\0';
	rc = open_json(k, der, len, time(NULL), out, &out->signed_json, &out->signed_len, why, size);
	if (rc == OPENREC_OK)
		rc = check_record(k, out, why, size);
	return finish(out, rc);
}

int openrec_due(const json_t *rec, struct ymd *due)
{
	const json_t *crisis = json_object_get(rec, RECORD_F_CRISIS);
	const char *created = json_string_value(json_object_get(rec, RECORD_F_CREATED_AT));
	const char *legal = json_string_value(json_object_get(json_object_get(rec, RECORD_F_DEADLINE), "legal"));
	struct ymd day, known;
	char d[11];

	if (!created || strlen(created) < 10 || !legal || ymd_parse(legal, due) < 0)
		return -1;
	snprintf(d, sizeof(d), "%.10s", created);
	if (ymd_parse(d, &day) < 0)
		return -1;
	if (json_is_true(json_object_get(crisis, "acuut")) && ymd_cmp(day, *due) < 0)
		*due = day;
	if (ymd_parse(json_string_value(json_object_get(crisis, "known_date")), &known) == 0 &&
	    ymd_cmp(known, *due) < 0)
		*due = known;
	return 0;
}
