/*
 * test_form_unicode.c — issue 9, D7: typed text refuses invisible and format characters
 * (bidi overrides and isolates, zero-width characters, U+FEFF, tag characters,
 * noncharacters, private use) and a name needs at least one letter; each refusal has its
 * twin that passes (a real Dutch, Arabic, Persian-with-ZWNJ, Turkish name). The office
 * re-check of an old record judges date ranges as of the record's day. Reads
 * $INLOOP_ASSETS (the shipped form).
 */
#include "app/calendar.h"
#include "app/form.h"
#include "app/form_check.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct form *shipped;

static int setup(void **state)
{
	char path[4096];
	const char *assets = getenv("INLOOP_ASSETS");

	(void)state;
	snprintf(path, sizeof(path), "%s/forms/registration.json", assets ? assets : "assets");
	return form_load(path, &shipped);
}

static int teardown(void **state)
{
	(void)state;
	form_free(shipped);
	return 0;
}

/* form_check_answer of a name given as raw UTF-8 bytes: 0 or -1. */
static int name_ok(const char *utf8)
{
	json_t *v = json_string(utf8);
	const char *msg = NULL;
	int rc;

	assert_non_null(v);
	rc = form_check_answer(shipped, "name", v, &msg);
	json_decref(v);
	return rc;
}

static void real_names_pass(void **state)
{
	(void)state;
	assert_int_equal(name_ok("Jan de Vries"), 0);
	assert_int_equal(name_ok("\xd9\x81\xd8\xa7\xd8\xb7\xd9\x85\xd8\xa9"), 0);          /* Arabic */
	assert_int_equal(name_ok("\xd9\x85\xdb\x8c\xe2\x80\x8c\xd8\xb1\xd8\xb6\xd8\xa7"), 0); /* Persian, ZWNJ between letters */
	assert_int_equal(name_ok("\xc3\x87" "a\xc4\x9f" "lar \xc3\x96zt\xc3\xbc" "rk"), 0);        /* Turkish */
	assert_int_equal(name_ok("Zo\xc3\xab"), 0);                                       /* e + diaeresis */
	assert_int_equal(name_ok("Ze\xcc\x81"), 0);                                       /* e + combining acute */
}

static void bidi_and_invisible_refused(void **state)
{
	static const char *const bad[] = {
		"Jan\xe2\x80\xae" "seirV",        /* U+202E right-to-left override */
		"Jan\xe2\x80\xad Vries",          /* U+202D LRO */
		"Jan\xe2\x81\xa6x\xe2\x81\xa9",   /* U+2066 LRI ... U+2069 PDI */
		"Jan\xe2\x80\x8f",                /* U+200F RLM */
		"Ja\xd8\x9cn",                    /* U+061C Arabic letter mark */
		"Jan\xe2\x80\x8b" "de",           /* U+200B zero-width space */
		"\xef\xbb\xbfJan",                /* U+FEFF */
		"Jan\xe2\x81\xa0",                /* U+2060 word joiner */
		"Jan\xc2\xad",                    /* U+00AD soft hyphen */
		"Jan\xf3\xa0\x80\x81",            /* U+E0001 language tag */
		"Jan\xf3\xa0\x81\x81",            /* U+E0041 tag A */
		"Jan\xef\xb7\x90",                /* U+FDD0 noncharacter */
		"Jan\xef\xbf\xbe",                /* U+FFFE noncharacter */
		"Jan\xee\x80\x80",                /* U+E000 private use */
		"Jan\xf3\xb0\x80\x80",            /* U+F0000 private use plane */
		"Jan\xef\xbf\xbd",                /* U+FFFD replacement */
		"Jan\xef\xb8\x8f",                /* U+FE0F variation selector */
		"Jan\x1b]0;x\x07",                /* ESC / OSC */
		"Jan\xc2\x9b" "2J",               /* U+009B CSI */
		"Jan\xe2\x80\x8d",                /* ZWJ at the end (not between letters) */
		"\xe2\x80\x8cJan",                /* ZWNJ at the start */
	};

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (name_ok(bad[i]) != -1)
			fail_msg("refused text %zu was accepted", i);
}

static void name_needs_a_letter(void **state)
{
	(void)state;
	assert_int_equal(name_ok("\xe2\x80\x8b\xe2\x80\x8b\xe2\x80\x8b"), -1);   /* only ZWSP */
	assert_int_equal(name_ok("\xcc\x81\xcc\x81\xcc\x81"), -1);               /* only combining marks */
	assert_int_equal(name_ok("12345"), -1);                                  /* only digits */
	assert_int_equal(name_ok("---...!!"), -1);                               /* only punctuation */
	assert_int_equal(name_ok("J."), 0);                                      /* twin: one letter */
}

static void predicate(void **state)
{
	(void)state;
	assert_true(form_cp_refused(0x202E));
	assert_true(form_cp_refused(0x1FFFF));
	assert_true(form_cp_refused(0x10FFFD));
	assert_false(form_cp_refused('A'));
	assert_false(form_cp_refused(0x0627));   /* Arabic alef */
	assert_false(form_cp_refused(0x200C));   /* ZWNJ: judged in context */
}

/* An old record's crisis_date is judged as of its day, not today (office re-check). */
static void dates_as_of_the_record(void **state)
{
	json_error_t jerr;
	json_t *a = json_loads("{\"crisis\":[\"eviction\"],\"crisis_date\":\"2020-03-01\"}", 0, &jerr);
	struct ymd then = { 2020, 2, 20 };
	int today_n, then_n;

	(void)state;
	assert_non_null(a);
	today_n = form_check_all(shipped, a, NULL, NULL);
	then_n = form_check_all_on(shipped, a, then, NULL, NULL);
	json_decref(a);
	assert_true(then_n >= 0 && today_n > then_n);   /* today: "far" date; then: fine */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(real_names_pass),
		cmocka_unit_test(bidi_and_invisible_refused),
		cmocka_unit_test(name_needs_a_letter),
		cmocka_unit_test(predicate),
		cmocka_unit_test(dates_as_of_the_record),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
