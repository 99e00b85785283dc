/*
 * test_layout.c — screens and the right-to-left mirror without a display (STYLE.md
 * habit 3): the real screens build their widget trees with a fake text measure (every
 * character 0.6 em wide, lines 1.4 em high); no SDL video, no fonts. Checks that the
 * Arabic tree is the Dutch one mirrored (Back right, Next left, the options' columns
 * swapped), that every widget stays inside the window at several sizes, and that an
 * unmirrored Arabic tree would have been caught (negative twin).
 */
#include "app/form.h"
#include "app/kiosk.h"
#include "app/util.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>

static int fake_width(void *ctx, const char *text, int size, int bold)
{
	size_t chars = 0;

	int scale = ctx ? *(const int *)ctx : 100;   /* percent: longer translations */

	(void)bold;
	for (const unsigned char *p = (const unsigned char *)text; *p; p++)
		chars += (*p & 0xC0) != 0x80;   /* count characters, not UTF-8 bytes */
	return (int)(chars * (size_t)size * 6 / 10 * (size_t)scale / 100);
}

static int fake_height(void *ctx, const char *text, int size, int bold)
{
	(void)ctx;
	(void)text;
	(void)bold;
	return size * 14 / 10;
}

static int scale = 100;
static const struct ui_measure measure = { fake_width, fake_height, &scale };
static struct form *form;
static struct ui_tree tree;

/* Builds screen s for question index qi in lang at lw x lh, mirrored when rtl. */
static struct ui_tree *build(const struct screen *s, int qi, const char *lang, int rtl, int mirror,
			     int lw, int lh)
{
	static struct kiosk k;

	memset(&k, 0, sizeof(k));
	k.sub.form = form;
	k.answers = json_object();
	k.qi = qi;
	k.rtl = rtl;
	snprintf(k.lang, sizeof(k.lang), "%s", lang);
	k.screen = s;
	if (s->enter)
		s->enter(&k);
	ui_tree_reset(&tree, s->id, lang, rtl, lw, lh, 0xffffff);
	s->build(&k, &tree, &measure);
	if (mirror)
		ui_tree_mirror(&tree);
	json_decref(k.answers);
	return &tree;
}

static int mid_x(struct ui_tree *t, const char *id)
{
	struct ui_widget *w = ui_find(t, id);

	assert_non_null(w);
	return w->r.x + w->r.w / 2;
}

/* How many widgets leave the window (each printed). */
static int outside(const struct ui_tree *t)
{
	int bad = 0;

	for (int i = 0; i < t->n; i++) {
		const struct ui_rect r = t->w[i].r;
		if (r.x < 0 || r.y < 0 || r.x + r.w > t->lw || r.y + r.h > t->lh) {
			print_message("%s %s: widget %s (%d,%d %dx%d) leaves %dx%d\n", t->screen,
				      t->lang, t->w[i].id, r.x, r.y, r.w, r.h, t->lw, t->lh);
			bad++;
		}
	}
	return bad;
}

static void inside(struct ui_tree *t)
{
	assert_int_equal(outside(t), 0);
}

static void back_next_swap(void **state)
{
	struct ui_tree *t;
	int nl_back, nl_next, ar_back, ar_next;

	(void)state;
	t = build(&screen_choice, 0, "nl", 0, 0, 1422, 800);
	nl_back = mid_x(t, "back");
	nl_next = mid_x(t, "next");
	assert_true(nl_back < t->lw / 2 && nl_next > t->lw / 2);
	t = build(&screen_choice, 0, "ar", 1, 1, 1422, 800);
	ar_back = mid_x(t, "back");
	ar_next = mid_x(t, "next");
	assert_true(ar_back > t->lw / 2 && ar_next < t->lw / 2);
	assert_in_range(ar_back, t->lw - nl_back - 1, t->lw - nl_back + 1);   /* odd widths round */
	assert_in_range(ar_next, t->lw - nl_next - 1, t->lw - nl_next + 1);
}

static void options_mirrored(void **state)
{
	struct ui_tree *t;
	int nl_first, ar_first;

	(void)state;
	t = build(&screen_choice, 0, "nl", 0, 0, 1422, 800);
	nl_first = mid_x(t, "opt-eviction");
	t = build(&screen_choice, 0, "ar", 1, 1, 1422, 800);
	ar_first = mid_x(t, "opt-eviction");
	assert_true(nl_first < 1422 / 2);   /* first option top-left in Dutch ... */
	assert_true(ar_first > 1422 / 2);   /* ... top-right in Arabic */
}

static void negative_twin_unmirrored(void **state)
{
	struct ui_tree *t;

	(void)state;
	/* an Arabic tree someone forgot to mirror keeps Back on the left: the check above
	 * would fail on it */
	t = build(&screen_choice, 0, "ar", 1, 0, 1422, 800);
	assert_true(mid_x(t, "back") < t->lw / 2);
}

static void every_question_fits(void **state)
{
	static const int sizes[][2] = { { 1280, 800 }, { 1422, 800 }, { 800, 1422 } };

	(void)state;
	for (size_t i = 0; i < form_count(form); i++) {
		const struct question *q = form_question(form, i);
		const struct screen *s = q->type == Q_SINGLE || q->type == Q_MULTI ||
					 q->type == Q_CONSENT ? &screen_choice :
					 q->type == Q_DATE ? &screen_date : &screen_entry;
		for (size_t z = 0; z < sizeof(sizes) / sizeof(sizes[0]); z++) {
			inside(build(s, (int)i, "nl", 0, 0, sizes[z][0], sizes[z][1]));
			inside(build(s, (int)i, "ar", 1, 1, sizes[z][0], sizes[z][1]));
		}
	}
	inside(build(&screen_welcome, -1, "ar", 1, 1, 800, 1422));
}

/* Texts a quarter longer (a wordier translation) still fit: help text gives way. */
static void longer_texts_fit(void **state)
{
	scale = 125;
	every_question_fits(state);
	scale = 100;
}

static void negative_twin_outside(void **state)
{
	struct ui_tree *t;

	(void)state;
	t = build(&screen_welcome, -1, "nl", 0, 0, 1422, 800);
	assert_int_equal(outside(t), 0);
	t->w[t->n - 1].r.y = t->lh - 4;   /* a widget pushed off the bottom is counted */
	assert_int_equal(outside(t), 1);
}

static int setup(void **state)
{
	char path[4096];

	(void)state;
	if (form_asset_path(path, sizeof(path), "forms/registration.json") < 0 ||
	    form_load(path, &form) < 0)
		return -1;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	form_free(form);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(back_next_swap),
		cmocka_unit_test(options_mirrored),
		cmocka_unit_test(negative_twin_unmirrored),
		cmocka_unit_test(every_question_fits),
		cmocka_unit_test(longer_texts_fit),
		cmocka_unit_test(negative_twin_outside),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
