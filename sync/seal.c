/*
 * seal.c — the CMS seal and its opening side (see seal.h, SEAL.md §4 and §8).
 *
 * seal_record: SignedData (CAdES, ECDSA P-256, SHA-256, private eContentType and signed
 * attributes) nested as id-data inside AuthEnvelopedData (AES-256-GCM) to each pinned
 * P-256 recipient with the SHA-256 KDF and AES-256 key wrap. The SignedData DER and the
 * eContent it was built from hold plaintext: both are wiped before release (P11).
 *
 * seal_open: the acceptance rules, in order, each refusal naming its rule. No plaintext
 * is used unless CMS_decrypt returned 1 (P8); the plaintext lives in BIO_s_secmem
 * buffers, which are wiped on free.
 */
#include "sync/seal.h"
#include "sync/pki.h"
#include "app/config.h"
#include "app/util.h"

#include <jansson.h>
#include <openssl/cms.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509v3.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define SEAL_MAX_RECIPIENTS 3   /* current + next + an optional recovery key (P13) */

struct seal_device {
	EVP_PKEY *key;
	X509 *cert;
	STACK_OF(X509) *recipients;
	char id[64];
};

struct seal_opener {
	EVP_PKEY *keys[2];      /* casestore.key, casestore-next.key */
	X509 *certs[2];         /* their certificates when present: the rid must match too */
	int nkeys;
	X509 *ca;               /* the municipality CA */
	X509_CRL *crl;          /* its CRL (signature checked at load), NULL when absent */
};

/* NIDs of our private OIDs (placeholder arc 1.3.6.1.4.1.99999, see seal.h). */
static int nid_ct, nid_dev, nid_schema, nid_seq;
static pthread_once_t oid_once = PTHREAD_ONCE_INIT;

static int make_nid(const char *oid, const char *sn, const char *ln)
{
	int nid = OBJ_txt2nid(oid);

	return nid != NID_undef ? nid : OBJ_create(oid, sn, ln);
}

static void register_oids(void)
{
	nid_ct = make_nid(SEAL_OID_CONTENT_TYPE, "inloopRegistration", "inloop registration record");
	nid_dev = make_nid(SEAL_OID_DEVICE_ID, "inloopDeviceId", "inloop device id");
	nid_schema = make_nid(SEAL_OID_SCHEMA, "inloopSchema", "inloop record schema");
	nid_seq = make_nid(SEAL_OID_SEQ, "inloopDeviceSeq", "inloop per-device sequence");
}

static int oids_ready(void)
{
	pthread_once(&oid_once, register_oids);
	if (nid_ct == NID_undef || nid_dev == NID_undef || nid_schema == NID_undef ||
	    nid_seq == NID_undef)
		return error("cannot register the seal's object identifiers");
	return 0;
}

/* snprintf into why; always returns -1 so refusals read `return refuse(...)`. */
static int refuse(char *why, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int refuse(char *why, size_t size, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, size, fmt, ap);
	va_end(ap);
	return -1;
}

/* Wipes the eContent (the plaintext JSON) of a SignedData before it is freed (P11). */
static void wipe_and_free(CMS_ContentInfo *cms)
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

/* ------------------------------------------------------------------ device side */

void seal_device_free(struct seal_device *d)
{
	if (!d)
		return;
	EVP_PKEY_free(d->key);
	X509_free(d->cert);
	sk_X509_pop_free(d->recipients, X509_free);
	free(d);
}

const char *seal_device_id(const struct seal_device *d)
{
	return d->id;
}

/* Reads recipients.pem: 1..SEAL_MAX_RECIPIENTS P-256 key-agreement certs under ca. */
static int load_recipients(struct seal_device *d, const char *path, X509 *ca)
{
	char *text = NULL, why[256];
	size_t len;
	int n;

	if (util_read_file(path, 256 * 1024, &text, &len) < 0)
		return -1;
	n = pki_parse_certs(text, len, path, &d->recipients);
	free(text);
	if (n < 0)
		return -1;
	n = sk_X509_num(d->recipients);
	if (n > SEAL_MAX_RECIPIENTS)
		return error("%s holds %d certificates; at most %d are allowed", path, n,
			     SEAL_MAX_RECIPIENTS);
	for (int i = 0; i < n; i++) {
		X509 *r = sk_X509_value(d->recipients, i);
		if (pki_check_recipient(r, why, sizeof(why)) < 0 || pki_verify(r, ca, 0, why, sizeof(why)) < 0)
			return error("%s: certificate %d refused: %s", path, i + 1, why);
	}
	return 0;
}

