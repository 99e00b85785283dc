/*
 * replay.c — runs replay files (see replay.h) against the live kiosk by pushing real SDL
 * events, and the monkey: random input from a fixed seed, with virtual waits.
 */
#include "app/kiosk/replay.h"
#include "app/kiosk/kiosk.h"
#include "app/ui/render.h"
#include "app/ui/text.h"
#include "platform/util.h"
#include "sync/device/outbox.h"

#include <SDL.h>
#include <spawn.h>
#include <string.h>
#include <sys/wait.h>

extern char **environ;

struct replay {
	FILE *f;
	char path[512];
	int line;
	char fault[32];   /* fail-store: the outbox step made to fail */
};

int replay_open(const char *path, struct replay **out)
{
	struct replay *r = calloc(1, sizeof(*r));

	*out = NULL;
	if (!r)
		return error("out of memory");
	r->f = fopen(path, "re");
	if (!r->f) {
		free(r);
		return error("cannot open replay %s", path);
	}
	snprintf(r->path, sizeof(r->path), "%s", path);
	*out = r;
	return 0;
}

void replay_close(struct replay *r)
{
	if (!r)
		return;
	if (r->fault[0])
		outbox_set_fault(NULL, NULL);
	fclose(r->f);
	free(r);
}

static int fail(const struct replay *r, const char *what, const char *arg)
{
	return error("%s:%d: %s %s", r->path, r->line, what, arg);
}

static void push_tap(struct kiosk *k, int lx, int ly)
{
	SDL_Event e;
	int px, py;

	render_to_pixels(k->render, lx, ly, &px, &py);
	memset(&e, 0, sizeof(e));
	e.type = SDL_MOUSEBUTTONDOWN;
	e.button.button = SDL_BUTTON_LEFT;
	e.button.state = SDL_PRESSED;
	e.button.clicks = 1;
	e.button.x = px;
	e.button.y = py;
	SDL_PushEvent(&e);
	e.type = SDL_MOUSEBUTTONUP;
	e.button.state = SDL_RELEASED;
	SDL_PushEvent(&e);
}

static int tap(struct replay *r, struct kiosk *k, const char *id)
{
	struct ui_widget *w;

	kiosk_build_now(k);
	w = ui_find(&k->tree, id);
	if (!w)
		return fail(r, "no widget on this screen:", id);
	push_tap(k, w->r.x + w->r.w / 2, w->r.y + w->r.h / 2);
	return 0;
}

/* Pushes one SDL_TEXTINPUT per UTF-8 character of text. */
static void type_text(const char *text)
{
	SDL_Event e;
	size_t i = 0, n = strlen(text);

	while (i < n) {
		size_t len = 1;
		while (i + len < n && ((unsigned char)text[i + len] & 0xC0) == 0x80)
			len++;
		memset(&e, 0, sizeof(e));
		e.type = SDL_TEXTINPUT;
		memcpy(e.text.text, text + i, len < sizeof(e.text.text) ? len : sizeof(e.text.text) - 1);
		SDL_PushEvent(&e);
		i += len;
	}
}

static int key(struct replay *r, const char *name)
{
	SDL_Event e;
	Uint16 mod = KMOD_NONE;
	SDL_Keycode kc;

	for (;;) {   /* modifiers first: shift+, ctrl+, alt+ */
		if (!strncmp(name, "shift+", 6))
			mod |= KMOD_LSHIFT, name += 6;
		else if (!strncmp(name, "ctrl+", 5))
			mod |= KMOD_LCTRL, name += 5;
		else if (!strncmp(name, "alt+", 4))
			mod |= KMOD_LALT, name += 4;
		else
			break;
	}
	kc = SDL_GetKeyFromName(name);

	if (kc == SDLK_UNKNOWN)
		return r ? fail(r, "unknown key", name) : -1;
	memset(&e, 0, sizeof(e));
	e.type = SDL_KEYDOWN;
	e.key.state = SDL_PRESSED;
	e.key.keysym.sym = kc;
	e.key.keysym.scancode = SDL_GetScancodeFromKey(kc);
	e.key.keysym.mod = mod;
	SDL_PushEvent(&e);
	e.type = SDL_KEYUP;
	e.key.state = SDL_RELEASED;
	SDL_PushEvent(&e);
	return 0;
}

