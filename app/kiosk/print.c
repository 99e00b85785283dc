/*
 * print.c — the printed receipt, the kiosk's side (see print.h): which texts go on the
 * paper (the screen receipt's wording), and a detached worker per receipt that runs the
 * helper build/inloop-print, feeds it the texts through a pipe, waits for it with a
 * deadline and posts the outcome for the receipt screen.
 */
#include "app/print/print.h"
#include "platform/i18n.h"
#include "app/kiosk/kiosk.h"
#include "app/media/qr.h"
#include "app/screens/words.h"
#include "platform/util.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

#define HELPER_TIMEOUT_MS 20000   /* CUPS's own wait; the helper is killed 5 s later */

/* ---- the texts ---- */

/* Appends {"style": style, "text": text} (and "dir" when given) to blocks. */
static void add(json_t *blocks, const char *style, const char *text, const char *dir)
{
	json_t *b;

	if (!text || !*text)
		return;
	b = json_pack("{s:s, s:s}", "style", style, "text", text);
	if (b && dir)
		json_object_set_new(b, "dir", json_string(dir));
	if (b)
		json_array_append_new(blocks, b);
}

/* "donderdag 30 april 2026 (30-04-2026)" and the time on its own line ("10:12"), from
 * the record's created_at. */
static void registered_text(const struct kiosk *k, char *buf, size_t size)
{
	struct ymd d;
	int h = 0, mi = 0;
	char date[160];

	buf[0] = '\0';
	if (sscanf(k->person.result.created_at, "%4d-%2d-%2dT%2d:%2d", &d.y, &d.m, &d.d, &h, &mi) != 5)
		return;
	words_date(d, date, sizeof(date));
	snprintf(buf, size, "%s\n\u2066%02d:%02d\u2069", date, h, mi);
}

/* When the team makes contact (or when to come back): the screen receipt's sentence,
 * words_callback, so screen and paper say the same. */
static void contact_text(const struct kiosk *k, char *buf, size_t size)
{
	const char *contact = json_string_value(json_object_get(k->person.answers, "contact"));

	words_callback(&k->person.result.triage, contact, &k->cfg, k->lang, 0, buf, size);
}

/* The crisis phone line: in the urgent box on a crisis receipt, else a plain line. */
static void phone_block(const struct kiosk *k, json_t *blocks)
{
	char text[320];

	if (k->person.result.triage.crisis) {
		if (k->cfg.crisis_phone[0])
			snprintf(text, sizeof(text), _("Your situation is urgent. If no one can help you here, call \u2066%s\u2069."),
				 k->cfg.crisis_phone);
		else
			snprintf(text, sizeof(text), "%s", _("Your situation is urgent. The staff member can help you right away."));
		add(blocks, "alert", text, NULL);
	} else if (k->cfg.crisis_phone[0]) {
		snprintf(text, sizeof(text), _("Questions? Call the debt help team: \u2066%s\u2069."),
			 k->cfg.crisis_phone);
		add(blocks, "body", text, NULL);
	}
}

json_t *print_receipt_doc(const struct kiosk *k)
{
	json_t *doc = json_object(), *blocks = json_array();
	char text[1024], qr[QR_MAX_TEXT + 1];

	if (!doc || !blocks || json_object_set_new(doc, "blocks", blocks) < 0)
		return json_decref(doc), NULL;
	json_object_set_new(doc, "dir", json_string(k->rtl ? "rtl" : "ltr"));
	json_object_set_new(doc, "paper", json_string(k->cfg.paper));
	add(blocks, "title", _("Proof of your request for debt help"), NULL);
	add(blocks, "label", _("Your reference:"), NULL);
	add(blocks, "huge", k->person.result.ref, NULL);
	registered_text(k, text, sizeof(text));
	add(blocks, "label", _("Registered on:"), NULL);
	add(blocks, "body", text, NULL);
	add(blocks, "label", k->cfg.location[0] ? _("Location:") : NULL, NULL);
	add(blocks, "body", k->cfg.location, NULL);
	contact_text(k, text, sizeof(text));
	add(blocks, "body", text, NULL);
	phone_block(k, blocks);
	if (qr_receipt_text(k->person.result.ref, k->person.result.created_at, k->cfg.crisis_phone, qr, sizeof(qr)) == 0)
		add(blocks, "qr", qr, NULL);
	add(blocks, "note", _("Keep this paper. It shows that you asked the municipality for debt help."), NULL);
	if (strcmp(k->lang, "nl"))   /* for a Dutch office (an energy supplier) whatever the language */
		add(blocks, "note", "Bewijs van aanmelding voor schuldhulp bij de gemeente.", "ltr");
	util_cleanse(text, sizeof(text));
	util_cleanse(qr, sizeof(qr));
	return doc;
}