/* Loads and cross-checks key, cert, CA, recipients and config of a device state folder. */
static int device_load(struct seal_device *d, const char *dir)
{
	char path[4096], why[256];
	struct device_config cfg;
	X509 *ca = NULL;
	int rc = -1;

	if (util_fmt(path, sizeof(path), "%s/device.key", dir) < 0 || pki_load_key(path, &d->key) < 0)
		return -1;
	if (pki_is_p256(d->key) < 0)
		return error("%s is not an EC P-256 key", path);
	if (util_fmt(path, sizeof(path), "%s/device.pem", dir) < 0 || pki_load_cert(path, &d->cert) < 0)
		return -1;
	if (X509_check_private_key(d->cert, d->key) != 1) {
		ERR_clear_error();
		return error("%s does not belong to device.key", path);
	}
	if (pki_cert_cn(d->cert, d->id, sizeof(d->id)) < 0)
		return -1;
	if (util_fmt(path, sizeof(path), "%s/ca.pem", dir) < 0 || pki_load_cert(path, &ca) < 0)
		return -1;
	if (pki_verify(d->cert, ca, X509_PURPOSE_SMIME_SIGN, why, sizeof(why)) < 0) {
		error("%s/device.pem does not chain to ca.pem for signing: %s", dir, why);
		goto out;
	}
	if (util_fmt(path, sizeof(path), "%s/recipients.pem", dir) < 0 || load_recipients(d, path, ca) < 0)
		goto out;
	if (config_load(dir, &cfg) < 0)
		goto out;
	if (cfg.device_id[0] && strcmp(cfg.device_id, d->id)) {
		error("%s/config.json names another device than device.pem", dir);
		goto out;
	}
	rc = 0;
out:
	X509_free(ca);
	return rc;
}

int seal_device_load(const char *state_dir, struct seal_device **out)
{
	struct seal_device *d;

	*out = NULL;
	if (oids_ready() < 0)
		return -1;
	d = calloc(1, sizeof(*d));
	if (!d)
		return error("out of memory");
	if (device_load(d, state_dir) < 0) {
		seal_device_free(d);
		return -1;
	}
	*out = d;
	return 0;
}

/* Adds one signed attribute given as an ASN.1 object (len -1) or bytes. */
static int add_attr(CMS_SignerInfo *si, int nid, int type, const void *v, int len)
{
	return CMS_signed_add1_attr_by_NID(si, nid, type, v, len) ? 0 : -1;
}

/* The signed attributes of SEAL.md §8 beyond contentType/messageDigest/ESS (automatic). */
static int add_attrs(CMS_SignerInfo *si, const struct seal_attrs *a)
{
	ASN1_TIME *t = ASN1_TIME_set(NULL, a->created_at);
	ASN1_INTEGER *seq = ASN1_INTEGER_new();
	int rc = -1;

	if (t && seq && ASN1_INTEGER_set_int64(seq, a->seq) &&
	    add_attr(si, NID_pkcs9_signingTime, ASN1_STRING_type(t), t, -1) == 0 &&
	    add_attr(si, NID_id_smime_aa_contentIdentifier, V_ASN1_OCTET_STRING, a->record_id,
		     (int)strlen(a->record_id)) == 0 &&
	    add_attr(si, nid_dev, V_ASN1_UTF8STRING, a->device_id, (int)strlen(a->device_id)) == 0 &&
	    add_attr(si, nid_schema, V_ASN1_UTF8STRING, a->schema, (int)strlen(a->schema)) == 0 &&
	    add_attr(si, nid_seq, V_ASN1_INTEGER, seq, -1) == 0)
		rc = 0;
	ASN1_TIME_free(t);
	ASN1_INTEGER_free(seq);
	return rc;
}

/* Step 1-3 of SEAL.md §4: the DER SignedData; *sd (plaintext) freed with OPENSSL_clear_free. */
static int sign_json(struct seal_device *d, const char *json, size_t len,
		     const struct seal_attrs *a, unsigned char **sd, int *sd_len)
{
	CMS_ContentInfo *cms = CMS_sign(NULL, NULL, NULL, NULL, CMS_PARTIAL | CMS_BINARY);
	BIO *in = BIO_new_mem_buf(json, (int)len);
	CMS_SignerInfo *si = NULL;
	int ok;

	*sd = NULL;
	ok = cms && in && CMS_set1_eContentType(cms, OBJ_nid2obj(nid_ct)) &&
	     (si = CMS_add1_signer(cms, d->cert, d->key, EVP_sha256(),
				   CMS_BINARY | CMS_NOSMIMECAP | CMS_CADES)) &&
	     add_attrs(si, a) == 0 && CMS_final(cms, in, NULL, CMS_BINARY) == 1 &&
	     (*sd_len = i2d_CMS_ContentInfo(cms, sd)) > 0;
	BIO_free(in);
	wipe_and_free(cms);
	if (ok)
		return 0;
	OPENSSL_free(*sd);  /* never reached with content: ok is false only before i2d */
	*sd = NULL;
	return error("cannot sign the record");
}

