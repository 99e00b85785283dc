/*
 * test_calendar.c — dates, the Atw working-day calendar and the Wgs deadlines: every worked
 * example of DOMAIN.md §1, a day-by-day sweep of 2025-2028 against an independent list of
 * holidays, a changed table changing the answer at run time, and bad tables refused.
 * Reads $INLOOP_ASSETS/holidays.json; writes scratch files under $TMPDIR.
 */
#include "sync/rules/calendar.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char scratch[4096];

static struct ymd D(const char *s)
{
	struct ymd d = { 0, 0, 0 };

	if (ymd_parse(s, &d) < 0)
		fail_msg("test date %s does not parse", s);
	return d;
}

static struct calendar *shipped(void)
{
	char path[4096];
	const char *assets = getenv("INLOOP_ASSETS");
	struct calendar *c = NULL;

	snprintf(path, sizeof(path), "%s/holidays.json", assets ? assets : "assets");
	assert_int_equal(calendar_load(path, &c), 0);
	assert_non_null(c);
	return c;
}

static void expect_deadline(const struct calendar *c, const char *reg, int crisis,
			    const char *target, const char *legal)
{
	struct deadline dl;
	char t[11], l[11];

	assert_int_equal(deadline_for(c, D(reg), crisis, &dl), 0);
	ymd_format(dl.target, t);
	ymd_format(dl.legal, l);
	assert_string_equal(t, target);
	assert_string_equal(l, legal);
	assert_int_equal(dl.crisis, crisis);
	assert_int_equal(dl.provisional, 0);   /* the worked examples lie inside the table */
}

/* A deadline past the table: computed from the statutory holidays, marked provisional. */
static void expect_provisional(const struct calendar *c, const char *reg, int crisis,
			       const char *target, const char *legal, int provisional)
{
	struct deadline dl;
	char t[11], l[11];

	assert_int_equal(deadline_for(c, D(reg), crisis, &dl), 0);
	ymd_format(dl.target, t);
	ymd_format(dl.legal, l);
	assert_string_equal(t, target);
	assert_string_equal(l, legal);
	if (dl.provisional != provisional)
		fail_msg("%s%s: provisional %d, want %d", reg, crisis ? " crisis" : "", dl.provisional,
			 provisional);
}

static void test_parse(void **state)
{
	static const char *bad[] = { "", "2026-2-01", "2026-02-30", "2026-02-29", "2026-13-01",
				     "2026-00-10", "2026-01-00", "2026-01-32", "20260101",
				     "2026-01-01 ", " 2026-01-01", "2026/01/01", "1899-12-31",
				     "2026-01-1x", "+026-01-01", "2026-04-31", NULL };
	struct ymd d;
	char s[11];

	(void)state;
	for (int i = 0; bad[i]; i++)
		if (ymd_parse(bad[i], &d) == 0)
			fail_msg("accepted bad date \"%s\"", bad[i]);
	assert_int_equal(ymd_parse(NULL, &d), -1);
	assert_int_equal(ymd_parse("2028-02-29", &d), 0);
	assert_int_equal(d.y, 2028);
	assert_int_equal(d.m, 2);
	assert_int_equal(d.d, 29);
	ymd_format(d, s);
	assert_string_equal(s, "2028-02-29");
	assert_int_equal(ymd_parse("2000-02-29", &d), 0);
	assert_int_equal(ymd_parse("2100-02-29", &d), -1);
}

static void test_arithmetic(void **state)
{
	struct ymd d = D("1999-12-01"), e;
	char s[11];

	(void)state;
	assert_int_equal(ymd_to_days(D("1970-01-01")), 0);
	assert_int_equal(ymd_weekday(D("2026-04-24")), 4);   /* Friday */
	assert_int_equal(ymd_weekday(D("2025-04-27")), 6);   /* Sunday */
	assert_int_equal(ymd_weekday(D("2026-04-27")), 0);   /* Monday */
	for (int i = 0; i < 40000; i++) {   /* every day 1999-2108 round-trips */
		e = ymd_add_days(d, 1);
		assert_int_equal(ymd_to_days(e), ymd_to_days(d) + 1);
		assert_int_equal(ymd_cmp(d, e), -1);
		assert_int_equal(ymd_weekday(e), (ymd_weekday(d) + 1) % 7);
		ymd_format(e, s);
		assert_int_equal(ymd_parse(s, &d), 0);
		assert_int_equal(ymd_cmp(d, e), 0);
	}
	ymd_format(ymd_add_days(D("2026-03-01"), -1), s);
	assert_string_equal(s, "2026-02-28");
	ymd_format(ymd_add_days(D("2026-04-24"), 28), s);
	assert_string_equal(s, "2026-05-22");
}

