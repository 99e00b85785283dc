/*
 * kiosk_sync.h — the kiosk's side of the background sync (issue "3 of 3"): it starts the
 * uploader thread of sync/device/upload.h, wakes it after each stored record and turns its
 * status into one calm line for the host on Welcome; the line also warns the host ahead of
 * the Wgs holiday table running out. The UI never waits on the network: every call here
 * takes at most the uploader's status mutex.
 */
#ifndef INLOOP_KIOSK_SYNC_H
#define INLOOP_KIOSK_SYNC_H

#include <stddef.h>

struct uploader;
struct device_config;
struct outbox;

struct calendar;

struct kiosk_sync {
	struct uploader *u;   /* NULL when the uploader could not start (kiosk runs offline) */
	struct calendar *cal; /* the holiday table, for the host's warning before it runs out */
	char line[512];       /* the host's status line, in the interface language */
};

/* Starts the uploader for the device cfg holds (loaded once by the kiosk); wake(arg) is called on the uploader's thread after
 * each pass, so the event loop can wake and refresh the line (it must be thread-safe).
 * On failure the kiosk keeps running offline and the status line says so. 0 or -1. */
int kiosk_sync_start(struct kiosk_sync *s, const struct device_config *cfg, void (*wake)(void *arg),
		     void *arg);

/* Wakes the uploader after a record was stored. */
void kiosk_sync_kick(struct kiosk_sync *s);

/* Rebuilds the status line from the uploader's status, with a warning when the holiday
 * table runs out within CALENDAR_WARN_DAYS (calendar_table_warning); 1 when it changed. */
int kiosk_sync_refresh(struct kiosk_sync *s);

/* 1 once the uploader has finished at least one pass (its status is then its own). */
int kiosk_sync_settled(struct kiosk_sync *s);

/* Waits (really, not virtual time) up to ms until the outbox ob has nothing waiting to be
 * sent; for replays. Returns 0 when it drained, -1 when time ran out or no uploader. */
int kiosk_sync_wait(struct kiosk_sync *s, struct outbox *ob, int ms);

/* Stops the thread (a transfer in flight is aborted; its row stays in the outbox). */
void kiosk_sync_stop(struct kiosk_sync *s);

#endif
