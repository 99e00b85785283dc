/*
 * envelope.c — what both sides of the seal share and the checks on an envelope that need
 * no key: the private OIDs, the wipe of a SignedData, one canonical DER object (rule 1,
 * shared with the opener in open.c) and the case store's cheap check of every upload
 * (seal_is_envelope), and rules 2-4 of opening (outer type, the profile's shape, the
 * recipient allow-list), which the office's opener (open.c) and the device's visit opener
 * (visit_open.c) both apply. seal.c (device) and open.c (office) are linked apart.
 */
#include "sync/record/seal.h"
#include "sync/record/seal_int.h"
#include "sync/record/visit.h"
#include "platform/util.h"

#include <openssl/cms.h>
#include <openssl/err.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* NIDs of our private OIDs (placeholder arc 1.3.6.1.4.1.99999, see seal.h). */
int seal_nid_ct, seal_nid_dev, seal_nid_schema, seal_nid_seq, seal_nid_visit;
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
	seal_nid_visit = make_nid(VISIT_OID_CONTENT_TYPE, "inloopVisit", "inloop visit from the office");
}

int seal_oids_ready(void)
{
	pthread_once(&oid_once, register_oids);
	if (seal_nid_ct == NID_undef || seal_nid_dev == NID_undef || seal_nid_schema == NID_undef ||
	    seal_nid_seq == NID_undef || seal_nid_visit == NID_undef)
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

/* ------------------------------------------------------------------ sealing (both senders) */

/* Adds one recipient with the SHA-256 KDF and AES-256 key wrap (P3, SEAL.md §4.5). */
static int add_recipient(CMS_ContentInfo *env, X509 *cert)
{
	CMS_RecipientInfo *ri = CMS_add1_recipient_cert(env, cert, CMS_KEY_PARAM);
	EVP_PKEY_CTX *pctx;

	if (!ri || CMS_RecipientInfo_type(ri) != CMS_RECIPINFO_AGREE)
		return -1;
	pctx = CMS_RecipientInfo_get0_pkey_ctx(ri);
	if (!pctx || EVP_PKEY_CTX_set_ecdh_kdf_md(pctx, EVP_sha256()) <= 0)
		return -1;
	return EVP_EncryptInit_ex(CMS_RecipientInfo_kari_get0_ctx(ri), EVP_aes_256_wrap(),
				  NULL, NULL, NULL) == 1 ? 0 : -1;
}

/* Steps 4-6 of SEAL.md §4: AuthEnvelopedData (AES-256-GCM, built with CMS_encrypt, not the
 * bare create call: P5) around in; *der owned by the caller (OPENSSL_free). */
int seal_envelope_to(STACK_OF(X509) *recipients, const unsigned char *in, int in_len,
		     unsigned char **der, size_t *der_len)
{
	CMS_ContentInfo *env = CMS_encrypt(NULL, NULL, EVP_aes_256_gcm(), CMS_BINARY | CMS_PARTIAL);
	BIO *b = BIO_new_mem_buf(in, in_len);
	int ok = env && b && sk_X509_num(recipients) > 0, n = 0;

	*der = NULL;
	for (int i = 0; ok && i < sk_X509_num(recipients); i++)
		ok = add_recipient(env, sk_X509_value(recipients, i)) == 0;
	ok = ok && CMS_final(env, b, NULL, CMS_BINARY) == 1 &&
	     (n = i2d_CMS_ContentInfo(env, der)) > 0;
	BIO_free(b);
	CMS_ContentInfo_free(env);
	ERR_clear_error();
	if (!ok)
		return -1;
	*der_len = (size_t)n;
	return 0;
}

/* ------------------------------------------------------------------ rules 2-4 (no key) */

/* A cursor over DER already accepted by d2i (so lengths are sane). */
struct der {
	const unsigned char *p;
	long left;
};

/* Takes the next TLV when it has class cls and tag tag: 0 taken (*in = its content,
 * may be NULL), 1 absent or different, -1 malformed. */
static int der_take(struct der *d, int cls, int tag, struct der *in)
{
	const unsigned char *q = d->p;
	long l;
	int t, c, r;

	if (d->left <= 0)
		return 1;
	r = ASN1_get_object(&q, &l, &t, &c, d->left);
	if ((r & 0x80) || (r & 1))
		return -1;
	if (c != cls || t != tag)
		return 1;
	if (in) {
		in->p = q;
		in->left = l;
	}
	d->left -= (long)(q - d->p) + l;
	d->p = q + l;
	return 0;
}

#define U V_ASN1_UNIVERSAL
#define C V_ASN1_CONTEXT_SPECIFIC

/* contentEncryptionAlgorithm: aes256-GCM with a 12-byte nonce and a 16-byte tag. */
static int check_gcm(struct der *alg, char *why, size_t ws)
{
	static const unsigned char aes256gcm[] = { 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x01, 0x2e };
	struct der oid, gcm, v;

	if (der_take(alg, U, V_ASN1_OBJECT, &oid) || oid.left != (long)sizeof(aes256gcm) ||
	    memcmp(oid.p, aes256gcm, sizeof(aes256gcm)))
		return seal_refuse(why, ws, "envelope: content cipher is not aes256-GCM");
	if (der_take(alg, U, V_ASN1_SEQUENCE, &gcm) || der_take(&gcm, U, V_ASN1_OCTET_STRING, &v) ||
	    v.left != 12)
		return seal_refuse(why, ws, "envelope: GCM parameters are not a 12-byte nonce");
	if (der_take(&gcm, U, V_ASN1_INTEGER, &v) == 0 && (v.left != 1 || v.p[0] != 16))
		return seal_refuse(why, ws, "envelope: GCM tag length is not 16 bytes");
	return 0;
}

/* Skips one TLV of any class and tag. */
static int der_skip(struct der *d)
{
	const unsigned char *q = d->p;
	long l;
	int t, c, r = ASN1_get_object(&q, &l, &t, &c, d->left);

	if ((r & 0x80) || (r & 1))
		return -1;
	d->left -= (long)(q - d->p) + l;
	d->p = q + l;
	return 0;
}

/* Each key agreement recipient ([1] IMPLICIT) is version 3 (RFC 5652 6.2.2): the
 * recipientInfos are not covered by the GCM tag, so their fields are checked here. */
static int check_ri_versions(struct der set, char *why, size_t ws)
{
	struct der ri, v;

	while (set.left > 0) {
		int r = der_take(&set, V_ASN1_CONTEXT_SPECIFIC, 1, &ri);
		if (r < 0 || (r == 1 && der_skip(&set) < 0))
			return seal_refuse(why, ws, "envelope: malformed recipientInfos");
		if (r == 0 && (der_take(&ri, V_ASN1_UNIVERSAL, V_ASN1_INTEGER, &v) ||
			       v.left != 1 || v.p[0] != 3))
			return seal_refuse(why, ws, "envelope: a key agreement recipient is not version 3");
	}
	return 0;
}

/*
 * Rules 2-3 and the profile's shape, read from the DER itself: AuthEnvelopedData with
 * no originatorInfo, id-data inside, aes256-GCM, the encrypted content present (P5),
 * no authAttrs / unauthAttrs (P7), a 16-byte MAC.
 */
static int check_shape(const unsigned char *der, size_t len, char *why, size_t ws)
{
	static const unsigned char id_data[] = { 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x01 };
	struct der top = { der, (long)len }, ci, x, aed, aeci, oid, mac;

	if (der_take(&top, U, V_ASN1_SEQUENCE, &ci) || der_take(&ci, U, V_ASN1_OBJECT, NULL) ||
	    der_take(&ci, C, 0, &x) || der_take(&x, U, V_ASN1_SEQUENCE, &aed) ||
	    der_take(&aed, U, V_ASN1_INTEGER, &oid) || oid.left != 1 || oid.p[0] != 0)
		return seal_refuse(why, ws, "envelope: malformed AuthEnvelopedData or version not 0");
	if (der_take(&aed, C, 0, NULL) == 0)
		return seal_refuse(why, ws, "envelope: originatorInfo is not part of the profile");
	if (der_take(&aed, U, V_ASN1_SET, &x))
		return seal_refuse(why, ws, "envelope: malformed recipientInfos");
	if (check_ri_versions(x, why, ws) < 0)
		return -1;
	if (der_take(&aed, U, V_ASN1_SEQUENCE, &aeci) || der_take(&aeci, U, V_ASN1_OBJECT, &oid))
		return seal_refuse(why, ws, "envelope: malformed AuthEnvelopedData");
	if (oid.left != (long)sizeof(id_data) || memcmp(oid.p, id_data, sizeof(id_data)))
		return seal_refuse(why, ws, "envelope: the encrypted content type is not id-data (P6)");
	if (der_take(&aeci, U, V_ASN1_SEQUENCE, &x))
		return seal_refuse(why, ws, "envelope: malformed content cipher");
	if (check_gcm(&x, why, ws) < 0)
		return -1;
	if (der_take(&aeci, C, 0, NULL) != 0)
		return seal_refuse(why, ws, "envelope: no encrypted content (a detached envelope, P5)");
	if (der_take(&aed, C, 1, NULL) == 0 || der_take(&aed, C, 2, NULL) == 0)
		return seal_refuse(why, ws, "envelope: authAttrs are not part of the profile (P7)");
	if (der_take(&aed, U, V_ASN1_OCTET_STRING, &mac) || mac.left != 16)
		return seal_refuse(why, ws, "envelope: the MAC is not 16 bytes");
	if (der_take(&aed, C, 2, NULL) == 0 || aed.left != 0)
		return seal_refuse(why, ws, "envelope: unauthAttrs are not part of the profile (P7)");
	return 0;
}

#undef U
#undef C

/* Prints an algorithm's name (or dotted OID) into buf. */
const char *seal_alg_name(const ASN1_OBJECT *obj, char *buf, size_t size)
{
	if (OBJ_obj2txt(buf, (int)size, obj, 0) <= 0)
		snprintf(buf, size, "an unknown algorithm");
	return buf;
}

/* The ephemeral key is an originatorKey whose BIT STRING has no unused bits: libcrypto
 * accepts a non-zero count and re-encodes it as read, so without this check a second,
 * different envelope would open to the same content (found by the byte-flip tests). */
static int check_originator(CMS_RecipientInfo *ri, char *why, size_t ws)
{
	X509_ALGOR *pubalg = NULL;
	ASN1_BIT_STRING *pub = NULL;

	if (!CMS_RecipientInfo_kari_get0_orig_id(ri, &pubalg, &pub, NULL, NULL, NULL) || !pub)
		return seal_refuse(why, ws, "envelope: a key agreement recipient has no originatorKey");
	if ((pub->flags & ASN1_STRING_FLAG_BITS_LEFT) && (pub->flags & 0x07))
		return seal_refuse(why, ws, "envelope: the originator key has unused bits");
	return 0;
}

/* KARI: only dhSinglePass-stdDH-sha256kdf-scheme with id-aes256-wrap (P3). */
static int check_kari(CMS_RecipientInfo *ri, char *why, size_t ws)
{
	X509_ALGOR *alg = NULL, *wrap;
	ASN1_OCTET_STRING *ukm = NULL;
	const ASN1_OBJECT *obj;
	const void *pval;
	int ptype, nid;
	char name[96];

	if (!CMS_RecipientInfo_kari_get0_alg(ri, &alg, &ukm) || !alg)
		return seal_refuse(why, ws, "envelope: unreadable key agreement recipient");
	X509_ALGOR_get0(&obj, &ptype, &pval, alg);
	if (OBJ_obj2nid(obj) != NID_dhSinglePass_stdDH_sha256kdf_scheme)
		return seal_refuse(why, ws, "envelope: key agreement %s refused; only "
			      "dhSinglePass-stdDH-sha256kdf-scheme is accepted (P3)",
			      seal_alg_name(obj, name, sizeof(name)));
	if (ptype != V_ASN1_SEQUENCE)
		return seal_refuse(why, ws, "envelope: key agreement without a key wrap algorithm");
	wrap = ASN1_TYPE_unpack_sequence(ASN1_ITEM_rptr(X509_ALGOR), alg->parameter);
	nid = wrap ? OBJ_obj2nid(wrap->algorithm) : NID_undef;
	X509_ALGOR_free(wrap);
	if (nid != NID_id_aes256_wrap)
		return seal_refuse(why, ws, "envelope: key wrap is not id-aes256-wrap");
	return check_originator(ri, why, ws);
}

/* The hash named by an AlgorithmIdentifier's parameters (MGF1), or NID_undef. */
static int mgf1_hash(const X509_ALGOR *mgf)
{
	X509_ALGOR *h;
	int nid;

	if (!mgf || OBJ_obj2nid(mgf->algorithm) != NID_mgf1)
		return NID_undef;
	h = ASN1_TYPE_unpack_sequence(ASN1_ITEM_rptr(X509_ALGOR), mgf->parameter);
	nid = h ? OBJ_obj2nid(h->algorithm) : NID_undef;
	X509_ALGOR_free(h);
	return nid;
}

/* KTRI: only RSAES-OAEP with SHA-256 and MGF1-SHA-256 (P3, tracker #32567). */
static int check_ktri(CMS_RecipientInfo *ri, char *why, size_t ws)
{
	X509_ALGOR *alg = NULL;
	RSA_OAEP_PARAMS *pp;
	int ok;

	if (!CMS_RecipientInfo_ktri_get0_algs(ri, NULL, NULL, &alg) || !alg ||
	    OBJ_obj2nid(alg->algorithm) != NID_rsaesOaep)
		return seal_refuse(why, ws, "envelope: RSA key transport other than RSAES-OAEP refused (P3)");
	pp = ASN1_TYPE_unpack_sequence(ASN1_ITEM_rptr(RSA_OAEP_PARAMS), alg->parameter);
	ok = pp && pp->hashFunc && OBJ_obj2nid(pp->hashFunc->algorithm) == NID_sha256 &&
	     mgf1_hash(pp->maskGenFunc) == NID_sha256 && !pp->pSourceFunc;
	RSA_OAEP_PARAMS_free(pp);
	return ok ? 0 : seal_refuse(why, ws, "envelope: RSAES-OAEP without SHA-256 / MGF1-SHA-256 refused (P3)");
}

/* Rule 4: every recipient is on the allow-list (checked before any decryption). */
static int check_recipients(CMS_ContentInfo *env, char *why, size_t ws)
{
	STACK_OF(CMS_RecipientInfo) *ris = CMS_get0_RecipientInfos(env);
	int n = ris ? sk_CMS_RecipientInfo_num(ris) : 0;

	if (n <= 0)
		return seal_refuse(why, ws, "envelope: no recipients");
	for (int i = 0; i < n; i++) {
		CMS_RecipientInfo *ri = sk_CMS_RecipientInfo_value(ris, i);
		int type = CMS_RecipientInfo_type(ri);
		if (type == CMS_RECIPINFO_AGREE && check_kari(ri, why, ws) < 0)
			return -1;
		if (type == CMS_RECIPINFO_TRANS && check_ktri(ri, why, ws) < 0)
			return -1;
		if (type != CMS_RECIPINFO_AGREE && type != CMS_RECIPINFO_TRANS)
			return seal_refuse(why, ws, "envelope: recipient type %d is not accepted", type);
	}
	return 0;
}

/* Rule 2: the outer type, checked before any decryption (CMS_decrypt would also open
 * EnvelopedData / AES-CBC without integrity, P4). */
static int check_outer(CMS_ContentInfo *env, char *why, size_t ws)
{
	int nid = OBJ_obj2nid(CMS_get0_type(env));
	char name[96];

	if (nid == NID_pkcs7_enveloped)
		return seal_refuse(why, ws, "envelope: EnvelopedData (no integrity protection) is refused; "
			      "only AuthEnvelopedData is accepted (P4)");
	if (nid != NID_id_smime_ct_authEnvelopedData)
		return seal_refuse(why, ws, "envelope: the outer type is %s, not AuthEnvelopedData",
			      seal_alg_name(CMS_get0_type(env), name, sizeof(name)));
	return 0;
}
int seal_check_envelope(CMS_ContentInfo *env, const unsigned char *der, size_t len,
			char *why, size_t ws)
{
	if (check_outer(env, why, ws) < 0 || check_shape(der, len, why, ws) < 0)
		return -1;
	return check_recipients(env, why, ws);
}
