/*
 * print.h — the printed receipt, the kiosk's side. After a record is in the outbox the
 * kiosk hands the receipt's texts (already chosen and translated, see print_receipt_doc)
 * to a worker thread, which runs the short-lived helper build/inloop-print with the texts
 * on a pipe. The helper lays the receipt out with cairo/pango as a PDF in memory and
 * streams it into a CUPS job (print_render.h, print_cups.h); the kiosk never links cairo
 * or libcups, never writes the PDF to disk and never waits: the receipt screen shows the
 * host the outcome when it arrives (print_status). A missing or failing printer never
 * holds a registration back: the record is stored before printing starts.
 */
#ifndef INLOOP_PRINT_H
#define INLOOP_PRINT_H

#include <jansson.h>
#include <pthread.h>
#include <stddef.h>

struct kiosk;

/* The helper's exit codes: what happened to the job (0 printed). Shared by both sides. */
enum print_exit {
	PRINT_EXIT_OK = 0,
	PRINT_EXIT_RENDER = 1,     /* bad input or the PDF could not be made */
	PRINT_EXIT_USAGE = 2,
	PRINT_EXIT_NO_SERVICE = 10,/* no CUPS scheduler answers */
	PRINT_EXIT_NO_QUEUE = 11,  /* the configured queue does not exist */
	PRINT_EXIT_STOPPED = 12,   /* the queue is stopped or refuses jobs (nothing sent) */
	PRINT_EXIT_JOB = 13,       /* the job was refused, aborted or cancelled */
	PRINT_EXIT_TIMEOUT = 14,   /* not printed within the deadline (the job is cancelled) */
};

/* What the receipt screen shows the host (enum print_state). */
enum print_state {
	PRINT_IDLE = 0,   /* nothing asked (no receipt yet) */
	PRINT_OFF,        /* no printer configured ("printer" absent in config.json) */
	PRINT_BUSY,       /* the job is on its way */
	PRINT_DONE,       /* CUPS says the job completed */
	PRINT_FAILED,     /* see reason */
};

struct print_job {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int inited;
	unsigned gen;              /* bumped by print_forget: an old job's outcome is dropped */
	int running;               /* worker threads alive */
	int stopping;              /* print_stop: workers kill their helper now */
	enum print_state state;
	char reason[16];           /* PRINT_FAILED: a reason code ("stopped", "no-queue", ...) */
	void (*wake)(void *arg);   /* called on the worker thread when the outcome is known */
	void *wake_arg;
};

/* Prepares p (state PRINT_IDLE); wake(arg) is called from the worker when a job ends. */
void print_init(struct print_job *p, void (*wake)(void *arg), void *arg);

/*
 * Starts printing doc (a receipt from print_receipt_doc; borrowed, serialised at once)
 * on queue. queue NULL or "" sets PRINT_OFF. Never blocks on the printer: the helper runs
 * on a detached worker thread. Returns 0 when started (or off), -1 when no thread could be
 * started (state PRINT_FAILED, reason "helper").
 */
int print_start(struct print_job *p, const char *queue, const json_t *doc);

/* Asks the helper whether queue exists, runs and takes jobs, printing nothing (the host
 * screen's printer line): PRINT_BUSY, then PRINT_DONE (ready) or PRINT_FAILED with the
 * reason code. Never blocks. 0, or -1 when no thread could be started. */
int print_check(struct print_job *p, const char *queue);

/* The state now and, for PRINT_FAILED, the reason code (borrowed until the next call). */
enum print_state print_status(struct print_job *p, char reason[16]);

/* Forgets the current job's outcome (the next person must not see it): state IDLE. */
void print_forget(struct print_job *p);

/* Waits in real time up to ms until no job is on its way; 0 settled, -1 still busy. */
int print_wait(struct print_job *p, int ms);

/* Kills helpers still running and waits for every worker; p can be dropped after. */
void print_stop(struct print_job *p);

/*
 * The receipt to print for the visit in k (k->person.result, k->cfg, the interface language):
 * {"dir":"ltr"|"rtl","paper":"80mm"|"a4"|"","blocks":[{"style":S,"text":T},...]}, with
 * style one of small, title, label, huge, body, alert, qr, note. New reference: the
 * caller json_decref()s it (jansson wipes on free); NULL on out of memory.
 */
json_t *print_receipt_doc(const struct kiosk *k);

/* Runs the helper once, synchronously, writing doc's PDF to stdout (`inloop print-test
 * --stdout`, make shots). 0 or -1. */
int print_pdf_to_stdout(const json_t *doc);

/* The msgid of the host's line on the receipt for state s (NULL: show nothing). */
const char *print_state_msgid(enum print_state s);

#endif
