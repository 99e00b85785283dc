/*
 * calendar.c — dates, the Atw working-day calendar and the Wgs deadlines (DOMAIN.md §1).
 *
 * The holidays of Atw art. 3(1)-(2) are computed here; the days equalled by royal decree
 * (art. 3(3)) and the range of years the table vouches for are read from
 * assets/holidays.json. Outside those years the computed holidays still count (the kiosk
 * never stops for an old table), but decree days cannot be known, so a deadline that
 * needed such a day is marked provisional.
 */
#include "sync/rules/calendar.h"
#include "platform/util.h"
#include "platform/platform.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define HOLIDAYS_MAX_BYTES (64 * 1024)
#define DECREE_MAX 256

struct calendar {
	char *version;
	int first_year, last_year;
	struct ymd decree[DECREE_MAX];
	size_t n_decree;
};

static int is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in_month(int y, int m)
{
	static const int dim[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	return m == 2 && is_leap(y) ? 29 : dim[m - 1];
}

int ymd_parse(const char *s, struct ymd *out)
{
	int v[3] = { 0, 0, 0 };
	static const int width[3] = { 4, 2, 2 };
	const char *p = s;

	if (!s)
		return -1;
	for (int f = 0; f < 3; f++) {
		for (int k = 0; k < width[f]; k++, p++) {
			if (*p < '0' || *p > '9')
				return -1;
			v[f] = v[f] * 10 + (*p - '0');
		}
		if (f < 2 && *p++ != '-')
			return -1;
	}
	if (*p != '\0' || v[0] < 1900 || v[0] > 2199 || v[1] < 1 || v[1] > 12 ||
	    v[2] < 1 || v[2] > days_in_month(v[0], v[1]))
		return -1;
	out->y = v[0];
	out->m = v[1];
	out->d = v[2];
	return 0;
}

void ymd_format(struct ymd d, char out[11])
{
	snprintf(out, 11, "%04u-%02u-%02u", (unsigned)d.y % 10000u, (unsigned)d.m % 100u,
		 (unsigned)d.d % 100u);
}

int ymd_today(struct ymd *out)
{
	const char *tz = getenv("TZ");
	struct tm tm;
	time_t now = time(NULL);

	if (!tz || strcmp(tz, "Europe/Amsterdam"))
		platform_use_dutch_time();
	if (now == (time_t)-1 || !localtime_r(&now, &tm))
		return error("cannot read the clock");
	out->y = tm.tm_year + 1900;
	out->m = tm.tm_mon + 1;
	out->d = tm.tm_mday;
	return 0;
}

/* Days since 1970-01-01 of a proleptic Gregorian date (era arithmetic, shifting the
 * year to start in March so the leap day comes last). */
long ymd_to_days(struct ymd d)
{
	long y = d.y - (d.m <= 2);
	long era = (y >= 0 ? y : y - 399) / 400;
	long yoe = y - era * 400;
	long doy = (153 * (d.m + (d.m > 2 ? -3 : 9)) + 2) / 5 + d.d - 1;
	long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

	return era * 146097 + doe - 719468;
}

static struct ymd ymd_from_days(long z)
{
	long era, doe, yoe, doy, mp, y;
	struct ymd r;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	y = yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	r.d = (int)(doy - (153 * mp + 2) / 5 + 1);
	r.m = (int)(mp < 10 ? mp + 3 : mp - 9);
	r.y = (int)(y + (r.m <= 2));
	return r;
}

struct ymd ymd_add_days(struct ymd d, int n)
{
	return ymd_from_days(ymd_to_days(d) + n);
}

int ymd_cmp(struct ymd a, struct ymd b)
{
	long x = ymd_to_days(a), y = ymd_to_days(b);

	return x < y ? -1 : x > y;
}

int ymd_weekday(struct ymd d)
{
	long z = ymd_to_days(d);   /* 1970-01-01 was a Thursday (3) */

	return (int)(((z % 7) + 7 + 3) % 7);
}

struct ymd ymd_easter(int y)
{
	int a = y % 19, b = y / 100, c = y % 100, d = b / 4, e = b % 4;
	int f = (b + 8) / 25, g = (b - f + 1) / 3;
	int h = (19 * a + b - d - g + 15) % 30;
	int i = c / 4, k = c % 4;
	int l = (32 + 2 * e + 2 * i - h - k) % 7;
	int m = (a + 11 * h + 22 * l) / 451;
	struct ymd r = { y, (h + l - 7 * m + 114) / 31, (h + l - 7 * m + 114) % 31 + 1 };

	return r;
}

/* ---- the holiday table ---------------------------------------------------------- */

static int load_fail(const char *path, const char *place, const char *reason)
{
	return error("%s: %s: %s", path, place, reason);
}

static int load_years(const char *path, json_t *root, struct calendar *c)
{
	json_t *f = json_object_get(root, "first_year");
	json_t *l = json_object_get(root, "last_year");

	if (!json_is_integer(f) || !json_is_integer(l))
		return load_fail(path, "first_year/last_year", "both must be whole years");
	if (json_integer_value(f) < 1900 || json_integer_value(l) > 2199 ||
	    json_integer_value(f) > json_integer_value(l))
		return load_fail(path, "first_year/last_year",
				 "need 1900 <= first_year <= last_year <= 2199");
	c->first_year = (int)json_integer_value(f);
	c->last_year = (int)json_integer_value(l);
	return 0;
}

static int load_decree_day(const char *path, size_t i, json_t *e, struct calendar *c)
{
	char place[64];
	const char *s = json_string_value(json_object_get(e, "date"));
	struct ymd d;

	snprintf(place, sizeof(place), "decree_days[%zu].date", i);
	if (!json_is_object(e) || !s)
		return load_fail(path, place, "missing (each entry is {\"date\": \"YYYY-MM-DD\", ...})");
	if (ymd_parse(s, &d) < 0)
		return load_fail(path, place, "not a real date in the form YYYY-MM-DD");
	if (d.y < c->first_year || d.y > c->last_year)
		return load_fail(path, place, "outside first_year..last_year");
	for (size_t k = 0; k < c->n_decree; k++)
		if (!ymd_cmp(c->decree[k], d))
			return load_fail(path, place, "listed twice");
	c->decree[c->n_decree++] = d;
	return 0;
}

static int load_table(const char *path, json_t *root, struct calendar *c)
{
	static const char *const known[] = { "comment", "source", "version", "first_year",
					     "last_year", "decree_days", NULL };
	const char *key, *version;
	json_t *v, *days;
	size_t i;

	if (!json_is_object(root))
		return load_fail(path, "top level", "must be a JSON object");
	json_object_foreach(root, key, v) {
		for (i = 0; known[i] && strcmp(known[i], key); i++)
			;
		if (!known[i])
			return error("%s: %s: unknown key (typo?)", path, key);
	}
	version = json_string_value(json_object_get(root, "version"));
	if (!version || !*version)
		return load_fail(path, "version", "missing or empty");
	if (load_years(path, root, c) < 0)
		return -1;
	days = json_object_get(root, "decree_days");
	if (!json_is_array(days))
		return load_fail(path, "decree_days", "missing (an array, may be empty)");
	if (json_array_size(days) > DECREE_MAX)
		return load_fail(path, "decree_days", "too many entries");
	json_array_foreach(days, i, v)
		if (load_decree_day(path, i, v, c) < 0)
			return -1;
	c->version = strdup(version);
	return c->version ? 0 : error("out of memory");
}

int calendar_load(const char *path, struct calendar **out)
{
	struct calendar *c = NULL;
	json_t *root;
	int rc = -1;

	*out = NULL;
	root = util_json_load_file(path, HOLIDAYS_MAX_BYTES);
	if (!root)
		return -1;
	c = calloc(1, sizeof(*c));
	if (!c) {
		error("out of memory");
		goto out;
	}
	if (load_table(path, root, c) < 0)
		goto out;
	*out = c;
	c = NULL;
	rc = 0;
out:
	calendar_free(c);
	json_decref(root);
	return rc;
}

void calendar_free(struct calendar *c)
{
	if (!c)
		return;
	free(c->version);
	free(c);
}

const char *calendar_version(const struct calendar *c)
{
	return c->version;
}

int calendar_first_year(const struct calendar *c)
{
	return c->first_year;
}

int calendar_last_year(const struct calendar *c)
{
	return c->last_year;
}

/* The Atw holidays computed from the date alone (art. 3(1) and Good Friday). */
static const char *statutory_holiday(struct ymd d)
{
	struct ymd easter = ymd_easter(d.y);
	long off = ymd_to_days(d) - ymd_to_days(easter);
	int kings = ymd_weekday((struct ymd){ d.y, 4, 27 }) == 6 ? 26 : 27;

	if (d.m == 1 && d.d == 1)
		return "New Year's Day";
	if (off == -2)
		return "Good Friday";
	if (off == 1)
		return "Easter Monday";
	if (off == 39)
		return "Ascension Day";
	if (off == 50)
		return "Whit Monday";
	if (d.m == 4 && d.d == kings)
		return "King's Day";
	if (d.m == 5 && d.d == 5)
		return "Liberation Day";
	if (d.m == 12 && (d.d == 25 || d.d == 26))
		return d.d == 25 ? "Christmas Day" : "Boxing Day";
	return NULL;
}

int calendar_covers(const struct calendar *c, struct ymd d)
{
	return d.y >= c->first_year && d.y <= c->last_year;
}

const char *calendar_day_reason(const struct calendar *c, struct ymd d)
{
	const char *why = statutory_holiday(d);   /* named first: King's Day 2025 fell on a Saturday */

	if (why)
		return why;
	for (size_t i = 0; i < c->n_decree; i++)
		if (!ymd_cmp(c->decree[i], d))
			return "day equalled by royal decree";
	if (ymd_weekday(d) >= 5)
		return ymd_weekday(d) == 5 ? "Saturday" : "Sunday";
	return NULL;
}

int calendar_is_working_day(const struct calendar *c, struct ymd d)
{
	return calendar_day_reason(c, d) == NULL;
}

/* d is a working day (1) or not (0); a day the table does not cover makes *provisional 1. */
static int working_day_seen(const struct calendar *c, struct ymd d, int *provisional)
{
	if (!calendar_covers(c, d))
		*provisional = 1;
	return calendar_is_working_day(c, d);
}

int deadline_for(const struct calendar *c, struct ymd registered, int crisis,
		 struct deadline *out)
{
	struct ymd d = registered;
	int left = 3;

	memset(out, 0, sizeof(*out));
	out->crisis = crisis;
	out->provisional = !calendar_covers(c, registered);
	if (crisis) {
		while (left > 0) {
			d = ymd_add_days(d, 1);
			left -= working_day_seen(c, d, &out->provisional);
		}
		out->target = out->legal = d;
		return 0;
	}
	out->target = d = ymd_add_days(registered, 28);
	while (!working_day_seen(c, d, &out->provisional))
		d = ymd_add_days(d, 1);
	out->legal = d;
	return 0;
}

int calendar_table_warning(const struct calendar *c, struct ymd today, int *days_left)
{
	struct ymd last = { c->last_year, 12, 31 };
	long left = ymd_to_days(last) - ymd_to_days(today);

	*days_left = left < -99999 ? -99999 : (int)left;
	return left <= CALENDAR_WARN_DAYS;
}
