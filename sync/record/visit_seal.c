/*
 * visit_seal.c — the office's side of a visit (see visit.h): the visit signer's key and
 * certificate, and visit_seal, which signs a visit's JSON (CMS SignedData, CAdES, SHA-256,
 * ECDSA P-256, eContentType id-ct-inloopVisit) and seals the DER SignedData to one
 * consultant's certificate (AuthEnvelopedData through seal_envelope_to, as records).
 * OpenSSL does not look at a recipient certificate (SEAL.md P10), so this file does:
 * chain, consultant EKU, keyAgreement, P-256, and the CN that must be the JSON's consultant.
 * Linked into inloop-office and inloopctl; the device opens visits with visit_open.c.
 */
#include "sync/record/visit.h"
#include "sync/record/seal_int.h"
#include "sync/record/pki.h"
#include "sync/record/record.h"
#include "platform/util.h"

#include <jansson.h>
#include <time.h>

#include <openssl/cms.h>
#include <openssl/err.h>
#include <openssl/x509v3.h>
#include <stdlib.h>
#include <string.h>

#define VISIT_JSON_MAX (1024 * 1024)

struct visit_signer {
	EVP_PKEY *key;
	X509 *cert;
	X509 *ca;
};

void visit_signer_free(struct visit_signer *s)
{
	if (!s)
		return;
	EVP_PKEY_free(s->key);
	X509_free(s->cert);
	X509_free(s->ca);
	free(s);
}

/* Reads and cross-checks office_dir's visit-signer.key/.pem and ca.pem into s. */
static int signer_load(struct visit_signer *s, const char *dir)
{
	char path[4096], why[256];

	if (util_fmt(path, sizeof(path), "%s/%s", dir, VISIT_SIGNER_KEY) < 0 ||
	    pki_load_key(path, &s->key) < 0)
		return -1;
	if (pki_is_p256(s->key) < 0)
		return error("%s is not an EC P-256 key", path);
	if (util_fmt(path, sizeof(path), "%s/%s", dir, VISIT_SIGNER_PEM) < 0 ||
	    pki_load_cert(path, &s->cert) < 0)
		return -1;
	if (X509_check_private_key(s->cert, s->key) != 1) {
		ERR_clear_error();
		return error("%s does not belong to %s", path, VISIT_SIGNER_KEY);
	}
	if (!pki_has_eku(s->cert, VISIT_OID_KP_SIGNER))
		return error("%s lacks the visit-signer extended key usage (%s)", path, VISIT_OID_KP_SIGNER);
	if (util_fmt(path, sizeof(path), "%s/ca.pem", dir) < 0 || pki_load_cert(path, &s->ca) < 0)
		return -1;
	if (pki_verify(s->cert, s->ca, 0, why, sizeof(why)) < 0)
		return error("%s/%s does not chain to ca.pem: %s", dir, VISIT_SIGNER_PEM, why);
	return 0;
}

int visit_signer_load(const char *office_dir, struct visit_signer **out)
{
	struct visit_signer *s;

	*out = NULL;
	if (seal_oids_ready() < 0)
		return -1;
	s = calloc(1, sizeof(*s));
	if (!s)
		return error("out of memory");
	if (signer_load(s, office_dir) < 0) {
		visit_signer_free(s);
		return -1;
	}
	*out = s;
	return 0;
}

/* The consultant certificate a visit is sealed to: our CA's, for key agreement on P-256,
 * with the consultant EKU and a valid consultant id as its CN (into cn). */
static int check_consultant_cert(const struct visit_signer *s, X509 *cert, const char *path,
				 char *cn, size_t cn_size)
{
	char why[256];

	if (pki_verify(cert, s->ca, 0, why, sizeof(why)) < 0)
		return error("%s does not chain to the office's CA: %s", path, why);
	if (!pki_has_eku(cert, VISIT_OID_KP_CONSULTANT))
		return error("%s is not a consultant certificate (no %s)", path, VISIT_OID_KP_CONSULTANT);
	if (!(X509_get_extension_flags(cert) & EXFLAG_KUSAGE) ||
	    !(X509_get_key_usage(cert) & KU_KEY_AGREEMENT) || pki_is_p256(X509_get0_pubkey(cert)) < 0)
		return error("%s is not a P-256 key-agreement certificate", path);
	if (pki_cert_cn(cert, cn, cn_size) < 0 || pki_check_consultant_id(cn) < 0)
		return error("%s: its CN is not a consultant id", path);
	return 0;
}

/* The JSON is a visit the device will accept for the consultant cn. */
static int check_visit_json(const char *json, size_t len, const char *cn)
{
	char why[256];

	return seal_visit_check_json(json, len, cn, why, sizeof(why)) < 0 ? error("%s", why) : 0;
}

/* The DER SignedData of json by the visit signer (a visit's inner object, or a recall as it
 * travels); *sd freed with OPENSSL_clear_free. */
