/*
 * kiosk.c — the kiosk's loop: SDL events in, semantic events to the current screen, a
 * rebuilt widget tree and a frame out only when something changed. It sleeps in
 * SDL_WaitEvent unless an idle timer runs (STYLE.md habit 5). It holds the one visit's
 * answers in memory and forgets them (cleansed) on idle, after the receipt, or on failure.
 */
#include "platform/assets.h"
#include "app/kiosk/kiosk.h"
#include "sync/rules/form.h"
#include "platform/i18n.h"
#include "app/media/icons.h"
#include "app/media/speech.h"
#include "app/ui/chime.h"
#include "app/ui/layout.h"
#include "app/ui/render.h"
#include "app/kiosk/replay.h"
#include "app/ui/text.h"
#include "app/ui/theme.h"
#include "platform/util.h"

#include <SDL.h>
#include <malloc.h>
#include <string.h>
#include <unistd.h>

static const struct { const char *code, *name; } lang_names[] = {
	{ "nl", "Nederlands" }, { "en", "English" }, { "ar", "العربية" }, { "tr", "Türkçe" },
	{ "pl", "Polski" }, { "uk", "Українська" }, { "ti", "ትግርኛ" },
};

const char *kiosk_lang_name(const char *code)
{
	for (size_t i = 0; i < sizeof(lang_names) / sizeof(lang_names[0]); i++)
		if (!strcmp(lang_names[i].code, code))
			return lang_names[i].name;
	return code;
}

unsigned kiosk_icon(const char *name)
{
	return name ? icons_codepoint(name) : 0;
}

size_t kiosk_lang_count(const struct kiosk *k)
{
	return k->sub.form ? form_lang_count(k->sub.form) : sizeof(lang_names) / sizeof(lang_names[0]);
}

const char *kiosk_lang_code(const struct kiosk *k, size_t i)
{
	if (i >= kiosk_lang_count(k))
		return NULL;
	return k->sub.form ? form_lang(k->sub.form, i) : lang_names[i].code;
}

int kiosk_can_speak(const struct kiosk *k)
{
	return !k->no_speech && speech_has_voice(k->lang);
}

int kiosk_speaking(const struct kiosk *k)
{
	return k->speech && speech_is_playing(k->speech);
}

void kiosk_set_lang(struct kiosk *k, const char *lang)
{
	snprintf(k->lang, sizeof(k->lang), "%s", lang);
	k->rtl = !strcmp(lang, "ar");
	i18n_set_lang(k->lang);         /* no setenv: the uploader thread reads the environment */
	if (k->speech)
		speech_stop(k->speech);
	k->screen_gen++;                /* "always read aloud" reads it again in this language */
	k->dirty = 1;
}

int kiosk_answers_crisis(const struct kiosk *k)
{
	const json_t *v = json_object_get(k->person.answers, "crisis"), *e;
	size_t i;

	if (json_is_string(v))
		return strcmp(json_string_value(v), "none") != 0;
	json_array_foreach(v, i, e)
		if (json_is_string(e) && strcmp(json_string_value(e), "none"))
			return 1;
	return 0;
}

void kiosk_call_host(struct kiosk *k)
{
	if (!k->crisis_alert)
		host_raise_alert(k);   /* stays, also after the wipe, until the host acknowledges */
	if (!k->crisis_alert && k->cfg.alert_sound)
		k->alert_played = chime_play() == 0 ? 1 : -1;
	k->crisis_alert = 1;
	k->dirty = 1;
}

const struct question *kiosk_question(const struct kiosk *k)
{
	if (!k->sub.form || k->qi < 0 || (size_t)k->qi >= form_count(k->sub.form))
		return NULL;
	return form_question(k->sub.form, (size_t)k->qi);
}

void kiosk_go(struct kiosk *k, const struct screen *s)
{
	k->screen = s;
	k->focus[0] = '\0';
	if (s->enter)
		s->enter(k);
	k->screen_gen++;
	k->dirty = 1;
}

void kiosk_open_question(struct kiosk *k, int i)
{
	const struct question *q;

	k->qi = i >= 0 && k->sub.form ? (int)form_screen_of(k->sub.form, (size_t)i) : i;
	q = kiosk_question(k);
	k->problem = NULL;
	if (!q || q->type == Q_CONSENT)   /* a consent is asked on the review page */
		return kiosk_go(k, &screen_review);
	switch (q->type) {
	case Q_SINGLE: case Q_MULTI: case Q_CONSENT:
		return kiosk_go(k, &screen_choice);
	case Q_DATE:
		return kiosk_go(k, &screen_date);
	default:
		return kiosk_go(k, &screen_entry);
	}
}

