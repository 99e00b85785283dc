/*
 * test_form.c — the form model: the shipped form loads with every text in nl/en/ar and the
 * fields of DOMAIN.md §3 in order, each broken form of tests/forms-bad/ is refused with its
 * expected message, and validation, conditions and normalisation per type, each with its
 * negative twin. Reads $INLOOP_ASSETS and $TEST_FORMS_BAD.
 */
#include "app/calendar.h"
#include "app/form.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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

static json_t *J(const char *text)
{
	json_error_t jerr;
	json_t *v = json_loads(text, JSON_DECODE_ANY, &jerr);

	if (!v)
		fail_msg("test JSON %s: %s", text, jerr.text);
	return v;
}

static const struct question *Q(const char *id)
{
	const struct question *q = form_find(shipped, id);

	if (!q)
		fail_msg("shipped form has no question %s", id);
	return q;
}

/* form_check of one value given as JSON text; returns 0 or -1, msgid into *msg. */
static int check(const char *id, const char *value, const char **msg)
{
	json_t *v = J(value);
	int rc;

	*msg = NULL;
	rc = form_check_answer(shipped, id, v, msg);
	json_decref(v);
	if (rc < 0 && (!*msg || !**msg))
		fail_msg("%s %s: refused without a message", id, value);
	return rc;
}

static void accepts(const char *id, const char *value)
{
	const char *msg;

	if (check(id, value, &msg) != 0)
		fail_msg("%s: refused %s (%s)", id, value, msg);
}

static void refuses(const char *id, const char *value, const char *want)
{
	const char *msg;

	if (check(id, value, &msg) == 0)
		fail_msg("%s: accepted %s", id, value);
	if (want && !strstr(msg, want))
		fail_msg("%s %s: message \"%s\" lacks \"%s\"", id, value, msg, want);
}

static void test_shipped(void **state)
{
	static const char *const order[] = { "crisis", "crisis_date", "name", "contact", "phone",
					     "email", "best_time", "address", "birth_date",
					     "topics", "interpreter", "interpreter_language",
					     "privacy_read", NULL };
	static const char *const kinds[] = { "title", "spoken", NULL };

	(void)state;
	assert_string_equal(form_name(shipped), "registration");
	assert_int_equal(form_lang_count(shipped), 3);
	assert_string_equal(form_lang(shipped, 0), "nl");
	assert_string_equal(form_lang(shipped, 1), "en");
	assert_string_equal(form_lang(shipped, 2), "ar");
	assert_null(form_lang(shipped, 3));
	assert_true(form_has_lang(shipped, "ar"));
	assert_false(form_has_lang(shipped, "de"));
	assert_int_equal(form_count(shipped), 13);
	for (size_t i = 0; order[i]; i++) {
		const struct question *q = form_question(shipped, i);

		assert_string_equal(q->id, order[i]);
		assert_non_null(q->icon);
		for (size_t l = 0; l < form_lang_count(shipped); l++) {
			for (size_t k = 0; kinds[k]; k++)
				assert_non_null(form_text(q, kinds[k], form_lang(shipped, l)));
			if (!q->same_screen)   /* a question sharing a screen shows its title only */
				assert_non_null(form_text(q, "help", form_lang(shipped, l)));
			for (size_t o = 0; o < q->n_options; o++) {
				assert_non_null(form_option_label(q, &q->options[o],
								  form_lang(shipped, l)));
				assert_non_null(q->options[o].icon);
			}
		}
		assert_null(form_text(q, "title", "de"));
		assert_null(form_text(q, "subtitle", "nl"));
	}
	assert_null(form_question(shipped, 13));
	assert_ptr_equal(form_find(shipped, "postcode"), Q("address"));
	assert_ptr_equal(form_find(shipped, "house_number"), Q("address"));
	assert_null(form_find(shipped, "bsn"));
	assert_int_equal(Q("crisis")->type, Q_MULTI);
	assert_true(Q("crisis")->allow_unknown);
	assert_true(Q("crisis")->options[4].exclusive);
	assert_string_equal(form_text(Q("name"), "title", "nl"), "Hoe heet u?");
	assert_string_equal(form_type_name(Q_ADDRESS), "address");
}

