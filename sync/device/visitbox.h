/*
 * visitbox.h — visits from the office on a field laptop (issue 12, "Visits from the
 * office"). A coordinator assigns a registration to a consultant; the office seals a
 * visit to that consultant's certificate (sync/record/visit.h) and the case store spools
 * it. At each sync the device fetches, for every consultant here with a certificate,
 * `GET /v1/consultants/ID/visits` over the uploader's own mutual-TLS link, keeps each
 * envelope AS RECEIVED (ciphertext) in STATE/visits/ID/VISITID.cms (0600, folder 0700,
 * written durably) and only then deletes it on the server. 410 (the office disabled the
 * consultant) removes the consultant from the device; 404 leaves everything alone.
 *
 * A visit opens only after that consultant's unlock, with their private key
 * (consultant_key_der) and visit_open; one that does not open is moved to
 * STATE/visits/ID/aside/ with a clear message (ids only), never silently dropped.
 * A visit is erased when an intake that follows its reference is sealed into the outbox
 * (visitbox_erase_ref), and visit_days after it arrived (the file's time; no key needed),
 * with a warning in the list the day before.
 */
#ifndef INLOOP_VISITBOX_H
#define INLOOP_VISITBOX_H

#include <stddef.h>

struct device_config;

#define VISIT_ID_MAX 33              /* 32 hex characters and the NUL */
#define VISITBOX_MAX 64              /* visits listed per consultant */
#define VISITBOX_FILE_MAX (256 * 1024)   /* one envelope (= WIRE_MAX_BODY) */

/* One opened visit, as the list shows it (personal data: wipe with visitbox_clear). */
struct visit_info {
	char id[VISIT_ID_MAX];
	char reference[16];          /* the kiosk registration as its receipt shows it, "K7QF-2M9D" */
	char name[128];
	char contact[16];            /* "phone", "email", "come_back" (the resident's choice) */
	char phone[32];
	char email[128];
	char postcode[16];
	char house_number[16];
	int crisis;                  /* 1: a crisis or "unknown"; 0: none */
	char kinds[96];              /* the crisis kinds, "eviction,energy"; "unknown"; "" for none */
	char crisis_date[11];        /* YYYY-MM-DD or "" */
	char deadline[11];           /* YYYY-MM-DD */
	int acuut;
	long long received;          /* Unix seconds the device stored it */
	int days_left;               /* until it is erased (visit_days); <= 1: warn */
};

/* What one sync did with visits: counts only. */
struct visitbox_report {
	int received;                /* envelopes stored (new) */
	int removed;                 /* consultants removed (410) */
	int unknown;                 /* consultants the case store does not know here (404) */
	int failed;                  /* requests that got no usable answer */
};

/*
 * The link visitbox talks through: the uploader's (sync/device/upload.c). request sends
 * method ("GET" or "DELETE") to path (after the case-store URL); a GET's body goes to
 * *body (NUL-terminated, caller frees; at most max bytes, else an error), its status to
 * *status. 0 when an HTTP answer came, -1 when none did (network, TLS; why says so).
 */
struct visitbox_link {
	int (*request)(void *ctx, const char *method, const char *path, size_t max, char **body,
		       size_t *len, long *status, char *why, size_t why_size);
	void *ctx;
};

/* Fetches, keeps and deletes on the server the visits of every consultant with a
 * certificate (see above); also erases expired visits. Fills *rep. 0, or -1 on a local
 * error (the disk). */
int visitbox_sync(const struct device_config *cfg, const struct visitbox_link *link,
		  struct visitbox_report *rep);

/* Keeps one envelope as received as STATE/visits/CONSULTANT/VISITID.cms (durable, 0600).
 * An id already kept (or kept aside) is left as it is. 0, or -1 (bad id, disk). */
int visitbox_keep(const char *state_dir, const char *consultant, const char *visit_id,
		  const unsigned char *der, size_t len);

/*
 * Opens the consultant's visits with their private key (key_der, PKCS#8, borrowed) and
 * certificate (STATE/consultants/ID.pem, pinned STATE/ca.pem), into out (max entries):
 * crisis first, then by deadline. A visit that does not open, or that is not for this
 * consultant, is moved aside (counted in *aside, may be NULL). visit_days sets days_left.
 * Returns the count or -1.
 */
int visitbox_list(const char *state_dir, const char *consultant, const unsigned char *key_der,
		  size_t key_len, int visit_days, struct visit_info *out, int max, int *aside);

/* Erases the consultant's visits whose reference is ref (an intake following it was
 * sealed into the outbox); opens them with key_der to find them. Returns how many. */
int visitbox_erase_ref(const char *state_dir, const char *consultant,
		       const unsigned char *key_der, size_t key_len, const char *ref);

/* Erases the consultant's visits kept more than days ago (now: Unix seconds). Returns how
 * many, -1 on an error. */
int visitbox_expire(const char *state_dir, const char *consultant, int days, long long now);

/* How many visits of the consultant lie aside (refused, kept for ICT). */
int visitbox_aside_count(const char *state_dir, const char *consultant);

/* Erases every visit of consultant, and the aside folder (consultant_remove). 0 or -1. */
int visitbox_remove_all(const char *state_dir, const char *consultant);

/* Wipes n visit_info entries. */
void visitbox_clear(struct visit_info *v, int n);

#endif
