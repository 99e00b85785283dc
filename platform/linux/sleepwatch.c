/*
 * platform/linux/sleepwatch.c — logind's PrepareForSleep and a delay inhibitor lock
 * (sleepwatch.h), through sd-bus from libsystemd.
 *
 * Why sd-bus and not GDBus: the kiosk already maps libsystemd.so.0 (SDL's libdbus links
 * it), so sd-bus adds no library at run time, while GDBus would add gio, gobject and
 * gmodule and a GLib worker thread; and sd-bus hands out a plain fd to poll.
 *
 * One thread owns the connection: it polls the bus fd and a pipe from the caller ('d':
 * done, release the lock; 'q': stop). Logind's protocol: Inhibit("sleep", who, why,
 * "delay") returns an fd; while it is open logind waits (up to InhibitDelayMaxSec) after
 * sending PrepareForSleep(true); closing it lets the machine sleep. PrepareForSleep(false)
 * says it woke up: a new lock is taken for the next time.
 */
#include "platform/linux/sleepwatch.h"
#include "platform/util.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <systemd/sd-bus.h>
#include <time.h>
#include <unistd.h>

#define LOGIN1 "org.freedesktop.login1"
#define LOGIN1_PATH "/org/freedesktop/login1"
#define LOGIN1_MANAGER "org.freedesktop.login1.Manager"

struct sleepwatch {
	sd_bus *bus;                 /* the watcher thread's alone once it runs */
	int inhibit;                 /* the delay lock's fd, -1 when none (thread only) */
	int ctl[2];                  /* caller -> thread: 'd' done, 'q' stop */
	pthread_t th;
	atomic_int pending;          /* sleeps announced, not yet taken by the caller */
	int told_no_lock;            /* "no delay lock" said once */
	void (*fn)(void *arg);
	void *arg;
};

static void release(struct sleepwatch *w)
{
	if (w->inhibit >= 0)
		close(w->inhibit);
	w->inhibit = -1;
}

static int on_inhibit(sd_bus_message *m, void *arg, sd_bus_error *ret)
{
	struct sleepwatch *w = arg;
	const sd_bus_error *e = sd_bus_message_get_error(m);
	int fd = -1;

	(void)ret;
	if (e || sd_bus_message_read(m, "h", &fd) < 0 || fd < 0) {
		if (!w->told_no_lock++)
			warning("sleepwatch: logind gives no delay lock (%s): the screen locks as the laptop sleeps, not before",
				e && e->name ? e->name : "no fd");
		return 0;
	}
	release(w);
	w->inhibit = fcntl(fd, F_DUPFD_CLOEXEC, 3);   /* the message owns fd; no child inherits ours */
	return 0;
}

/* Asks logind for a delay lock on sleep (the answer comes to on_inhibit). */
static void take_lock(struct sleepwatch *w)
{
	if (w->inhibit >= 0)
		return;
	if (sd_bus_call_method_async(w->bus, NULL, LOGIN1, LOGIN1_PATH, LOGIN1_MANAGER, "Inhibit",
				     on_inhibit, w, "ssss", "sleep", "inloop",
				     "Lock the screen and wipe the consultant's key first", "delay") < 0 &&
	    !w->told_no_lock++)
		warning("sleepwatch: cannot ask logind for a delay lock");
}

/* The unique name that owns org.freedesktop.login1 now into buf; 0, or -1 when nobody. */
static int logind_owner(struct sleepwatch *w, char *buf, size_t size)
{
	sd_bus_error err = SD_BUS_ERROR_NULL;
	sd_bus_message *reply = NULL;
	const char *owner = NULL;
	int rc;

	rc = sd_bus_call_method(w->bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
				"org.freedesktop.DBus", "GetNameOwner", &err, &reply, "s", LOGIN1) >= 0 &&
	     sd_bus_message_read(reply, "s", &owner) >= 0 && owner ? 0 : -1;
	snprintf(buf, size, "%s", rc == 0 ? owner : "");
	sd_bus_message_unref(reply);
	sd_bus_error_free(&err);
	return rc;
}

/* 1 when sender is logind: the bus stamps each message with its sender's unique name, so
 * a signal another program sends (broadcast, or addressed to us) does not pass. */
static int from_logind(struct sleepwatch *w, const char *sender)
{
	char owner[256];

	return sender && logind_owner(w, owner, sizeof(owner)) == 0 && !strcmp(owner, sender);
}