/* The shipped texts never blame and never say "schulden". */
static void test_words(void **state)
{
	static const char *const avoid[] = { "schuld", "Schuld", "debt", "Debt", NULL };

	(void)state;
	for (size_t i = 0; i < form_count(shipped); i++) {
		const struct question *q = form_question(shipped, i);

		for (size_t l = 0; l < 2; l++)
			for (int k = 0; k < QT_COUNT; k++)
				for (size_t w = 0; avoid[w] && q->text[k][l]; w++)
					if (strstr(q->text[k][l], avoid[w]))
						fail_msg("%s uses \"%s\"", q->id, avoid[w]);
	}
}

/* Loads path with stderr captured into out; returns form_load's rc. */
static int load_capturing(const char *path, char *out, size_t size)
{
	struct form *f = (struct form *)1;
	FILE *tmp = tmpfile();
	int saved = dup(2), rc;
	size_t n;

	assert_non_null(tmp);
	fflush(stderr);
	dup2(fileno(tmp), 2);
	rc = form_load(path, &f);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	rewind(tmp);
	n = fread(out, 1, size - 1, tmp);
	out[n] = '\0';
	fclose(tmp);
	if (rc < 0)
		assert_null(f);
	else
		form_free(f);
	return rc;
}

static void test_broken_forms(void **state)
{
	const char *dir = getenv("TEST_FORMS_BAD");
	char path[4096], line[512], msg[2048];
	FILE *exp;
	int n = 0;

	(void)state;
	assert_non_null(dir);
	snprintf(path, sizeof(path), "%s/good-minimal.json", dir);
	assert_int_equal(load_capturing(path, msg, sizeof(msg)), 0);
	snprintf(path, sizeof(path), "%s/EXPECT", dir);
	exp = fopen(path, "r");
	assert_non_null(exp);
	while (fgets(line, sizeof(line), exp)) {
		char *tab = strchr(line, '\t');

		if (line[0] == '#' || !tab)
			continue;
		*tab++ = '\0';
		tab[strcspn(tab, "\n")] = '\0';
		snprintf(path, sizeof(path), "%s/%s", dir, line);
		if (load_capturing(path, msg, sizeof(msg)) == 0)
			fail_msg("%s was accepted", line);
		if (!strstr(msg, tab) || !strstr(msg, path))
			fail_msg("%s: error \"%s\" lacks \"%s\" or the file name", line, msg, tab);
		printf("# %s", msg);
		n++;
	}
	fclose(exp);
	assert_true(n >= 10);
	assert_int_equal(load_capturing("/nonexistent/form.json", msg, sizeof(msg)), -1);
	assert_non_null(strstr(msg, "/nonexistent/form.json"));
}

static void test_phone(void **state)
{
	static const char *const good[] = { "\"0612345678\"", "\"06 12345678\"", "\"06-1234 5678\"",
					    "\"+31 6 12345678\"", "\"+31 (0)6 12345678\"",
					    "\"0031612345678\"", "\"020 123 4567\"",
					    "\"(010) 1234567\"", "\"+48 601 234 567\"",
					    "\"0048601234567\"", NULL };
	static const char *const bad[] = { "\"\"", "\"06\"", "\"061234567\"", "\"06123456789\"",
					   "\"0012\"", "\"+31 6 1234567\"", "\"abc\"",
					   "\"0612345678x\"", "\"+0612345678\"", "\"0006123456\"",
					   "612345678", "\"unknown\"", "null", "\"+3161234567890123\"",
					   NULL };

	(void)state;
	for (int i = 0; good[i]; i++)
		accepts("phone", good[i]);
	for (int i = 0; bad[i]; i++)
		refuses("phone", bad[i], bad[i][0] == 'n' ? "answer" : "06 12345678");
}

