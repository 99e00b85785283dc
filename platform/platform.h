/*
 * platform.h — what differs per operating system or deployment. One implementation per
 * variant under platform/<variant>/, picked by the Makefile (PLATFORM=linux).
 */
#ifndef INLOOP_PLATFORM_H
#define INLOOP_PLATFORM_H

#include <stddef.h>

/* Writes the default state folder (for --state) into buf: $INLOOP_STATE, else
 * /var/lib/inloop for root, else $XDG_STATE_HOME/inloop or ~/.local/state/inloop. */
int platform_default_state_dir(char *buf, size_t size);

/* Turns off core dumps and ptrace attach for this process, so plaintext answers never
 * land in a crash file. Returns 0, or -1 if the system refused. */
int platform_harden_process(void);

/* Checks that a private key file is owned by us and not readable by group/others. */
int platform_check_key_file(const char *path);

/* Sets the process time zone to the Netherlands (Europe/Amsterdam): the Wgs clock runs
 * on Dutch dates. */
void platform_use_dutch_time(void);

/*
 * Network changes, for the uploader: a watcher thread calls fn(arg) after each change that
 * may mean the network is back (an interface up and running, a new usable address, a new
 * route; on Linux from rtnetlink). fn runs on the watcher's thread, must be quick
 * and thread-safe, and may be called for a change that turns out not to help (a doorbell,
 * not a promise). Returns 0 and *out (stop with platform_netwatch_stop), or -1 with errno
 * set when the system offers no such events (the caller keeps its timer).
 */
struct platform_netwatch;
int platform_netwatch_start(void (*fn)(void *arg), void *arg, struct platform_netwatch **out);

/* Stops and joins the watcher; fn is not called after it returns. NULL is a no-op. */
void platform_netwatch_stop(struct platform_netwatch *w);

#endif
