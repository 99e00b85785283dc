/*
 * test_i18n.c — the kiosk's own .mo reader (platform/i18n.c): the built catalogues of
 * $INLOOP_LOCALEDIR load, the Plural-Forms rules of nl/en (2 forms) and ar (6 forms)
 * pick the right form, the host's language is independent of the resident's, nothing
 * touches the environment, and damaged catalogues are refused (the negative twins).
 */
#include "platform/i18n.h"
#include "platform/util.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char cd1[] = "To protect your privacy, your answers will be cleared in %d second.";
static const char cdn[] = "To protect your privacy, your answers will be cleared in %d seconds.";

static int setup(void **state)
{
	(void)state;
	return i18n_init() >= 3 ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	i18n_free();
	return 0;
}

static void test_loaded(void **state)
{
	(void)state;
	assert_true(i18n_has_lang("nl"));
	assert_true(i18n_has_lang("en"));
	assert_true(i18n_has_lang("ar"));
	assert_false(i18n_has_lang("xx"));
	assert_string_equal(i18n_text_in("nl", "Start"), "Beginnen");
	assert_string_equal(i18n_text_in("en", "Start"), "Start");
	assert_string_equal(i18n_text_in("xx", "Start"), "Start");
	assert_string_equal(i18n_text_in("nl", "no such msgid"), "no such msgid");
}

static void test_plural_rules(void **state)
{
	(void)state;
	assert_int_equal(i18n_plural_index("nl", 1), 0);
	assert_int_equal(i18n_plural_index("nl", 0), 1);
	assert_int_equal(i18n_plural_index("nl", 20), 1);
	assert_int_equal(i18n_plural_index("en", 1), 0);
	assert_int_equal(i18n_plural_index("en", 2), 1);
	assert_int_equal(i18n_plural_index("ar", 0), 0);
	assert_int_equal(i18n_plural_index("ar", 1), 1);
	assert_int_equal(i18n_plural_index("ar", 2), 2);
	assert_int_equal(i18n_plural_index("ar", 5), 3);
	assert_int_equal(i18n_plural_index("ar", 110), 3);
	assert_int_equal(i18n_plural_index("ar", 11), 4);
	assert_int_equal(i18n_plural_index("ar", 99), 4);
	assert_int_equal(i18n_plural_index("ar", 100), 5);
	assert_int_equal(i18n_plural_index("xx", 1), -1);
}

static void test_plural_texts(void **state)
{
	(void)state;
	assert_non_null(strstr(i18n_plural("nl", cd1, cdn, 1), "%d seconde."));
	assert_non_null(strstr(i18n_plural("nl", cd1, cdn, 20), "%d seconden."));
	assert_string_equal(i18n_plural("en", cd1, cdn, 1), cd1);
	assert_string_equal(i18n_plural("en", cd1, cdn, 3), cdn);
	assert_string_equal(i18n_plural("xx", cd1, cdn, 1), cd1);
	/* Arabic: one, two and a few are three different sentences */
	assert_string_not_equal(i18n_plural("ar", cd1, cdn, 1), i18n_plural("ar", cd1, cdn, 2));
	assert_string_not_equal(i18n_plural("ar", cd1, cdn, 2), i18n_plural("ar", cd1, cdn, 5));
	assert_string_not_equal(i18n_plural("ar", cd1, cdn, 1), i18n_plural("ar", cd1, cdn, 5));
	for (unsigned long n = 0; n < 120; n++)
		assert_non_null(strstr(i18n_plural("ar", cd1, cdn, n), "%d"));
}

static void test_host_lang(void **state)
{
	const char *before = getenv("LANGUAGE");
	char saved[64];

	(void)state;
	snprintf(saved, sizeof(saved), "%s", before ? before : "(unset)");
	i18n_set_lang("ar");
	i18n_set_host_lang("nl");
	assert_string_equal(H_("Continue"), "Verder");
	assert_string_not_equal(_("Continue"), "Verder");
	assert_string_not_equal(_("Continue"), "Continue");
	i18n_set_lang("en");
	assert_string_equal(_("Continue"), "Continue");
	assert_string_equal(H_("Continue"), "Verder");
	before = getenv("LANGUAGE");
	assert_string_equal(before ? before : "(unset)", saved);   /* never setenv */
}

/* Writes len bytes of data to path. */
static void put(const char *path, const char *data, size_t len)
{
	FILE *f = fopen(path, "wb");

	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, len, f), len);
	fclose(f);
}

static void test_damaged(void **state)
{
	char mo[4096], *text = NULL, *p;
	const char *dir = getenv("INLOOP_LOCALEDIR"), *tmp = getenv("TMPDIR");
	char bad[4200];
	size_t len;

	(void)state;
	snprintf(mo, sizeof(mo), "%s/nl/LC_MESSAGES/inloop.mo", dir);
	snprintf(bad, sizeof(bad), "%s/inloop-test-i18n-%d.mo", tmp ? tmp : "/tmp", (int)getpid());
	assert_int_equal(util_read_file(mo, 1 << 22, &text, &len), 0);
	assert_int_equal(i18n_load_file("zz", mo), 0);          /* the real file: accepted */
	put(bad, "hello, not a catalogue at all", 29);
	assert_int_equal(i18n_load_file("zy", bad), -1);
	put(bad, text, len / 2);                                  /* cut in half */
	assert_int_equal(i18n_load_file("zy", bad), -1);
	p = memmem(text, len, "plural=(n != 1)", 15);
	assert_non_null(p);
	memcpy(p, "plural=(n !! 1)", 15);                         /* a malformed rule */
	put(bad, text, len);
	assert_int_equal(i18n_load_file("zy", bad), -1);
	memcpy(p, "plural=(n +  7)", 15);                         /* a form out of range */
	put(bad, text, len);
	assert_int_equal(i18n_load_file("zy", bad), -1);
	assert_false(i18n_has_lang("zy"));
	remove(bad);
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_loaded),
		cmocka_unit_test(test_plural_rules),
		cmocka_unit_test(test_plural_texts),
		cmocka_unit_test(test_host_lang),
		cmocka_unit_test(test_damaged),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