static void test_email(void **state)
{
	static const char *const good[] = { "\"a@b.nl\"", "\"Jan.de-Vries+x@Example.COM\"",
					    "\" naam@gemeente.amsterdam \"", "\"x_y@sub.domain.org\"",
					    NULL };
	static const char *const bad[] = { "\"\"", "\"naam\"", "\"naam@\"", "\"@x.nl\"",
					   "\"a@b\"", "\"a@@b.nl\"", "\"a@b@c.nl\"", "\"a b@c.nl\"",
					   "\".a@b.nl\"", "\"a.@b.nl\"", "\"a..b@c.nl\"",
					   "\"a@-b.nl\"", "\"a@b-.nl\"", "\"a@b..nl\"", "\"a@b.n\"",
					   "\"a@b.12\"", "\"jos\u00e9@b.nl\"", "\"a@b.nl.\"", NULL };

	(void)state;
	for (int i = 0; good[i]; i++)
		accepts("email", good[i]);
	for (int i = 0; bad[i]; i++)
		refuses("email", bad[i], "name@example.com");
}

static void test_address(void **state)
{
	static const char *const good_pc[] = { "\"1234AB\"", "\"1234 ab\"", "\" 9999 zz \"",
					       "\"unknown\"", NULL };
	static const char *const bad_pc[] = { "\"0123AB\"", "\"123AB\"", "\"12345A\"",
					      "\"1234A\"", "\"1234ABC\"", "\"1234SS\"",
					      "\"1234 SA\"", "\"1234sd\"", "\"1234-AB\"", NULL };
	static const char *const good_hn[] = { "\"12\"", "\"12a\"", "\"12-2\"", "\"12 A\"",
					       "\"12 bis\"", "\"99999\"", "\"1-III\"",
					       "\"unknown\"", NULL };
	static const char *const bad_hn[] = { "\"\"", "\"0\"", "\"012\"", "\"a12\"", "\"123456\"",
					      "\"12-\"", "\"12--2\"", "\"12abcdefg\"", "\"12/2\"",
					      "12", NULL };

	(void)state;
	for (int i = 0; good_pc[i]; i++)
		accepts("postcode", good_pc[i]);
	for (int i = 0; bad_pc[i]; i++)
		refuses("postcode", bad_pc[i], "1234 AB");
	for (int i = 0; good_hn[i]; i++)
		accepts("house_number", good_hn[i]);
	for (int i = 0; bad_hn[i]; i++)
		refuses("house_number", bad_hn[i], "12a");
	refuses("address", "\"1234AB\"", "does not belong");
}

static void test_address_object(void **state)
{
	const char *msg = NULL;
	json_t *v;

	(void)state;
	v = J("{\"postcode\":\"1234AB\",\"house_number\":\"1\"}");
	assert_int_equal(form_check(Q("address"), v, &msg), 0);
	json_decref(v);
	v = J("{\"postcode\":\"1234AB\"}");
	assert_int_equal(form_check(Q("address"), v, &msg), -1);
	assert_string_equal(msg, "Please answer this question.");
	json_decref(v);
	v = J("{\"postcode\":\"XXXX\",\"house_number\":\"1\"}");
	assert_int_equal(form_check(Q("address"), v, &msg), -1);
	assert_non_null(strstr(msg, "postcode"));
	json_decref(v);
}

