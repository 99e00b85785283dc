/*
 * test_words.c — an answer of several parts on the review (the address: postcode and
 * house number) is joined with the language's own comma: Arabic's U+060C, Tigrinya's
 * Ethiopic U+1363, else ", " (the twin: English); and drawn right to left by FriBidi, as
 * the kiosk's text renderer does, the Arabic line still shows "1234AB" and "12" whole, the
 * house number at the right where an Arabic reader starts: "12 ،1234AB" left to right.
 */
#include "app/screens/words.h"
#include "sync/rules/form.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <fribidi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct kiosk k;   /* big: static; only lang, sub.form and person.answers are used */

static int setup(void **state)
{
	char path[4096];
	const char *assets = getenv("INLOOP_ASSETS");

	(void)state;
	snprintf(path, sizeof(path), "%s/forms/registration.json", assets ? assets : "assets");
	k.person.answers = json_pack("{s:s, s:s}", "postcode", "1234AB", "house_number", "12");
	return k.person.answers ? form_load(path, &k.sub.form) : -1;
}

static int teardown(void **state)
{
	(void)state;
	form_free(k.sub.form);
	json_decref(k.person.answers);
	return 0;
}

/* The address answer in lang into buf. */
static void address_in(const char *lang, char *buf, size_t size)
{
	snprintf(k.lang, sizeof(k.lang), "%s", lang);
	words_answer(&k, form_find(k.sub.form, "address"), buf, size);
}

/* s laid out by FriBidi on a paragraph of direction rtl, left to right, as UTF-8 without
 * the invisible isolates. */
static void visual(const char *s, int rtl, char *out, size_t size)
{
	FriBidiChar u[256], v[256], w[256];
	FriBidiParType base = rtl ? FRIBIDI_PAR_RTL : FRIBIDI_PAR_LTR;
	FriBidiStrIndex n = fribidi_charset_to_unicode(FRIBIDI_CHAR_SET_UTF8, s, (FriBidiStrIndex)strlen(s), u), m = 0;

	assert_true(fribidi_log2vis(u, n, &base, v, NULL, NULL, NULL));
	for (FriBidiStrIndex i = 0; i < n; i++)
		if (v[i] < 0x2066 || v[i] > 0x2069)
			w[m++] = v[i];
	assert_true(size > (size_t)m * 4);
	fribidi_unicode_to_charset(FRIBIDI_CHAR_SET_UTF8, w, m, out);
}

static void test_arabic_comma(void **state)
{
	char buf[256], vis[1024];

	(void)state;
	address_in("ar", buf, sizeof(buf));
	assert_non_null(strstr(buf, "\u060C "));
	assert_null(strchr(buf, ','));
	visual(buf, 1, vis, sizeof(vis));
	assert_string_equal(vis, "12 \u060C1234AB");
}

static void test_tigrinya_comma(void **state)
{
	char buf[256];

	(void)state;
	address_in("ti", buf, sizeof(buf));
	assert_non_null(strstr(buf, "\u1363 "));
	assert_null(strchr(buf, ','));
}

static void test_latin_comma(void **state)   /* the twin: a Latin language keeps ", " */
{
	char buf[256], vis[1024];

	(void)state;
	address_in("en", buf, sizeof(buf));
	assert_non_null(strstr(buf, ", "));
	assert_null(strstr(buf, "\u060C"));
	visual(buf, 0, vis, sizeof(vis));
	assert_string_equal(vis, "1234AB, 12");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_arabic_comma),
		cmocka_unit_test(test_tigrinya_comma),
		cmocka_unit_test(test_latin_comma),
	};

	cmocka_set_message_output(CM_OUTPUT_TAP);
	return cmocka_run_group_tests(tests, setup, teardown);
}