/* Drops answers of questions that are no longer visible (crisis changed to "none"). */
static void drop_hidden(struct kiosk *k)
{
	for (size_t i = 0; i < form_count(k->sub.form); i++) {
		const struct question *q = form_question(k->sub.form, i);
		const char *ids[2];
		size_t n = form_answer_ids(q, ids);
		if (form_is_visible(k->sub.form, q, k->person.answers))
			continue;
		for (size_t j = 0; j < n; j++)
			json_object_del(k->person.answers, ids[j]);
	}
}

void kiosk_next_question(struct kiosk *k)
{
	int n = (int)form_count(k->sub.form), i;

	drop_hidden(k);
	if (k->from_review) {
		k->from_review = 0;
		return kiosk_go(k, &screen_review);
	}
	i = form_step_screen(k->sub.form, k->qi, 1, k->person.answers);
	if (i >= n) {
		k->review_page = 0;
		return kiosk_go(k, &screen_review);
	}
	kiosk_open_question(k, i);
}

void kiosk_prev_question(struct kiosk *k)
{
	int i;

	if (k->from_review) {
		k->from_review = 0;
		return kiosk_go(k, &screen_review);
	}
	i = form_step_screen(k->sub.form, k->qi, -1, k->person.answers);
	if (i < 0)
		return kiosk_go(k, &screen_welcome);
	kiosk_open_question(k, i);
}

void kiosk_progress(const struct kiosk *k, int *pos, int *total)
{
	form_progress(k->sub.form, k->qi, k->person.answers, pos, total);
}

void kiosk_set_answer(struct kiosk *k, const char *id, json_t *value)
{
	if (value)
		json_object_set_new(k->person.answers, id, value);
	else
		json_object_del(k->person.answers, id);
}

void kiosk_wipe(struct kiosk *k)
{
	answers_wipe(&k->person);         /* every copy of the answers and typed text */
	qr_free(&k->qr);
	print_forget(&k->print);
	ui_tree_cleanse(&k->tree);
	if (k->render)
		render_forget(k->render);
	if (k->speech)
		speech_stop(k->speech);
	k->problem = NULL;
	k->qi = -1;
	k->from_review = 0;
	k->consent_room = 0;
	k->crisis_alert = 0;
	k->alert_played = 0;
	k->send_failed = 0;
	k->staff_return = NULL;
	k->idle_return = NULL;
	host_pin_clear(k);
	k->host.note = NOTE_NONE;
	k->lang_return = NULL;
	k->always_speak = 0;
	kiosk_set_lang(k, k->default_lang);
	kiosk_go(k, k->field ? &screen_field : host_idle_screen(k));   /* Welcome, or closed for the day */
}

/* Called by submit_answers per refused answer: remember the first one. */
static void on_problem(const char *question_id, const char *msgid, void *arg)
{
	struct kiosk *k = arg;
	const struct question *q;

	if (k->problem || !(q = form_find(k->sub.form, question_id)))
		return;
	for (size_t i = 0; i < form_count(k->sub.form); i++)
		if (form_question(k->sub.form, i) == q)
			k->qi = (int)i;
	k->problem = msgid;
}

/* The record is in the outbox: print its receipt in the background (never waits). */
static void start_print(struct kiosk *k)
{
	json_t *doc = k->cfg.printer[0] ? print_receipt_doc(k) : NULL;

	print_start(&k->print, k->cfg.printer, doc);
	json_decref(doc);
}

void kiosk_send(struct kiosk *k)
{
	struct submit_result res;
	char qr[QR_MAX_TEXT + 1];
	int rc;

	memset(&res, 0, sizeof(res));
	k->problem = NULL;
	rc = submit_answers(&k->sub, k->person.answers, k->lang, NULL, on_problem, k, &res);
	if (rc == 0) {
		k->person.result = res;
		qr_free(&k->qr);
		if (qr_receipt_text(res.ref, res.created_at, k->cfg.crisis_phone, qr, sizeof(qr)) < 0 ||
		    qr_make(qr, &k->qr) < 0)
			warning("no QR code for the receipt");
		util_cleanse(qr, sizeof(qr));
		util_cleanse(&res, sizeof(res));
		kiosk_sync_kick(&k->sync);
		start_print(k);
		if (k->person.result.triage.crisis)
			host_raise_alert(k);
		if (k->person.result.triage.crisis && k->cfg.alert_sound)
			k->alert_played = chime_play() == 0 ? 1 : -1;
		return kiosk_go(k, &screen_receipt);
	}
	util_cleanse(&res, sizeof(res));
	if (rc == 1 && k->problem) {
		const char *msg = k->problem;
		kiosk_open_question(k, k->qi);
		k->problem = msg;
		k->from_review = 1;
		return;
	}
	if (kiosk_answers_crisis(k)) {    /* nothing stored: keep the crisis for the host */
		k->send_failed = 1;
		kiosk_call_host(k);
		return kiosk_go(k, &screen_ask_host);
	}
	kiosk_wipe(k);                    /* failure: nothing stored, forget the person */
	kiosk_go(k, &screen_ask_host);
}