static void test_text(void **state)
{
	char long_name[256];
	json_t *v;
	const char *msg;

	(void)state;
	accepts("name", "\"Fatima\"");
	accepts("name", "\"  Jan de Vries  \"");
	accepts("name", "\"\u0641\u0627\u0637\u0645\u0629\"");   /* Arabic */
	accepts("name", "\"Zo\u00eb \u00d6zt\u00fcrk-\u0141\u0105cka\"");
	refuses("name", "\"\"", "name you use");
	refuses("name", "\"   \"", "name you use");
	refuses("name", "\"a\\u0007b\"", "letters");
	refuses("name", "\"a\\nb\"", "letters");
	refuses("name", "\"a\\u0085b\"", "letters");
	refuses("name", "\"a\\u2028b\"", "letters");
	refuses("name", "42", "name you use");
	refuses("name", "[\"x\"]", "name you use");
	memset(long_name, 'a', 100);
	long_name[100] = '\0';
	v = json_string(long_name);
	assert_int_equal(form_check(Q("name"), v, &msg), 0);
	json_decref(v);
	long_name[100] = 'a';
	long_name[101] = '\0';
	v = json_string(long_name);
	assert_int_equal(form_check(Q("name"), v, &msg), -1);
	assert_non_null(strstr(msg, "too long"));
	json_decref(v);
	/* 100 two-byte letters are 100 characters, not 200 */
	for (int i = 0; i < 100; i++)
		memcpy(long_name + 2 * i, "\xc3\xa9", 2);
	long_name[200] = '\0';
	v = json_string(long_name);
	assert_int_equal(form_check(Q("name"), v, &msg), 0);
	json_decref(v);
	/* invalid UTF-8 slipped past jansson's own check */
	static const char *const broken[] = { "a\xff", "\xc0\xaf", "\xed\xa0\x80", "a\xe2\x82",
					      "\xf4\x90\x80\x80", NULL };
	for (int i = 0; broken[i]; i++) {
		v = json_stringn_nocheck(broken[i], strlen(broken[i]));
		assert_int_equal(form_check(Q("name"), v, &msg), -1);
		json_decref(v);
	}
	v = json_stringn("a\0b", 3);
	assert_int_equal(form_check(Q("name"), v, &msg), -1);
	json_decref(v);
}

static void test_dates(void **state)
{
	struct ymd today;
	char s[16], v[32];

	(void)state;
	assert_int_equal(ymd_today(&today), 0);
	ymd_format(today, s);
	snprintf(v, sizeof(v), "\"%s\"", s);
	accepts("birth_date", v);
	accepts("crisis_date", v);
	accepts("birth_date", "\"1950-02-28\"");
	refuses("birth_date", "\"1950-02-30\"", "day, month and year");
	refuses("birth_date", "\"28-02-1950\"", "day, month and year");
	accepts("birth_date", "\"unknown\"");   /* every optional question offers "don't know" */
	refuses("birth_date", "\"1950\"", "day, month and year");
	ymd_format(ymd_add_days(today, 1), s);
	snprintf(v, sizeof(v), "\"%s\"", s);
	refuses("birth_date", v, "future");
	accepts("crisis_date", v);
	accepts("crisis_date", "\"unknown\"");
	ymd_format(ymd_add_days(today, -30), s);
	snprintf(v, sizeof(v), "\"%s\"", s);
	accepts("crisis_date", v);
	ymd_format(ymd_add_days(today, -400), s);
	snprintf(v, sizeof(v), "\"%s\"", s);
	refuses("crisis_date", v, "year");
	ymd_format(ymd_add_days(today, 800), s);
	snprintf(v, sizeof(v), "\"%s\"", s);
	refuses("crisis_date", v, "year");
	refuses("crisis_date", "20260101", "day, month and year");
}

static void test_choices(void **state)
{
	(void)state;
	accepts("crisis", "[\"eviction\"]");
	accepts("crisis", "[\"energy\",\"water\",\"health_insurance\",\"eviction\"]");
	accepts("crisis", "[\"none\"]");
	accepts("crisis", "\"unknown\"");
	refuses("crisis", "[]", "at least one");
	refuses("crisis", "[\"none\",\"eviction\"]", "cannot be combined");
	refuses("crisis", "[\"eviction\",\"eviction\"]", "only once");
	refuses("crisis", "[\"energy_contract_end\"]", "choose one");
	refuses("crisis", "\"eviction\"", "at least one");
	refuses("crisis", "[\"unknown\"]", "choose one");
	accepts("contact", "\"come_back\"");
	refuses("contact", "\"fax\"", "choose one");
	refuses("contact", "\"unknown\"", "choose one");
	refuses("contact", "[\"phone\"]", "choose one");
	accepts("best_time", "\"unknown\"");
	accepts("topics", "[\"rent\",\"other\"]");
	refuses("topics", "[\"debts\"]", "choose one");
	accepts("interpreter", "\"no\"");
	refuses("interpreter", "true", "choose one");
	accepts("privacy_read", "true");
	refuses("privacy_read", "false", "privacy");
	refuses("privacy_read", "\"true\"", "privacy");
	refuses("privacy_read", "\"unknown\"", "privacy");
}

