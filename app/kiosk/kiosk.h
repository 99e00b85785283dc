/*
 * kiosk.h — the kiosk program: the state of one visit (answers in memory only), the
 * screen table, the event loop, idle timers and the wipe. Screens (app/screens/) see a
 * struct kiosk and semantic events; only kiosk.c and app/ui/render.c call SDL.
 */
#ifndef INLOOP_KIOSK_H
#define INLOOP_KIOSK_H

#include "sync/rules/calendar.h"
#include "app/kiosk/answers.h"
#include "app/kiosk/commands.h"
#include "sync/device/config.h"
#include "app/kiosk/host.h"
#include "app/kiosk/kiosk_sync.h"
#include "app/print/print.h"
#include "app/media/qr.h"
#include "sync/device/submit.h"
#include "app/ui/ui.h"

#include <jansson.h>
#include <stdint.h>

/* What activating a widget means (struct ui_widget.action). */
enum kiosk_action {
	ACT_NONE, ACT_START, ACT_BACK, ACT_NEXT, ACT_LANG, ACT_SPEAK, ACT_STAFF, ACT_OPTION,
	ACT_UNKNOWN, ACT_KEY, ACT_KEYMODE, ACT_FIELD, ACT_STEP, ACT_CHANGE, ACT_SEND, ACT_YES,
	ACT_DONE, ACT_SUB,   /* ACT_SUB: an option of the follow-up asked on the same screen */
	ACT_LANG_MENU,       /* the chrome's language button: opens the language screen */
	ACT_ALWAYS_SPEAK,    /* Welcome's "always read aloud" switch */
	ACT_HOST,            /* a host-mode button: arg says which (app/screens/host*.c) */
};

/* Keys a screen may get (from the physical keyboard or the on-screen one). */
enum kiosk_key { KEY_BACKSPACE = 1, KEY_ENTER, KEY_CLEAR,
		 KEY_UP, KEY_DOWN, KEY_PAGE_UP, KEY_PAGE_DOWN,   /* lists that scroll (field mode) */
		 KEY_WHEEL_UP, KEY_WHEEL_DOWN };                 /* ev.w: the widget under the pointer */

enum kiosk_event_kind { EV_ACTIVATE, EV_TEXT, EV_KEY };

struct kiosk_event {
	enum kiosk_event_kind kind;
	const struct ui_widget *w;   /* EV_ACTIVATE: the widget (borrowed) */
	const char *text;            /* EV_TEXT: UTF-8 typed */
	int key;                     /* EV_KEY: enum kiosk_key */
};

struct kiosk;

/* Why the kiosk cannot take registrations (the not-ready screen names it for the host;
 * the raw error with its file paths goes to the log only). */
enum kiosk_not_ready {
	NR_NONE,
	NR_NOT_ENROLLED,   /* no config.json / device key: never set up */
	NR_SETTINGS,       /* config.json unreadable or invalid */
	NR_PROGRAM,        /* the form or the holiday calendar is missing or damaged */
	NR_FILES,          /* the state folder, key or outbox cannot be opened */
};

/* One screen: STYLE.md habit 2. build lays the screen out left to right in logical units
 * (the kiosk mirrors it for Arabic); event returns 1 when the screen changed. spoken
 * writes the text read aloud (NULL: the screen's texts are not read). */
struct screen {
	const char *id;
	void (*enter)(struct kiosk *k);
	void (*build)(struct kiosk *k, struct ui_tree *t, const struct ui_measure *m);
	int (*event)(struct kiosk *k, const struct kiosk_event *ev);
	void (*spoken)(struct kiosk *k, char *buf, size_t size);
};

struct kiosk {
	struct device_config cfg;     /* the state folder and its config.json, loaded once */
	struct submit_ctx sub;
	int ready;
	int not_ready;                /* enum kiosk_not_ready: the host's plain reason */
	char lang[8];
	int rtl;
	char default_lang[8];

	struct answers person;        /* answers and typed text: in memory only, answers_wipe */
	int qi;                       /* index of the current question */
	int review_page, review_pages;   /* review_page -1: the last page (set before building) */
	char tap_id[UI_ID_MAX];       /* the last option tapped, when and on which screen: a */
	uint64_t tap_ms;              /* double tap on it counts once (kiosk.c double_tap) */
	unsigned tap_gen;
	int consent_room;             /* Send was refused without the consent: the review keeps
				       * room for its message under the privacy text (review.c) */
	int from_review;              /* a question opened by a Change button */
	int edit_field;               /* which edit buffer the keyboard types into */
	int kb_mode;                  /* enum kb_layout (keyboard.h) */
	int date_pick;                /* the date part being picked (date.c) */
	int date_decade;              /* the decade picked before the year (0: none) */
	const char *problem;          /* msgid shown next to the field (not personal) */
	struct qr qr;
	int crisis_alert;             /* the host banner is up */
	int send_failed;              /* Send failed; the crisis answers wait for the host */
	int warned;                   /* idle warning heard: 1 spoken, 2 chime (tests) */
	int alert_played;             /* host chime: 1 played, -1 no audio, 0 none (config off) */

	const struct screen *screen;
	const struct screen *staff_return;   /* screen to go back to from "talk to staff" */
	const struct screen *idle_return;    /* screen to go back to from "still there" */
	int dirty;                    /* the tree must be rebuilt */
	int quit;
	char focus[UI_ID_MAX];
	int focus_visible;            /* the ring shows after Tab, not after a tap */

