/*
 * seal_int.h — what seal.c (the device's side) and envelope.c share with open.c
 * (the opening side). Not for use outside sync/record/.
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

#endif