/* ---- time and idle ---- */

static uint64_t clock_ms(struct kiosk *k)
{
	return k->virtual_clock ? k->now_ms : SDL_GetTicks64();
}

/* Environment overrides (tests) for the idle times of the config. */
static int env_seconds(const char *name, int dflt)
{
	const char *v = getenv(name);
	int n;

	if (!v || sscanf(v, "%d", &n) != 1 || n < 1 || n > 86400)
		return dflt;
	return n;
}

/* The quiet time of the screen shown: per question type (a date or an address sends the
 * person to look for a letter), the long host wait on "talk to a staff member". */
static int idle_seconds(struct kiosk *k)
{
	const struct screen *s = k->screen;
	const struct question *q = kiosk_question(k);

	if (s == &screen_staff)
		return k->host_wait_s;
	if (q && (s == &screen_choice || s == &screen_entry || s == &screen_date))
		return config_idle_for(&k->cfg, form_type_name(q->type), k->idle_s);
	return k->idle_s;
}

/* 1 while the answers wait for the host with no timer: the host was called for a
 * crisis (staff screen after its wait, or a failed Send of a crisis). */
static int waits_for_host(const struct kiosk *k)
{
	return k->crisis_alert && (k->screen == &screen_staff ||
				   (k->screen == &screen_ask_host && k->send_failed));
}

/* Starts or stops the timer a screen needs: idle on the question screens, countdown on
 * "are you still there", the receipt's own time. */
static void arm_timer(struct kiosk *k)
{
	const struct screen *s = k->screen;

	if (s == &screen_still_there)
		return;   /* armed once on entry (kiosk_tick) */
	if (s == &screen_field) {
		k->deadline_ms = kiosk_field_deadline(k);
		return;
	}
	if (s == &screen_receipt)
		k->deadline_ms = k->last_input_ms + (uint64_t)k->receipt_s * 1000;
	else if (s == &screen_not_ready || waits_for_host(k) ||
		 ((s == &screen_welcome || s == &screen_closed) && !json_object_size(k->person.answers) &&
		  !strcmp(k->lang, k->default_lang)))
		k->deadline_ms = 0;
	else
		k->deadline_ms = k->last_input_ms + (uint64_t)idle_seconds(k) * 1000;
}

/* The warning before a wipe is heard as well as seen (WCAG 2.2.1): the screen's text
 * read aloud where the language has a voice, else the chime. */
static void warn_aloud(struct kiosk *k)
{
	char text[1024] = "";

	if (!kiosk_can_speak(k) || (!k->speech && speech_open(&k->speech) < 0)) {
		if (chime_play() == 0)
			k->warned = 2;
		return;
	}
	k->screen->spoken(k, text, sizeof(text));
	if (speech_say(k->speech, k->lang, text) == 0)
		k->warned = 1;
	k->said_gen = k->screen_gen;   /* "always read aloud" need not read it again */
}

/* The press a release may turn into a tap (on_pointer); host mode's hold drops it. */
static char pressed[UI_ID_MAX];

/* 1 on the screens only a host sees. */
static int host_screen(const struct screen *s)
{
	return s == &screen_host_pin || s == &screen_host;
}

/* Host mode's timers: the corner hold, and the PIN wait's countdown. 1 when the screen
 * changed. */
static int host_timers(struct kiosk *k, uint64_t now)
{
	if (host_tick(k, now, NULL)) {
		pressed[0] = '\0';   /* the hold's release is not a tap on the PIN screen */
		return 1;
	}
	if (k->screen == &screen_host_pin && k->host.pin_state == PIN_WAIT) {
		if (host_pin_wait_left(k) == 0)
			k->host.pin_state = PIN_ENTER;
		return 1;   /* the seconds left change */
	}
	return 0;
}

/* Runs due timers; returns 1 when the screen changed. */
static int kiosk_tick(struct kiosk *k)
{
	uint64_t now = clock_ms(k);

	if (host_timers(k, now))
		return 1;

	if (k->screen == &screen_still_there) {
		if (now >= k->deadline_ms) {
			kiosk_wipe(k);
			return 1;
		}
		return 1;  /* the countdown number changes */
	}
	if (!k->deadline_ms || now < k->deadline_ms)
		return 0;
	if (k->screen == &screen_field) {   /* idle: the field locks */
		kiosk_field_lock(k);
		k->deadline_ms = 0;
		return 1;
	}
	if (k->screen == &screen_receipt || k->screen == &screen_ask_host || host_screen(k->screen)) {
		kiosk_wipe(k);   /* a host who walked away: host mode ends */
		return 1;
	}
	if (k->screen == &screen_staff && kiosk_answers_crisis(k)) {
		kiosk_call_host(k);   /* never wiped silently: the banner stays until a host taps */
		k->deadline_ms = 0;
		return 1;
	}
	k->idle_return = k->screen;
	kiosk_go(k, &screen_still_there);
	k->deadline_ms = now + (uint64_t)k->countdown_s * 1000;
	warn_aloud(k);
	return 1;
}