static int on_sleep(sd_bus_message *m, void *arg, sd_bus_error *ret)
{
	struct sleepwatch *w = arg;
	int going = 0;

	(void)ret;
	if (sd_bus_message_read(m, "b", &going) < 0 || !from_logind(w, sd_bus_message_get_sender(m)))
		return 0;   /* not logind's: ignored */
	if (!going)
		return take_lock(w), 0;   /* awake again: hold a lock for the next time */
	atomic_fetch_add(&w->pending, 1);
	w->fn(w->arg);
	return 0;
}

/* poll()'s timeout for what sd-bus waits on (a method reply), in ms; -1 for none. */
static int bus_timeout_ms(sd_bus *bus)
{
	struct timespec ts;
	uint64_t until, now;

	if (sd_bus_get_timeout(bus, &until) <= 0 || until == UINT64_MAX)
		return -1;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	now = (uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000;
	return until <= now ? 0 : (int)((until - now + 999) / 1000 > 60000 ? 60000 : (until - now + 999) / 1000);
}

/* Handles what the bus has; on a lost connection the watch goes on without it. */
static void pump_bus(struct sleepwatch *w)
{
	int r;

	while ((r = sd_bus_process(w->bus, NULL)) > 0)
		;
	if (r < 0) {
		warning("sleepwatch: the system bus went away: suspend no longer locks first");
		release(w);
		w->bus = sd_bus_flush_close_unref(w->bus);
	}
}

static void *watch(void *arg)
{
	struct sleepwatch *w = arg;
	char owner[256];

	if (sd_bus_match_signal(w->bus, NULL, LOGIN1, LOGIN1_PATH, LOGIN1_MANAGER, "PrepareForSleep",
				on_sleep, w) < 0)
		warning("sleepwatch: cannot subscribe to logind's PrepareForSleep");
	if (logind_owner(w, owner, sizeof(owner)) < 0)
		warning("sleepwatch: no logind on the system bus yet: until it comes, the screen locks as the laptop sleeps, not before");
	else
		take_lock(w);
	for (;;) {
		struct pollfd p[2] = { { .fd = w->ctl[0], .events = POLLIN }, { .fd = -1 } };
		char c = 0;
		if (w->bus)
			pump_bus(w);
		if (w->bus)
			p[1] = (struct pollfd){ .fd = sd_bus_get_fd(w->bus), .events = (short)sd_bus_get_events(w->bus) };
		if (poll(p, 2, w->bus ? bus_timeout_ms(w->bus) : -1) < 0 && errno != EINTR)
			break;
		if (!(p[0].revents & POLLIN) || read(w->ctl[0], &c, 1) != 1)
			continue;
		if (c == 'q')
			break;
		release(w);   /* 'd': the screen is locked, the machine may sleep */
	}
	release(w);
	return NULL;
}

int sleepwatch_start(void (*fn)(void *arg), void *arg, struct sleepwatch **out, char *why,
		     size_t why_size)
{
	struct sleepwatch *w = calloc(1, sizeof(*w));
	int r;

	*out = NULL;
	if (!w)
		return snprintf(why, why_size, "out of memory"), -1;
	w->fn = fn;
	w->arg = arg;
	w->inhibit = -1;
	w->ctl[0] = w->ctl[1] = -1;
	if ((r = sd_bus_open_system(&w->bus)) < 0) {
		snprintf(why, why_size, "no system bus: %s", strerror(-r));
		goto fail;
	}
	if (pipe2(w->ctl, O_CLOEXEC) < 0 || (r = pthread_create(&w->th, NULL, watch, w)) != 0) {
		snprintf(why, why_size, "cannot start the watcher");
		goto fail;
	}
	*out = w;
	return 0;
fail:
	if (w->ctl[0] >= 0)
		close(w->ctl[0]), close(w->ctl[1]);
	sd_bus_flush_close_unref(w->bus);
	free(w);
	return -1;
}

int sleepwatch_pending(struct sleepwatch *w)
{
	return w && atomic_exchange(&w->pending, 0) > 0;
}

static void tell(struct sleepwatch *w, char c)
{
	while (write(w->ctl[1], &c, 1) < 0 && errno == EINTR)
		;
}

void sleepwatch_done(struct sleepwatch *w)
{
	if (w)
		tell(w, 'd');
}

void sleepwatch_stop(struct sleepwatch *w)
{
	if (!w)
		return;
	tell(w, 'q');
	pthread_join(w->th, NULL);
	sd_bus_flush_close_unref(w->bus);
	close(w->ctl[0]);
	close(w->ctl[1]);
	free(w);
}