static void test_visible(void **state)
{
	struct { const char *answers; const char *id; int want; } cases[] = {
		{ "{}", "crisis", 1 },
		{ "{}", "crisis_date", 0 },
		{ "{\"crisis\":[\"none\"]}", "crisis_date", 0 },
		{ "{\"crisis\":[\"water\"]}", "crisis_date", 1 },
		{ "{\"crisis\":\"unknown\"}", "crisis_date", 1 },
		{ "{\"crisis\":null}", "crisis_date", 0 },
		{ "{\"contact\":\"phone\"}", "phone", 1 },
		{ "{\"contact\":\"phone\"}", "email", 0 },
		{ "{\"contact\":\"email\"}", "email", 1 },
		{ "{\"contact\":\"come_back\"}", "phone", 0 },
		{ "{}", "privacy_read", 1 },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		json_t *a = J(cases[i].answers);

		if (form_is_visible(shipped, Q(cases[i].id), a) != cases[i].want)
			fail_msg("%s with %s: expected visible=%d", cases[i].id, cases[i].answers,
				 cases[i].want);
		json_decref(a);
	}
}

struct seen {
	char ids[512];
	int n;
};

static void collect(const struct question *q, const char *answer_id, const char *msgid,
		    void *ctx)
{
	struct seen *s = ctx;
	size_t len = strlen(s->ids);

	assert_non_null(msgid);
	snprintf(s->ids + len, sizeof(s->ids) - len, "%s%s%s", q ? "" : "?", answer_id, ",");
	s->n++;
}

#define VALID "\"crisis\":[\"eviction\"],\"crisis_date\":\"unknown\",\"name\":\"An\"," \
	      "\"contact\":\"phone\",\"phone\":\"06 12345678\",\"postcode\":\"1234 ab\"," \
	      "\"house_number\":\"12 A\",\"privacy_read\":true"

static void expect_problems(const char *answers, int n, const char *ids)
{
	struct seen s = { "", 0 };
	json_t *a = J(answers);
	int rc = form_check_all(shipped, a, collect, &s);

	json_decref(a);
	if (rc != n || s.n != n || strcmp(s.ids, ids))
		fail_msg("%s: %d problems [%s], expected %d [%s]", answers, rc, s.ids, n, ids);
}

