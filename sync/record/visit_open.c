/*
 * visit_open.c — the device's side of a visit (see visit.h): the consultant's laptop opens
 * a visit only after that consultant unlocked their key. The checks run in order and each
 * refusal names its rule, never content: exact DER, the records' envelope rules 2-4
 * (envelope.c), sealed to this consultant's certificate, decryption whose output is used
 * only when the GCM tag verified (P8; the plaintext lives in wiped BIO_s_secmem buffers),
 * the inner SignedData (id-ct-inloopVisit, content present, one signer, SHA-256, P-256),
 * the CAdES signature and its chain to the device's CA, the visit-signer EKU (a device
 * certificate of the same CA cannot forge a visit), and the JSON's schema, version and
 * consultant (visit.c). Linked into the kiosk/field program only.
 */
#include "sync/record/visit.h"
#include "sync/record/seal_int.h"
#include "sync/record/pki.h"
#include "platform/util.h"

#include <openssl/cms.h>
#include <openssl/err.h>
#include <openssl/x509v3.h>
#include <stdlib.h>
#include <string.h>

#define VR(...) seal_refuse(why, ws, __VA_ARGS__)

/* What one visit_open needs from the device: the consultant's key and certificate, the CA. */
struct keys {
	EVP_PKEY *key;
	X509 *cert;
	X509 *ca;
};

static void keys_release(struct keys *k)
{
	EVP_PKEY_free(k->key);
	X509_free(k->cert);
	X509_free(k->ca);
}

/* The consultant's key (PKCS#8 DER), their certificate (CN = id, holds that key) and the CA. */
static int keys_load(struct keys *k, const unsigned char *key_der, size_t key_len,
		     const char *cert_path, const char *ca_path, const char *id, char *why, size_t ws)
{
	const unsigned char *p = key_der;
	char cn[PKI_CONSULTANT_MAX + 1];

	if (!key_der || key_len == 0 || key_len > 64 * 1024 ||
	    !(k->key = d2i_AutoPrivateKey(NULL, &p, (long)key_len)) || p != key_der + key_len ||
	    pki_is_p256(k->key) < 0)
		return VR("visit: the consultant's key is not one P-256 private key");
	if (pki_load_cert(cert_path, &k->cert) < 0)
		return VR("visit: cannot read the consultant's certificate");
	if (X509_check_private_key(k->cert, k->key) != 1)
		return VR("visit: the consultant's key does not belong to their certificate");
	if (pki_cert_cn(k->cert, cn, sizeof(cn)) < 0 || !id || strcmp(cn, id))
		return VR("visit: the consultant's certificate is not for this consultant");
	if (pki_load_cert(ca_path, &k->ca) < 0)
		return VR("visit: cannot read the CA certificate");
	return 0;
}

/* Decrypts with the consultant's key, and only when a recipient names their certificate.
 * *plain (a secmem BIO) is set only when CMS_decrypt returned 1 (P8). */
static int decrypt(const struct keys *k, CMS_ContentInfo *env, BIO **plain, char *why, size_t ws)
{
	BIO *out;

	*plain = NULL;
	if (CMS_decrypt_set1_pkey(env, k->key, k->cert) != 1)
		return VR("visit: not sealed to this consultant");
	out = BIO_new(BIO_s_secmem());
	if (!out)
		return VR("out of memory");
	if (CMS_decrypt(env, NULL, NULL, NULL, out, CMS_BINARY) != 1) {
		BIO_free(out);
		return VR("visit: decryption failed (authentication tag or ciphertext does not verify)");
	}
	*plain = out;
	return 0;
}

/* The inner object: SignedData with id-ct-inloopVisit, its content, one SHA-256 signer. */
static int check_inner(CMS_ContentInfo *inner, char *why, size_t ws)
{
	STACK_OF(CMS_SignerInfo) *sis;
	X509_ALGOR *dig = NULL;
	char name[96];

	if (OBJ_obj2nid(CMS_get0_type(inner)) != NID_pkcs7_signed)
		return VR("visit: the inner object is %s, not SignedData",
			  seal_alg_name(CMS_get0_type(inner), name, sizeof(name)));
	if (OBJ_obj2nid(CMS_get0_eContentType(inner)) != seal_nid_visit)
		return VR("visit: content type %s is not id-ct-inloopVisit",
			  seal_alg_name(CMS_get0_eContentType(inner), name, sizeof(name)));
	if (CMS_is_detached(inner))
		return VR("visit: the signed content is missing (detached)");
	sis = CMS_get0_SignerInfos(inner);
	if (!sis || sk_CMS_SignerInfo_num(sis) != 1)
		return VR("visit: %d signers, exactly one is required", sis ? sk_CMS_SignerInfo_num(sis) : 0);
	CMS_SignerInfo_get0_algs(sk_CMS_SignerInfo_value(sis, 0), NULL, NULL, &dig, NULL);
	if (!dig || OBJ_obj2nid(dig->algorithm) != NID_sha256)
		return VR("visit: the signature's digest is not SHA-256");
	return 0;
}

