/*
 * record.c — what both ends agree on about a record that is not its seal (record.h): the
 * one place its fields are set, its time format, and the short reference printed on the
 * receipt and typed into the office.
 */
#include "sync/record/record.h"
#include "platform/util.h"

#include <stdio.h>
#include <string.h>

/* Sets key to v (stolen; NULL is out of memory) in rec. */
static int put(json_t *rec, const char *key, json_t *v)
{
	return v && json_object_set_new(rec, key, v) == 0 ? 0 : -1;
}

/* Sets key to a string that may be absent (then the field is left out). */
static int put_str(json_t *rec, const char *key, const char *s)
{
	return s ? put(rec, key, json_string(s)) : 0;
}

/* Puts the stolen value v under key when v is not NULL; -1 on out of memory. */
static int put_opt(json_t *rec, const char *key, json_t *v)
{
	return v ? put(rec, key, v) : 0;
}

json_t *record_new(const struct record_body *b)
{
	json_t *rec = json_object();

	/* The identity is null until record_stamp: jansson keeps the fields' order. */
	if (!rec || put(rec, RECORD_F_SCHEMA, json_string(RECORD_SCHEMA)) < 0 ||
	    put(rec, RECORD_F_ID, json_null()) < 0 || put(rec, RECORD_F_SEQ, json_null()) < 0 ||
	    put(rec, RECORD_F_CREATED_AT, b->created_at ? json_string(b->created_at) : json_null()) < 0 ||
	    put(rec, RECORD_F_DEVICE_ID, json_null()) < 0 ||
	    put_str(rec, RECORD_F_LOCATION, b->location) < 0 || put_str(rec, RECORD_F_LANGUAGE, b->language) < 0 ||
	    put_str(rec, RECORD_F_MODE, b->mode) < 0 ||
	    put_opt(rec, RECORD_F_ANSWERS, json_incref(b->answers)) < 0 ||
	    put_opt(rec, RECORD_F_CRISIS, json_incref(b->crisis)) < 0 ||
	    put_opt(rec, RECORD_F_DEADLINE, json_incref(b->deadline)) < 0 ||
	    (b->deadline_provisional && put(rec, RECORD_F_DEADLINE_PROVISIONAL, json_true()) < 0) ||
	    (b->extra && json_object_update_missing(rec, (json_t *)b->extra) < 0)) {
		json_decref(rec);
		rec = NULL;
		error("out of memory building the record");
	}
	json_decref(b->crisis);
	json_decref(b->deadline);
	return rec;
}

int record_stamp(json_t *rec, const char *record_id, long long seq, const char *device_id,
		 time_t *created)
{
	json_t *c = json_object_get(rec, RECORD_F_CREATED_AT);
	char when[40];

	if (json_is_null(c))
		c = NULL;   /* record_new's place for it */
	if (c && (!json_is_string(c) || record_time_parse(json_string_value(c), created) < 0))
		return error("the record has a malformed created_at");
	if (!c) {
		*created = time(NULL);
		if (record_time_format(*created, when) < 0 || put(rec, RECORD_F_CREATED_AT, json_string(when)) < 0)
			return error("out of memory stamping the record");
	}
	if (put(rec, RECORD_F_SCHEMA, json_string(RECORD_SCHEMA)) < 0 ||
	    put(rec, RECORD_F_ID, json_string(record_id)) < 0 ||
	    put(rec, RECORD_F_SEQ, json_integer(seq)) < 0 ||
	    put(rec, RECORD_F_DEVICE_ID, json_string(device_id)) < 0)
		return error("out of memory stamping the record");
	return 0;
}

int record_time_format(time_t t, char out[40])
{
	struct tm tm;
	char buf[40];
	size_t n;

	if (!localtime_r(&t, &tm) || (n = strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%S%z", &tm)) < 5)
		return error("cannot format the time");
	/* "+0100" -> "+01:00" */
	return util_fmt(out, 40, "%.*s:%s", (int)(n - 2), buf, buf + n - 2) < 0 ? -1 : 0;
}

int record_time_parse(const char *s, time_t *out)
{
	struct tm tm = { 0 };
	int y, mo, d, h, mi, se, oh = 0, om = 0, n = 0, offset;
	char sign = 'Z';

	if (sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2d%n", &y, &mo, &d, &h, &mi, &se, &n) != 6 || n != 19)
		return -1;
	if (strcmp(s + 19, "Z") != 0 &&
	    (sscanf(s + 19, "%c%2d:%2d", &sign, &oh, &om) != 3 || strlen(s + 19) != 6 ||
	     (sign != '+' && sign != '-')))
		return -1;
	if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || se > 60 || oh > 14 || om > 59)
		return -1;
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = se;
	offset = oh * 3600 + om * 60;
	*out = timegm(&tm) - (sign == '-' ? -offset : sign == '+' ? offset : 0);
	return 0;
}

void record_ref_from_id(const char *record_id, char out[12])
{
	static const char alphabet[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
	unsigned long long bits = 0;
	int nibbles = 0, k = 0;

	out[0] = '\0';
	for (const char *p = record_id; p && *p && nibbles < 10; p++) {
		int v;

		if (*p == '-')
			continue;
		if (*p >= '0' && *p <= '9')
			v = *p - '0';
		else if ((*p | 0x20) >= 'a' && (*p | 0x20) <= 'f')
			v = (*p | 0x20) - 'a' + 10;
		else
			return;
		bits = bits << 4 | (unsigned)v;
		nibbles++;
	}
	if (nibbles < 10)
		return;
	for (int i = 7; i >= 0; i--) {
		out[k++] = alphabet[(bits >> (i * 5)) & 31];
		if (i == 4)
			out[k++] = '-';
	}
	out[k] = '\0';
}