/* Adds one pinned recipient with the SHA-256 KDF and AES-256 key wrap (P3, SEAL.md §4.5). */
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

/* Steps 4-6: AuthEnvelopedData around the SignedData; *der owned by the caller. */
static int envelope(struct seal_device *d, const unsigned char *sd, int sd_len,
		    unsigned char **der, size_t *der_len)
{
	CMS_ContentInfo *env = CMS_encrypt(NULL, NULL, EVP_aes_256_gcm(), CMS_BINARY | CMS_PARTIAL);
	BIO *in = BIO_new_mem_buf(sd, sd_len);
	int ok = env && in, n = 0;

	for (int i = 0; ok && i < sk_X509_num(d->recipients); i++)
		ok = add_recipient(env, sk_X509_value(d->recipients, i)) == 0;
	ok = ok && CMS_final(env, in, NULL, CMS_BINARY) == 1 &&
	     (n = i2d_CMS_ContentInfo(env, der)) > 0;
	BIO_free(in);
	CMS_ContentInfo_free(env);
	if (!ok)
		return error("cannot encrypt the record to the case store");
	*der_len = (size_t)n;
	return 0;
}

/* Attribute values we sign must be short, NUL-free text, and the device id our own. */
static int attrs_ok(const struct seal_device *d, const struct seal_attrs *a)
{
	if (!a->record_id || !*a->record_id || strlen(a->record_id) >= 64 || !a->schema ||
	    !*a->schema || strlen(a->schema) >= 64 || !a->device_id || a->seq < 0)
		return error("seal: record id, schema, device id or sequence number missing or invalid");
	if (strcmp(a->device_id, d->id))
		return error("seal: the record names another device than device.pem");
	return 0;
}

int seal_record(struct seal_device *d, const char *json, size_t len, const struct seal_attrs *a,
		unsigned char **der, size_t *der_len)
{
	unsigned char *sd = NULL;
	int sd_len = 0, rc;

	*der = NULL;
	*der_len = 0;
	if (attrs_ok(d, a) < 0)
		return -1;
	if (len == 0 || len > 16 * 1024 * 1024)
		return error("seal: a record must be 1 byte to 16 MiB of JSON");
	if (sign_json(d, json, len, a, &sd, &sd_len) < 0)
		return -1;
	rc = envelope(d, sd, sd_len, der, der_len);
	OPENSSL_clear_free(sd, (size_t)sd_len);
	return rc;
}

/* ------------------------------------------------------------------ opening side */

void seal_opener_free(struct seal_opener *o)
{
	if (!o)
		return;
	for (int i = 0; i < o->nkeys; i++) {
		EVP_PKEY_free(o->keys[i]);
		X509_free(o->certs[i]);
	}
	X509_free(o->ca);
	X509_CRL_free(o->crl);
	free(o);
}

/* Adds dir/base.key to the opener's keys when the file exists, with dir/base.pem when
 * that exists (then a recipient must name this certificate, not just fit the key). */
static int load_opener_key(struct seal_opener *o, const char *dir, const char *base)
{
	char path[4096];
	int k = o->nkeys;

	if (util_fmt(path, sizeof(path), "%s/%s.key", dir, base) < 0)
		return -1;
	if (access(path, F_OK) < 0)
		return 0;
	if (pki_load_key(path, &o->keys[k]) < 0)
		return -1;
	o->nkeys++;
	if (util_fmt(path, sizeof(path), "%s/%s.pem", dir, base) < 0)
		return -1;
	if (access(path, F_OK) < 0)
		return 0;
	if (pki_load_cert(path, &o->certs[k]) < 0)
		return -1;
	if (X509_check_private_key(o->certs[k], o->keys[k]) != 1) {
		ERR_clear_error();
		return error("%s does not belong to %s.key", path, base);
	}
	return 0;
}

/* The CA (ca.pem) and, when present, its CRL (crl.pem), whose signature must verify
 * against the CA: a forged CRL must neither revoke nor clear a device. */
