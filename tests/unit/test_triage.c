/*
 * test_triage.c — crisis triage (DOMAIN.md §4): none gives 4 weeks, a statutory kind or
 * "unknown" gives 3 working days, a known date on or before the deadline is acuut, and an
 * energy contract-end notice is not a crisis kind at all. Reads $INLOOP_ASSETS/holidays.json.
 */
#include "sync/rules/triage.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct calendar *cal;

static int setup(void **state)
{
	char path[4096];
	const char *assets = getenv("INLOOP_ASSETS");

	(void)state;
	snprintf(path, sizeof(path), "%s/holidays.json", assets ? assets : "assets");
	return calendar_load(path, &cal);
}

static int teardown(void **state)
{
	(void)state;
	calendar_free(cal);
	return 0;
}

static struct ymd D(const char *s)
{
	struct ymd d = { 0, 0, 0 };

	if (ymd_parse(s, &d) < 0)
		fail_msg("test date %s does not parse", s);
	return d;
}

/* Triage of answers given as JSON text, registered on reg; returns triage_compute's rc. */
static int run(const char *answers_json, const char *reg, struct triage *t)
{
	json_error_t jerr;
	json_t *a = json_loads(answers_json, 0, &jerr);
	int rc;

	if (!a)
		fail_msg("test JSON: %s", jerr.text);
	rc = triage_compute(cal, a, D(reg), t);
	json_decref(a);
	return rc;
}

static void expect_legal(const struct triage *t, const char *legal)
{
	char s[11];

	ymd_format(t->deadline.legal, s);
	assert_string_equal(s, legal);
}

static void test_none(void **state)
{
	struct triage t;

	(void)state;
	assert_int_equal(run("{\"crisis\":[\"none\"]}", "2026-04-16", &t), 0);
	assert_false(t.crisis);
	assert_int_equal(t.kinds, 0);
	assert_false(t.acuut);
	assert_int_equal(t.priority, 0);
	assert_false(t.deadline.crisis);
	expect_legal(&t, "2026-05-18");
}

static void test_kinds(void **state)
{
	struct triage t;

	(void)state;
	assert_int_equal(run("{\"crisis\":[\"eviction\"]}", "2026-04-24", &t), 0);
	assert_true(t.crisis);
	assert_int_equal(t.kinds, CRISIS_EVICTION);
	assert_false(t.acuut);
	assert_int_equal(t.priority, 1);
	expect_legal(&t, "2026-04-30");
	assert_int_equal(run("{\"crisis\":[\"water\",\"health_insurance\",\"energy\"],"
			     "\"crisis_date\":\"unknown\"}", "2026-05-12", &t), 0);
	assert_int_equal(t.kinds, CRISIS_WATER | CRISIS_HEALTH | CRISIS_ENERGY);
	assert_false(t.has_date);
	expect_legal(&t, "2026-05-19");
}

static void test_unknown_is_crisis(void **state)
{
	struct triage t;

	(void)state;
	assert_int_equal(run("{\"crisis\":\"unknown\"}", "2026-04-01", &t), 0);
	assert_true(t.crisis);
	assert_true(t.unknown);
	assert_int_equal(t.kinds, 0);
	assert_int_equal(t.priority, 1);
	expect_legal(&t, "2026-04-08");
}

static void test_acuut(void **state)
{
	struct triage t;

	(void)state;
	/* deadline Thu 30 Apr 2026: before, on, after */
	assert_int_equal(run("{\"crisis\":[\"eviction\"],\"crisis_date\":\"2026-04-29\"}",
			     "2026-04-24", &t), 0);
	assert_true(t.acuut);
	assert_int_equal(t.priority, 2);
	assert_int_equal(run("{\"crisis\":[\"energy\"],\"crisis_date\":\"2026-04-30\"}",
			     "2026-04-24", &t), 0);
	assert_true(t.acuut);
	assert_int_equal(run("{\"crisis\":[\"energy\"],\"crisis_date\":\"2026-05-01\"}",
			     "2026-04-24", &t), 0);
	assert_false(t.acuut);
	assert_true(t.has_date);
	assert_int_equal(t.priority, 1);
	/* an unknown crisis kind with a date close by is acuut too */
	assert_int_equal(run("{\"crisis\":\"unknown\",\"crisis_date\":\"2026-04-25\"}",
			     "2026-04-24", &t), 0);
	assert_true(t.acuut);
}