static void test_check_all(void **state)
{
	(void)state;
	expect_problems("{" VALID "}", 0, "");
	expect_problems("{" VALID ",\"interpreter\":\"yes\",\"interpreter_language\":\"ti\"}", 0, "");
	/* questions the shipped form switches off ("enabled": false) may have been on when a
	 * record was made (the office re-checks old records): a valid answer passes, a bad one
	 * is refused like any other */
	expect_problems("{" VALID ",\"best_time\":\"morning\",\"birth_date\":\"1980-01-01\","
			"\"topics\":[\"rent\"]}", 0, "");
	expect_problems("{" VALID ",\"best_time\":\"midnight\",\"birth_date\":\"1980-02-31\"}",
			2, "best_time,birth_date,");
	/* an interpreter: which language (or "unknown") is required; none without one */
	expect_problems("{" VALID ",\"interpreter\":\"yes\"}", 1, "interpreter_language,");
	expect_problems("{" VALID ",\"interpreter\":\"no\",\"interpreter_language\":\"ar\"}", 1,
			"interpreter_language,");
	expect_problems("{" VALID ",\"interpreter\":\"yes\",\"interpreter_language\":\"xx\"}", 1,
			"interpreter_language,");
	expect_problems("{\"crisis\":[\"none\"],\"name\":\"An\",\"contact\":\"come_back\","
			"\"postcode\":\"unknown\",\"house_number\":\"unknown\","
			"\"privacy_read\":true}", 0, "");
	expect_problems("{}", 6, "crisis,name,contact,postcode,house_number,privacy_read,");
	/* the phone is required when contact is phone */
	expect_problems("{\"crisis\":[\"none\"],\"name\":\"An\",\"contact\":\"phone\","
			"\"postcode\":\"unknown\",\"house_number\":\"unknown\","
			"\"privacy_read\":true}", 1, "phone,");
	/* a crisis needs its date (or "unknown"); none must not carry one */
	expect_problems("{\"crisis\":[\"water\"],\"name\":\"An\",\"contact\":\"come_back\","
			"\"postcode\":\"unknown\",\"house_number\":\"unknown\","
			"\"privacy_read\":true}", 1, "crisis_date,");
	expect_problems("{\"crisis\":[\"none\"],\"crisis_date\":\"unknown\",\"name\":\"An\","
			"\"contact\":\"come_back\",\"postcode\":\"unknown\","
			"\"house_number\":\"unknown\",\"privacy_read\":true}", 1, "crisis_date,");
	/* answers the form does not ask for, or for hidden questions */
	expect_problems("{" VALID ",\"bsn\":\"123456782\"}", 1, "?bsn,");
	expect_problems("{" VALID ",\"address\":\"x\"}", 1, "?address,");
	expect_problems("{" VALID ",\"email\":\"a@b.nl\"}", 1, "email,");
	/* bad values are named by answer id */
	expect_problems("{" VALID ",\"interpreter\":\"maybe\"}", 1, "interpreter,");
	expect_problems("{\"crisis\":\"unknown\",\"crisis_date\":\"unknown\",\"name\":\"\","
			"\"contact\":\"email\",\"email\":\"x\",\"postcode\":\"1\","
			"\"house_number\":\"unknown\",\"privacy_read\":false}", 4,
			"name,email,postcode,privacy_read,");
	json_t *arr = J("[]");
	assert_int_equal(form_check_all(shipped, arr, NULL, NULL), -1);
	json_decref(arr);
}

static void test_normalise(void **state)
{
	json_t *a = J("{" VALID ",\"name\":\"  An Smit \"}");
	char *s;

	(void)state;
	assert_int_equal(form_check_all(shipped, a, NULL, NULL), 0);
	assert_int_equal(form_normalise(shipped, a), 0);
	s = json_dumps(a, JSON_SORT_KEYS | JSON_COMPACT);
	assert_string_equal(s, "{\"contact\":\"phone\",\"crisis\":[\"eviction\"],"
			    "\"crisis_date\":\"unknown\",\"house_number\":\"12a\",\"name\":\"An Smit\","
			    "\"phone\":\"0612345678\",\"postcode\":\"1234AB\",\"privacy_read\":true}");
	free(s);
	json_decref(a);
	a = J("{\"phone\":\"+31 (0)20-123 45 67\",\"email\":\" Jan@Example.NL \","
	      "\"house_number\":\"12-Bis\",\"postcode\":\"unknown\"}");
	assert_int_equal(form_normalise(shipped, a), 0);
	s = json_dumps(a, JSON_SORT_KEYS | JSON_COMPACT);
	assert_string_equal(s, "{\"email\":\"Jan@example.nl\",\"house_number\":\"12-bis\","
			    "\"phone\":\"0201234567\",\"postcode\":\"unknown\"}");
	free(s);
	json_decref(a);
	a = J("{\"phone\":\"+48 601 234 567\"}");
	assert_int_equal(form_normalise(shipped, a), 0);
	assert_string_equal(json_string_value(json_object_get(a, "phone")), "+48601234567");
	json_decref(a);
}