int kiosk_countdown_left(const struct kiosk *k)
{
	uint64_t now = k->virtual_clock ? k->now_ms : SDL_GetTicks64();
	return now >= k->deadline_ms ? 0 : (int)((k->deadline_ms - now + 999) / 1000);
}

void kiosk_resume(struct kiosk *k, const struct screen *s)
{
	k->screen = s ? s : &screen_welcome;
	k->focus[0] = '\0';
	k->screen_gen++;
	k->dirty = 1;
}

void kiosk_advance(struct kiosk *k, uint64_t ms)
{
	while (ms > 0) {
		uint64_t step = ms > 250 ? 250 : ms;
		k->now_ms += step;
		ms -= step;
		if (kiosk_tick(k))
			k->dirty = 1;
		arm_timer(k);
	}
}

/* ---- input ---- */

/* Reads the screen aloud (what its spoken callback writes: on the review also the
 * answers, so the text is cleansed after use). */
static void speak(struct kiosk *k)
{
	char text[4096] = "";

	k->said_gen = k->screen_gen;
	if (!kiosk_can_speak(k) || !k->screen->spoken)
		return;
	if (!k->speech && speech_open(&k->speech) < 0) {
		k->no_speech = 1;   /* no audio: the button says so from now on */
		return;
	}
	k->screen->spoken(k, text, sizeof(text));
	if (text[0] && speech_say(k->speech, k->lang, text) < 0)
		warning("read aloud failed on screen %s", k->screen->id);
	util_cleanse(text, sizeof(text));
}

/* The speaker button: reads the screen, or stops when it is being read (tap again). */
static void speak_toggle(struct kiosk *k)
{
	if (kiosk_speaking(k))
		speech_stop(k->speech);
	else
		speak(k);
}

/* Activates a widget: the language, read-aloud and staff buttons are the kiosk's; the
 * rest goes to the screen. */
static void activate(struct kiosk *k, const struct ui_widget *w)
{
	struct kiosk_event ev = { .kind = EV_ACTIVATE, .w = w };

	snprintf(k->focus, sizeof(k->focus), "%s", w->id);
	switch (w->action) {
	case ACT_LANG:
		if (w->arg >= 0 && kiosk_lang_code(k, (size_t)w->arg))
			kiosk_set_lang(k, kiosk_lang_code(k, (size_t)w->arg));
		if (k->screen == &screen_language)   /* back where the person was, answers kept */
			kiosk_resume(k, k->lang_return);
		break;
	case ACT_LANG_MENU:
		if (k->screen != &screen_language)
			k->lang_return = k->screen;
		kiosk_go(k, &screen_language);
		break;
	case ACT_SPEAK:
		speak_toggle(k);
		break;
	case ACT_ALWAYS_SPEAK:
		k->always_speak = !k->always_speak && kiosk_can_speak(k);
		if (k->always_speak)
			speak(k);
		else if (k->speech)
			speech_stop(k->speech);
		break;
	case ACT_STAFF:   /* from a failed Send the host's Continue goes to the review */
		k->staff_return = k->screen == &screen_ask_host ? &screen_review : k->screen;
		kiosk_go(k, &screen_staff);
		break;
	default:
		if (k->screen->event && k->screen->event(k, &ev))
			k->dirty = 1;
	}
	k->dirty = 1;
}

static void send_key(struct kiosk *k, int key)
{
	struct kiosk_event ev = { .kind = EV_KEY, .key = key };

	if (k->screen->event && k->screen->event(k, &ev))
		k->dirty = 1;
}