static void test_refused(void **state)
{
	static const char *const bad[] = {
		"{}",
		"{\"crisis\":[]}",
		"{\"crisis\":\"none\"}",
		"{\"crisis\":[\"energy_contract_end\"]}",   /* DOMAIN.md §4 rule 4: not a crisis */
		"{\"crisis\":[\"eviction\",\"contract_end\"]}",
		"{\"crisis\":[\"eviction\",7]}",
		"{\"crisis\":\"yes\"}",
		"{\"crisis\":[\"eviction\"],\"crisis_date\":\"30-04-2026\"}",
		"{\"crisis\":[\"eviction\"],\"crisis_date\":true}",
		"{\"crisis\":[\"none\"],\"crisis_date\":\"2026-04-30\"}",
		"[]",
		NULL
	};
	struct triage t;

	(void)state;
	for (int i = 0; bad[i]; i++)
		if (run(bad[i], "2026-04-24", &t) == 0)
			fail_msg("accepted %s", bad[i]);
	/* past the holiday table: a provisional deadline, never a refusal (issue 8) */
	assert_int_equal(run("{\"crisis\":[\"none\"]}", "2028-12-20", &t), 0);
	assert_int_equal(t.deadline.provisional, 1);
	assert_int_equal(run("{\"crisis\":[\"none\"]}", "2028-11-20", &t), 0);
	assert_int_equal(t.deadline.provisional, 0);
}

static void test_json(void **state)
{
	struct triage t;
	json_t *j;
	char *s;

	(void)state;
	assert_int_equal(run("{\"crisis\":[\"water\",\"eviction\"],\"crisis_date\":\"2026-05-01\"}",
			     "2026-04-24", &t), 0);
	j = triage_crisis_json(&t);
	s = json_dumps(j, JSON_SORT_KEYS | JSON_COMPACT);
	assert_string_equal(s, "{\"acuut\":false,\"crisis\":true,\"kinds\":[\"eviction\",\"water\"],"
			    "\"known_date\":\"2026-05-01\",\"priority\":1,\"unknown\":false}");
	free(s);
	json_decref(j);
	j = triage_deadline_json(&t, cal);
	s = json_dumps(j, JSON_SORT_KEYS | JSON_COMPACT);
	assert_string_equal(s, "{\"holidays_version\":\"atw-2025-2028.1\",\"kind\":\"3_working_days\","
			    "\"legal\":\"2026-04-30\",\"target\":\"2026-04-30\"}");
	free(s);
	json_decref(j);
	assert_int_equal(run("{\"crisis\":[\"none\"]}", "2026-04-16", &t), 0);
	j = triage_crisis_json(&t);
	s = json_dumps(j, JSON_SORT_KEYS | JSON_COMPACT);
	assert_string_equal(s, "{\"acuut\":false,\"crisis\":false,\"kinds\":[],"
			    "\"known_date\":null,\"priority\":0,\"unknown\":false}");
	free(s);
	json_decref(j);
	j = triage_deadline_json(&t, cal);
	s = json_dumps(j, JSON_SORT_KEYS | JSON_COMPACT);
	assert_string_equal(s, "{\"holidays_version\":\"atw-2025-2028.1\",\"kind\":\"4_weeks\","
			    "\"legal\":\"2026-05-18\",\"target\":\"2026-05-14\"}");
	free(s);
	json_decref(j);
	assert_string_equal(triage_kind_name(CRISIS_HEALTH), "health_insurance");
	assert_null(triage_kind_name(16));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_none),
		cmocka_unit_test(test_kinds),
		cmocka_unit_test(test_unknown_is_crisis),
		cmocka_unit_test(test_acuut),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_json),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
