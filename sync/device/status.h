/*
 * status.h — the device's own status (STATE/status.json): what the host did and what the
 * kiosk must remember across a restart, never anything about a resident. Closed for the
 * day, the crisis alert and its acknowledgement, the count of wrong host PINs with the
 * wait they earned, and "left for ICT" (until the next boot). Written atomically (util_write_file: temp file, fsync, rename), mode
 * 0600. Only codes, counts, dates and times; never a name, an answer or a record id.
 */
#ifndef INLOOP_STATUS_H
#define INLOOP_STATUS_H

struct device_status {
	char closed_on[11];          /* "YYYY-MM-DD": closed for that day by the host; "" open */
	int crisis_alert;            /* 1: a crisis alert waits for the host's acknowledgement */
	int crisis_alerts;           /* how many were raised since the last acknowledgement */
	long long acknowledged_at;   /* unix seconds of the last acknowledgement; 0 never */
	int pin_failures;            /* wrong host PINs in a row (reset by the right one) */
	long long pin_wait_until;    /* unix seconds before which no PIN is tried; 0 none */
	long long last_sync;         /* unix seconds a record was last accepted; 0 not known */
	char left_boot[40];          /* the boot id in which the host left the kiosk for ICT; "" */
};

/* Empties st (open, no alert, no failures). */
void status_defaults(struct device_status *st);

#define STATUS_DAMAGED_PIN_FAILURES 5   /* a damaged file counts as five wrong PINs */

/*
 * Reads STATE_DIR/status.json into *st. An absent file is the defaults (0). A malformed
 * file or a value of the wrong type: -1 with a clear error naming the file and key, and
 * *st errs on the safe side: open, the crisis alert up (the host looks), and
 * STATUS_DAMAGED_PIN_FAILURES wrong PINs, so damaging the file never buys more tries.
 */
int status_load(const char *state_dir, struct device_status *st);

/* This machine's boot id (/proc/sys/kernel/random/boot_id) into out; "" when unknown. */
void status_boot_id(char out[40]);

/* Writes *st as STATE_DIR/status.json atomically (mode 0600). 0 or -1 with a reason. */
int status_save(const char *state_dir, const struct device_status *st);

#endif