static int load_opener_store(struct seal_opener *o, const char *dir)
{
	char path[4096];
	BIO *b;
	int ok;

	if (util_fmt(path, sizeof(path), "%s/ca.pem", dir) < 0 || pki_load_cert(path, &o->ca) < 0)
		return -1;
	if (util_fmt(path, sizeof(path), "%s/crl.pem", dir) < 0 || access(path, F_OK) < 0)
		return 0;
	b = BIO_new_file(path, "r");
	o->crl = b ? PEM_read_bio_X509_CRL(b, NULL, NULL, NULL) : NULL;
	BIO_free(b);
	ok = o->crl && X509_CRL_verify(o->crl, X509_get0_pubkey(o->ca)) == 1 &&
	     !X509_NAME_cmp(X509_CRL_get_issuer(o->crl), X509_get_subject_name(o->ca));
	ERR_clear_error();
	return ok ? 0 : error("%s is not a PEM CRL signed by the CA in ca.pem", path);
}

int seal_opener_load(const char *casestore_dir, struct seal_opener **out)
{
	struct seal_opener *o;

	*out = NULL;
	if (oids_ready() < 0)
		return -1;
	o = calloc(1, sizeof(*o));
	if (!o)
		return error("out of memory");
	if (load_opener_key(o, casestore_dir, "casestore") < 0 ||
	    load_opener_key(o, casestore_dir, "casestore-next") < 0 ||
	    load_opener_store(o, casestore_dir) < 0) {
		seal_opener_free(o);
		return -1;
	}
	if (o->nkeys == 0) {
		seal_opener_free(o);
		return error("%s holds neither casestore.key nor casestore-next.key", casestore_dir);
	}
	*out = o;
	return 0;
}

/*
 * Rule 1: exactly one DER object, nothing after it, and canonical (re-encoding gives the
 * same bytes, so BER/indefinite lengths are refused). *cms owned by the caller.
 */
static int parse_exact(const unsigned char *der, size_t len, const char *what,
		       CMS_ContentInfo **cms, char *why, size_t ws)
{
	const unsigned char *p = der;
	unsigned char *re = NULL;
	int n;

	*cms = NULL;
	if (len == 0 || len > 64 * 1024 * 1024)
		return refuse(why, ws, "%s: empty or larger than 64 MiB", what);
	*cms = d2i_CMS_ContentInfo(NULL, &p, (long)len);
	ERR_clear_error();
	if (!*cms)
		return refuse(why, ws, "%s: not a DER CMS ContentInfo", what);
	if (p != der + len)
		return refuse(why, ws, "%s: %zu trailing bytes after the DER object", what,
			      len - (size_t)(p - der));
	n = i2d_CMS_ContentInfo(*cms, &re);
	if (n != (int)len || memcmp(re, der, len)) {
		OPENSSL_clear_free(re, n > 0 ? (size_t)n : 0);
		return refuse(why, ws, "%s: not in canonical DER (BER or non-minimal encoding)", what);
	}
	OPENSSL_clear_free(re, (size_t)n);
	return 0;
}

int seal_is_envelope(const unsigned char *der, size_t len, char *why, size_t why_size)
{
	CMS_ContentInfo *cms = NULL;
	int rc = parse_exact(der, len, "envelope", &cms, why, why_size);

	if (rc == 0 && OBJ_obj2nid(CMS_get0_type(cms)) != NID_id_smime_ct_authEnvelopedData)
		rc = refuse(why, why_size, "envelope: the outer type is %s, not authEnvelopedData",
			    OBJ_nid2sn(OBJ_obj2nid(CMS_get0_type(cms))));
	CMS_ContentInfo_free(cms);
	return rc;
}

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
		return refuse(why, ws, "envelope: content cipher is not aes256-GCM");
	if (der_take(alg, U, V_ASN1_SEQUENCE, &gcm) || der_take(&gcm, U, V_ASN1_OCTET_STRING, &v) ||
	    v.left != 12)
		return refuse(why, ws, "envelope: GCM parameters are not a 12-byte nonce");
	if (der_take(&gcm, U, V_ASN1_INTEGER, &v) == 0 && (v.left != 1 || v.p[0] != 16))
		return refuse(why, ws, "envelope: GCM tag length is not 16 bytes");
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
			return refuse(why, ws, "envelope: malformed recipientInfos");
		if (r == 0 && (der_take(&ri, V_ASN1_UNIVERSAL, V_ASN1_INTEGER, &v) ||
			       v.left != 1 || v.p[0] != 3))
			return refuse(why, ws, "envelope: a key agreement recipient is not version 3");
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
		return refuse(why, ws, "envelope: malformed AuthEnvelopedData or version not 0");
	if (der_take(&aed, C, 0, NULL) == 0)
		return refuse(why, ws, "envelope: originatorInfo is not part of the profile");
	if (der_take(&aed, U, V_ASN1_SET, &x))
		return refuse(why, ws, "envelope: malformed recipientInfos");
	if (check_ri_versions(x, why, ws) < 0)
		return -1;
	if (der_take(&aed, U, V_ASN1_SEQUENCE, &aeci) || der_take(&aeci, U, V_ASN1_OBJECT, &oid))
		return refuse(why, ws, "envelope: malformed AuthEnvelopedData");
	if (oid.left != (long)sizeof(id_data) || memcmp(oid.p, id_data, sizeof(id_data)))
		return refuse(why, ws, "envelope: the encrypted content type is not id-data (P6)");
	if (der_take(&aeci, U, V_ASN1_SEQUENCE, &x))
		return refuse(why, ws, "envelope: malformed content cipher");
	if (check_gcm(&x, why, ws) < 0)
		return -1;
	if (der_take(&aeci, C, 0, NULL) != 0)
		return refuse(why, ws, "envelope: no encrypted content (a detached envelope, P5)");
	if (der_take(&aed, C, 1, NULL) == 0 || der_take(&aed, C, 2, NULL) == 0)
		return refuse(why, ws, "envelope: authAttrs are not part of the profile (P7)");
	if (der_take(&aed, U, V_ASN1_OCTET_STRING, &mac) || mac.left != 16)
		return refuse(why, ws, "envelope: the MAC is not 16 bytes");
	if (der_take(&aed, C, 2, NULL) == 0 || aed.left != 0)
		return refuse(why, ws, "envelope: unauthAttrs are not part of the profile (P7)");
	return 0;
}

