/*
 * open.c — the opening side of the seal (see seal.h, SEAL.md §4 and §8): the acceptance
 * rules, in order, each refusal naming its rule. No plaintext is used unless CMS_decrypt
 * returned 1 (P8); the plaintext lives in BIO_s_secmem buffers, which are wiped on free.
 * Only the office and inloopctl link this file; the kiosk and the case store never do.
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

struct seal_opener {
	EVP_PKEY *keys[2];      /* casestore.key, casestore-next.key */
	X509 *certs[2];         /* their certificates when present: the rid must match too */
	int nkeys;
	X509 *ca;               /* the municipality CA */
	X509_CRL *crl;          /* its CRL (signature checked at load), NULL when absent */
};

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
	if (seal_oids_ready() < 0)
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
		return seal_refuse(why, ws, "envelope: not addressed to this case store's key(s)");
	out = BIO_new(BIO_s_secmem());
	if (!out)
		return seal_refuse(why, ws, "out of memory");
	if (CMS_decrypt(env, NULL, NULL, NULL, out, CMS_BINARY) != 1) {
		BIO_free(out);
		ERR_clear_error();
		return seal_refuse(why, ws, "envelope: decryption failed (authentication tag or "
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
		return seal_refuse(why, ws, "record: the inner object is %s, not SignedData",
			      seal_alg_name(CMS_get0_type(inner), name, sizeof(name)));
	if (OBJ_obj2nid(CMS_get0_eContentType(inner)) != seal_nid_ct)
		return seal_refuse(why, ws, "record: content type %s is not id-ct-inloopRegistration",
			      seal_alg_name(CMS_get0_eContentType(inner), name, sizeof(name)));
	if (CMS_is_detached(inner))
		return seal_refuse(why, ws, "record: the signed content is missing (detached)");
	sis = CMS_get0_SignerInfos(inner);
	if (!sis || sk_CMS_SignerInfo_num(sis) != 1)
		return seal_refuse(why, ws, "record: %d signers, exactly one is required",
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
		return seal_refuse(why, ws, "record: no single signer certificate");
	if (!o->crl || X509_CRL_get0_by_serial(o->crl, &rev, X509_get0_serialNumber(signer)) != 1)
		return 0;
	if (!ASN1_TIME_to_tm(X509_REVOKED_get0_revocationDate(rev), &tm))
		return seal_refuse(why, ws, "record: the CRL entry of the signer has no readable date");
	info->revoked_at = timegm(&tm);
	if (info->revoked_at > at)
		return 0;
	time_text(info->revoked_at, when);
	time_text(at, recv);
	return seal_refuse(why, ws, "signature refused: certificate revoked on %s, before the record "
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
		return seal_refuse(why, ws, "out of memory");
	}
	ok = CMS_verify(inner, NULL, st, NULL, out, CMS_BINARY | CMS_CADES) == 1;
	X509_STORE_free(st);
	if (!ok) {
		pki_last_error(reason, sizeof(reason));
		BIO_free(out);
		return seal_refuse(why, ws, "signature refused: %s", reason);
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
	return *json ? 0 : seal_refuse(why, ws, "record: empty content, a NUL byte, or out of memory");
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
	ASN1_INTEGER *seq = CMS_signed_get0_data_by_OBJ(si, OBJ_nid2obj(seal_nid_seq), -3, V_ASN1_INTEGER);
	ASN1_TIME *t = CMS_signed_get0_data_by_OBJ(si, OBJ_nid2obj(NID_pkcs9_signingTime), -3, V_ASN1_UTCTIME);
	int64_t v;
	struct tm tm;

	if (!t)
		t = CMS_signed_get0_data_by_OBJ(si, OBJ_nid2obj(NID_pkcs9_signingTime), -3,
						V_ASN1_GENERALIZEDTIME);
	if (attr_text(si, NID_id_smime_aa_contentIdentifier, V_ASN1_OCTET_STRING,
		      info->record_id, sizeof(info->record_id)) < 0)
		return seal_refuse(why, ws, "record: no single signed contentIdentifier (record id)");
	if (attr_text(si, seal_nid_dev, V_ASN1_UTF8STRING, info->device_id, sizeof(info->device_id)) < 0)
		return seal_refuse(why, ws, "record: no single signed device id attribute");
	if (attr_text(si, seal_nid_schema, V_ASN1_UTF8STRING, info->schema, sizeof(info->schema)) < 0)
		return seal_refuse(why, ws, "record: no single signed schema attribute");
	if (!seq || !ASN1_INTEGER_get_int64(&v, seq) || v < 0)
		return seal_refuse(why, ws, "record: no single signed sequence number");
	info->seq = v;
	if (!t || !ASN1_TIME_to_tm(t, &tm))
		return seal_refuse(why, ws, "record: no single signed signingTime");
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
	return ok ? 0 : seal_refuse(why, ws, "record: the signed device id is not the signer "
			       "certificate's CN");
}

/* Acceptance rule 5 of §8: signed attributes equal the JSON's own fields. */
static int check_json(const char *json, size_t len, const struct seal_info *info,
		      char *why, size_t ws)
{
	static const char *const keys[] = { RECORD_F_ID, RECORD_F_DEVICE_ID, RECORD_F_SCHEMA };
	const char *vals[] = { info->record_id, info->device_id, info->schema };
	json_t *root = json_loadb(json, len, JSON_REJECT_DUPLICATES, NULL);
	json_t *seq;
	int rc = 0;

	if (!json_is_object(root)) {
		json_decref(root);
		return seal_refuse(why, ws, "record: the content is not a JSON object");
	}
	for (size_t i = 0; rc == 0 && i < sizeof(keys) / sizeof(keys[0]); i++) {
		const char *s = json_string_value(json_object_get(root, keys[i]));
		if (!s || strcmp(s, vals[i]))
			rc = seal_refuse(why, ws, "record: the signed %s does not match the JSON's \"%s\"",
				    keys[i], keys[i]);
	}
	seq = json_object_get(root, RECORD_F_SEQ);
	if (rc == 0 && (!json_is_integer(seq) || json_integer_value(seq) != info->seq))
		rc = seal_refuse(why, ws, "record: the signed sequence number does not match the JSON's \"seq\"");
	json_decref(root);
	return rc;
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
		return seal_refuse(why, ws, "envelope: decrypted to nothing");
	if (seal_parse_exact((unsigned char *)p, (size_t)n, "record", &inner, why, ws) == 0 &&
	    check_inner(inner, why, ws) == 0 &&
	    verify(o, inner, at, json, json_len, info, why, ws) == 0 &&
	    read_attrs(sk_CMS_SignerInfo_value(CMS_get0_SignerInfos(inner), 0), info, why, ws) == 0 &&
	    check_signer_cn(inner, info, why, ws) == 0 &&
	    check_json(*json, *json_len, info, why, ws) == 0)
		rc = 0;
	seal_wipe_and_free(inner);
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
	if (seal_parse_exact(der, len, "envelope", &env, why, why_size) == 0 &&
	    seal_check_envelope(env, der, len, why, why_size) == 0 &&
	    decrypt(o, env, &plain, why, why_size) == 0)
		rc = open_inner(o, plain, at, json, json_len, info, why, why_size);
	BIO_free(plain);
	CMS_ContentInfo_free(env);
	ERR_clear_error();
	return rc;
}
