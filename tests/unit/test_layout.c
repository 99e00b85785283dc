/*
 * test_layout.c — screens and the right-to-left mirror without a display (STYLE.md
 * habit 3): the real screens build their widget trees with a fake text measure (every
 * character 0.6 em wide, lines 1.4 em high), shrinking their text a step at a time until
 * they fit as the kiosk does (layout_tree_problems); no SDL video, no fonts. The real
 * fonts are measured by the kiosk's own dumps (t4301). Checks that the
 * Arabic tree is the Dutch one mirrored (Back right, Next left, the options' columns
 * swapped), that every widget stays inside the window at several sizes, and that an
 * unmirrored Arabic tree would have been caught (negative twin).
 */
#include "sync/rules/form.h"
#include "app/kiosk/kiosk.h"
#include "app/ui/layout.h"
#include "platform/util.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>

static int squeeze;   /* the tree being built's squeeze (the kiosk's fit loop) */

static int fake_width(void *ctx, const char *text, int size, int bold)
{
	size_t chars = 0;

	int scale = ctx ? *(const int *)ctx : 100;   /* percent: longer translations */

	(void)bold;
	size = ui_squeezed(size, squeeze);
	for (const unsigned char *p = (const unsigned char *)text; *p; p++)
		chars += (*p & 0xC0) != 0x80;   /* count characters, not UTF-8 bytes */
	return (int)(chars * (size_t)size * 6 / 10 * (size_t)scale / 100);
}

static int fake_height(void *ctx, const char *text, int size, int bold)
{
	(void)ctx;
	(void)text;
	(void)bold;
	return ui_squeezed(size, squeeze) * 14 / 10;
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
	k.person.answers = json_object();
	k.qi = qi;
	k.rtl = rtl;
	snprintf(k.lang, sizeof(k.lang), "%s", lang);
	k.screen = s;
	if (s->enter)
		s->enter(&k);
	for (squeeze = 0; squeeze <= UI_SQUEEZE_MAX; squeeze++) {   /* as kiosk.c builds */
		ui_tree_reset(&tree, s->id, lang, rtl, lw, lh, 0xffffff);
		tree.squeeze = squeeze;
		s->build(&k, &tree, &measure);
		if (!layout_tree_problems(&tree, &measure, NULL))
			break;
	}
	squeeze = tree.squeeze;
	if (mirror)
		ui_tree_mirror(&tree);
	json_decref(k.person.answers);
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

/* Inside the window, and every text inside its box, nothing cut by a bar, nothing on
 * top of anything (layout_tree_problems, the kiosk's own fit check). */
static int strict = 1;   /* 0: only the window (texts a quarter longer than measured) */

static void inside(struct ui_tree *t)
{
	assert_int_equal(outside(t), 0);
	if (strict)
		assert_int_equal(layout_tree_problems(t, &measure, stderr), 0);
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

/* Texts a quarter longer (a wordier translation) still stay in the window: help text
 * gives way (whether every word then fits its box is t4301's, with the real fonts). */
static void longer_texts_fit(void **state)
{
	scale = 125;
	strict = 0;
	every_question_fits(state);
	strict = 1;
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

/* The fit check sees a label that no longer fits its button, and a box cut by the bar. */
static void negative_twin_problems(void **state)
{
	struct ui_tree *t;
	struct ui_widget *w;

	(void)state;
	t = build(&screen_choice, 0, "nl", 0, 0, 1280, 800);
	assert_int_equal(layout_tree_problems(t, &measure, NULL), 0);
	w = ui_find(t, "opt-energy");
	assert_non_null(w);
	w->r.h = 40;   /* two lines of 42 do not fit */
	assert_int_equal(layout_tree_problems(t, &measure, NULL), 1);
	w->r.h = 800 - w->r.y - 20;   /* down into the bottom bar */
	assert_true(layout_tree_problems(t, &measure, NULL) >= 1);
}

/* Tab moves from the focused widget to the next one, and Shift+Tab back, also when the
 * focus and the answer are one buffer (the kiosk's call); it once restarted at the first. */
static void tab_steps_from_the_focus(void **state)
{
	struct ui_tree *t;
	char focus[UI_ID_MAX], first[UI_ID_MAX], second[UI_ID_MAX];

	(void)state;
	t = build(&screen_choice, 0, "nl", 0, 0, 1280, 800);
	ui_focus_step(t, "", 1, first);
	ui_focus_step(t, first, 1, second);
	assert_true(first[0] && second[0] && strcmp(first, second));
	snprintf(focus, sizeof(focus), "%s", first);
	ui_focus_step(t, focus, 1, focus);
	assert_string_equal(focus, second);
	ui_focus_step(t, focus, -1, focus);
	assert_string_equal(focus, first);
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
		cmocka_unit_test(negative_twin_problems),
		cmocka_unit_test(tab_steps_from_the_focus),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
