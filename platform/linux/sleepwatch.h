/*
 * platform/linux/sleepwatch.h — the laptop is about to sleep (lid closed, suspend,
 * hibernate), from logind on the system bus: org.freedesktop.login1.Manager's
 * PrepareForSleep signal. While it watches it holds a "delay" inhibitor lock for sleep, so
 * the caller can lock the screen and wipe its secrets BEFORE the machine sleeps; it
 * releases the lock when the caller says it is done (or logind's InhibitDelayMaxSec, 5 s
 * by default, runs out) and takes a new one after the resume.
 *
 * A watcher thread owns the bus connection (sd-bus, libsystemd); the caller's loop only
 * reads a flag. Only a signal whose sender is the current owner of org.freedesktop.login1
 * counts (a signal another program sends, broadcast or addressed to us, is ignored).
 * The system bus is DBUS_SYSTEM_BUS_ADDRESS, else /run/dbus/system_bus_socket.
 */
#ifndef INLOOP_SLEEPWATCH_H
#define INLOOP_SLEEPWATCH_H

#include <stddef.h>

struct sleepwatch;

/* Connects to the system bus and starts the watcher. fn(arg) is called on the watcher's
 * thread (quick, thread-safe: wake the loop) each time the machine is about to sleep.
 * Returns 0 and *out (stop with sleepwatch_stop), or -1 with the reason in why when there
 * is no system bus (the caller goes on without). No logind yet on the bus is not an error:
 * the thread says so once on stderr and watches for it anyway. */
int sleepwatch_start(void (*fn)(void *arg), void *arg, struct sleepwatch **out, char *why,
		     size_t why_size);

/* 1 once for each sleep announced since the last call, else 0. NULL: 0. */
int sleepwatch_pending(struct sleepwatch *w);

/* The screen is locked and drawn: releases the delay lock, the machine may sleep now. */
void sleepwatch_done(struct sleepwatch *w);

/* Stops and joins the watcher, releasing the lock; NULL is a no-op. */
void sleepwatch_stop(struct sleepwatch *w);

#endif