static void on_key(struct kiosk *k, const SDL_Keysym *ks)
{
	struct ui_widget *w;

	switch (ks->sym) {
	case SDLK_TAB:
		k->focus_visible = 1;
		ui_focus_step(&k->tree, k->focus, (ks->mod & KMOD_SHIFT) ? -1 : 1, k->focus);
		k->dirty = 1;
		break;
	case SDLK_RETURN: case SDLK_KP_ENTER: case SDLK_SPACE:
		w = k->focus[0] ? ui_find(&k->tree, k->focus) : NULL;
		if (w && (w->flags & UI_FOCUSABLE) && !(w->flags & UI_DISABLED))
			activate(k, w);
		else if (ks->sym != SDLK_SPACE && (w = ui_find(&k->tree, "next")))
			activate(k, w);
		else if (ks->sym != SDLK_SPACE)
			send_key(k, KEY_ENTER);
		break;
	case SDLK_ESCAPE: case SDLK_AC_BACK:
		if ((w = ui_find(&k->tree, "back")) && !(w->flags & UI_DISABLED))
			activate(k, w);
		break;
	case SDLK_BACKSPACE:
		send_key(k, KEY_BACKSPACE);
		break;
	case SDLK_UP: case SDLK_DOWN: case SDLK_PAGEUP: case SDLK_PAGEDOWN:   /* a list that scrolls */
		send_key(k, ks->sym == SDLK_UP ? KEY_UP : ks->sym == SDLK_DOWN ? KEY_DOWN :
			 ks->sym == SDLK_PAGEUP ? KEY_PAGE_UP : KEY_PAGE_DOWN);
		k->focus_visible = 1;
		break;
	case SDLK_h:   /* Ctrl+Alt+H: host mode from a keyboard (ICT, the replay driver) */
		if ((ks->mod & KMOD_CTRL) && (ks->mod & KMOD_ALT) && host_enter(k))
			pressed[0] = '\0';
		break;
	default:
		break;
	}
}

/* A second tap on the same option of the same screen within DOUBLE_TAP_MS is the same
 * tap: a tired or shaky double tap must not untick what it just ticked. Only options
 * (ROLE_CHOICE) toggle; keys, PIN digits and buttons take every tap. */
#define DOUBLE_TAP_MS 400

static int double_tap(struct kiosk *k, const struct ui_widget *w)
{
	uint64_t now = clock_ms(k);
	int again = w->role == ROLE_CHOICE && k->tap_gen == k->screen_gen &&
		    !strcmp(k->tap_id, w->id) && now - k->tap_ms < DOUBLE_TAP_MS;

	snprintf(k->tap_id, sizeof(k->tap_id), "%s", w->id);
	k->tap_ms = now;
	k->tap_gen = k->screen_gen;
	return again;
}

/* A press or release at pixel (px, py): a tap activates the widget it started on. */
static void on_pointer(struct kiosk *k, int px, int py, int down)
{
	struct ui_widget *w;
	int lx, ly;

	render_to_logical(k->render, px, py, &lx, &ly);
	host_pointer(k, lx, ly, down, clock_ms(k));   /* the corner hold (host mode) */
	w = ui_hit(&k->tree, lx, ly);
	if (down) {
		snprintf(pressed, sizeof(pressed), "%s", w ? w->id : "");
		k->focus_visible = 0;   /* a finger needs no focus ring */
		k->dirty = 1;
		return;
	}
	if (w && !strcmp(pressed, w->id) && !double_tap(k, w))
		activate(k, w);
	pressed[0] = '\0';
}

/* The mouse wheel (a touchpad's two-finger scroll) over the screen: the widget under the
 * pointer comes with it, so a list scrolls where the pointer is. */
static void on_wheel(struct kiosk *k, const SDL_MouseWheelEvent *e)
{
	struct kiosk_event ev = { .kind = EV_KEY };
	int lx, ly, dy = e->direction == SDL_MOUSEWHEEL_FLIPPED ? -e->y : e->y;

	if (!dy)
		return;
	render_to_logical(k->render, e->mouseX, e->mouseY, &lx, &ly);
	ev.w = ui_hit(&k->tree, lx, ly);
	ev.key = dy > 0 ? KEY_WHEEL_UP : KEY_WHEEL_DOWN;
	for (int i = 0; i < (dy < 0 ? -dy : dy) && i < 16; i++)   /* one event a notch */
		if (k->screen->event && k->screen->event(k, &ev))
			k->dirty = 1;
}

static void on_text(struct kiosk *k, const char *text)
{
	struct kiosk_event ev = { .kind = EV_TEXT, .text = text };

	if (k->screen->event && k->screen->event(k, &ev))
		k->dirty = 1;
}

