/*
 * test_screens.c — the shipped form's screens (cmocka, TAP): which questions lead a
 * screen and which share one (the phone under the contact choice, the interpreter's
 * language under yes), switched-off questions never asked, the crisis date's wording after
 * "don't know", and the progress over the shortest and the longest path: the step grows by
 * one per screen and step / total always grows, where counting the visible questions (the
 * old way) made the total jump (the negative twin).
 */
#include "sync/rules/form.h"

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

static size_t index_of(const char *id)
{
	const struct question *q = form_find(shipped, id);

	assert_non_null(q);
	return (size_t)(q - form_question(shipped, 0));
}

/* One path: the answers given on each screen, "id=json" items, NULL-terminated. */
static const char *const longest[] = {
	"crisis=[\"eviction\"]", "crisis_date=\"2027-06-15\"", "name=\"An\"",
	"contact=\"phone\"", "phone=\"0612345678\"", "postcode=\"1234AB\"",
	"house_number=\"12\"", "interpreter=\"yes\"", "interpreter_language=\"ti\"", NULL,
};
static const char *const shortest[] = {
	"crisis=[\"none\"]", "name=\"An\"", "contact=\"come_back\"", "postcode=\"unknown\"",
	"house_number=\"unknown\"", NULL,
};

/* Gives every answer of the path that the screen led by question i asks. */
static void answer_screen(json_t *answers, size_t i, const char *const *path)
{
	for (size_t k = 0; path[k]; k++) {
		char id[64];
		const char *eq = strchr(path[k], '=');
		const struct question *q;
		snprintf(id, sizeof(id), "%.*s", (int)(eq - path[k]), path[k]);
		q = form_find(shipped, id);
		assert_non_null(q);
		if (form_screen_of(shipped, (size_t)(q - form_question(shipped, 0))) == i)
			json_object_set_new(answers, id, json_loads(eq + 1, JSON_DECODE_ANY, NULL));
	}
}

/* Walks a path; returns the number of question screens. */
static int walk(const char *const *path)
{
	json_t *answers = json_object();
	int i = form_step_screen(shipped, -1, 1, answers), n = 0, last_step = 0, last_total = 1;

	while (i < (int)form_count(shipped)) {
		int step, total;
		form_progress(shipped, i, answers, &step, &total);
		assert_int_equal(step, last_step + 1);
		assert_true(total >= step);
		assert_true((long)step * last_total > (long)last_step * total);   /* the bar grows */
		last_step = step, last_total = total, n++;
		answer_screen(answers, (size_t)i, path);
		i = form_step_screen(shipped, i, 1, answers);
	}
	assert_int_equal(form_check_all(shipped, answers, NULL, NULL), 1);   /* only the consent */
	json_decref(answers);
	return n;
}

static void test_paths(void **state)
{
	(void)state;
	/* Welcome .. receipt: the question screens, one review page, the receipt */
	assert_true(walk(longest) + 2 <= 8);
	assert_int_equal(walk(longest), 6);
	assert_int_equal(walk(shortest), 5);
}

/* The old count (visible questions) on the crisis screen: the total grew once the person
 * chose; form_progress's total does not grow while the person is on a screen. */
static void test_no_jump(void **state)
{
	json_t *answers = json_object();
	int step, before, after, vis_before = 0, vis_after = 0;

	(void)state;
	for (size_t i = 0; i < form_count(shipped); i++)
		vis_before += form_is_visible(shipped, form_question(shipped, i), answers);
	form_progress(shipped, 0, answers, &step, &before);
	json_object_set_new(answers, "crisis", json_loads("[\"water\"]", JSON_DECODE_ANY, NULL));
	json_object_set_new(answers, "contact", json_string("phone"));
	for (size_t i = 0; i < form_count(shipped); i++)
		vis_after += form_is_visible(shipped, form_question(shipped, i), answers);
	form_progress(shipped, 0, answers, &step, &after);
	assert_int_not_equal(vis_before, vis_after);   /* the twin: the old total jumped */
	assert_int_equal(before, after);
	json_decref(answers);
}

static void test_screens(void **state)
{
	json_t *answers = json_loads("{\"crisis\":\"unknown\"}", 0, NULL);
	const struct question *date = form_find(shipped, "crisis_date");

	(void)state;
	assert_int_equal(form_screen_of(shipped, index_of("phone")), index_of("contact"));
	assert_int_equal(form_screen_of(shipped, index_of("email")), index_of("contact"));
	assert_int_equal(form_screen_of(shipped, index_of("interpreter_language")),
			 index_of("interpreter"));
	assert_false(form_is_lead(shipped, index_of("phone")));
	assert_false(form_is_lead(shipped, index_of("privacy_read")));   /* asked on review */
	assert_true(form_is_lead(shipped, index_of("address")));
	for (const char *const *id = (const char *const[]){ "birth_date", "topics", "best_time",
							     NULL }; *id; id++) {
		assert_false(form_find(shipped, *id)->enabled);
		assert_false(form_is_visible(shipped, form_find(shipped, *id), answers));
	}
	assert_string_equal(form_text_for(date, "title", "nl", answers),
			    "Is er een datum genoemd in een brief?");
	json_object_set_new(answers, "crisis", json_loads("[\"eviction\"]", JSON_DECODE_ANY, NULL));
	assert_string_equal(form_text_for(date, "title", "nl", answers), form_text(date, "title", "nl"));
	json_decref(answers);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_paths),
		cmocka_unit_test(test_no_jump),
		cmocka_unit_test(test_screens),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