/* Presses at logical (x, y), lets ms of virtual time pass with the press held, then
 * releases there (host mode's corner hold). */
static int hold(struct replay *r, struct kiosk *k, const char *arg)
{
	int x, y, px, py;
	unsigned long ms;
	SDL_Event e;

	if (sscanf(arg, "%d %d %lu", &x, &y, &ms) != 3)
		return fail(r, "hold wants X Y MS, not", arg);
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
static int shot(struct replay *r, struct kiosk *k, const char *path)
{
	size_t n = strlen(path);
	char bmp[600];
	char *argv[] = { "convert", bmp, (char *)path, NULL };
	pid_t pid;
	int st = -1;

	kiosk_render_now(k);
	if (n < 4 || strcmp(path + n - 4, ".png"))
		return render_shot(k->render, path) < 0 ? fail(r, "cannot write shot", path) : 0;
	if (util_fmt(bmp, sizeof(bmp), "%s.bmp", path) < 0 || render_shot(k->render, bmp) < 0)
		return fail(r, "cannot write shot", path);
	if (posix_spawnp(&pid, "convert", NULL, NULL, argv, environ) != 0 ||
	    waitpid(pid, &st, 0) < 0 || !WIFEXITED(st) || WEXITSTATUS(st) != 0)
		return fail(r, "convert failed for", path);
	remove(bmp);
	return 0;
}

static int dump(struct replay *r, struct kiosk *k, const char *path)
{
	FILE *f = fopen(path, "we");

	if (!f)
		return fail(r, "cannot write dump", path);
	kiosk_build_now(k);
	ui_tree_dump(&k->tree, f, render_missing_glyphs, render_measure(k->render, &k->tree));
	fprintf(f, "cache entries=%d\n", render_cache_count(k->render));
	fprintf(f, "alert sound=%s\n", k->alert_played > 0 ? "played" : k->alert_played < 0 ?
		"no-audio" : "off");
	return fclose(f) == 0 ? 0 : fail(r, "cannot write dump", path);
}

static uint64_t rng_next(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/* n random actions from seed: taps on widgets and anywhere, keys, typing, waits. */
static int monkey(struct kiosk *k, long n, uint64_t seed)
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
			push_tap(k, w->r.x + w->r.w / 2, w->r.y + w->r.h / 2);
		} else if (what < 62) {
			push_tap(k, (int)((x >> 8) % (uint64_t)(k->tree.lw + 1)),
				 (int)((x >> 24) % (uint64_t)(k->tree.lh + 1)));
		} else if (what < 75) {
			key(NULL, keys[(x >> 8) % (sizeof(keys) / sizeof(keys[0]))]);
		} else if (what < 88) {
			type_text(texts[(x >> 8) % (sizeof(texts) / sizeof(texts[0]))]);
		} else if (what < 98) {
			kiosk_advance(k, (x >> 8) % 3000);
		} else {
			kiosk_advance(k, (x >> 8) % ((uint64_t)k->idle_s * 2000 + 1));
		}
		kiosk_pump(k, i % 64 == 0);
	}
	return 0;
}