/* One SDL event; input of any kind restarts the idle clock. */
static void handle(struct kiosk *k, const SDL_Event *e)
{
	int w, h;

	switch (e->type) {
	case SDL_QUIT:
		k->quit = 1;
		return;
	case SDL_APP_WILLENTERBACKGROUND:
		kiosk_field_lock(k);
		return;
	case SDL_WINDOWEVENT:
		if (e->window.event == SDL_WINDOWEVENT_MINIMIZED || e->window.event == SDL_WINDOWEVENT_FOCUS_LOST)
			kiosk_field_lock(k);   /* lid closed, laptop suspended, window left */
		if (render_resized(k->render))
			k->dirty = 1;
		render_invalidate(k->render);
		return;
	case SDL_MOUSEBUTTONDOWN: case SDL_MOUSEBUTTONUP:
		if (e->button.which == SDL_TOUCH_MOUSEID || e->button.button != SDL_BUTTON_LEFT)
			return;
		on_pointer(k, e->button.x, e->button.y, e->type == SDL_MOUSEBUTTONDOWN);
		break;
	case SDL_FINGERDOWN: case SDL_FINGERUP:
		SDL_GetWindowSize(SDL_GetWindowFromID(e->tfinger.windowID), &w, &h);
		if (w <= 0 || h <= 0)
			SDL_GetWindowSize(SDL_GetMouseFocus(), &w, &h);
		on_pointer(k, (int)(e->tfinger.x * (float)w), (int)(e->tfinger.y * (float)h),
			   e->type == SDL_FINGERDOWN);
		break;
	case SDL_MOUSEMOTION:
		render_to_logical(k->render, e->motion.x, e->motion.y, &w, &h);
		host_pointer_moved(k, w, h);
		return;
	case SDL_FINGERMOTION:
		k->host.holding = 0;   /* a finger that moves is not holding the corner */
		return;
	case SDL_USEREVENT:
		if (k->screen == &screen_host)
			host_refresh(k);   /* the uploader or the printer has news for the host */
		return;
	case SDL_KEYDOWN:
		on_key(k, &e->key.keysym);
		break;
	case SDL_TEXTINPUT:
		on_text(k, e->text.text);
		break;
	case SDL_MOUSEWHEEL:
		on_wheel(k, &e->wheel);
		break;
	default:
		return;
	}
	k->last_input_ms = clock_ms(k);
}

/* ---- frames ---- */

/* Rebuilds the tree when dirty; keeps the focus only while its widget is still there. */
static void build(struct kiosk *k)
{
	struct ui_widget *f;
	int lw, lh;

	render_logical_size(k->render, &lw, &lh);
	for (int sq = 0; sq <= UI_SQUEEZE_MAX; sq++) {   /* smaller text until the screen fits */
		ui_tree_reset(&k->tree, k->screen->id, k->lang, k->rtl, lw, lh, THEME_BG);
		k->tree.squeeze = sq;
		k->screen->build(k, &k->tree, render_measure(k->render, &k->tree));
		if (!layout_tree_problems(&k->tree, render_measure(k->render, &k->tree), NULL))
			break;
	}
	if (k->rtl)
		ui_tree_mirror(&k->tree);
	f = k->focus[0] ? ui_find(&k->tree, k->focus) : NULL;
	if (!f || !(f->flags & UI_FOCUSABLE))
		k->focus[0] = '\0';
	k->dirty = 0;
}

static void redraw(struct kiosk *k)
{
	static int first = 1;
	uint64_t t0 = SDL_GetPerformanceCounter();
	int rebuilt = k->dirty, shown;

	if (rebuilt)
		build(k);
	shown = render_frame(k->render, &k->tree, k->focus_visible ? k->focus : NULL);
	if (shown && first) {
		first = 0;
		malloc_trim(0);   /* give start-up's freed heap (form, keys, fonts) back */
		if (getenv("INLOOP_BENCH_FIRST_FRAME"))
			fprintf(stderr, "first_frame_ms=%.1f\n", render_ms_since_start());
	}
	if (shown && k->bench_frames) {
		double us = (double)(SDL_GetPerformanceCounter() - t0) * 1e6 /
			    (double)SDL_GetPerformanceFrequency();
		fprintf(k->bench_frames, "%.0f\n", us);
		fflush(k->bench_frames);
	}
}

/* How long the loop may sleep: forever (-1) unless a timer runs. */
static int sleep_ms(struct kiosk *k)
{
	uint64_t now = clock_ms(k), due = k->host.hold_since_ms + HOST_HOLD_MS;

	if (k->host.holding)   /* wake when the corner has been held long enough */
		return now >= due ? 0 : (int)(due - now);
	if (k->screen == &screen_host_pin && k->host.pin_state == PIN_WAIT)
		return 1000;   /* the PIN wait counts down */
	if (chime_busy() || kiosk_speaking(k) != k->speaking_shown)
		return 200;   /* close the audio device soon after the chime; speaker button */
	if (!k->deadline_ms)
		return -1;
	if (now >= k->deadline_ms)
		return 0;
	if (k->screen == &screen_still_there)  /* wake each second for the countdown */
		return (int)((k->deadline_ms - now) % 1000 ? (k->deadline_ms - now) % 1000 : 1000);
	return (int)(k->deadline_ms - now);
}

static void run_loop(struct kiosk *k)
{
	SDL_Event e;

	while (!k->quit) {
		int ms = sleep_ms(k);
		int got = ms < 0 ? SDL_WaitEvent(&e) : SDL_WaitEventTimeout(&e, ms);
		if (got)
			handle(k, &e);
		kiosk_pump(k, 1);
	}
}

