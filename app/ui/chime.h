/*
 * chime.h — the host alert: a short two-tone chime on the default audio device when a
 * crisis registration is stored (the config can turn it off). The device is closed once
 * the chime has played, so it never keeps the process awake (UI.md "idle").
 */
#ifndef INLOOP_CHIME_H
#define INLOOP_CHIME_H

/* Starts the chime. 0 when it is playing; -1 with a warning when there is no audio (the
 * host banner on screen still shows the alert). */
int chime_play(void);

/* 1 while the chime plays; closes the device once it is done (call from the loop). */
int chime_busy(void);

/* Stops and closes the device now. */
void chime_stop(void);

#endif