#undef U
#undef C

/* Prints an algorithm's name (or dotted OID) into buf. */
static const char *alg_name(const ASN1_OBJECT *obj, char *buf, size_t size)
{
	if (OBJ_obj2txt(buf, (int)size, obj, 0) <= 0)
		snprintf(buf, size, "an unknown algorithm");
	return buf;
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
		return refuse(why, ws, "envelope: unreadable key agreement recipient");
	X509_ALGOR_get0(&obj, &ptype, &pval, alg);
	if (OBJ_obj2nid(obj) != NID_dhSinglePass_stdDH_sha256kdf_scheme)
		return refuse(why, ws, "envelope: key agreement %s refused; only "
			      "dhSinglePass-stdDH-sha256kdf-scheme is accepted (P3)",
			      alg_name(obj, name, sizeof(name)));
	if (ptype != V_ASN1_SEQUENCE)
		return refuse(why, ws, "envelope: key agreement without a key wrap algorithm");
	wrap = ASN1_TYPE_unpack_sequence(ASN1_ITEM_rptr(X509_ALGOR), alg->parameter);
	nid = wrap ? OBJ_obj2nid(wrap->algorithm) : NID_undef;
	X509_ALGOR_free(wrap);
	if (nid != NID_id_aes256_wrap)
		return refuse(why, ws, "envelope: key wrap is not id-aes256-wrap");
	return 0;
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
		return refuse(why, ws, "envelope: RSA key transport other than RSAES-OAEP refused (P3)");
	pp = ASN1_TYPE_unpack_sequence(ASN1_ITEM_rptr(RSA_OAEP_PARAMS), alg->parameter);
	ok = pp && pp->hashFunc && OBJ_obj2nid(pp->hashFunc->algorithm) == NID_sha256 &&
	     mgf1_hash(pp->maskGenFunc) == NID_sha256 && !pp->pSourceFunc;
	RSA_OAEP_PARAMS_free(pp);
	return ok ? 0 : refuse(why, ws, "envelope: RSAES-OAEP without SHA-256 / MGF1-SHA-256 refused (P3)");
}

/* Rule 4: every recipient is on the allow-list (checked before any decryption). */
static int check_recipients(CMS_ContentInfo *env, char *why, size_t ws)
{
	STACK_OF(CMS_RecipientInfo) *ris = CMS_get0_RecipientInfos(env);
	int n = ris ? sk_CMS_RecipientInfo_num(ris) : 0;

	if (n <= 0)
		return refuse(why, ws, "envelope: no recipients");
	for (int i = 0; i < n; i++) {
		CMS_RecipientInfo *ri = sk_CMS_RecipientInfo_value(ris, i);
		int type = CMS_RecipientInfo_type(ri);
		if (type == CMS_RECIPINFO_AGREE && check_kari(ri, why, ws) < 0)
			return -1;
		if (type == CMS_RECIPINFO_TRANS && check_ktri(ri, why, ws) < 0)
			return -1;
		if (type != CMS_RECIPINFO_AGREE && type != CMS_RECIPINFO_TRANS)
			return refuse(why, ws, "envelope: recipient type %d is not accepted", type);
	}
	return 0;
}