const char *print_state_msgid(enum print_state s)
{
	switch (s) {
	case PRINT_OFF:
		return N_("For the staff member: this kiosk has no printer. The registration is stored; the resident can take a photo of the screen.");
	case PRINT_BUSY:
		return N_("For the staff member: the receipt is being printed.");
	case PRINT_DONE:
		return N_("For the staff member: the receipt has been printed. Please give it to the resident.");
	case PRINT_FAILED:
		return N_("For the staff member: the receipt could not be printed (the printer is off, stopped or out of paper). The registration is stored; the resident can take a photo of the screen.");
	default:
		return NULL;
	}
}

/* ---- the worker ---- */

struct worker {
	struct print_job *p;
	unsigned gen;
	char queue[128];
	char *doc;                  /* the serialised receipt (cleansed and freed) */
	int check;                  /* only ask whether the queue takes jobs (print_check) */
};

/* The helper's path: build/inloop-print beside the running program. */
static int helper_path(char *buf, size_t size)
{
	char exe[4096];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	char *slash;

	if (n <= 0)
		return error("print: cannot find the running program");
	exe[n] = '\0';
	slash = strrchr(exe, '/');
	*slash = '\0';
	return util_fmt(buf, size, "%s/inloop-print", exe);
}

static long long mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* The helper's CUPS deadline: INLOOP_PRINT_TIMEOUT_MS (tests), else HELPER_TIMEOUT_MS. */
static int helper_timeout_ms(void)
{
	const char *v = getenv("INLOOP_PRINT_TIMEOUT_MS");
	int n = v ? atoi(v) : 0;

	return n >= 100 && n <= 600000 ? n : HELPER_TIMEOUT_MS;
}

/* Starts the helper with its stdin on a pipe (*fd: the write end): printing on queue (or
 * with check only asking whether it takes jobs), or with queue NULL writing the PDF to our
 * stdout. pid, or -1 with a reason. */
static pid_t spawn_helper_as(const char *queue, int timeout_ms, int check, int *fd)
{
	char path[4200], tmo[16];
	char *argv[] = { path, "--queue", (char *)queue, "--timeout-ms", tmo, check ? "--check" : NULL, NULL };
	char *argv_out[] = { path, "--stdout", NULL };
	posix_spawn_file_actions_t fa;
	int pfd[2], rc;
	pid_t pid = -1;

	if (helper_path(path, sizeof(path)) < 0 || pipe2(pfd, O_CLOEXEC) < 0)
		return -1;
	snprintf(tmo, sizeof(tmo), "%d", timeout_ms);
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, pfd[0], 0);
	rc = posix_spawn(&pid, path, &fa, NULL, queue ? argv : argv_out, environ);
	posix_spawn_file_actions_destroy(&fa);
	close(pfd[0]);
	if (rc != 0) {
		close(pfd[1]);
		return error("print: cannot start %s: %s", path, strerror(rc)), -1;
	}
	*fd = pfd[1];
	return pid;
}

static pid_t spawn_helper(const char *queue, int timeout_ms, int *fd)
{
	return spawn_helper_as(queue, timeout_ms, 0, fd);
}