/* The uploader's status line is for the host: composed in the host's language. */
static int sync_refresh(struct kiosk *k)
{
	char saved[8];
	int changed;

	snprintf(saved, sizeof(saved), "%s", i18n_lang());
	i18n_set_lang(i18n_host_lang());
	changed = kiosk_sync_refresh(&k->sync);
	i18n_set_lang(saved);
	if (changed)
		host_sync_seen(k);
	return changed;
}

/* Handles the queued events, runs due timers, refreshes the host's line on Welcome, then
 * draws (render) or at least rebuilds a stale tree. The loop's one step after waking. */
void kiosk_pump(struct kiosk *k, int render)
{
	SDL_Event e;

	while (SDL_PollEvent(&e))
		handle(k, &e);
	kiosk_field_sleep_check(k);   /* lid closed, suspend: locked before the laptop sleeps */
	if (kiosk_tick(k))
		k->dirty = 1;
	arm_timer(k);
	if (k->screen == &screen_welcome && sync_refresh(k))
		k->dirty = 1;
	if (k->screen == &screen_receipt && print_status(&k->print, NULL) != k->print_shown)
		k->dirty = 1;   /* the printer's outcome arrived: the host's line changes */
	if (k->screen == &screen_host && print_status(&k->host.print, NULL) != k->host.print_shown)
		k->dirty = 1;   /* the printer check or the test page has its outcome */
	if (k->always_speak && k->said_gen != k->screen_gen)
		speak(k);       /* "always read aloud": each new screen, each language change */
	if (kiosk_speaking(k) != k->speaking_shown)
		k->dirty = 1;   /* the speaker button shows "stop" only while it reads */
	if (render)
		redraw(k);
	else if (k->dirty)
		build(k);
}

static void run_replay(struct kiosk *k)
{
	int rc = 0;

	while (!k->quit && rc == 0) {
		kiosk_pump(k, 1);
		rc = replay_step(k->replay, k);
	}
	if (rc < 0)
		k->quit = 2;
}

/* ---- start and end ---- */

/* Wakes the loop from another thread (the uploader after each pass): SDL_PushEvent is
 * thread-safe; the loop then refreshes the host's status line. */
void kiosk_wake(void *arg)
{
	SDL_Event e;

	(void)arg;
	memset(&e, 0, sizeof(e));
	e.type = SDL_USEREVENT;
	SDL_PushEvent(&e);
}

/* 1 when STATE_DIR/name exists. */
static int state_has(const struct kiosk *k, const char *name)
{
	char path[4200];

	return config_path(&k->cfg, name, path, sizeof(path)) >= 0 &&
	       access(path, F_OK) == 0;
}

/* 1 when the shipped form and holiday calendar load (stderr says why not). */
static int assets_load(void)
{
	char assets[4096], path[4200];
	struct form *f = NULL;
	struct calendar *c = NULL;
	int ok;

	ok = assets_dir(assets, sizeof(assets)) == 0 &&
	     util_fmt(path, sizeof(path), "%s/forms/registration.json", assets) >= 0 &&
	     form_load(path, &f) == 0 &&
	     util_fmt(path, sizeof(path), "%s/holidays.json", assets) >= 0 &&
	     calendar_load(path, &c) == 0;
	form_free(f);
	calendar_free(c);
	return ok;
}

/* Which part failed, in words a host can pass on to ICT (the log has the details). */
static int not_ready_reason(const struct kiosk *k, int config_rc)
{
	if (!state_has(k, STATE_CONFIG) || !state_has(k, STATE_KEY) || !state_has(k, STATE_CERT))
		return NR_NOT_ENROLLED;
	if (config_rc < 0)
		return NR_SETTINGS;
	if (!assets_load())
		return NR_PROGRAM;
	return NR_FILES;
}

/* Loads the device's state folder (config.json, read once: the submit path and the
 * uploader are handed k->cfg) and opens the form, calendar, key and outbox. A failure's
 * message (with file paths) goes to stderr, the log; the screen shows only its kind. */
static void open_state(struct kiosk *k, const char *state_dir)
{
	int rc = config_load(state_dir, &k->cfg), crc = rc;

	if (rc == 0)
		rc = submit_ctx_open(&k->cfg, &k->sub);
	if (crc < 0) {   /* the defaults, in the same folder */
		config_defaults(&k->cfg);
		snprintf(k->cfg.dir, sizeof(k->cfg.dir), "%s", state_dir);
	}
	k->ready = rc == 0;
	k->not_ready = k->ready ? NR_NONE : not_ready_reason(k, crc);
}