/*
 * Rule 5: decrypt with the first case-store key that a recipient accepts. *plain (a
 * secmem BIO, wiped on free) is set only when CMS_decrypt returned 1 (P8).
 */
static int decrypt(const struct seal_opener *o, CMS_ContentInfo *env, BIO **plain,
		   char *why, size_t ws)
{
	BIO *out;
	int k;

	*plain = NULL;
	for (k = 0; k < o->nkeys; k++)
		if (CMS_decrypt_set1_pkey(env, o->keys[k], o->certs[k]) == 1)
			break;
	ERR_clear_error();
	if (k == o->nkeys)
		return refuse(why, ws, "envelope: not addressed to this case store's key(s)");
	out = BIO_new(BIO_s_secmem());
	if (!out)
		return refuse(why, ws, "out of memory");
	if (CMS_decrypt(env, NULL, NULL, NULL, out, CMS_BINARY) != 1) {
		BIO_free(out);
		ERR_clear_error();
		return refuse(why, ws, "envelope: decryption failed (authentication tag or "
			      "ciphertext does not verify)");
	}
	*plain = out;
	return 0;
}

/* Rule 6: the inner object is our SignedData with exactly one signer and its content. */
static int check_inner(CMS_ContentInfo *inner, char *why, size_t ws)
{
	STACK_OF(CMS_SignerInfo) *sis;
	char name[96];

	if (OBJ_obj2nid(CMS_get0_type(inner)) != NID_pkcs7_signed)
		return refuse(why, ws, "record: the inner object is %s, not SignedData",
			      alg_name(CMS_get0_type(inner), name, sizeof(name)));
	if (OBJ_obj2nid(CMS_get0_eContentType(inner)) != nid_ct)
		return refuse(why, ws, "record: content type %s is not id-ct-inloopRegistration",
			      alg_name(CMS_get0_eContentType(inner), name, sizeof(name)));
	if (CMS_is_detached(inner))
		return refuse(why, ws, "record: the signed content is missing (detached)");
	sis = CMS_get0_SignerInfos(inner);
	if (!sis || sk_CMS_SignerInfo_num(sis) != 1)
		return refuse(why, ws, "record: %d signers, exactly one is required",
			      sis ? sk_CMS_SignerInfo_num(sis) : 0);
	return 0;
}

/* "2026-11-24 13:05 UTC" for a reason text. */
static void time_text(time_t t, char out[32])
{
	struct tm tm;

	if (!gmtime_r(&t, &tm) || !strftime(out, 32, "%Y-%m-%d %H:%M UTC", &tm))
		snprintf(out, 32, "%lld", (long long)t);
}

/* A store with the CA that checks certificate validity at time `at` (one per call, so
 * openers stay thread-safe). Caller frees with X509_STORE_free. */
static X509_STORE *store_at(const struct seal_opener *o, time_t at)
{
	X509_STORE *st = X509_STORE_new();

	if (!st || !X509_STORE_add_cert(st, o->ca)) {
		X509_STORE_free(st);
		return NULL;
	}
	X509_VERIFY_PARAM_set_time(X509_STORE_get0_param(st), at);
	return st;
}

/* Revocation judged at `at` (P12): a device revoked before the case store received the
 * record is refused; one revoked later still opens, with info->revoked_at set. */
static int check_revoked(const struct seal_opener *o, CMS_ContentInfo *inner, time_t at,
			 struct seal_info *info, char *why, size_t ws)
{
	STACK_OF(X509) *signers = CMS_get0_signers(inner);
	X509 *signer = signers && sk_X509_num(signers) == 1 ? sk_X509_value(signers, 0) : NULL;
	X509_REVOKED *rev = NULL;
	char when[32], recv[32];
	struct tm tm;

	sk_X509_free(signers);
	if (!signer)
		return refuse(why, ws, "record: no single signer certificate");
	if (!o->crl || X509_CRL_get0_by_serial(o->crl, &rev, X509_get0_serialNumber(signer)) != 1)
		return 0;
	if (!ASN1_TIME_to_tm(X509_REVOKED_get0_revocationDate(rev), &tm))
		return refuse(why, ws, "record: the CRL entry of the signer has no readable date");
	info->revoked_at = timegm(&tm);
	if (info->revoked_at > at)
		return 0;
	time_text(info->revoked_at, when);
	time_text(at, recv);
	return refuse(why, ws, "signature refused: certificate revoked on %s, before the record "
		      "was received (%s)", when, recv);
}

