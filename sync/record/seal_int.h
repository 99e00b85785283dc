/*
 * seal_int.h — what seal.c (the device's side) and envelope.c share with open.c
 * (the opening side), and the visit seal (visit_seal.c, visit_open.c) with both. Not for
 * use outside sync/record/.
 */
#ifndef INLOOP_SEAL_INT_H
#define INLOOP_SEAL_INT_H

#include <openssl/cms.h>
#include <stddef.h>

/* NIDs of the private OIDs, valid after seal_oids_ready() returned 0. */
extern int seal_nid_ct, seal_nid_dev, seal_nid_schema, seal_nid_seq;

/* Registers the private OIDs once per process; -1 (with error()) when OpenSSL refuses. */
int seal_oids_ready(void);

/* snprintf into why; always returns -1 so refusals read `return seal_refuse(...)`. */
int seal_refuse(char *why, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Wipes the eContent (the plaintext JSON) of a SignedData before it is freed (P11). */
void seal_wipe_and_free(CMS_ContentInfo *cms);

/* Rule 1: one canonical DER CMS object and nothing after it; *cms owned by the caller. */
int seal_parse_exact(const unsigned char *der, size_t len, const char *what,
		     CMS_ContentInfo **cms, char *why, size_t ws);

/* Rules 2-4 on an envelope already parsed by seal_parse_exact from der: the outer type is
 * AuthEnvelopedData (checked before any decryption, P4), the profile's shape read from the
 * DER (id-data inside, aes256-GCM, content present, no authAttrs, 16-byte MAC, KARI v3)
 * and every recipient on the algorithm allow-list (P3). 0, or -1 with the reason in why. */
int seal_check_envelope(CMS_ContentInfo *env, const unsigned char *der, size_t len,
			char *why, size_t ws);

/* An algorithm's name (or dotted OID) into buf, for refusal reasons; returns buf. */
const char *seal_alg_name(const ASN1_OBJECT *obj, char *buf, size_t size);

/* Encrypts in (in_len bytes) as AuthEnvelopedData (AES-256-GCM) to each P-256 certificate of
 * recipients (ECDH, SHA-256 KDF, AES-256 key wrap). *der OPENSSL_malloc'd; -1 (no message)
 * on failure. The device's records (seal.c) and the office's visits (visit_seal.c). */
int seal_envelope_to(STACK_OF(X509) *recipients, const unsigned char *in, int in_len,
		     unsigned char **der, size_t *der_len);

/* A visit's JSON (visit.c): an object without duplicate keys, schema VISIT_SCHEMA version
 * VISIT_VERSION, a visit_id of 32 hex digits, "consultant" == consultant. 0, or -1 with
 * the reason (never content) in why. */
int seal_visit_check_json(const char *json, size_t len, const char *consultant, char *why,
			  size_t ws);

/* NID of id-ct-inloopVisit (visit.h), valid after seal_oids_ready() returned 0. */
extern int seal_nid_visit;

#endif