static void test_asset_path(void **state)
{
	char buf[4096];

	(void)state;
	setenv("INLOOP_ASSETS", "/x/assets", 1);
	assert_int_equal(form_asset_path(buf, sizeof(buf), "holidays.json"), 0);
	assert_string_equal(buf, "/x/assets/holidays.json");
	unsetenv("INLOOP_ASSETS");
	assert_int_equal(form_asset_path(buf, sizeof(buf), "holidays.json"), 0);
	assert_non_null(strstr(buf, "/../assets/holidays.json"));
	assert_int_equal(form_asset_path(buf, 8, "holidays.json"), -1);
}

/* Loads the bytes buf[0..n) as a form file (through /proc/self/fd of a temp file). */
static int load_bytes(const char *buf, size_t n, char *msg, size_t size)
{
	char path[64];
	FILE *tmp = tmpfile();
	int rc;

	assert_non_null(tmp);
	assert_int_equal(fwrite(buf, 1, n, tmp), n);
	fflush(tmp);
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fileno(tmp));
	rc = load_capturing(path, msg, size);
	fclose(tmp);
	return rc;
}

/* Every truncation and a few thousand byte flips of the shipped form: refused or loaded,
 * never a crash (run under SAN=1 too). */
static void test_mangled(void **state)
{
	char path[4096], msg[2048], *buf;
	const char *assets = getenv("INLOOP_ASSETS");
	unsigned seed = 12345;
	FILE *f;
	long n;
	int loaded = 0;

	(void)state;
	snprintf(path, sizeof(path), "%s/forms/registration.json", assets ? assets : "assets");
	f = fopen(path, "rb");
	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	buf = malloc((size_t)n);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	for (long cut = 0; cut < n - 2; cut += 11)
		assert_int_equal(load_bytes(buf, (size_t)cut, msg, sizeof(msg)), -1);
	for (int i = 0; i < 3000; i++) {
		long at = (long)((seed = seed * 1103515245u + 12345u) >> 8) % n;
		char was = buf[at];

		buf[at] = (char)(seed >> 3);
		loaded += load_bytes(buf, (size_t)n, msg, sizeof(msg)) == 0;
		buf[at] = was;
	}
	printf("# %d of 3000 single-byte changes still load (texts, spaces)\n", loaded);
	free(buf);
}

/* Allocation failures inside jansson at every point of loading the shipped form: each load
 * either succeeds or fails cleanly (ASan: no crash, no leak). */
static long alloc_left;

static void *failing_malloc(size_t n)
{
	return alloc_left-- > 0 ? malloc(n) : NULL;
}

static void test_oom(void **state)
{
	char path[4096], msg[2048];
	const char *assets = getenv("INLOOP_ASSETS");
	int failed = 0, ok = 0;

	(void)state;
	snprintf(path, sizeof(path), "%s/forms/registration.json", assets ? assets : "assets");
	json_set_alloc_funcs(failing_malloc, free);
	for (long n = 0; ok < 3 && n < 100000; n += n < 400 ? 1 : 7) {
		alloc_left = n;
		if (load_capturing(path, msg, sizeof(msg)) == 0)
			ok++;
		else
			failed++;
	}
	json_set_alloc_funcs(malloc, free);
	assert_int_equal(ok, 3);
	assert_true(failed > 100);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_shipped),
		cmocka_unit_test(test_words),
		cmocka_unit_test(test_broken_forms),
		cmocka_unit_test(test_phone),
		cmocka_unit_test(test_email),
		cmocka_unit_test(test_address),
		cmocka_unit_test(test_address_object),
		cmocka_unit_test(test_text),
		cmocka_unit_test(test_dates),
		cmocka_unit_test(test_choices),
		cmocka_unit_test(test_visible),
		cmocka_unit_test(test_check_all),
		cmocka_unit_test(test_normalise),
		cmocka_unit_test(test_mangled),
		cmocka_unit_test(test_oom),
		cmocka_unit_test(test_asset_path),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
