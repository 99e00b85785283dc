/*
 * replay.c — runs replay files (see replay.h) against the live kiosk by pushing real SDL
 * events: the few commands `make demo` needs (tap, tap-if, type, key, wait, expect). The
 * test build (build/inloop-test) adds its own through replay_test_step (replay_test.c).
 */
#include "app/kiosk/replay.h"
#include "app/kiosk/kiosk.h"
#include "app/ui/render.h"
#include "platform/util.h"

#include <SDL.h>
#include <string.h>

#pragma weak replay_test_step   /* only build/inloop-test links replay_test.c */

struct replay {
	FILE *f;
	char path[512];
	int line;
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
	fclose(r->f);
	free(r);
}

int replay_fail(const struct replay *r, const char *what, const char *arg)
{
	return error("%s:%d: %s %s", r->path, r->line, what, arg);
}

void replay_push_tap(struct kiosk *k, int lx, int ly)
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
		return replay_fail(r, "no widget on this screen:", id);
	replay_push_tap(k, w->r.x + w->r.w / 2, w->r.y + w->r.h / 2);
	return 0;
}

void replay_type(const char *text)
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

int replay_key(struct replay *r, const char *name)
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
		return r ? replay_fail(r, "unknown key", name) : -1;
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
	if (!strcmp(cmd, "tap-if")) {   /* only when the widget is there (review pages) */
		kiosk_build_now(k);
		return ui_find(&k->tree, arg) ? tap(r, k, arg) : 0;
	}
	if (!strcmp(cmd, "type"))
		return replay_type(arg), 0;
	if (!strcmp(cmd, "key"))
		return replay_key(r, arg);
	if (!strcmp(cmd, "wait"))
		return kiosk_advance(k, strtoull(arg, NULL, 10)), 0;
	if (!strcmp(cmd, "expect")) {
		kiosk_build_now(k);
		if (strcmp(k->tree.screen, arg))
			return error("%s:%d: expected screen %s, but the screen is %s", r->path,
				     r->line, arg, k->tree.screen);
		return 0;
	}
	if (replay_test_step) {   /* linked only into the test build */
		int rc = replay_test_step(r, k, cmd, arg);
		if (rc != 2)
			return rc;
	}
	return replay_fail(r, "unknown command", cmd);
}
