/*
 * visit.h — a visit from the office to a consultant's laptop (issue 12): the record
 * assigned to a consultant, signed by the office and sealed to that one consultant.
 *
 * The envelope: CMS AuthEnvelopedData (AES-256-GCM, ECDH P-256 with the SHA-256 KDF and
 * AES-256 key wrap, as records: SEAL.md §8) to the consultant's certificate, holding the
 * DER of a CMS SignedData (CAdES, SHA-256, ECDSA P-256, eContentType id-ct-inloopVisit,
 * one signer) by the office's visit signer (ROOT/office/visit-signer.key, EKU
 * id-kp-inloopVisitSigner). A device certificate never carries that EKU, so a stolen
 * device key cannot forge a visit; a visit opens only with the consultant's own key.
 *
 * The office side (visit_seal.c) is linked into inloop-office and inloopctl, the device
 * side (visit_open.c) into the kiosk/field program only. The signed JSON:
 *   {"schema":"inloop.visit","version":1,"visit_id":HEX32,"consultant":ID,"record_id":UUID,
 *    "reference":..,"location":..,"name":..,"contact":..,"deadline":..,"acuut":..,
 *    "assigned_at":ISO8601, ...}
 * The OIDs live under the PLACEHOLDER arc 1.3.6.1.4.1.99999 (seal.h).
 */
#ifndef INLOOP_VISIT_H
#define INLOOP_VISIT_H

#include <stddef.h>

#define VISIT_SCHEMA  "inloop.visit"
#define VISIT_VERSION 1

/* The visit JSON's fields that the seal itself checks. */
#define VISIT_F_SCHEMA     "schema"
#define VISIT_F_VERSION    "version"
#define VISIT_F_ID         "visit_id"
#define VISIT_F_CONSULTANT "consultant"

#define VISIT_OID_CONTENT_TYPE  "1.3.6.1.4.1.99999.7.1.2"  /* id-ct-inloopVisit */
#define VISIT_OID_KP_SIGNER     "1.3.6.1.4.1.99999.7.3.1"  /* id-kp-inloopVisitSigner */
#define VISIT_OID_KP_CONSULTANT "1.3.6.1.4.1.99999.7.3.2"  /* id-kp-inloopConsultant */

/* The office's files in ROOT/office/. */
#define VISIT_SIGNER_KEY "visit-signer.key"
#define VISIT_SIGNER_PEM "visit-signer.pem"

/* A consultant id (the office user name; also a file name and a certificate's CN): 1 to
 * VISIT_CONSULTANT_ID_MAX of [a-z0-9._-], the first a letter or digit (so never "." or
 * "..", never a path). The one rule: the CA, the case store, the office and the laptop
 * all call visit_consultant_id_ok. */
#define VISIT_CONSULTANT_ID_MAX 32

/* A consultant certificate lasts 2 years (CA_CONSULTANT_DAYS); from this many days before
 * its end the laptop warns and `inloop consultant request ID` makes a renewal CSR (the
 * same key), which the CA takes for an active id on the same device. */
#define VISIT_CONSULTANT_RENEW_DAYS 30

/* 1 when id (NULL ok) is a consultant id by the rule above, else 0. */
int visit_consultant_id_ok(const char *id);

struct visit_signer;   /* office: visit-signer.key + .pem, and the CA (ca.pem) */

/*
 * Loads office_dir/visit-signer.key (must be 0600), visit-signer.pem and ca.pem; checks
 * that the certificate belongs to the key, chains to ca.pem and carries the visit-signer
 * EKU. On success *out is owned by the caller (visit_signer_free).
 */
int visit_signer_load(const char *office_dir, struct visit_signer **out);
void visit_signer_free(struct visit_signer *s);           /* NULL ok */

/*
 * Signs json (len bytes) and seals it to the consultant certificate at cert_path. Refuses
 * (error(), never content) a certificate that does not chain to the signer's CA, lacks
 * the consultant EKU or keyAgreement, or is not P-256, and JSON that is not a visit of
 * VISIT_SCHEMA/VISIT_VERSION whose "consultant" is the certificate's CN. On success *der
 * is OPENSSL_malloc'd DER (caller frees with OPENSSL_free); the plaintext SignedData is
 * wiped.
 */
int visit_seal(const struct visit_signer *s, const char *cert_path, const char *json,
	       size_t len, unsigned char **der, size_t *der_len);

/*
 * The device side. key_der = the consultant's private key (PKCS#8 DER, unsealed in memory
 * by the caller), cert_path = STATE/consultants/ID.pem, ca_path = STATE/ca.pem. Checks, in
 * order: exact DER; AuthEnvelopedData with the records' profile and algorithm allow-list;
 * sealed to this consultant's certificate (and the key is that certificate's); decrypts
 * (output used only when the tag verified); inner DER SignedData with id-ct-inloopVisit,
 * its content and one signer; the CAdES signature verifies and the signer chains to
 * ca_path; the signer has the visit-signer EKU; the JSON's schema/version and "consultant"
 * == consultant_id. On success *json (malloc'd, NUL-terminated; caller frees with
 * util_clear_free) and *json_len. On refusal -1 with a reason in why that never holds
 * content or key material.
 */
int visit_open(const unsigned char *der, size_t len, const unsigned char *key_der,
	       size_t key_len, const char *cert_path, const char *ca_path,
	       const char *consultant_id, char **json, size_t *json_len,
	       char *why, size_t why_size);

/*
 * Recalls (the office takes back a visit a laptop already fetched: the record was
 * reassigned, had its first conversation or was handed over). A recall is NOT sealed:
 * it holds no personal data, only ids, and the laptop must act on it at its next sync,
 * before anyone unlocks. It is a CMS SignedData (CAdES, SHA-256, eContentType
 * id-ct-inloopVisit, one signer: the office's visit signer) of
 *   {"schema":"inloop.visit-recall","version":1,"recall_id":HEX32,"consultant":ID,
 *    "visits":[HEX32, ...],"reason":"reassigned"|"contacted"|"handed-over","at":ISO8601}
 * The schema inside the signed content keeps a recall and a visit apart. A recall that
 * does not verify erases nothing.
 */
#define VISIT_RECALL_SCHEMA "inloop.visit-recall"
#define VISIT_RECALL_MAX 64   /* visit ids in one recall */

/* Office: signs a recall of the n visit ids (32 hex digits each) of consultant, with id
 * recall_id and reason (a word). *der is OPENSSL_malloc'd (caller OPENSSL_free's). 0 or -1. */
int visit_recall_sign(const struct visit_signer *s, const char *recall_id, const char *consultant,
		      const char *const *visit_ids, size_t n, const char *reason,
		      unsigned char **der, size_t *der_len);

/* Device: verifies a recall (exact DER, SignedData with id-ct-inloopVisit, one SHA-256
 * signer, the CAdES signature chained to ca_path, the visit-signer EKU, the JSON's schema,
 * version, recall_id == recall_id and consultant == consultant_id) and copies its visit
 * ids into ids (at most max) with their number in *n. 0, or -1 with a reason in why. */
int visit_recall_verify(const unsigned char *der, size_t len, const char *ca_path,
			const char *recall_id, const char *consultant_id, char (*ids)[33], size_t max,
			size_t *n, char *why, size_t why_size);

#endif