/* A store with the device's CA. Any purpose: the visit-signer EKU is checked apart
 * (check_signer), as S/MIME's purpose would refuse a certificate without emailProtection. */
static X509_STORE *ca_store(X509 *ca)
{
	X509_STORE *st = X509_STORE_new();

	if (!st || !X509_STORE_add_cert(st, ca) ||
	    !X509_VERIFY_PARAM_set_purpose(X509_STORE_get0_param(st), X509_PURPOSE_ANY)) {
		X509_STORE_free(st);
		return NULL;
	}
	return st;
}

/* The one signer is the office's visit signer: its EKU, digitalSignature, a P-256 key. */
static int check_signer(CMS_ContentInfo *inner, char *why, size_t ws)
{
	STACK_OF(X509) *signers = CMS_get0_signers(inner);
	X509 *s = signers && sk_X509_num(signers) == 1 ? sk_X509_value(signers, 0) : NULL;
	int ok = s && pki_has_eku(s, VISIT_OID_KP_SIGNER) &&
		 (X509_get_extension_flags(s) & EXFLAG_KUSAGE) &&
		 (X509_get_key_usage(s) & KU_DIGITAL_SIGNATURE) && pki_is_p256(X509_get0_pubkey(s)) == 0;

	sk_X509_free(signers);
	return ok ? 0 : VR("visit: the signer is not the office's visit signer (no %s EKU)",
			   VISIT_OID_KP_SIGNER);
}

/* The CAdES signature, chained to the CA; *out (secmem) holds the content on success. */
static int verify(const struct keys *k, CMS_ContentInfo *inner, BIO **out, char *why, size_t ws)
{
	X509_STORE *st = ca_store(k->ca);
	char reason[200];
	int ok;

	*out = BIO_new(BIO_s_secmem());
	if (!*out || !st) {
		X509_STORE_free(st);
		return VR("out of memory");
	}
	ok = CMS_verify(inner, NULL, st, NULL, *out, CMS_BINARY | CMS_CADES) == 1;
	X509_STORE_free(st);
	if (ok)
		return check_signer(inner, why, ws);
	pki_last_error(reason, sizeof(reason));
	return VR("visit: signature refused: %s", reason);
}

/* Copies the verified content of out into a malloc'd NUL-terminated *json. */
static int take_json(BIO *out, char **json, size_t *json_len, char *why, size_t ws)
{
	char *data = NULL;
	long n = BIO_get_mem_data(out, &data);

	if (n <= 0 || memchr(data, 0, (size_t)n) || !(*json = malloc((size_t)n + 1)))
		return VR("visit: empty content, a NUL byte, or out of memory");
	memcpy(*json, data, (size_t)n);
	(*json)[n] = '\0';
	*json_len = (size_t)n;
	return 0;
}

/* The decrypted bytes (a secmem BIO): inner SignedData, signature, signer, JSON. */
static int open_inner(const struct keys *k, BIO *plain, const char *id, char **json,
		      size_t *json_len, char *why, size_t ws)
{
	CMS_ContentInfo *inner = NULL;
	BIO *out = NULL;
	char *p = NULL;
	long n = BIO_get_mem_data(plain, &p);
	int rc = -1;

	if (n <= 0)
		return VR("visit: decrypted to nothing");
	if (seal_parse_exact((unsigned char *)p, (size_t)n, "visit", &inner, why, ws) == 0 &&
	    check_inner(inner, why, ws) == 0 && verify(k, inner, &out, why, ws) == 0 &&
	    take_json(out, json, json_len, why, ws) == 0 &&
	    seal_visit_check_json(*json, *json_len, id, why, ws) == 0)
		rc = 0;
	BIO_free(out);
	seal_wipe_and_free(inner);
	if (rc < 0) {
		util_clear_free(*json);
		*json = NULL;
		*json_len = 0;
	}
	return rc;
}

