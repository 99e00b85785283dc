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

#endif