static int sign_visit(const struct visit_signer *s, const char *json, size_t len,
		      unsigned char **sd, int *sd_len)
{
	CMS_ContentInfo *cms = CMS_sign(NULL, NULL, NULL, NULL, CMS_PARTIAL | CMS_BINARY);
	BIO *in = BIO_new_mem_buf(json, (int)len);
	int ok;

	*sd = NULL;
	ok = cms && in && CMS_set1_eContentType(cms, OBJ_nid2obj(seal_nid_visit)) &&
	     CMS_add1_signer(cms, s->cert, s->key, EVP_sha256(),
			     CMS_BINARY | CMS_NOSMIMECAP | CMS_CADES) &&
	     CMS_final(cms, in, NULL, CMS_BINARY) == 1 &&
	     (*sd_len = i2d_CMS_ContentInfo(cms, sd)) > 0;
	BIO_free(in);
	seal_wipe_and_free(cms);
	ERR_clear_error();
	if (ok)
		return 0;
	OPENSSL_free(*sd);   /* ok is false only before i2d: nothing to wipe */
	*sd = NULL;
	return error("cannot sign the visit");
}

/* Signs json and envelopes it to cert. */
static int seal_to(const struct visit_signer *s, X509 *cert, const char *json, size_t len,
		   unsigned char **der, size_t *der_len)
{
	STACK_OF(X509) *one = sk_X509_new_null();
	unsigned char *sd = NULL;
	int sd_len = 0, rc = -1;

	if (!one || !sk_X509_push(one, cert)) {
		sk_X509_free(one);
		return error("out of memory");
	}
	if (sign_visit(s, json, len, &sd, &sd_len) == 0) {
		rc = seal_envelope_to(one, sd, sd_len, der, der_len);
		if (rc < 0)
			error("cannot encrypt the visit to the consultant");
	}
	OPENSSL_clear_free(sd, sd ? (size_t)sd_len : 0);
	sk_X509_free(one);   /* cert is the caller's */
	return rc;
}

int visit_seal(const struct visit_signer *s, const char *cert_path, const char *json,
	       size_t len, unsigned char **der, size_t *der_len)
{
	X509 *cert = NULL;
	char cn[PKI_CONSULTANT_MAX + 1];
	int rc = -1;

	*der = NULL;
	*der_len = 0;
	if (!json || len == 0 || len > VISIT_JSON_MAX)
		return error("visit: 1 byte to 1 MiB of JSON");
	if (pki_load_cert(cert_path, &cert) < 0)
		return -1;
	if (check_consultant_cert(s, cert, cert_path, cn, sizeof(cn)) == 0 &&
	    check_visit_json(json, len, cn) == 0)
		rc = seal_to(s, cert, json, len, der, der_len);
	X509_free(cert);
	return rc;
}

/* The recall's JSON (visit.h); caller frees. */
static char *recall_text(const char *recall_id, const char *consultant, const char *const *ids,
			 size_t n, const char *reason)
{
	json_t *j = json_pack("{s:s, s:i, s:s, s:s, s:[], s:s}", VISIT_F_SCHEMA, VISIT_RECALL_SCHEMA,
			      VISIT_F_VERSION, VISIT_VERSION, "recall_id", recall_id,
			      VISIT_F_CONSULTANT, consultant, "visits", "reason", reason);
	json_t *list = json_object_get(j, "visits");
	char at[40], *text = NULL;
	int bad = !j || record_time_format(time(NULL), at) < 0;

	for (size_t i = 0; !bad && i < n; i++)
		bad = json_array_append_new(list, json_string(ids[i])) < 0;
	if (!bad && json_object_set_new(j, "at", json_string(at)) == 0)
		text = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(j);
	return text;
}

/* 1 when s is 32 lower-case hexadecimal digits. */
static int hex32(const char *s)
{
	return s && strlen(s) == 32 && strspn(s, "0123456789abcdef") == 32;
}

int visit_recall_sign(const struct visit_signer *s, const char *recall_id, const char *consultant,
		      const char *const *visit_ids, size_t n, const char *reason,
		      unsigned char **der, size_t *der_len)
{
	unsigned char *sd = NULL;
	char *text;
	int sd_len = 0;

	*der = NULL;
	*der_len = 0;
	if (!hex32(recall_id) || !visit_consultant_id_ok(consultant) || n < 1 || n > VISIT_RECALL_MAX ||
	    !reason || strspn(reason, "abcdefghijklmnopqrstuvwxyz-") != strlen(reason))
		return error("recall: not a recall id, a consultant id, 1..%d visits and a reason",
			     VISIT_RECALL_MAX);
	for (size_t i = 0; i < n; i++)
		if (!hex32(visit_ids[i]))
			return error("recall: a visit id is not 32 hexadecimal digits");
	if (!(text = recall_text(recall_id, consultant, visit_ids, n, reason)))
		return error("out of memory");
	if (sign_visit(s, text, strlen(text), &sd, &sd_len) == 0) {
		*der = sd;
		*der_len = (size_t)sd_len;
	}
	free(text);
	return *der ? 0 : -1;
}