static void test_easter(void **state)
{
	static const char *known[] = { "2019-04-21", "2024-03-31", "2025-04-20", "2026-04-05",
				       "2027-03-28", "2028-04-16", "2038-04-25", "2011-04-24",
				       "2008-03-23", NULL };
	char s[11];

	(void)state;
	for (int i = 0; known[i]; i++) {
		ymd_format(ymd_easter(D(known[i]).y), s);
		assert_string_equal(s, known[i]);
	}
}

static void test_worked_examples(void **state)
{
	struct calendar *c = shipped();

	(void)state;
	expect_deadline(c, "2026-04-24", 1, "2026-04-30", "2026-04-30");
	expect_deadline(c, "2026-04-30", 1, "2026-05-06", "2026-05-06");
	expect_deadline(c, "2026-05-12", 1, "2026-05-19", "2026-05-19");
	expect_deadline(c, "2026-04-01", 1, "2026-04-08", "2026-04-08");
	expect_deadline(c, "2026-04-24", 0, "2026-05-22", "2026-05-22");
	expect_deadline(c, "2026-04-16", 0, "2026-05-14", "2026-05-18");
	/* day 0 on a Saturday still counts as day 0 */
	expect_deadline(c, "2026-04-25", 1, "2026-04-30", "2026-04-30");
	/* a 4-week target on a Saturday moves to Monday */
	expect_deadline(c, "2026-04-18", 0, "2026-05-16", "2026-05-18");
	/* Christmas: Fri 24 Dec 2027 -> Mon 27 (working), Tue 28, Wed 29 */
	expect_deadline(c, "2027-12-24", 1, "2027-12-29", "2027-12-29");
	/* New Year 2026 and the decree day 2 Jan: Wed 31 Dec 2025 -> Mon 5, Tue 6, Wed 7 */
	expect_deadline(c, "2025-12-31", 1, "2026-01-07", "2026-01-07");
	calendar_free(c);
}

/* An independent list of the non-weekend days off, 2025-2028 (DOMAIN.md §1). */
static const char *const days_off[] = {
	"2025-01-01", "2025-04-18", "2025-04-21", "2025-04-26", "2025-05-05", "2025-05-29",
	"2025-05-30", "2025-06-09", "2025-12-25", "2025-12-26",
	"2026-01-01", "2026-01-02", "2026-04-03", "2026-04-06", "2026-04-27", "2026-05-05",
	"2026-05-14", "2026-05-15", "2026-05-25", "2026-12-25", "2026-12-26",
	"2027-01-01", "2027-03-26", "2027-03-29", "2027-04-27", "2027-05-05", "2027-05-06",
	"2027-05-07", "2027-05-17", "2027-12-25", "2027-12-26",
	"2028-01-01", "2028-04-14", "2028-04-17", "2028-04-27", "2028-04-28", "2028-05-05",
	"2028-05-25", "2028-05-26", "2028-06-05", "2028-12-25", "2028-12-26", NULL
};

static int in_days_off(struct ymd d)
{
	char s[11];

	ymd_format(d, s);
	for (int i = 0; days_off[i]; i++)
		if (!strcmp(days_off[i], s))
			return 1;
	return 0;
}

static void test_sweep(void **state)
{
	struct calendar *c = shipped();
	struct ymd d = D("2025-01-01");
	int working = 0;
	char s[11];

	(void)state;
	for (; d.y <= 2028; d = ymd_add_days(d, 1)) {
		int want = !(ymd_weekday(d) >= 5 || in_days_off(d));
		int got = calendar_is_working_day(c, d);

		ymd_format(d, s);
		if (got != want)
			fail_msg("%s: working day %d, expected %d", s, got, want);
		working += got;
	}
	/* 2025-2028: 1461 days, 418 weekend days, 37 days off on weekdays. */
	assert_int_equal(working, 1461 - 418 - 37);
	assert_string_equal(calendar_day_reason(c, D("2025-04-26")), "King's Day");
	assert_null(calendar_day_reason(c, D("2025-04-28")));   /* the Monday: no holiday */
	assert_string_equal(calendar_day_reason(c, D("2026-04-03")), "Good Friday");
	assert_string_equal(calendar_day_reason(c, D("2026-05-15")), "day equalled by royal decree");
	assert_string_equal(calendar_day_reason(c, D("2027-05-05")), "Liberation Day");
	static const char *const working_days[] = { "2026-05-01", "2026-05-04", "2026-12-24",
						    "2026-12-31", "2025-05-01", "2027-05-04",
						    "2028-12-29", "2025-04-25", NULL };
	for (int i = 0; working_days[i]; i++)
		if (calendar_is_working_day(c, D(working_days[i])) != 1)
			fail_msg("%s should be a working day", working_days[i]);
	calendar_free(c);
}