/* Writes the receipt to the helper (a few kB: fits the pipe). 0 or -1 (helper gone). */
static int feed(int fd, const char *doc)
{
	size_t len = strlen(doc);

	while (len) {
		ssize_t n = write(fd, doc, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		doc += n, len -= (size_t)n;
	}
	return 0;
}

/* Waits for the helper until its deadline or print_stop; kills it then. Its exit code,
 * or -1 when it was killed or crashed. */
static int reap(struct print_job *p, pid_t pid, int timeout_ms)
{
	long long end = mono_ms() + timeout_ms + 5000;
	struct timespec nap = { 0, 20 * 1000000L };
	int st, stop;

	for (;;) {
		pid_t r = waitpid(pid, &st, WNOHANG);
		if (r == pid)
			return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
		if (r < 0 && errno != EINTR)
			return -1;
		pthread_mutex_lock(&p->mu);
		stop = p->stopping;
		pthread_mutex_unlock(&p->mu);
		if (stop || mono_ms() >= end) {
			kill(pid, SIGKILL);
			waitpid(pid, &st, 0);
			return -1;
		}
		nanosleep(&nap, NULL);
	}
}

static const char *reason_of(int code)
{
	switch (code) {
	case PRINT_EXIT_NO_SERVICE: return "no-service";
	case PRINT_EXIT_NO_QUEUE: return "no-queue";
	case PRINT_EXIT_STOPPED: return "stopped";
	case PRINT_EXIT_JOB: return "job-failed";
	case PRINT_EXIT_TIMEOUT: return "timeout";
	case PRINT_EXIT_RENDER: return "render";
	default: return "helper";
	}
}

/* Posts the outcome (unless the person has gone: print_forget), wakes the loop, and
 * only then counts the worker out (print_stop may free p right after). */
static void finish(struct worker *w, int code)
{
	struct print_job *p = w->p;
	int mine;

	if (code != PRINT_EXIT_OK)
		warning(w->check ? "print: the printer \"%s\" is not ready (%s)" :
			"print: the receipt was not printed on \"%s\" (%s)", w->queue, reason_of(code));
	pthread_mutex_lock(&p->mu);
	mine = w->gen == p->gen && !p->stopping;
	if (mine) {
		p->state = code == PRINT_EXIT_OK ? PRINT_DONE : PRINT_FAILED;
		snprintf(p->reason, sizeof(p->reason), "%s", code == PRINT_EXIT_OK ? "" : reason_of(code));
	}
	pthread_cond_broadcast(&p->cv);
	pthread_mutex_unlock(&p->mu);
	if (mine && p->wake)
		p->wake(p->wake_arg);   /* thread-safe and non-blocking (SDL_PushEvent) */
	pthread_mutex_lock(&p->mu);
	p->running--;
	pthread_cond_broadcast(&p->cv);
	pthread_mutex_unlock(&p->mu);
}

static void *work(void *arg)
{
	struct worker *w = arg;
	int tmo = helper_timeout_ms(), fd = -1, code = -1;
	sigset_t pipe_set;
	pid_t pid;

	sigemptyset(&pipe_set);
	sigaddset(&pipe_set, SIGPIPE);   /* a helper that died early: EPIPE, not a dead kiosk */
	pthread_sigmask(SIG_BLOCK, &pipe_set, NULL);
	pid = spawn_helper_as(w->queue, tmo, w->check, &fd);
	if (pid > 0) {
		if (!w->check)
			feed(fd, w->doc);
		close(fd);
		code = reap(w->p, pid, tmo);
	}
	util_clear_free(w->doc);
	finish(w, code);
	util_cleanse(w, sizeof(*w));
	free(w);
	return NULL;
}

int print_pdf_to_stdout(const json_t *doc)
{
	char *text = json_dumps(doc, JSON_COMPACT);
	int fd = -1, st, rc = -1;
	pid_t pid = text ? spawn_helper(NULL, 0, &fd) : -1;

	if (pid > 0) {
		rc = feed(fd, text);
		close(fd);
		if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st) || WEXITSTATUS(st) != 0)
			rc = error("print: the helper could not make the PDF");
	}
	util_clear_free(text);
	return rc;
}

/* ---- the job ---- */

