/*
 * kiosk_field.c — hosts field mode (app/field/field.h) in the kiosk's loop: one screen
 * whose tree and events are the field's, the intake form in place of the registration,
 * the idle lock (lock_seconds) and the lock on suspend or a lost window: logind's
 * PrepareForSleep (platform/linux/sleepwatch.h) locks and draws the lock screen before
 * the laptop sleeps; without a system bus, a lost window (SDL) still locks.
 */
#include "app/kiosk/kiosk.h"
#include "app/field/field.h"
#include "app/ui/render.h"
#include "platform/assets.h"
#include "platform/linux/sleepwatch.h"
#include "sync/rules/form.h"
#include "platform/util.h"

#include <stdlib.h>
#include <string.h>

_Static_assert((int)FK_BACKSPACE == KEY_BACKSPACE && (int)FK_ENTER == KEY_ENTER && (int)FK_UP == KEY_UP &&
	       (int)FK_PAGE_DOWN == KEY_PAGE_DOWN && (int)FK_WHEEL_DOWN == KEY_WHEEL_DOWN,
	       "field keys are the kiosk's");

static void build(struct kiosk *k, struct ui_tree *t, const struct ui_measure *m)
{
	k->field->focus = k->focus;
	field_build(k->field, t, m, k->lang);
}

static int event(struct kiosk *k, const struct kiosk_event *ev)
{
	static const enum field_event_kind kinds[] = { FE_ACTIVATE, FE_TEXT, FE_KEY };
	int changed = field_event(k->field, kinds[ev->kind], ev->w, ev->text, ev->key, k->focus);

	if (changed && k->focus[0] && strncmp(k->focus, "opt-", 4))
		k->focus_visible = 1;   /* the caret's field is marked, also after a click */
	if (k->field->sent_now) {
		k->field->sent_now = 0;
		kiosk_sync_kick(&k->sync);
	}
	return changed;
}

const struct screen screen_field = { "field", NULL, build, event, NULL };

/* Loads the intake in place of the registration form (the submit path checks against it). */
static int load_intake(struct kiosk *k)
{
	char dir[4096], path[4200];
	struct form *intake = NULL;

	if (assets_dir(dir, sizeof(dir)) < 0 ||
	    util_fmt(path, sizeof(path), "%s/forms/intake.json", dir) < 0 || form_load(path, &intake) < 0)
		return -1;
	form_free(k->sub.form);
	k->sub.form = intake;
	return 0;
}

/* Lid close and suspend through logind; without a system bus the program runs as before. */
static void watch_sleep(struct kiosk *k)
{
	char why[160];

	if (sleepwatch_start(kiosk_wake, NULL, &k->sleepwatch, why, sizeof(why)) < 0)
		warning("field: %s: the screen locks on suspend only when the window loses focus", why);
}

int kiosk_field_open(struct kiosk *k, const char *mode)
{
	const char *m = mode ? mode : k->cfg.mode;

	if (strcmp(m, "field"))
		return strcmp(m, "kiosk") ? error("--mode must be kiosk or field") : 0;
	if (!k->ready)
		return 0;   /* the not-ready screen says why */
	watch_sleep(k);   /* kiosk_field_close stops it */
	k->field = calloc(1, sizeof(*k->field));
	if (!k->field || load_intake(k) < 0 ||
	    field_open(k->field, k->cfg.dir, k->sub.form, &k->sub, k->cfg.draft_days) < 0) {
		kiosk_field_close(k);
		k->ready = 0;
		k->not_ready = NR_PROGRAM;
		return 0;
	}
	k->field->visit_days = k->cfg.visit_days;
	return 0;
}

void kiosk_field_close(struct kiosk *k)
{
	sleepwatch_stop(k->sleepwatch);
	k->sleepwatch = NULL;
	if (!k->field)
		return;
	field_close(k->field);
	util_clear_free(k->field);
	k->field = NULL;
}

uint64_t kiosk_field_deadline(const struct kiosk *k)
{
	return field_unlocked(k->field) ? k->last_input_ms + (uint64_t)k->cfg.lock_seconds * 1000 : 0;
}

void kiosk_field_lock(struct kiosk *k)
{
	if (!k->field || !field_unlocked(k->field))
		return;
	field_lock(k->field);
	ui_tree_cleanse(&k->tree);   /* no answer stays in the tree behind the lock screen */
	if (k->render)
		render_forget(k->render);   /* nor in the text cache, the measuring buffer, the last frame's tree */
	k->focus[0] = '\0';
	k->dirty = 1;
}

void kiosk_field_sleep_check(struct kiosk *k)
{
	if (!sleepwatch_pending(k->sleepwatch))
		return;
	kiosk_field_lock(k);
	kiosk_render_now(k);   /* the lock screen is what the display holds as it sleeps */
	util_log("field", "locked for sleep");
	sleepwatch_done(k->sleepwatch);
}