/* outbox_set_fault callback: fails the store step named by arg (a test of Send failing). */
static int fail_step(const char *step, void *arg)
{
	return !strcmp(step, (const char *)arg);
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

/* Splits "cmd arg" at the first space; arg is "" when absent. */
static char *split(char *line)
{
	char *sp = strchr(line, ' ');

	if (!sp)
		return line + strlen(line);
	*sp = '\0';
	return sp + 1;
}

int replay_step(struct replay *r, struct kiosk *k)
{
	char line[1024], *cmd, *arg;
	size_t n;

	do {
		if (!fgets(line, sizeof(line), r->f))
			return 1;
		r->line++;
		n = strlen(line);
		while (n && (line[n - 1] == '\n' || line[n - 1] == '\r'))
			line[--n] = '\0';
	} while (!n || line[0] == '#');
	cmd = line;
	arg = split(line);
	if (!strcmp(cmd, "tap"))
		return tap(r, k, arg);
	if (!strcmp(cmd, "hold"))
		return hold(r, k, arg);
	if (!strcmp(cmd, "tap-if")) {   /* only when the widget is there (review pages) */
		kiosk_build_now(k);
		return ui_find(&k->tree, arg) ? tap(r, k, arg) : 0;
	}
	if (!strcmp(cmd, "type"))
		return type_text(arg), 0;
	if (!strcmp(cmd, "key"))
		return key(r, arg);
	if (!strcmp(cmd, "wait"))
		return kiosk_advance(k, strtoull(arg, NULL, 10)), 0;
	if (!strcmp(cmd, "expect")) {
		kiosk_build_now(k);
		if (strcmp(k->tree.screen, arg))
			return error("%s:%d: expected screen %s, but the screen is %s", r->path,
				     r->line, arg, k->tree.screen);
		return 0;
	}
	if (!strcmp(cmd, "expect-text"))
		return tree_has(k, arg) ? 0 : fail(r, "no widget shows", arg);
	if (!strcmp(cmd, "expect-no-text"))
		return !tree_has(k, arg) ? 0 : fail(r, "a widget shows", arg);
	if (!strcmp(cmd, "expect-cached"))
		return render_cache_holds(k->render, arg) ? 0 : fail(r, "not in the text cache:", arg);
	if (!strcmp(cmd, "expect-not-cached"))
		return !render_cache_holds(k->render, arg) ? 0 : fail(r, "still in the text cache:", arg);
	if (!strcmp(cmd, "expect-measured"))
		return text_holds(arg) ? 0 : fail(r, "not in the measuring buffer:", arg);
	if (!strcmp(cmd, "expect-not-measured"))
		return !text_holds(arg) ? 0 : fail(r, "still in the measuring buffer:", arg);
	if (!strcmp(cmd, "shot"))
		return shot(r, k, arg);
	if (!strcmp(cmd, "dump"))
		return dump(r, k, arg);
	if (!strcmp(cmd, "sync-start"))   /* the background uploader, as the kiosk runs it */
		return kiosk_sync_start(&k->sync, k->state_dir, kiosk_wake, NULL) < 0 ? fail(r, "cannot start", "sync") : 0;
	if (!strcmp(cmd, "wait-sync"))    /* real time: until the outbox has nothing waiting */
		return kiosk_sync_wait(&k->sync, k->sub.ob, atoi(arg)) < 0 ? fail(r, "not sent:", arg) : 0;
	if (!strcmp(cmd, "fail-store")) {  /* the next stores fail at this step (disk full...) */
		snprintf(r->fault, sizeof(r->fault), "%s", arg);
		outbox_set_fault(r->fault[0] ? fail_step : NULL, r->fault);
		return 0;
	}
	if (!strcmp(cmd, "wait-status"))  /* real time: until the host's line on Welcome shows */
		return wait_status(k, atoi(arg)) < 0 ? fail(r, "no host status line after ms:", arg) : 0;
	if (!strcmp(cmd, "wait-print"))   /* real time: until the printed receipt's (and the host's test page's) outcome is in */
		return print_wait(&k->print, atoi(arg)) < 0 || print_wait(&k->host.print, atoi(arg)) < 0 ?
		       fail(r, "still printing after ms:", arg) : 0;
	if (!strcmp(cmd, "monkey")) {
		char *seed = split(arg);
		return monkey(k, strtol(arg, NULL, 10), strtoull(seed, NULL, 10));
	}
	return fail(r, "unknown command", cmd);
}