/* Rule 7: CAdES signature by a device certificate of our CA, valid at `at`, not revoked
 * before `at`. On success *json is a malloc'd NUL-terminated copy of the content. */
static int verify(const struct seal_opener *o, CMS_ContentInfo *inner, time_t at,
		  char **json, size_t *json_len, struct seal_info *info, char *why, size_t ws)
{
	BIO *out = BIO_new(BIO_s_secmem());
	X509_STORE *st = store_at(o, at);
	char reason[200], *data = NULL;
	long n;
	int ok;

	*json = NULL;
	if (!out || !st) {
		BIO_free(out);
		X509_STORE_free(st);
		return refuse(why, ws, "out of memory");
	}
	ok = CMS_verify(inner, NULL, st, NULL, out, CMS_BINARY | CMS_CADES) == 1;
	X509_STORE_free(st);
	if (!ok) {
		pki_last_error(reason, sizeof(reason));
		BIO_free(out);
		return refuse(why, ws, "signature refused: %s", reason);
	}
	if (check_revoked(o, inner, at, info, why, ws) < 0) {
		BIO_free(out);
		return -1;
	}
	n = BIO_get_mem_data(out, &data);
	if (n > 0 && !memchr(data, 0, (size_t)n) && (*json = malloc((size_t)n + 1))) {
		memcpy(*json, data, (size_t)n);
		(*json)[n] = '\0';
		*json_len = (size_t)n;
	}
	BIO_free(out);
	return *json ? 0 : refuse(why, ws, "record: empty content, a NUL byte, or out of memory");
}

/* Copies a single-valued text signed attribute into buf; -1 if absent, repeated or odd. */
static int attr_text(CMS_SignerInfo *si, int nid, int type, char *buf, size_t size)
{
	ASN1_STRING *s = CMS_signed_get0_data_by_OBJ(si, OBJ_nid2obj(nid), -3, type);

	if (!s || s->length <= 0 || (size_t)s->length >= size || memchr(s->data, 0, (size_t)s->length))
		return -1;
	memcpy(buf, s->data, (size_t)s->length);
	buf[s->length] = '\0';
	return 0;
}

/* The signed attributes of SEAL.md §8 into info. */
static int read_attrs(CMS_SignerInfo *si, struct seal_info *info, char *why, size_t ws)
{
	ASN1_INTEGER *seq = CMS_signed_get0_data_by_OBJ(si, OBJ_nid2obj(nid_seq), -3, V_ASN1_INTEGER);
	ASN1_TIME *t = CMS_signed_get0_data_by_OBJ(si, OBJ_nid2obj(NID_pkcs9_signingTime), -3, V_ASN1_UTCTIME);
	int64_t v;
	struct tm tm;

	if (!t)
		t = CMS_signed_get0_data_by_OBJ(si, OBJ_nid2obj(NID_pkcs9_signingTime), -3,
						V_ASN1_GENERALIZEDTIME);
	if (attr_text(si, NID_id_smime_aa_contentIdentifier, V_ASN1_OCTET_STRING,
		      info->record_id, sizeof(info->record_id)) < 0)
		return refuse(why, ws, "record: no single signed contentIdentifier (record id)");
	if (attr_text(si, nid_dev, V_ASN1_UTF8STRING, info->device_id, sizeof(info->device_id)) < 0)
		return refuse(why, ws, "record: no single signed device id attribute");
	if (attr_text(si, nid_schema, V_ASN1_UTF8STRING, info->schema, sizeof(info->schema)) < 0)
		return refuse(why, ws, "record: no single signed schema attribute");
	if (!seq || !ASN1_INTEGER_get_int64(&v, seq) || v < 0)
		return refuse(why, ws, "record: no single signed sequence number");
	info->seq = v;
	if (!t || !ASN1_TIME_to_tm(t, &tm))
		return refuse(why, ws, "record: no single signed signingTime");
	info->signing_time = timegm(&tm);
	return 0;
}

/* Rule 8: the signer's CN is the signed device id. */
static int check_signer_cn(CMS_ContentInfo *inner, const struct seal_info *info,
			   char *why, size_t ws)
{
	STACK_OF(X509) *signers = CMS_get0_signers(inner);
	char cn[64];
	int ok = signers && sk_X509_num(signers) == 1 &&
		 pki_cert_cn(sk_X509_value(signers, 0), cn, sizeof(cn)) == 0 &&
		 !strcmp(cn, info->device_id);

	sk_X509_free(signers);
	ERR_clear_error();
	return ok ? 0 : refuse(why, ws, "record: the signed device id is not the signer "
			       "certificate's CN");
}

