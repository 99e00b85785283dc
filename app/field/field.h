/*
 * field.h — field mode (issue 12): a consultant's laptop on home visits. Sign-in per
 * consultant, a lock screen without personal data, the consultant's own drafts, and the
 * intake (assets/forms/intake.json) asked with the same form engine, several questions a
 * screen, by keyboard and mouse. Above the drafts, the consultant's visits from the office
 * (sync/device/visitbox.h), opened only while they are signed in: choosing one starts an
 * intake that follows its reference, with what the resident told the kiosk filled in.
 * Every answer is sealed into the draft as it is given (sync/device/draft.h); a finished
 * intake goes through the kiosk's submit path.
 *
 * Like the kiosk's screens, this never calls SDL: it builds a widget tree and takes
 * semantic events (a widget activated, text typed, a key). The kiosk's loop
 * (app/kiosk/kiosk_field.c) hosts it: events, timers, the idle and suspend lock, replays.
 * Consecutive questions of the form with the same icon share one screen.
 */
#ifndef INLOOP_FIELD_H
#define INLOOP_FIELD_H

#include "app/ui/ui.h"
#include "sync/device/consultant.h"
#include "sync/device/draft.h"
#include "sync/device/visitbox.h"

#include <jansson.h>
#include <stddef.h>

struct form;
struct submit_ctx;

enum field_view { FV_SIGNIN, FV_LOCKED, FV_DRAFTS, FV_PAGE, FV_SENT };

/* Widget actions (struct ui_widget.action), above the kiosk's own (enum kiosk_action). */
enum field_action {
	FA_CONS = 100, FA_FIELD, FA_UNLOCK, FA_OTHER, FA_NEW, FA_OPEN, FA_OPTION, FA_UNKNOWN,
	FA_NEXT, FA_BACK, FA_SEND, FA_LOCK, FA_DRAFTS, FA_VISIT,
	FA_PAGE,   /* a list's "earlier"/"more": arg = FL_VISITS or FL_DRAFTS, arg2 = -1 or 1 */
};

/* The lists of the draft screen that page and scroll (Up/Down, PageUp/PageDown, the wheel). */
enum field_list { FL_VISITS, FL_DRAFTS, FL_COUNT };

enum field_event_kind { FE_ACTIVATE, FE_TEXT, FE_KEY };
/* = the kiosk's KEY_BACKSPACE, KEY_ENTER, KEY_UP, ... (kiosk_field.c checks) */
enum field_key { FK_BACKSPACE = 1, FK_ENTER = 2, FK_UP = 4, FK_DOWN, FK_PAGE_UP, FK_PAGE_DOWN,
		 FK_WHEEL_UP, FK_WHEEL_DOWN };

#define FIELD_PAGES_MAX 64
#define FIELD_TYPED_MAX 1024   /* bytes of one typed answer */

struct field {
	const char *state_dir;           /* borrowed */
	const struct form *form;         /* the intake, borrowed */
	struct submit_ctx *sub;          /* the kiosk's submit path, borrowed */
	int draft_days;
	enum field_view view;

	char cons[CONSULTANT_MAX][CONSULTANT_ID_MAX];
	int n_cons, sel;                 /* consultants on the device; the one chosen */
	char pass[CONSULTANT_PASS_MAX + 1];   /* the passphrase being typed (wiped) */
	size_t pass_len;
	const char *msg;                 /* msgid of the sign-in's message, or NULL */
	int wait_s;

	unsigned char key[CONSULTANT_KEY_BYTES];   /* the consultant's data key (wiped on lock) */
	int unlocked;
	char who[CONSULTANT_ID_MAX];     /* the signed-in (or locked) consultant */

	struct draft_info drafts[DRAFT_MAX];
	int n_drafts, tampered, aside;
	struct visit_info visits[VISITBOX_MAX];   /* opened after unlock (wiped on lock) */
	int n_visits, visits_aside;
	int visit_days;                  /* config visit_days (field_open sets 14) */
	char follows[16];                /* a kiosk reference typed on the draft list */
	int cert_warn, cert_days;        /* the certificate ends within 30 days (or has ended) */
	char cert_end[11];               /* its end, YYYY-MM-DD */
	int top[FL_COUNT];               /* the first row each list shows */
	int rows[FL_COUNT];              /* how many rows it showed at the last build */

	char draft_id[DRAFT_ID_MAX];     /* the open draft ("" when none) */
	long long started;
	json_t *doc;                     /* {"answers": {}, "typed": {}, "follows", "page"} */
	int page, n_pages;
	int leads[FIELD_PAGES_MAX + 1];  /* first question index of each page */
	char problem_q[40];              /* the question with a problem on this page */
	const char *problem;             /* its msgid */
	char sent_ref[12];
	int sent_now;                    /* set once when a record went to the outbox */
	int save_failed;
	const char *focus;               /* the focused widget's id (the host's, borrowed) */
};

/* Prepares f (memset by the caller first) for the state folder, the intake form and the
 * submit path (all borrowed; sub->form must be the intake). Lists the consultants and
 * shows the sign-in. 0 or -1 (the form has no pages). */
int field_open(struct field *f, const char *state_dir, const struct form *form,
	       struct submit_ctx *sub, int draft_days);

/* Locks and releases everything f holds (key and answers wiped). */
void field_close(struct field *f);

/* Builds the current view into t (reset by the caller) for lang. */
void field_build(struct field *f, struct ui_tree *t, const struct ui_measure *m, const char *lang);

/* One event; focus is the kiosk's focused widget id, which the field may move. Returns 1
 * when the view changed. */
int field_event(struct field *f, enum field_event_kind kind, const struct ui_widget *w,
		const char *text, int key, char focus[UI_ID_MAX]);

/* Locks: the draft is already on disk; the key, the passphrase and the answers in memory
 * are wiped; the lock screen shows. A no-op when nobody is signed in. */
void field_lock(struct field *f);

/* 1 while a consultant is signed in (the idle lock timer runs). */
int field_unlocked(const struct field *f);

/* 1 when the open page is the last one the answers show (its button sends). */
int field_last_page(struct field *f);

/* The open page's number and how many pages the answers show now ("Step 3 of 8"). */
void field_page_steps(const struct field *f, int *step, int *total);

/* The stable screen id of the view ("field-signin", "field-page-3": the page's number as
 * shown, ...). */
const char *field_screen_id(const struct field *f, char *buf, size_t size);

#endif
