/*
 * host.h — host mode on the kiosk (issue 13): the staff member's way in (a 3-second hold
 * on the top-left corner, or Ctrl+Alt+H, then the host PIN), the host screen's facts
 * about the device (never a name, an answer or a record), its actions, "closed for the
 * day" and the crisis alert that stays until the host acknowledges it. What must survive
 * a restart lives in the device status (sync/device/status.h, STATE/status.json).
 *
 * The PIN is checked against config host_pin (an Argon2id hash, libsodium
 * crypto_pwhash_str_verify). Wrong PINs are counted in the status file: after
 * HOST_PIN_FREE_TRIES in a row every further try waits, HOST_PIN_WAIT_S doubling per
 * wrong PIN up to HOST_PIN_WAIT_MAX_S, and a restart does not reset it.
 */
#ifndef INLOOP_HOST_H
#define INLOOP_HOST_H

#include "app/print/print.h"
#include "sync/device/status.h"

#include <stdint.h>

#define HOST_HOLD_MS 3000        /* the press-and-hold that opens host mode */
#define HOST_CORNER 112          /* logical px: the top-left square it must stay in */
#define HOST_PIN_MIN 4
#define HOST_PIN_MAX 12
#define HOST_PIN_FREE_TRIES 5
#define HOST_PIN_WAIT_S 30
#define HOST_PIN_WAIT_MAX_S 3600

struct kiosk;

/* The host screens' buttons (ACT_HOST, widget arg): 0-9 are the PIN pad's digits. */
enum host_act {
	HA_DIGIT_9 = 9, HA_PIN_DEL, HA_PIN_OK, HA_BACK, HA_SYNC, HA_SOUND, HA_PRINT, HA_CLOSE,
	HA_REOPEN, HA_ACK, HA_LEAVE,
};

/* What the PIN screen shows after a try. */
enum host_pin_state { PIN_ENTER, PIN_WRONG, PIN_WAIT, PIN_NONE };

/* The outcome of the host's last action, shown on the host screen (a code, no data). */
enum host_note {
	NOTE_NONE, NOTE_SYNC_STARTED, NOTE_SYNC_OFFLINE, NOTE_SOUND_OK, NOTE_SOUND_NONE,
	NOTE_PRINT_SENT, NOTE_PRINT_NONE, NOTE_ACKNOWLEDGED, NOTE_SAVE_FAILED,
};

#define HOST_HELD_KINDS 4

/* The host screen's facts, gathered when it opens and after each action. */
struct host_facts {
	int pending, crisis_pending, held;
	struct { char code[32]; int n; } held_by[HOST_HELD_KINDS];   /* reason codes */
	int n_held_by;
	long long last_success;      /* unix seconds; 0 never (or not known: offline) */
	int casestore;               /* enum host_casestore */
	char casestore_why[32];      /* a reason code ("http-503", "curl-7", ...) */
	long long free_bytes;        /* on the state folder's file system; -1 unknown */
	int holiday_last_year;       /* 0 when the table did not load */
};

enum host_casestore { CS_OFFLINE, CS_NOT_TRIED, CS_REACHABLE, CS_UNREACHABLE, CS_REFUSED };

struct kiosk_host {
	struct device_status st;     /* as loaded and saved (status.json) */
	int status_ok;               /* 0: status.json was damaged (the log says why) */
	int holding;                 /* a press on the corner is held */
	uint64_t hold_since_ms;
	char pin[HOST_PIN_MAX + 1];  /* the digits typed (cleansed after each try) */
	int pin_len;
	enum host_pin_state pin_state;
	struct host_facts facts;
	struct print_job print;      /* the printer check and the test page */
	int print_test;              /* the job on print is the test page (else a check) */
	enum print_state print_shown;/* the state the staff menu was built with */
	enum host_note note;
};

/* At start: loads status.json and prepares the printer job. Before the first screen. */
void host_init(struct kiosk *k);

/* At the end: stops the printer job. */
void host_free(struct kiosk *k);

/* Wall-clock seconds now; in a replay plus the virtual time passed, so `wait` moves it. */
long long host_now(const struct kiosk *k);

/* 1 when the host closed the kiosk for today (status closed_on is today). */
int host_closed_today(const struct kiosk *k);

/* The screen a visit ends on: closed, Welcome or not-ready. */
const struct screen *host_idle_screen(const struct kiosk *k);

/* A press (down 1) or release at logical (x, y) at the kiosk's clock now_ms: a press in
 * the top-left HOST_CORNER square starts the hold, a release or a move out of it ends it. */
void host_pointer(struct kiosk *k, int x, int y, int down, uint64_t now_ms);
void host_pointer_moved(struct kiosk *k, int x, int y);

/* Keeps the uploader's last accepted record in the device status (status.json
 * last_sync), so the staff menu knows it after a restart too; the loop calls it whenever
 * the uploader's status line changed. */
void host_sync_seen(struct kiosk *k);

/* Runs the hold's timer: opens host mode (host_enter) once the corner was held
 * HOST_HOLD_MS. Returns 1 when the screen changed. ms_left (may be NULL) gets the time
 * until the hold is due, or -1 when none is held. */
int host_tick(struct kiosk *k, uint64_t now_ms, int *ms_left);

/* Opens host mode (the gesture or Ctrl+Alt+H): only where no answers are in memory
 * (Welcome, closed); the visit is forgotten first (kiosk_wipe). Returns 1 when it opened. */
int host_enter(struct kiosk *k);

/* The PIN pad: a digit, Backspace, Clear; and OK (host_pin_try). */
void host_pin_key(struct kiosk *k, int digit);
void host_pin_backspace(struct kiosk *k);
void host_pin_clear(struct kiosk *k);

/* Checks the digits typed against config host_pin, unless a wait runs (then nothing is
 * checked). Right: the host screen opens, the failures are reset. Wrong: counted, and
 * after HOST_PIN_FREE_TRIES the wait starts. The digits are cleansed in every case. */
void host_pin_try(struct kiosk *k);

/* Seconds until a PIN may be tried again (0: now). */
long long host_pin_wait_left(const struct kiosk *k);

/* Gathers the facts for the host screen (outbox, uploader, disk, calendar). */
void host_refresh(struct kiosk *k);

/* The host screen's actions. */
void host_sync_now(struct kiosk *k);
void host_test_sound(struct kiosk *k);
void host_test_print(struct kiosk *k);
void host_close_day(struct kiosk *k);
void host_reopen(struct kiosk *k);
/* Leave the kiosk for ICT: the program ends and the kiosk unit does not start it again
 * until the next boot or `inloop host-return` (status.json left_boot, checked by
 * `inloop kiosk-may-start`, the unit's ExecCondition). */
void host_leave(struct kiosk *k);
void host_acknowledge(struct kiosk *k);

/* A crisis registration was made (or waits for the host): the alert goes up and stays,
 * in status.json, until host_acknowledge. */
void host_raise_alert(struct kiosk *k);

#endif