static void test_past_the_table(void **state)
{
	struct calendar *c = shipped();

	(void)state;
	assert_int_equal(calendar_first_year(c), 2025);
	assert_int_equal(calendar_last_year(c), 2028);
	assert_int_equal(calendar_covers(c, D("2028-12-31")), 1);
	assert_int_equal(calendar_covers(c, D("2029-01-01")), 0);
	assert_int_equal(calendar_covers(c, D("2024-12-31")), 0);
	/* the statutory holidays of 2029 are still computed (Easter is 1 April 2029) */
	assert_string_equal(calendar_day_reason(c, D("2029-01-01")), "New Year's Day");
	assert_string_equal(calendar_day_reason(c, D("2029-03-30")), "Good Friday");
	assert_string_equal(calendar_day_reason(c, D("2029-04-02")), "Easter Monday");
	assert_string_equal(calendar_day_reason(c, D("2029-04-27")), "King's Day");
	assert_string_equal(calendar_day_reason(c, D("2029-05-05")), "Liberation Day");
	assert_string_equal(calendar_day_reason(c, D("2029-05-10")), "Ascension Day");
	assert_string_equal(calendar_day_reason(c, D("2029-05-21")), "Whit Monday");
	assert_string_equal(calendar_day_reason(c, D("2029-12-25")), "Christmas Day");
	assert_string_equal(calendar_day_reason(c, D("2029-12-26")), "Boxing Day");
	assert_string_equal(calendar_day_reason(c, D("2031-04-26")), "King's Day");   /* 27th a Sunday */
	assert_string_equal(calendar_day_reason(c, D("2031-04-27")), "Sunday");
	assert_int_equal(calendar_is_working_day(c, D("2029-01-02")), 1);
	assert_int_equal(calendar_is_working_day(c, D("2024-12-31")), 1);
	/* issue 8: a regular registration of Sat 2 Dec 2028 had no deadline at all */
	expect_provisional(c, "2028-12-02", 0, "2028-12-30", "2029-01-02", 1);
	expect_provisional(c, "2028-12-20", 0, "2029-01-17", "2029-01-17", 1);
	expect_provisional(c, "2028-12-29", 1, "2029-01-04", "2029-01-04", 1);   /* 1 Jan skipped */
	expect_provisional(c, "2024-12-31", 1, "2025-01-06", "2025-01-06", 1);   /* day 0 uncovered */
	/* still inside: final */
	expect_provisional(c, "2028-12-01", 0, "2028-12-29", "2028-12-29", 0);
	expect_provisional(c, "2028-12-22", 1, "2028-12-29", "2028-12-29", 0);   /* 25-26 Dec */
	/* 2029 worked like DOMAIN.md's examples */
	expect_provisional(c, "2029-03-29", 1, "2029-04-05", "2029-04-05", 1);   /* Easter */
	expect_provisional(c, "2029-04-25", 1, "2029-05-01", "2029-05-01", 1);   /* King's Day */
	expect_provisional(c, "2029-05-03", 1, "2029-05-08", "2029-05-08", 1);   /* 5 May a Saturday */
	expect_provisional(c, "2029-04-12", 0, "2029-05-10", "2029-05-11", 1);   /* Ascension */
	calendar_free(c);
}