int visit_open(const unsigned char *der, size_t len, const unsigned char *key_der,
	       size_t key_len, const char *cert_path, const char *ca_path,
	       const char *consultant_id, char **json, size_t *json_len,
	       char *why, size_t why_size)
{
	struct keys k = { NULL, NULL, NULL };
	CMS_ContentInfo *env = NULL;
	BIO *plain = NULL;
	int rc = -1;

	*json = NULL;
	*json_len = 0;
	if (why_size)
		why[0] = '\0';
	if (seal_oids_ready() < 0)
		return seal_refuse(why, why_size, "cannot register the seal's object identifiers");
	if (keys_load(&k, key_der, key_len, cert_path, ca_path, consultant_id, why, why_size) == 0 &&
	    seal_parse_exact(der, len, "visit", &env, why, why_size) == 0 &&
	    seal_check_envelope(env, der, len, why, why_size) == 0 &&
	    decrypt(&k, env, &plain, why, why_size) == 0)
		rc = open_inner(&k, plain, consultant_id, json, json_len, why, why_size);
	BIO_free(plain);
	CMS_ContentInfo_free(env);
	keys_release(&k);
	ERR_clear_error();
	return rc;
}

/* ---- recalls (visit.h): signed, not sealed; verified at sync, before any unlock ---- */

/* The recall's JSON: schema, version, its id and consultant, 1..max visit ids into ids. */
static int recall_json(const char *json, size_t len, const char *recall_id, const char *id,
		       char (*ids)[33], size_t max, size_t *n, char *why, size_t ws)
{
	json_t *root = json_loadb(json, len, JSON_REJECT_DUPLICATES, NULL), *list, *e;
	const char *schema = json_string_value(json_object_get(root, VISIT_F_SCHEMA));
	json_t *ver = json_object_get(root, VISIT_F_VERSION);
	const char *rid = json_string_value(json_object_get(root, "recall_id"));
	const char *who = json_string_value(json_object_get(root, VISIT_F_CONSULTANT));
	size_t i;
	int rc = 0;

	list = json_object_get(root, "visits");
	if (!schema || strcmp(schema, VISIT_RECALL_SCHEMA) || !json_is_integer(ver) ||
	    json_integer_value(ver) != VISIT_VERSION)
		rc = VR("recall: not schema %s version %d", VISIT_RECALL_SCHEMA, VISIT_VERSION);
	else if (!rid || strcmp(rid, recall_id))
		rc = VR("recall: its signed id is not the one it came under");
	else if (!who || strcmp(who, id))
		rc = VR("recall: addressed to another consultant");
	else if (!json_is_array(list) || !json_array_size(list) || json_array_size(list) > max)
		rc = VR("recall: not 1 to %zu visit ids", max);
	json_array_foreach(rc ? NULL : list, i, e) {
		const char *v = json_string_value(e);
		if (!v || strlen(v) != 32 || strspn(v, "0123456789abcdef") != 32) {
			rc = VR("recall: a visit id is not 32 hexadecimal digits");
			break;
		}
		memcpy(ids[i], v, 33);
	}
	*n = rc ? 0 : json_array_size(list);
	json_decref(root);
	return rc;
}

int visit_recall_verify(const unsigned char *der, size_t len, const char *ca_path,
			const char *recall_id, const char *consultant_id, char (*ids)[33], size_t max,
			size_t *n, char *why, size_t why_size)
{
	struct keys k = { NULL, NULL, NULL };
	CMS_ContentInfo *cms = NULL;
	BIO *out = NULL;
	char *json = NULL;
	size_t jlen = 0;
	int rc = -1;

	*n = 0;
	if (why_size)
		why[0] = '\0';
	if (seal_oids_ready() < 0)
		return seal_refuse(why, why_size, "cannot register the seal's object identifiers");
	if (pki_load_cert(ca_path, &k.ca) < 0)
		rc = seal_refuse(why, why_size, "recall: cannot read the CA certificate");
	else if (seal_parse_exact(der, len, "recall", &cms, why, why_size) == 0 &&
		 check_inner(cms, why, why_size) == 0 && verify(&k, cms, &out, why, why_size) == 0 &&
		 take_json(out, &json, &jlen, why, why_size) == 0)
		rc = recall_json(json, jlen, recall_id, consultant_id, ids, max, n, why, why_size);
	util_clear_free(json);
	BIO_free(out);
	CMS_ContentInfo_free(cms);
	keys_release(&k);
	ERR_clear_error();
	return rc;
}
