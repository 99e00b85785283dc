/*
 * seal.c — the device's side of the CMS seal (see seal.h, SEAL.md §4 and §8). The opening
 * side is open.c, linked only into the programs that hold an opening key; what both share
 * is envelope.c.
 *
 * seal_record: SignedData (CAdES, ECDSA P-256, SHA-256, private eContentType and signed
 * attributes) nested as id-data inside AuthEnvelopedData (AES-256-GCM) to each pinned
 * P-256 recipient with the SHA-256 KDF and AES-256 key wrap. The SignedData DER and the
 * eContent it was built from hold plaintext: both are wiped before release (P11).
 */
#include "sync/record/seal.h"
#include "sync/record/seal_int.h"
#include "sync/record/pki.h"
#include "platform/util.h"

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

/* Reads the recipients file: 1..SEAL_MAX_RECIPIENTS P-256 key-agreement certs under ca. */
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

/* Loads and cross-checks the device's key, certificate, CA and recipients (the device's
 * config.json is checked against it by its caller, sync/device/submit.c). */
static int device_load(struct seal_device *d, const struct seal_device_files *f)
{
	char why[256];
	X509 *ca = NULL;
	int rc = -1;

	if (pki_load_key(f->key, &d->key) < 0)
		return -1;
	if (pki_is_p256(d->key) < 0)
		return error("%s is not an EC P-256 key", f->key);
	if (pki_load_cert(f->cert, &d->cert) < 0)
		return -1;
	if (X509_check_private_key(d->cert, d->key) != 1) {
		ERR_clear_error();
		return error("%s does not belong to %s", f->cert, f->key);
	}
	if (pki_cert_cn(d->cert, d->id, sizeof(d->id)) < 0)
		return -1;
	if (pki_load_cert(f->ca, &ca) < 0)
		return -1;
	if (pki_verify(d->cert, ca, X509_PURPOSE_SMIME_SIGN, why, sizeof(why)) < 0) {
		error("%s does not chain to %s for signing: %s", f->cert, f->ca, why);
		goto out;
	}
	if (load_recipients(d, f->recipients, ca) < 0)
		goto out;
	rc = 0;
out:
	X509_free(ca);
	return rc;
}

int seal_device_load(const struct seal_device_files *files, struct seal_device **out)
{
	struct seal_device *d;

	*out = NULL;
	if (seal_oids_ready() < 0)
		return -1;
	d = calloc(1, sizeof(*d));
	if (!d)
		return error("out of memory");
	if (device_load(d, files) < 0) {
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
	    add_attr(si, seal_nid_dev, V_ASN1_UTF8STRING, a->device_id, (int)strlen(a->device_id)) == 0 &&
	    add_attr(si, seal_nid_schema, V_ASN1_UTF8STRING, a->schema, (int)strlen(a->schema)) == 0 &&
	    add_attr(si, seal_nid_seq, V_ASN1_INTEGER, seq, -1) == 0)
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
	ok = cms && in && CMS_set1_eContentType(cms, OBJ_nid2obj(seal_nid_ct)) &&
	     (si = CMS_add1_signer(cms, d->cert, d->key, EVP_sha256(),
				   CMS_BINARY | CMS_NOSMIMECAP | CMS_CADES)) &&
	     add_attrs(si, a) == 0 && CMS_final(cms, in, NULL, CMS_BINARY) == 1 &&
	     (*sd_len = i2d_CMS_ContentInfo(cms, sd)) > 0;
	BIO_free(in);
	seal_wipe_and_free(cms);
	if (ok)
		return 0;
	OPENSSL_free(*sd);  /* never reached with content: ok is false only before i2d */
	*sd = NULL;
	return error("cannot sign the record");
}

/* Steps 4-6: AuthEnvelopedData around the SignedData to every pinned recipient. */
static int envelope(struct seal_device *d, const unsigned char *sd, int sd_len,
		    unsigned char **der, size_t *der_len)
{
	if (seal_envelope_to(d->recipients, sd, sd_len, der, der_len) < 0)
		return error("cannot encrypt the record to the case store");
	return 0;
}

/* Attribute values we sign must be short, NUL-free text, and the device id our own. */
static int attrs_ok(const struct seal_device *d, const struct seal_attrs *a)
{
	if (!a->record_id || !*a->record_id || strlen(a->record_id) >= 64 || !a->schema ||
	    !*a->schema || strlen(a->schema) >= 64 || !a->device_id || a->seq < 0)
		return error("seal: record id, schema, device id or sequence number missing or invalid");
	if (strcmp(a->device_id, d->id))
		return error("seal: the record names another device than the device certificate");
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
