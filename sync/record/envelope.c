/*
 * envelope.c — what both sides of the seal share and the checks on an envelope that need
 * no key: the private OIDs, the wipe of a SignedData, one canonical DER object (rule 1,
 * shared with the opener in open.c) and the case store's cheap check of every upload
 * (seal_is_envelope). seal.c (device) and open.c (office) are linked apart.
 */
#include "sync/record/seal.h"
#include "sync/record/seal_int.h"
#include "platform/util.h"

#include <openssl/cms.h>
#include <openssl/err.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* NIDs of our private OIDs (placeholder arc 1.3.6.1.4.1.99999, see seal.h). */
int seal_nid_ct, seal_nid_dev, seal_nid_schema, seal_nid_seq;
static pthread_once_t oid_once = PTHREAD_ONCE_INIT;

static int make_nid(const char *oid, const char *sn, const char *ln)
{
	int nid = OBJ_txt2nid(oid);

	return nid != NID_undef ? nid : OBJ_create(oid, sn, ln);
}

static void register_oids(void)
{
	seal_nid_ct = make_nid(SEAL_OID_CONTENT_TYPE, "inloopRegistration", "inloop registration record");
	seal_nid_dev = make_nid(SEAL_OID_DEVICE_ID, "inloopDeviceId", "inloop device id");
	seal_nid_schema = make_nid(SEAL_OID_SCHEMA, "inloopSchema", "inloop record schema");
	seal_nid_seq = make_nid(SEAL_OID_SEQ, "inloopDeviceSeq", "inloop per-device sequence");
}

int seal_oids_ready(void)
{
	pthread_once(&oid_once, register_oids);
	if (seal_nid_ct == NID_undef || seal_nid_dev == NID_undef || seal_nid_schema == NID_undef ||
	    seal_nid_seq == NID_undef)
		return error("cannot register the seal's object identifiers");
	return 0;
}

/* Wipes the eContent (the plaintext JSON) of a SignedData before it is freed (P11). */
void seal_wipe_and_free(CMS_ContentInfo *cms)
{
	ASN1_OCTET_STRING **pos;

	if (!cms)
		return;
	pos = CMS_get0_type(cms) && OBJ_obj2nid(CMS_get0_type(cms)) == NID_pkcs7_signed ?
	      CMS_get0_content(cms) : NULL;
	if (pos && *pos && (*pos)->data)
		OPENSSL_cleanse((*pos)->data, (size_t)(*pos)->length);
	CMS_ContentInfo_free(cms);
}

/* snprintf into why; always returns -1 so refusals read `return seal_refuse(...)`. */
int seal_refuse(char *why, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
int seal_refuse(char *why, size_t size, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, size, fmt, ap);
	va_end(ap);
	return -1;
}

/*
 * Rule 1: exactly one DER object, nothing after it, and canonical (re-encoding gives the
 * same bytes, so BER/indefinite lengths are refused). *cms owned by the caller.
 */
int seal_parse_exact(const unsigned char *der, size_t len, const char *what,
		       CMS_ContentInfo **cms, char *why, size_t ws)
{
	const unsigned char *p = der;
	unsigned char *re = NULL;
	int n;

	*cms = NULL;
	if (len == 0 || len > 64 * 1024 * 1024)
		return seal_refuse(why, ws, "%s: empty or larger than 64 MiB", what);
	*cms = d2i_CMS_ContentInfo(NULL, &p, (long)len);
	ERR_clear_error();
	if (!*cms)
		return seal_refuse(why, ws, "%s: not a DER CMS ContentInfo", what);
	if (p != der + len)
		return seal_refuse(why, ws, "%s: %zu trailing bytes after the DER object", what,
			      len - (size_t)(p - der));
	n = i2d_CMS_ContentInfo(*cms, &re);
	if (n != (int)len || memcmp(re, der, len)) {
		OPENSSL_clear_free(re, n > 0 ? (size_t)n : 0);
		return seal_refuse(why, ws, "%s: not in canonical DER (BER or non-minimal encoding)", what);
	}
	OPENSSL_clear_free(re, (size_t)n);
	return 0;
}

int seal_is_envelope(const unsigned char *der, size_t len, char *why, size_t why_size)
{
	CMS_ContentInfo *cms = NULL;
	int rc = seal_parse_exact(der, len, "envelope", &cms, why, why_size);

	if (rc == 0 && OBJ_obj2nid(CMS_get0_type(cms)) != NID_id_smime_ct_authEnvelopedData)
		rc = seal_refuse(why, why_size, "envelope: the outer type is %s, not authEnvelopedData",
			    OBJ_nid2sn(OBJ_obj2nid(CMS_get0_type(cms))));
	CMS_ContentInfo_free(cms);
	return rc;
}