	int virtual_clock;            /* replay: time advances only by `wait` */
	uint64_t now_ms, last_input_ms, deadline_ms;
	int idle_s, countdown_s, receipt_s, host_wait_s;

	struct render *render;
	struct speech *speech;        /* opened on the first "read aloud" */
	int no_speech;                /* speech could not be opened */
	int always_speak;             /* "always read aloud": every new screen is read */
	unsigned screen_gen, said_gen;   /* bumped per screen or language; read up to */
	int speaking_shown;           /* the speaker button was built showing "stop" */
	const struct screen *lang_return;   /* screen to go back to from the language screen */
	struct ui_tree tree;
	struct replay *replay;
	struct kiosk_sync sync;       /* background uploader + the host's status line */
	struct print_job print;       /* the printed receipt (app/print/print.h) */
	struct kiosk_host host;       /* host mode and the device status (host.h) */
	enum print_state print_shown; /* the state the receipt screen was built with */
	FILE *bench_frames;
	struct field *field;          /* field mode (app/field/field.h), NULL in kiosk mode */
	struct sleepwatch *sleepwatch;   /* field mode: logind's "about to sleep" (NULL: none) */
};

/* The screens (app/screens/, one file each). */
extern const struct screen screen_welcome, screen_choice, screen_entry, screen_date,
	screen_review, screen_receipt, screen_still_there, screen_not_ready, screen_ask_host,
	screen_staff, screen_field, screen_language,
	screen_host_pin, screen_host, screen_closed;

/* Field mode (kiosk_field.c): opens it when mode (NULL: config.json's) is "field" (0, or
 * -1 for a bad mode); closes it; the idle lock's deadline (0: nobody signed in); locks. */
int kiosk_field_open(struct kiosk *k, const char *mode);
void kiosk_field_close(struct kiosk *k);
uint64_t kiosk_field_deadline(const struct kiosk *k);
void kiosk_field_lock(struct kiosk *k);
/* The laptop is about to sleep (logind): lock, draw the lock screen, then let it sleep. */
void kiosk_field_sleep_check(struct kiosk *k);

/* Entry point for `inloop` without a subcommand (the row "kiosk" in inloop_main.c). */

/* Switches to screen s (calls its enter) and marks the tree for a rebuild. */
void kiosk_go(struct kiosk *k, const struct screen *s);

/* The question shown now (k->qi), borrowed from the form; NULL when none. */
const struct question *kiosk_question(const struct kiosk *k);

/* Opens the question at index i with its screen (choice, entry or date). */
void kiosk_open_question(struct kiosk *k, int i);

/* Moves to the next visible question after k->qi (or to review when none is left, or
 * back to review when the question was opened from it). */
void kiosk_next_question(struct kiosk *k);

/* Moves to the previous visible question (or Welcome before the first). */
void kiosk_prev_question(struct kiosk *k);

/* The screen's step number (1-based) and the bar's total (form_progress: step / total
 * grows on every step forward; the total is never shown as "of N"). */
void kiosk_progress(const struct kiosk *k, int *pos, int *total);

/* Stores value (reference stolen) under answer id; NULL removes the answer. */
void kiosk_set_answer(struct kiosk *k, const char *id, json_t *value);

/* Forgets the person ("forget everything"): answers_wipe (the answers, edit buffers, date,
 * receipt and the text measurer's buffer), then the tree, every text texture, the QR
 * code and the printed receipt's copy cleansed; language back to the default; Welcome. */
void kiosk_wipe(struct kiosk *k);

/* Sends the answers through submit_answers and goes to the receipt (stored), back to
 * the first refused question (refused) or to the ask-the-host screen (failure). */
void kiosk_send(struct kiosk *k);

/* Switches the interface language (gettext, direction) without touching the answers. */
void kiosk_set_lang(struct kiosk *k, const char *lang);

/* The form's language codes, and the name of a language in itself ("Nederlands"). */
const char *kiosk_lang_name(const char *code);

/* The pictogram codepoint for an icon name (0 when there is no icon font or name). */
unsigned kiosk_icon(const char *name);

/* 1 when the answers hold a crisis (a statutory kind or "don't know"; DOMAIN.md §4). */
int kiosk_answers_crisis(const struct kiosk *k);

/* Raises the host banner (and the chime once, when the config allows it). */
void kiosk_call_host(struct kiosk *k);

/* Seconds left on the "are you still there" countdown. */
int kiosk_countdown_left(const struct kiosk *k);

/* Back from "talk to staff" or "still there" to the screen the person was on. */
void kiosk_resume(struct kiosk *k, const struct screen *s);

/* Replay hooks: advance the virtual clock by ms (timers run as time passes), rebuild the
 * tree if it is stale, draw a frame, and handle every queued SDL event (render: 1 also
 * draws). */
void kiosk_advance(struct kiosk *k, uint64_t ms);
void kiosk_build_now(struct kiosk *k);
void kiosk_render_now(struct kiosk *k);
void kiosk_pump(struct kiosk *k, int render);

/* Wakes the event loop from any thread (callback for the background uploader). */
void kiosk_wake(void *arg);

/* 1 when read-aloud works in the current language. */
int kiosk_can_speak(const struct kiosk *k);

/* 1 while the screen is being read aloud (the speaker button then says "stop"). */
int kiosk_speaking(const struct kiosk *k);

/* The kiosk's languages in the order the chooser shows them (the form's), and their
 * number; kiosk_lang_code(k, i) is NULL past the end. */
size_t kiosk_lang_count(const struct kiosk *k);
const char *kiosk_lang_code(const struct kiosk *k, size_t i);

#endif
