/*
 * replay_test.c — the replay commands only the test build has (build/inloop-test, never
 * the kiosk people use): fault injection (fail-store), screenshots through ImageMagick
 * (shot), widget-tree dumps, the monkey, the memory probes (expect-measured, ...) and the
 * real-time waits on the uploader, the printer and other processes (wait-screen,
 * wait-real), and field mode's "saved" mark. The Makefile links this file into
 * build/inloop-test only; replay.c calls it through the weak replay_test_step.
 */
#include "app/kiosk/replay.h"
#include "app/kiosk/kiosk.h"
#include "app/field/field.h"
#include "app/ui/render.h"
#include "app/ui/text.h"
#include "platform/util.h"
#include "sync/device/outbox.h"

#include <SDL.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

/* Presses at logical (x, y), lets ms of virtual time pass with the press held, then
 * releases there (host mode's corner hold). */
static int hold(struct replay *r, struct kiosk *k, const char *arg)
{
	int x, y, px, py;
	unsigned long ms;
	SDL_Event e;

	if (sscanf(arg, "%d %d %lu", &x, &y, &ms) != 3)
		return replay_fail(r, "hold wants X Y MS, not", arg);
	render_to_pixels(k->render, x, y, &px, &py);
	memset(&e, 0, sizeof(e));
	e.type = SDL_MOUSEBUTTONDOWN;
	e.button.button = SDL_BUTTON_LEFT;
	e.button.state = SDL_PRESSED;
	e.button.x = px;
	e.button.y = py;
	SDL_PushEvent(&e);
	kiosk_pump(k, 0);
	kiosk_advance(k, ms);
	kiosk_pump(k, 0);
	e.type = SDL_MOUSEBUTTONUP;
	e.button.state = SDL_RELEASED;
	SDL_PushEvent(&e);
	return 0;
}

/* wheel ID N: the mouse wheel turned N notches (negative: towards the person, down the
 * list) with the pointer over widget ID. */
static int wheel(struct replay *r, struct kiosk *k, const char *arg)
{
	char id[UI_ID_MAX];
	int n, px, py;
	struct ui_widget *w;
	SDL_Event e;

	if (sscanf(arg, "%47s %d", id, &n) != 2)
		return replay_fail(r, "wheel wants ID N, not", arg);
	kiosk_build_now(k);
	if (!(w = ui_find(&k->tree, id)))
		return replay_fail(r, "no widget on this screen:", id);
	render_to_pixels(k->render, w->r.x + w->r.w / 2, w->r.y + w->r.h / 2, &px, &py);
	memset(&e, 0, sizeof(e));
	e.type = SDL_MOUSEWHEEL;
	e.wheel.y = n;
	e.wheel.direction = SDL_MOUSEWHEEL_NORMAL;
	e.wheel.mouseX = px;
	e.wheel.mouseY = py;
	SDL_PushEvent(&e);
	return 0;
}

/* 1 when some widget's text contains needle. */
static int tree_has(struct kiosk *k, const char *needle)
{
	kiosk_build_now(k);
	for (int i = 0; i < k->tree.n; i++)
		if (strstr(k->tree.w[i].text, needle))
			return 1;
	return 0;
}

/* Saves a shot; a .png name goes through a BMP and ImageMagick's convert. */
int replay_test_shot(struct replay *r, struct kiosk *k, const char *path)
{
	size_t n = strlen(path);
	char bmp[600];
	char *argv[] = { "convert", bmp, (char *)path, NULL };
	pid_t pid;
	int st = -1;

	kiosk_render_now(k);
	if (n < 4 || strcmp(path + n - 4, ".png"))
		return render_shot(k->render, path) < 0 ? replay_fail(r, "cannot write shot", path) : 0;
	if (util_fmt(bmp, sizeof(bmp), "%s.bmp", path) < 0 || render_shot(k->render, bmp) < 0)
		return replay_fail(r, "cannot write shot", path);
	if (posix_spawnp(&pid, "convert", NULL, NULL, argv, environ) != 0 ||
	    waitpid(pid, &st, 0) < 0 || !WIFEXITED(st) || WEXITSTATUS(st) != 0)
		return replay_fail(r, "convert failed for", path);
	remove(bmp);
	return 0;
}