void print_init(struct print_job *p, void (*wake)(void *arg), void *arg)
{
	pthread_condattr_t ca;

	memset(p, 0, sizeof(*p));
	pthread_mutex_init(&p->mu, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);   /* no NTP jumps in the wait */
	pthread_cond_init(&p->cv, &ca);
	pthread_condattr_destroy(&ca);
	p->inited = 1;
	p->wake = wake;
	p->wake_arg = arg;
}

/* Sets the state (under the lock) for the current person. */
static void set_state(struct print_job *p, enum print_state s, const char *reason)
{
	pthread_mutex_lock(&p->mu);
	p->state = s;
	snprintf(p->reason, sizeof(p->reason), "%s", reason);
	pthread_mutex_unlock(&p->mu);
}

/* A worker for doc on queue, or for a check of queue (check 1, doc unused). */
static int start_worker(struct print_job *p, const char *queue, const json_t *doc, int check)
{
	struct worker *w;
	pthread_attr_t at;
	pthread_t th;
	int rc;

	if (!queue || !*queue)
		return set_state(p, PRINT_OFF, ""), 0;
	if (!(w = calloc(1, sizeof(*w))) || (!check && !(w->doc = json_dumps(doc, JSON_COMPACT))) ||
	    util_fmt(w->queue, sizeof(w->queue), "%s", queue) < 0) {
		if (w)
			util_clear_free(w->doc);
		free(w);
		return set_state(p, PRINT_FAILED, "helper"), error("print: cannot prepare the receipt");
	}
	pthread_mutex_lock(&p->mu);
	w->p = p;
	w->check = check;
	w->gen = p->gen;
	p->state = PRINT_BUSY;
	p->running++;
	pthread_mutex_unlock(&p->mu);
	pthread_attr_init(&at);
	pthread_attr_setdetachstate(&at, PTHREAD_CREATE_DETACHED);
	rc = pthread_create(&th, &at, work, w);
	pthread_attr_destroy(&at);
	if (rc == 0)
		return 0;
	util_clear_free(w->doc);
	free(w);
	pthread_mutex_lock(&p->mu);
	p->running--;
	pthread_mutex_unlock(&p->mu);
	return set_state(p, PRINT_FAILED, "helper"), error("print: cannot start a thread");
}

int print_start(struct print_job *p, const char *queue, const json_t *doc)
{
	return start_worker(p, queue, doc, 0);
}

int print_check(struct print_job *p, const char *queue)
{
	return start_worker(p, queue, NULL, 1);
}

enum print_state print_status(struct print_job *p, char reason[16])
{
	enum print_state s;

	pthread_mutex_lock(&p->mu);
	s = p->state;
	if (reason)
		snprintf(reason, 16, "%s", p->reason);
	pthread_mutex_unlock(&p->mu);
	return s;
}

void print_forget(struct print_job *p)
{
	if (!p->inited)
		return;
	pthread_mutex_lock(&p->mu);
	p->gen++;
	p->state = PRINT_IDLE;
	p->reason[0] = '\0';
	pthread_mutex_unlock(&p->mu);
}

int print_wait(struct print_job *p, int ms)
{
	struct timespec until;
	int rc = 0;

	clock_gettime(CLOCK_MONOTONIC, &until);
	until.tv_sec += ms / 1000;
	until.tv_nsec += (long)(ms % 1000) * 1000000L;
	if (until.tv_nsec >= 1000000000L)
		until.tv_sec++, until.tv_nsec -= 1000000000L;
	pthread_mutex_lock(&p->mu);
	while (p->state == PRINT_BUSY && rc == 0)
		rc = pthread_cond_timedwait(&p->cv, &p->mu, &until);
	rc = p->state == PRINT_BUSY ? -1 : 0;
	pthread_mutex_unlock(&p->mu);
	return rc;
}

void print_stop(struct print_job *p)
{
	if (!p->inited)
		return;
	pthread_mutex_lock(&p->mu);
	p->stopping = 1;
	while (p->running > 0)
		pthread_cond_wait(&p->cv, &p->mu);
	pthread_mutex_unlock(&p->mu);
	pthread_cond_destroy(&p->cv);
	pthread_mutex_destroy(&p->mu);
	p->inited = 0;
}