/* Acceptance rule 5 of §8: signed attributes equal the JSON's own fields. */
static int check_json(const char *json, size_t len, const struct seal_info *info,
		      char *why, size_t ws)
{
	static const char *const keys[] = { "record_id", "device_id", "schema" };
	const char *vals[] = { info->record_id, info->device_id, info->schema };
	json_t *root = json_loadb(json, len, JSON_REJECT_DUPLICATES, NULL);
	json_t *seq;
	int rc = 0;

	if (!json_is_object(root)) {
		json_decref(root);
		return refuse(why, ws, "record: the content is not a JSON object");
	}
	for (size_t i = 0; rc == 0 && i < sizeof(keys) / sizeof(keys[0]); i++) {
		const char *s = json_string_value(json_object_get(root, keys[i]));
		if (!s || strcmp(s, vals[i]))
			rc = refuse(why, ws, "record: the signed %s does not match the JSON's \"%s\"",
				    keys[i], keys[i]);
	}
	seq = json_object_get(root, "seq");
	if (rc == 0 && (!json_is_integer(seq) || json_integer_value(seq) != info->seq))
		rc = refuse(why, ws, "record: the signed sequence number does not match the JSON's \"seq\"");
	json_decref(root);
	return rc;
}

/* Rule 2: the outer type, checked before any decryption (CMS_decrypt would also open
 * EnvelopedData / AES-CBC without integrity, P4). */
static int check_outer(CMS_ContentInfo *env, char *why, size_t ws)
{
	int nid = OBJ_obj2nid(CMS_get0_type(env));
	char name[96];

	if (nid == NID_pkcs7_enveloped)
		return refuse(why, ws, "envelope: EnvelopedData (no integrity protection) is refused; "
			      "only AuthEnvelopedData is accepted (P4)");
	if (nid != NID_id_smime_ct_authEnvelopedData)
		return refuse(why, ws, "envelope: the outer type is %s, not AuthEnvelopedData",
			      alg_name(CMS_get0_type(env), name, sizeof(name)));
	return 0;
}

/* Rules 6-8 on the decrypted bytes (plain is a secmem BIO). */
static int open_inner(const struct seal_opener *o, BIO *plain, time_t at, char **json,
		      size_t *json_len, struct seal_info *info, char *why, size_t ws)
{
	CMS_ContentInfo *inner = NULL;
	char *p = NULL;
	long n = BIO_get_mem_data(plain, &p);
	int rc = -1;

	if (n <= 0)
		return refuse(why, ws, "envelope: decrypted to nothing");
	if (parse_exact((unsigned char *)p, (size_t)n, "record", &inner, why, ws) == 0 &&
	    check_inner(inner, why, ws) == 0 &&
	    verify(o, inner, at, json, json_len, info, why, ws) == 0 &&
	    read_attrs(sk_CMS_SignerInfo_value(CMS_get0_SignerInfos(inner), 0), info, why, ws) == 0 &&
	    check_signer_cn(inner, info, why, ws) == 0 &&
	    check_json(*json, *json_len, info, why, ws) == 0)
		rc = 0;
	wipe_and_free(inner);
	if (rc < 0) {
		util_clear_free(*json);
		*json = NULL;
		*json_len = 0;
		memset(info, 0, sizeof(*info));
	}
	return rc;
}

int seal_open(const struct seal_opener *o, const unsigned char *der, size_t len,
	      char **json, size_t *json_len, struct seal_info *info, char *why, size_t why_size)
{
	return seal_open_at(o, der, len, time(NULL), json, json_len, info, why, why_size);
}

int seal_open_at(const struct seal_opener *o, const unsigned char *der, size_t len, time_t at,
		 char **json, size_t *json_len, struct seal_info *info, char *why, size_t why_size)
{
	CMS_ContentInfo *env = NULL;
	BIO *plain = NULL;
	int rc = -1;

	*json = NULL;
	*json_len = 0;
	memset(info, 0, sizeof(*info));
	if (why_size)
		why[0] = '\0';
	if (parse_exact(der, len, "envelope", &env, why, why_size) == 0 &&
	    check_outer(env, why, why_size) == 0 &&
	    check_shape(der, len, why, why_size) == 0 &&
	    check_recipients(env, why, why_size) == 0 &&
	    decrypt(o, env, &plain, why, why_size) == 0)
		rc = open_inner(o, plain, at, json, json_len, info, why, why_size);
	BIO_free(plain);
	CMS_ContentInfo_free(env);
	ERR_clear_error();
	return rc;
}