static int dump(struct replay *r, struct kiosk *k, const char *path)
{
	FILE *f = fopen(path, "we");

	if (!f)
		return replay_fail(r, "cannot write dump", path);
	kiosk_build_now(k);
	ui_tree_dump(&k->tree, f, render_missing_glyphs, render_measure(k->render, &k->tree));
	fprintf(f, "cache entries=%d\n", render_cache_count(k->render));
	fprintf(f, "alert sound=%s\n", k->alert_played > 0 ? "played" : k->alert_played < 0 ?
		"no-audio" : "off");
	return fclose(f) == 0 ? 0 : replay_fail(r, "cannot write dump", path);
}

static uint64_t rng_next(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/* n random actions from seed: taps on widgets and anywhere, keys, typing, waits. */
int replay_test_monkey(struct kiosk *k, long n, uint64_t seed)
{
	static const char *const keys[] = { "Tab", "shift+Tab", "Return", "Escape", "Backspace",
					    "Space" };
	static const char *const texts[] = { "a", "Z", "7", "0", " ", "-", "@", ".", "é", "ب", "ሀ" };
	uint64_t s = seed ? seed : 1;

	fprintf(stderr, "monkey: %ld actions, seed %llu\n", n, (unsigned long long)seed);
	for (long i = 0; i < n && !k->quit; i++) {
		uint64_t x = rng_next(&s), what = x % 100;
		kiosk_build_now(k);
		if (what < 55 && k->tree.n > 0) {
			const struct ui_widget *w = &k->tree.w[(x >> 8) % (uint64_t)k->tree.n];
			replay_push_tap(k, w->r.x + w->r.w / 2, w->r.y + w->r.h / 2);
		} else if (what < 62) {
			replay_push_tap(k, (int)((x >> 8) % (uint64_t)(k->tree.lw + 1)),
				 (int)((x >> 24) % (uint64_t)(k->tree.lh + 1)));
		} else if (what < 75) {
			replay_key(NULL, keys[(x >> 8) % (sizeof(keys) / sizeof(keys[0]))]);
		} else if (what < 88) {
			replay_type(texts[(x >> 8) % (sizeof(texts) / sizeof(texts[0]))]);
		} else if (what < 98) {
			kiosk_advance(k, (x >> 8) % 3000);
		} else {
			kiosk_advance(k, (x >> 8) % ((uint64_t)k->idle_s * 2000 + 1));
		}
		kiosk_pump(k, i % 64 == 0);
	}
	return 0;
}

static char fault[32];   /* fail-store: the outbox step made to fail */

/* outbox_set_fault callback: fails the store step named by arg (a test of Send failing). */
static int fail_step(const char *step, void *arg)
{
	return !strcmp(step, (const char *)arg);
}

/* fail-store STEP: the next stores fail at this step (disk full...); "" stops it. */
int replay_test_fail_store(const char *step)
{
	snprintf(fault, sizeof(fault), "%s", step);
	outbox_set_fault(fault[0] ? fail_step : NULL, fault);
	return 0;
}

/* Waits up to ms of real time until the uploader finished a pass and told the host. */
static int wait_status(struct kiosk *k, int ms)
{
	for (; ms > 0; ms -= 20) {
		int settled = kiosk_sync_settled(&k->sync);   /* before the refresh it must see */
		kiosk_pump(k, 1);
		if (settled && k->sync.line[0])
			return 0;
		usleep(20000);
	}
	return -1;
}

/* wait-screen ID MS: real time, up to MS, until the screen is ID (news from another
 * process: logind's PrepareForSleep). wait-real MS: real time passes, the loop runs. */
static int wait_real(struct replay *r, struct kiosk *k, const char *arg, int want_screen)
{
	char id[UI_ID_MAX] = "";   /* 48: %47s below */
	int ms = 0;

	if (want_screen ? sscanf(arg, "%47s %d", id, &ms) != 2 : sscanf(arg, "%d", &ms) != 1)
		return replay_fail(r, want_screen ? "wait-screen wants ID MS, not" : "wait-real wants MS, not", arg);
	for (; ms > 0; ms -= 10) {
		kiosk_pump(k, 1);
		kiosk_build_now(k);
		if (want_screen && !strcmp(k->tree.screen, id))
			return 0;
		usleep(10000);
	}
	return want_screen ? replay_fail(r, "the screen never became", id) : 0;
}

/* saved TAG (field mode): every event so far is handled and the draft was sealed without
 * a failure; says "saved TAG" on stderr (TAG is the test's, never an answer). */
static int saved(struct replay *r, struct kiosk *k, const char *tag)
{
	kiosk_pump(k, 0);
	if (!k->field || k->field->save_failed)
		return replay_fail(r, "the draft was not saved at", tag);
	fprintf(stderr, "saved %s\n", tag);
	fflush(stderr);
	return 0;
}

int replay_test_step(struct replay *r, struct kiosk *k, const char *cmd, char *arg)
{
	if (!strcmp(cmd, "expect-text"))
		return tree_has(k, arg) ? 0 : replay_fail(r, "no widget shows", arg);
	if (!strcmp(cmd, "expect-no-text"))
		return !tree_has(k, arg) ? 0 : replay_fail(r, "a widget shows", arg);
	if (!strcmp(cmd, "expect-cached"))
		return render_cache_holds(k->render, arg) ? 0 : replay_fail(r, "not in the text cache:", arg);
	if (!strcmp(cmd, "expect-not-cached"))
		return !render_cache_holds(k->render, arg) ? 0 : replay_fail(r, "still in the text cache:", arg);
	if (!strcmp(cmd, "expect-measured"))
		return text_holds(arg) ? 0 : replay_fail(r, "not in the measuring buffer:", arg);
	if (!strcmp(cmd, "expect-not-measured"))
		return !text_holds(arg) ? 0 : replay_fail(r, "still in the measuring buffer:", arg);
	if (!strcmp(cmd, "shot"))
		return replay_test_shot(r, k, arg);
	if (!strcmp(cmd, "dump"))
		return dump(r, k, arg);
	if (!strcmp(cmd, "sync-start"))   /* the background uploader, as the kiosk runs it */
		return kiosk_sync_start(&k->sync, &k->cfg, kiosk_wake, NULL) < 0 ? replay_fail(r, "cannot start", "sync") : 0;
	if (!strcmp(cmd, "wait-sync"))    /* real time: until the outbox has nothing waiting */
		return kiosk_sync_wait(&k->sync, k->sub.ob, atoi(arg)) < 0 ? replay_fail(r, "not sent:", arg) : 0;
	if (!strcmp(cmd, "fail-store"))
		return replay_test_fail_store(arg);
	if (!strcmp(cmd, "wait-status"))  /* real time: until the host's line on Welcome shows */
		return wait_status(k, atoi(arg)) < 0 ? replay_fail(r, "no host status line after ms:", arg) : 0;
	if (!strcmp(cmd, "wait-print"))   /* real time: until the printed receipt's (and the host's test page's) outcome is in */
		return print_wait(&k->print, atoi(arg)) < 0 || print_wait(&k->host.print, atoi(arg)) < 0 ?
		       replay_fail(r, "still printing after ms:", arg) : 0;
	if (!strcmp(cmd, "wait-screen") || !strcmp(cmd, "wait-real"))
		return wait_real(r, k, arg, !strcmp(cmd, "wait-screen"));
	if (!strcmp(cmd, "saved"))
		return saved(r, k, arg);
	if (!strcmp(cmd, "wheel"))         /* wheel ID N: the wheel over a widget (a list scrolls) */
		return wheel(r, k, arg);
	if (!strcmp(cmd, "hold"))          /* hold X Y MS: a press held (host mode's corner) */
		return hold(r, k, arg);
	if (!strcmp(cmd, "monkey")) {    /* monkey N SEED */
		char *seed;
		long n = strtol(arg, &seed, 10);
		return replay_test_monkey(k, n, strtoull(seed, NULL, 10));
	}
	return 2;
}
