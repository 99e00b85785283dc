/*
 * seal.h — the CMS seal (DESIGN.md "The seal", SEAL.md §8 profile "SHV-REG-1").
 *
 * Device side: a record's JSON is signed (CMS SignedData, CAdES, SHA-256, ECDSA P-256,
 * private eContentType and signed attributes) and the DER SignedData is encrypted to
 * every pinned case-store certificate (AuthEnvelopedData, AES-256-GCM, ECDH P-256 with
 * the SHA-256 KDF). The device cannot read its own envelopes back.
 *
 * Back-office side: seal_open enforces the acceptance rules of SEAL.md in order and
 * hands out the JSON only when every rule passed.
 *
 * The OIDs live under 1.3.6.1.4.1.99999, a PLACEHOLDER arc (SEAL.md §8): register an
 * IANA Private Enterprise Number before production.
 */
#ifndef INLOOP_SEAL_H
#define INLOOP_SEAL_H

#include "sync/record/record.h"

#include <stddef.h>
#include <time.h>

#define SEAL_SCHEMA RECORD_SCHEMA   /* the record's schema, as its signed attribute */

/* Placeholder arc, see above. */
#define SEAL_OID_CONTENT_TYPE "1.3.6.1.4.1.99999.7.1.1"  /* id-ct-inloopRegistration */
#define SEAL_OID_DEVICE_ID    "1.3.6.1.4.1.99999.7.2.1"  /* UTF8String device id */
#define SEAL_OID_SCHEMA       "1.3.6.1.4.1.99999.7.2.2"  /* UTF8String schema */
#define SEAL_OID_SEQ          "1.3.6.1.4.1.99999.7.2.3"  /* INTEGER per-device sequence */

struct seal_device;   /* the device's signing key + cert + pinned recipient cert(s) */

/* The device's files; the state folder's names for them are sync/device's (config.h). */
struct seal_device_files {
	const char *key;          /* the signing key, P-256, must be 0600 */
	const char *cert;         /* its certificate */
	const char *ca;           /* the municipality CA */
	const char *recipients;   /* 1 or 2 case-store certificates, pinned at enrolment */
};

/*
 * Loads the device's key, certificate, CA and recipients; the caller checks config.json's
 * device id against it (sync/device/submit.c). Checks that the certificate matches the key
 * and chains to the CA. On success *out is owned by the caller (seal_device_free).
 * A device state folder is loaded with submit_seal_device (sync/device/config.h).
 */
int seal_device_load(const struct seal_device_files *files, struct seal_device **out);
void seal_device_free(struct seal_device *d);           /* NULL ok */
/* The device id (the CN of its certificate); owned by d. */
const char *seal_device_id(const struct seal_device *d);

struct seal_attrs {
	const char *record_id;  /* UUID, 36 chars -> contentIdentifier */
	const char *device_id;  /* must equal seal_device_id(d) */
	const char *schema;     /* SEAL_SCHEMA */
	long long seq;          /* per-device monotonic sequence */
	time_t created_at;      /* -> signingTime */
};

/*
 * Signs json (CMS SignedData, CAdES, SHA-256, ECDSA P-256, signed attrs per SEAL.md §8)
 * and encrypts to every pinned recipient (AuthEnvelopedData, AES-256-GCM, ECDH P-256,
 * SHA-256 KDF). On success *der is OPENSSL_malloc'd DER (caller frees with OPENSSL_free).
 * The intermediate plaintext SignedData is cleansed.
 */
int seal_record(struct seal_device *d, const char *json, size_t len, const struct seal_attrs *a,
                unsigned char **der, size_t *der_len);

struct seal_opener;   /* back office: case-store private key(s) + municipality CA (+ CRL) */

/*
 * Loads casestore.key (+ casestore-next.key if present), both 0600, and ca.pem (and
 * crl.pem if present: then a revoked device's record is refused) from casestore_dir.
 * On success *out is owned by the caller (seal_opener_free).
 */
int seal_opener_load(const char *casestore_dir, struct seal_opener **out);
void seal_opener_free(struct seal_opener *o);           /* NULL ok */

struct seal_info {
	char record_id[64];
	char device_id[64];
	char schema[64];
	long long seq;
	time_t signing_time;
	time_t revoked_at;        /* 0, or when the device was revoked (after receipt: look twice) */
};

/*
 * Enforces SEAL.md's acceptance rules in order (exact DER, outer AuthEnvelopedData BEFORE
 * decrypting, id-data inner type, KARI sha256-KDF / KTRI OAEP allow-list, use output only if
 * CMS_decrypt returned 1, inner SignedData with our eContentType and one signer, CMS_verify
 * CADES against the CA, signed attrs equal JSON fields record_id/device_id/schema/seq, device
 * id = signer cert CN). On success *json (malloc'd, NUL-terminated, caller frees with
 * util_clear_free) and info; on refusal returns -1 and writes the exact reason to why.
 * The reason never contains content or key material. Thread-safe for one opener.
 *
 * Time policy (SEAL.md P12): seal_open judges at the time of opening; see seal_open_at.
 * signingTime is the device's clock and only reported in info.
 */
int seal_open(const struct seal_opener *o, const unsigned char *der, size_t len,
              char **json, size_t *json_len, struct seal_info *info, char *why, size_t why_size);

/*
 * The same, judged at `at`, the moment the case store received the envelope (its own
 * clock, which a device cannot forge): the signer's certificate must be valid at `at`,
 * and a device revoked (crl.pem) on or before `at` is refused. A device revoked after
 * `at` still opens — its records from before the theft are real registrations — and
 * info->revoked_at tells the back office to look twice. seal_open(...) is
 * seal_open_at(..., time(NULL), ...).
 */
int seal_open_at(const struct seal_opener *o, const unsigned char *der, size_t len, time_t at,
                 char **json, size_t *json_len, struct seal_info *info, char *why, size_t why_size);

/*
 * Cheap structural check for the server: is this DER a CMS ContentInfo of type
 * AuthEnvelopedData (exact DER, no trailing bytes, no decryption)? 0 yes, -1 no
 * (reason in why).
 */
int seal_is_envelope(const unsigned char *der, size_t len, char *why, size_t why_size);

#endif
