/*
 * config.h — the device's state folder: its files' names and its config.json, written at
 * enrolment (sync/device/enroll.c) and loaded ONCE per program start into one struct
 * device_config, which the submit path, the uploader and the kiosk are handed. It holds no
 * secrets and no personal data: the folder, ids, the case-store URL, display settings.
 */
#ifndef INLOOP_CONFIG_H
#define INLOOP_CONFIG_H

/* The files of a device's state folder. */
#define STATE_CONFIG     "config.json"     /* this struct, as JSON (config_save) */
#define STATE_OUTBOX     "outbox.sqlite"   /* sealed records waiting (outbox.h) */
#define STATE_KEY        "device.key"      /* the signing / TLS client key, 0600 */
#define STATE_CSR        "device.csr"      /* the enrolment request */
#define STATE_CERT       "device.pem"      /* the device certificate */
#define STATE_CA         "ca.pem"          /* the municipality CA, pinned */
#define STATE_RECIPIENTS "recipients.pem"  /* the case-store certificates sealed to */

#define CONFIG_MAX_IDLE_TYPES 8
#define CONFIG_MAX_WALK_IN 8

struct device_config {
	char dir[4096];          /* the state folder it was loaded from ("" before config_load) */
	char device_id[64];      /* = CN of the device certificate, e.g. "kiosk-0001" */
	char location[128];      /* e.g. "Bibliotheek Centrum" */
	char url[512];           /* case store base URL, e.g. https://127.0.0.1:8443 */
	char crisis_phone[32];   /* municipality crisis number shown on a crisis receipt */
	char mode[16];           /* "kiosk" or "field" */
	int alert_sound;         /* host alert sound on crisis, 1/0 */
	int idle_seconds;        /* default 60 */
	int countdown_seconds;   /* default 20 */
	int receipt_seconds;     /* default 90 */
	char printer[128];       /* CUPS queue for the printed receipt; "" = no printer */
	char paper[8];           /* "80mm", "a4" or "" (the queue's media) */
	int host_wait_seconds;   /* "talk to a staff member": answers wait this long, default 900 */
	int lock_seconds;        /* field mode: locks after this idle time, default 300 */
	int draft_days;          /* field mode: drafts erased after this many days, default 14 */
	int visit_days;          /* field mode: visits erased this many days after they came, default 14 */
	char host_lang[8];       /* language of the host's texts (banner, status), default "nl" */
	char host_pin[128];      /* Argon2id hash of the host PIN (crypto_pwhash_str); "" none */
	struct config_idle {     /* idle time per question type ("date", "address", ...) */
		char type[16];
		int seconds;
	} idle_by_type[CONFIG_MAX_IDLE_TYPES];
	int n_idle_by_type;
	struct config_walk_in {  /* walk-in hours per language; lang "" for a plain string */
		char lang[8];
		char text[256];
	} walk_in[CONFIG_MAX_WALK_IN];
	int n_walk_in;
};

/* Fills c with the defaults (mode "kiosk", alert_sound 1, 60/20/90 s, host_lang "nl",
 * 900 s host wait, 180 s idle on "date" and "address" screens, empty strings). */
void config_defaults(struct device_config *c);

/*
 * Loads the device's state folder into *out: checks the folder (exists, is one, is ours
 * to read and write), reads STATE_DIR/config.json with defaults for absent keys and
 * remembers the folder in out->dir. -1 with a clear error (path and key, never values)
 * for a missing folder, a missing or malformed file, a wrong type, a string too long for
 * its field or an out-of-range number; out->dir is set either way.
 */
int config_load(const char *state_dir, struct device_config *out);

/* The path of the state folder's file name (STATE_*) into buf; -1 when it does not fit. */
int config_path(const struct device_config *c, const char *name, char *buf, size_t size);

/* Writes *c as STATE_DIR/config.json (util_write_file, mode 0644). */
int config_save(const char *state_dir, const struct device_config *c);

/* The idle seconds for a question of type type_name (form_type_name), else dflt. */
int config_idle_for(const struct device_config *c, const char *type_name, int dflt);

/* The walk-in hours in lang, else the plain string, else the first given; NULL when the
 * config has none. Borrowed from c. */
const char *config_walk_in(const struct device_config *c, const char *lang);

#endif
