/*
 * consultant.h — the consultants enrolled on a field laptop (issue 12). Each consultant
 * has a random data key (it seals their drafts, sync/device/draft.h) kept only wrapped:
 * XChaCha20-Poly1305 under a key derived by Argon2id (libsodium crypto_pwhash) from their
 * own passphrase, with the salt and the cost stored beside it in
 * STATE/consultants/ID.json (0600). Without the passphrase nothing on disk opens.
 *
 * Wrong passphrases slow down: the attempt is counted on disk before the check, so killing
 * the program does not reset the count; from CONSULTANT_SLOW_AFTER failures the next try
 * waits, doubling; at CONSULTANT_LOCK_AFTER the consultant is locked and only the office
 * (a new enrolment) helps. The office's list of disabled consultants removes them, their
 * key and their drafts at the next sync (consultant_apply_disabled).
 *
 * Visits from the office are sealed to a consultant's own certificate. Each consultant
 * has a P-256 key pair made on the device; the private key exists on disk ONLY sealed
 * under the consultant's data key (STATE/consultants/ID.key.sealed, 0600:
 * "INLCKEY1" | nonce (24) | XChaCha20-Poly1305 of the PKCS#8 DER, the magic and the id as
 * associated data), so it opens only after that consultant's unlock. Beside it
 * ID.csr (PEM PKCS#10, CN=ID) for the office's CA and, once installed, ID.pem.
 */
#ifndef INLOOP_CONSULTANT_H
#define INLOOP_CONSULTANT_H

#include "sync/record/visit.h"

#include <jansson.h>
#include <stddef.h>

#define CONSULTANT_KEY_BYTES 32
#define CONSULTANT_ID_MAX (VISIT_CONSULTANT_ID_MAX + 1)   /* an id (its rule: visit.h) and the NUL */
#define CONSULTANT_PASS_MIN 6       /* characters: a PIN of six digits at least */
#define CONSULTANT_PASS_MAX 256     /* bytes */
#define CONSULTANT_SLOW_AFTER 3
#define CONSULTANT_LOCK_AFTER 10
#define CONSULTANT_MAX 32           /* consultants on one device */

enum consultant_rc {
	CONSULTANT_OK = 0,
	CONSULTANT_WRONG = 1,     /* wrong passphrase (counted) */
	CONSULTANT_WAIT = 2,      /* too soon after wrong attempts: *wait_s says how long */
	CONSULTANT_LOCKED = 3,    /* too many wrong attempts: the office must enrol again */
	CONSULTANT_UNKNOWN = 4,   /* no such consultant on this device */
};

/* Enrols id with passphrase pass (len bytes, wiped by the caller): a new random data key,
 * wrapped, written durably. Refuses an existing id, a bad id or a short passphrase with a
 * clear error (never the passphrase). 0 or -1. */
int consultant_add(const char *state_dir, const char *id, const char *pass, size_t len);

/* Opens id's data key with pass into key (wiped by the caller after use). Returns an enum
 * consultant_rc; CONSULTANT_WAIT sets *wait_s (may be NULL); -1 on a damaged file or I/O
 * error (error printed). */
int consultant_unlock(const char *state_dir, const char *id, const char *pass, size_t len,
		      unsigned char key[CONSULTANT_KEY_BYTES], int *wait_s);

/* The failures counted for id (0 after a good unlock), or -1 when unknown. */
int consultant_failures(const char *state_dir, const char *id);

/* The enrolled ids, sorted, into ids (max entries). Returns the count or -1. */
int consultant_list(const char *state_dir, char ids[][CONSULTANT_ID_MAX], int max);

/* Removes id from the device: its wrapped key, its key pair and certificate, every draft
 * and every visit (erased). 0 (also when it was not there) or -1. */
int consultant_remove(const char *state_dir, const char *id);

/* The office's disabled list (a JSON array of ids, borrowed): removes each one enrolled
 * here. Returns how many were removed, -1 on a malformed list. */
int consultant_apply_disabled(const char *state_dir, const json_t *disabled);

/* Reads a passphrase line from fd (the trailing newline dropped) into buf; its length, or
 * -1 when empty, too long or unreadable. The caller wipes buf. */
int consultant_read_pass(int fd, char *buf, size_t size);

/* STATE/consultants/ID.EXT (ext "csr", "pem", "key.sealed") into buf; 0 or -1. */
int consultant_file(const char *state_dir, const char *id, const char *ext, char *buf, size_t size);

/* 1 when id has an installed certificate (ID.pem), 0 when not. */
int consultant_has_cert(const char *state_dir, const char *id);

/* The end of id's installed certificate: *days left (negative: expired) and its date
 * "YYYY-MM-DD" (UTC) in end. 0, or -1 when id has no readable certificate. */
int consultant_cert_days(const char *state_dir, const char *id, long long now, int *days, char end[11]);

/*
 * Makes id's key pair (unless it has one: then its CSR is written again), keeps the
 * private key sealed under data_key and writes STATE/consultants/ID.csr; its path goes to
 * csr_path. A consultant with a certificate gets a renewal CSR of the same key (visits
 * sealed to the old certificate keep opening) only from VISIT_CONSULTANT_RENEW_DAYS days
 * before its end; earlier it is refused with that date. 0 or -1.
 */
int consultant_request(const char *state_dir, const char *id,
		       const unsigned char data_key[CONSULTANT_KEY_BYTES], char *csr_path,
		       size_t size);

/*
 * Installs the certificate in the PEM file cert_file as STATE/consultants/ID.pem after
 * checking that it chains to STATE/ca.pem, has CN=id, keyUsage keyAgreement and the
 * consultant EKU (VISIT_OID_KP_CONSULTANT), and carries the public key of ID.csr. 0 or -1
 * with the reason.
 */
int consultant_install_cert(const char *state_dir, const char *id, const char *cert_file);

/*
 * Unseals id's private key with data_key into *der (PKCS#8 DER, *len bytes; the caller
 * wipes and frees it with consultant_key_free). 0, 1 when id has no key, -1 when the
 * sealed file does not open (changed, or another consultant's) or on an I/O error.
 */
int consultant_key_der(const char *state_dir, const char *id,
		       const unsigned char data_key[CONSULTANT_KEY_BYTES], unsigned char **der,
		       size_t *len);

/* Wipes and frees a key from consultant_key_der; NULL is a no-op. */
void consultant_key_free(unsigned char *der, size_t len);

#endif