static void test_table_warning(void **state)
{
	struct calendar *c = shipped();
	int left = 0;

	(void)state;
	assert_int_equal(calendar_table_warning(c, D("2026-12-01"), &left), 0);
	assert_int_equal(left, 761);
	assert_int_equal(calendar_table_warning(c, D("2028-10-01"), &left), 0);
	assert_int_equal(left, 91);
	assert_int_equal(calendar_table_warning(c, D("2028-10-02"), &left), 1);   /* 90 days ahead */
	assert_int_equal(left, 90);
	assert_int_equal(calendar_table_warning(c, D("2028-12-31"), &left), 1);
	assert_int_equal(left, 0);
	assert_int_equal(calendar_table_warning(c, D("2029-01-05"), &left), 1);   /* run out */
	assert_int_equal(left, -5);
	calendar_free(c);
}

static const char *write_table(const char *name, const char *text)
{
	FILE *f;

	snprintf(scratch, sizeof(scratch), "%s/%s", getenv("TEST_SCRATCH"), name);
	f = fopen(scratch, "w");
	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
	return scratch;
}

static void test_changed_table(void **state)
{
	struct calendar *c = NULL;
	struct deadline dl;
	char s[11];

	(void)state;
	/* A new decree day (made up: 30 Apr 2026) moves the King's Day example by one day. */
	assert_int_equal(calendar_load(write_table("h.json",
		"{\"version\":\"test-2\",\"first_year\":2026,\"last_year\":2030,"
		"\"decree_days\":[{\"date\":\"2026-04-30\"}]}"), &c), 0);
	assert_string_equal(calendar_version(c), "test-2");
	assert_int_equal(deadline_for(c, D("2026-04-24"), 1, &dl), 0);
	ymd_format(dl.legal, s);
	assert_string_equal(s, "2026-05-01");
	assert_int_equal(calendar_is_working_day(c, D("2026-05-15")), 1);   /* not listed here */
	assert_int_equal(calendar_is_working_day(c, D("2029-05-10")), 0);   /* Ascension 2029 */
	assert_int_equal(calendar_covers(c, D("2025-06-02")), 0);
	assert_int_equal(calendar_is_working_day(c, D("2025-06-02")), 1);
	calendar_free(c);
}

static void test_bad_tables(void **state)
{
	static const char *const bad[] = {
		"{\"version\":\"x\",\"first_year\":2026,\"last_year\":2028,\"decree_days\":[",
		"{\"first_year\":2026,\"last_year\":2028,\"decree_days\":[]}",
		"{\"version\":\"\",\"first_year\":2026,\"last_year\":2028,\"decree_days\":[]}",
		"{\"version\":\"x\",\"first_year\":2028,\"last_year\":2026,\"decree_days\":[]}",
		"{\"version\":\"x\",\"first_year\":\"2026\",\"last_year\":2028,\"decree_days\":[]}",
		"{\"version\":\"x\",\"first_year\":2026,\"last_year\":2028}",
		"{\"version\":\"x\",\"first_year\":2026,\"last_year\":2028,\"decree_days\":[{\"date\":\"2026-02-30\"}]}",
		"{\"version\":\"x\",\"first_year\":2026,\"last_year\":2028,\"decree_days\":[{\"date\":\"2029-05-11\"}]}",
		"{\"version\":\"x\",\"first_year\":2026,\"last_year\":2028,\"decree_days\":[\"2026-05-15\"]}",
		"{\"version\":\"x\",\"first_year\":2026,\"last_year\":2028,\"decree_days\":[{\"date\":\"2026-05-15\"},{\"date\":\"2026-05-15\"}]}",
		"{\"version\":\"x\",\"first_year\":2026,\"last_year\":2028,\"decree_day\":[]}",
		"{\"version\":\"x\",\"version\":\"y\",\"first_year\":2026,\"last_year\":2028,\"decree_days\":[]}",
		"[]",
		"",
		NULL
	};
	struct calendar *c = (struct calendar *)1;
	char name[32];

	(void)state;
	for (int i = 0; bad[i]; i++) {
		snprintf(name, sizeof(name), "bad%d.json", i);
		if (calendar_load(write_table(name, bad[i]), &c) == 0)
			fail_msg("accepted bad table %d: %s", i, bad[i]);
		assert_null(c);
	}
	assert_int_equal(calendar_load("/nonexistent/holidays.json", &c), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_arithmetic),
		cmocka_unit_test(test_easter),
		cmocka_unit_test(test_worked_examples),
		cmocka_unit_test(test_sweep),
		cmocka_unit_test(test_past_the_table),
		cmocka_unit_test(test_table_warning),
		cmocka_unit_test(test_changed_table),
		cmocka_unit_test(test_bad_tables),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