static void start_lang(struct kiosk *k, const char *want)
{
	const char *lang = "nl";

	if (want && k->sub.form && form_has_lang(k->sub.form, want))
		lang = want;
	else if (want && !k->sub.form && strcmp(kiosk_lang_name(want), want))
		lang = want;   /* not ready: any of the kiosk's languages */
	snprintf(k->default_lang, sizeof(k->default_lang), "%s", lang);
	kiosk_set_lang(k, lang);
}

static void load_icons(void)
{
	char assets[4096];

	if (assets_dir(assets, sizeof(assets)) == 0 && icons_load(assets) == 0)
		text_set_icon_font(icons_font_path());
}

/* The kiosk session (PLATFORM.md §3): a tap arrives once, as a touch, not also as a click.
 * On Wayland SDL draws the window through a GL texture (with the renderer's "no
 * framebuffer acceleration" hint it finds no renderer) and without libdecor. */
static void session_hints(void)
{
	const char *drv = getenv("SDL_VIDEODRIVER");

	SDL_SetHint(SDL_HINT_TOUCH_MOUSE_EVENTS, "0");
	SDL_SetHint(SDL_HINT_MOUSE_TOUCH_EVENTS, "0");
	if (drv && !strcmp(drv, "wayland")) {
		SDL_SetHint(SDL_HINT_VIDEO_WAYLAND_ALLOW_LIBDECOR, "0");
		SDL_SetHintWithPriority(SDL_HINT_FRAMEBUFFER_ACCELERATION, "1", SDL_HINT_OVERRIDE);
	}
}

static void kiosk_free(struct kiosk *k)
{
	answers_release(&k->person);
	qr_free(&k->qr);
	host_free(k);
	kiosk_sync_stop(&k->sync);
	print_stop(&k->print);
	kiosk_field_close(k);
	speech_close(k->speech);
	chime_stop();
	render_close(k->render);
	replay_close(k->replay);
	submit_ctx_close(&k->sub);
	icons_unload();
	if (k->bench_frames)
		fclose(k->bench_frames);
	util_clear_free(k);
}

int kiosk_main(const struct inloop_opts *o, int argc, char **argv)
{
	struct kiosk *k = calloc(1, sizeof(*k));
	const char *bench = getenv("INLOOP_BENCH_FRAMES");
	int rc = 0;

	(void)argv;
	if (!k)
		return error("out of memory"), 1;
	if (argc > 0)
		return kiosk_free(k), error("the kiosk takes no arguments"), 2;
	i18n_init();                      /* every catalogue, before any thread exists */
	open_state(k, o->state);
	host_init(k);
	if (kiosk_field_open(k, o->mode) < 0)
		return kiosk_free(k), 2;
	i18n_set_host_lang(k->cfg.host_lang);
	k->idle_s = env_seconds("INLOOP_IDLE_SECONDS", k->cfg.idle_seconds);
	k->countdown_s = env_seconds("INLOOP_COUNTDOWN_SECONDS", k->cfg.countdown_seconds);
	k->receipt_s = env_seconds("INLOOP_RECEIPT_SECONDS", k->cfg.receipt_seconds);
	k->host_wait_s = env_seconds("INLOOP_HOST_WAIT_SECONDS", k->cfg.host_wait_seconds);
	if (answers_init(&k->person) < 0)
		return kiosk_free(k), 1;
	print_init(&k->print, kiosk_wake, NULL);
	start_lang(k, o->lang);
	load_icons();
	if (bench && *bench)
		k->bench_frames = fopen(bench, "ae");
	session_hints();
	if (render_open(o->windowed, &k->render) < 0 ||
	    (o->replay && replay_open(o->replay, &k->replay) < 0))
		return kiosk_free(k), 1;
	k->virtual_clock = o->replay != NULL;
	if (k->field)
		SDL_StartTextInput();   /* the laptop's keyboard and input method */
	if (k->ready && !o->replay && !o->dump_tree) {  /* replays start it with `sync-start` */
		i18n_set_lang(i18n_host_lang());
		kiosk_sync_start(&k->sync, &k->cfg, kiosk_wake, NULL);
		i18n_set_lang(k->lang);
	}
	kiosk_wipe(k);
	if (o->replay)
		run_replay(k);
	else if (!o->dump_tree)
		run_loop(k);
	if (o->dump_tree) {
		if (k->dirty)
			build(k);
		ui_tree_dump(&k->tree, stdout, render_missing_glyphs, render_measure(k->render, &k->tree));
	}
	rc = k->quit == 2 ? 1 : 0;
	kiosk_wipe(k);
	kiosk_free(k);
	i18n_free();
	return rc;
}

/* ---- for replay.c: the loop's hooks ---- */

void kiosk_build_now(struct kiosk *k)
{
	if (k->dirty)
		build(k);
}

void kiosk_render_now(struct kiosk *k)
{
	redraw(k);
}
