/*
 * test_visit.c — visits through their C API (sync/record/visit.h), against two demo PKIs
 * the wrapper (tests/t2005-visit-seal-unit.sh) made with `inloopctl init-demo`: $VISIT_PKI
 * (ours) and $VISIT_OTHER (another municipality's CA). Consultants anna and bert get keys
 * and certificates from our CA here, in $VISIT_DIR (where the wrapper also finds the
 * sealed visit and anna's key for stock `openssl cms`).
 *
 * A visit sealed to anna opens with anna's key and gives back the JSON. Negative twins,
 * each refused with its reason and no content in it: bert's key (not a recipient) and a
 * key that is not the certificate's; the wrong consultant id; a signer without the
 * visit-signer EKU (the demo device's key: a stolen device cannot forge a visit); a visit
 * signer of another CA; every flipped byte; trailing bytes and truncation; "consultant"
 * naming someone else; a wrong schema or version; a SHA-384 digest; a record's content
 * type; an ephemeral key with unused bits (for records too); a record envelope offered as a visit; EnvelopedData (AES-CBC). visit_seal itself
 * refuses JSON that is not a visit for the certificate's consultant and a certificate that
 * is not a consultant's of its CA; visit_signer_load refuses a device's key and cert.
 */
#include "sync/record/visit.h"
#include "sync/record/seal.h"
#include "sync/record/seal_int.h"
#include "sync/record/pki.h"
#include "sync/device/submit.h"
#include "platform/util.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <openssl/cms.h>
#include <openssl/err.h>
#include <openssl/x509.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CANARY "Canary-Vt4qR"
#define VID "0f1e2d3c4b5a69788796a5b4c3d2e1f0"
#define VISIT_JSON(consultant, schema, version) \
	"{\"schema\":\"" schema "\",\"version\":" #version ",\"visit_id\":\"" VID "\"," \
	"\"consultant\":\"" consultant "\",\"record_id\":\"6a1f0c9e-3b7d-4e21-a8f5-0c2d9e7b1a44\"," \
	"\"reference\":\"K7QF2M9D\",\"location\":\"Bibliotheek Centrum (demo)\",\"name\":\"" CANARY "\"," \
	"\"contact\":\"phone\",\"phone\":\"0612345678\",\"crisis\":[\"eviction\"]," \
	"\"deadline\":\"2026-12-04\",\"acuut\":true,\"assigned_at\":\"2026-12-01T10:00:00+01:00\"}"
#define GOOD VISIT_JSON("anna", "inloop.visit", 1)

struct consultant {
	char pem[4096];           /* VISIT_DIR/ID.pem */
	unsigned char *key;       /* PKCS#8 DER */
	int key_len;
};

struct fx {
	struct visit_signer *signer;
	struct consultant anna, bert, alien;   /* alien: a consultant of the other CA */
	char device_ca[4096];                  /* what the laptop trusts: STATE/ca.pem */
	unsigned char *der;                    /* GOOD sealed to anna */
	size_t len;
};

static const char *env_dir(const char *name)
{
	const char *d = getenv(name);
	return d && *d ? d : "/nonexistent";
}

/* Writes key as PEM (for openssl) and keeps its PKCS#8 DER in c. */
static int keep_key(struct consultant *c, EVP_PKEY *key, const char *id)
{
	PKCS8_PRIV_KEY_INFO *p8 = EVP_PKEY2PKCS8(key);
	char path[4096];

	c->key = NULL;
	c->key_len = p8 ? i2d_PKCS8_PRIV_KEY_INFO(p8, &c->key) : -1;
	PKCS8_PRIV_KEY_INFO_free(p8);
	snprintf(path, sizeof(path), "%s/%s.key", env_dir("VISIT_DIR"), id);
	return c->key_len > 0 ? pki_write_key(path, key) : -1;
}

/* A consultant key and certificate (profile PKI_CONSULTANT) from the CA of pki_root. */
static int make_consultant(struct consultant *c, const char *pki_root, const char *id)
{
	char path[4096];
	X509 *ca = NULL, *cert = NULL;
	EVP_PKEY *cakey = NULL, *key = NULL;
	int rc = -1;

	snprintf(path, sizeof(path), "%s/ca/ca.pem", pki_root);
	if (pki_load_cert(path, &ca) < 0)
		return -1;
	snprintf(path, sizeof(path), "%s/ca/ca.key", pki_root);
	snprintf(c->pem, sizeof(c->pem), "%s/%s.pem", env_dir("VISIT_DIR"), id);
	if (pki_load_key(path, &cakey) == 0 && pki_keygen(&key) == 0 &&
	    pki_issue(ca, cakey, key, NULL, id, PKI_CONSULTANT, 730, &cert) == 0 &&
	    pki_write_cert(c->pem, cert) == 0 && keep_key(c, key, id) == 0)
		rc = 0;
	X509_free(cert);
	X509_free(ca);
	EVP_PKEY_free(cakey);
	EVP_PKEY_free(key);
	return rc;
}

static int setup(void **state)
{
	char office[4096], path[4096];
	struct fx *f = calloc(1, sizeof(*f));

	if (!f || seal_oids_ready() < 0)
		return -1;
	snprintf(office, sizeof(office), "%s/office", env_dir("VISIT_PKI"));
	snprintf(f->device_ca, sizeof(f->device_ca), "%s/device/ca.pem", env_dir("VISIT_PKI"));
	if (visit_signer_load(office, &f->signer) < 0 ||
	    make_consultant(&f->anna, env_dir("VISIT_PKI"), "anna") < 0 ||
	    make_consultant(&f->bert, env_dir("VISIT_PKI"), "bert") < 0 ||
	    make_consultant(&f->alien, env_dir("VISIT_OTHER"), "alien") < 0)
		return -1;
	if (visit_seal(f->signer, f->anna.pem, GOOD, strlen(GOOD), &f->der, &f->len) < 0)
		return -1;
	snprintf(path, sizeof(path), "%s/visit.der", env_dir("VISIT_DIR"));   /* for openssl */
	if (util_write_file(path, f->der, f->len, 0600) < 0)
		return -1;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;

	OPENSSL_free(f->der);
	OPENSSL_free(f->anna.key);
	OPENSSL_free(f->bert.key);
	OPENSSL_free(f->alien.key);
	visit_signer_free(f->signer);
	free(f);
	return 0;
}

/* visit_open as anna must refuse der with a reason holding `reason` and no content. */
static void refused_as(struct fx *f, const struct consultant *c, const char *id,
		       const unsigned char *der, size_t len, const char *reason)
{
	char *json = NULL, why[512];
	size_t n = 99;

	assert_int_equal(visit_open(der, len, c->key, (size_t)c->key_len, c->pem, f->device_ca, id,
				    &json, &n, why, sizeof(why)), -1);
	assert_null(json);
	assert_int_equal(n, 0);
	if (reason && !strstr(why, reason))
		fail_msg("refused for \"%s\", expected \"%s\"", why, reason);
	assert_true(why[0] != '\0');
	assert_null(strstr(why, CANARY));
	assert_null(strstr(why, "eviction"));
}

/* 1 when der opens for anna. */
static int opens(struct fx *f, const unsigned char *der, size_t len)
{
	char *json = NULL, why[512];
	size_t n = 0;
	int rc = visit_open(der, len, f->anna.key, (size_t)f->anna.key_len, f->anna.pem, f->device_ca,
			    "anna", &json, &n, why, sizeof(why));

	util_clear_free(json);
	return rc == 0;
}

static void refused(struct fx *f, const unsigned char *der, size_t len, const char *reason)
{
	refused_as(f, &f->anna, "anna", der, len, reason);
}

/* A visit built by hand: json signed by cert/key with digest md and eContentType nid,
 * enveloped to recipient_pem (AuthEnvelopedData, as visit_seal does). */
static void forge(X509 *cert, EVP_PKEY *key, const EVP_MD *md, int nid, const char *json,
		  const char *recipient_pem, unsigned char **der, size_t *len)
{
	CMS_ContentInfo *cms = CMS_sign(NULL, NULL, NULL, NULL, CMS_PARTIAL | CMS_BINARY);
	BIO *in = BIO_new_mem_buf(json, -1);
	STACK_OF(X509) *to = sk_X509_new_null();
	X509 *r = NULL;
	unsigned char *sd = NULL;
	int n;

	assert_non_null(cms);
	assert_true(CMS_set1_eContentType(cms, OBJ_nid2obj(nid)));
	assert_non_null(CMS_add1_signer(cms, cert, key, md, CMS_BINARY | CMS_NOSMIMECAP | CMS_CADES));
	assert_int_equal(CMS_final(cms, in, NULL, CMS_BINARY), 1);
	n = i2d_CMS_ContentInfo(cms, &sd);
	assert_true(n > 0);
	assert_int_equal(pki_load_cert(recipient_pem, &r), 0);
	sk_X509_push(to, r);
	assert_int_equal(seal_envelope_to(to, sd, n, der, len), 0);
	sk_X509_pop_free(to, X509_free);
	OPENSSL_free(sd);
	BIO_free(in);
	CMS_ContentInfo_free(cms);
}

/* Loads DIR/base.key and DIR/base.pem. */
static void load_pair(const char *dir, const char *base, X509 **cert, EVP_PKEY **key)
{
	char path[4096];

	snprintf(path, sizeof(path), "%s/%s.pem", dir, base);
	assert_int_equal(pki_load_cert(path, cert), 0);
	snprintf(path, sizeof(path), "%s/%s.key", dir, base);
	assert_int_equal(pki_load_key(path, key), 0);
}

/* forge() with a key pair of pki_root/sub/base, refused for reason. */
static void forged_refused(struct fx *f, const char *pki_root, const char *sub, const char *base,
			   const EVP_MD *md, int nid, const char *json, const char *reason)
{
	char dir[4096];
	X509 *cert = NULL;
	EVP_PKEY *key = NULL;
	unsigned char *der = NULL;
	size_t len = 0;

	snprintf(dir, sizeof(dir), "%s/%s", pki_root, sub);
	load_pair(dir, base, &cert, &key);
	forge(cert, key, md, nid, json, f->anna.pem, &der, &len);
	refused(f, der, len, reason);
	OPENSSL_free(der);
	X509_free(cert);
	EVP_PKEY_free(key);
}

static void test_round_trip(void **state)
{
	struct fx *f = *state;
	char *json = NULL, why[512];
	size_t n = 0;

	assert_int_equal(visit_open(f->der, f->len, f->anna.key, (size_t)f->anna.key_len, f->anna.pem,
				    f->device_ca, "anna", &json, &n, why, sizeof(why)), 0);
	assert_int_equal(n, strlen(GOOD));
	assert_memory_equal(json, GOOD, n);
	assert_int_equal(json[n], '\0');
	util_clear_free(json);
	assert_null(memmem(f->der, f->len, CANARY, strlen(CANARY)));
	assert_int_equal(seal_is_envelope(f->der, f->len, why, sizeof(why)), 0);
}

static void test_other_consultant(void **state)
{
	struct fx *f = *state;
	struct consultant mixed = f->bert;

	refused_as(f, &f->bert, "bert", f->der, f->len, "not sealed to this consultant");
	memcpy(mixed.pem, f->anna.pem, sizeof(mixed.pem));   /* bert's key, anna's certificate */
	refused_as(f, &mixed, "anna", f->der, f->len, "does not belong");
	refused_as(f, &f->anna, "bert", f->der, f->len, "not for this consultant");
}

/* Copies from_root/from to to_dir/to with mode. */
static void copy_file(const char *from_root, const char *from, const char *to_dir, const char *to,
		      int mode)
{
	char src[4096], dst[4096], *text = NULL;
	size_t len = 0;

	snprintf(src, sizeof(src), "%s/%s", from_root, from);
	snprintf(dst, sizeof(dst), "%s/%s", to_dir, to);
	assert_int_equal(util_read_file(src, 1 << 20, &text, &len), 0);
	assert_int_equal(util_write_file(dst, text, len, mode), 0);
	util_clear_free(text);
}

static void test_signer_without_eku(void **state)
{
	struct fx *f = *state;
	struct visit_signer *s = NULL;
	char dev[4096];

	/* A device certificate of the same CA (a stolen device key) cannot sign a visit. */
	forged_refused(f, env_dir("VISIT_PKI"), "device", "device", EVP_sha256(), seal_nid_visit,
		       GOOD, "visit signer");
	/* ... nor the TLS key of the case store. */
	forged_refused(f, env_dir("VISIT_PKI"), "casestore", "server", EVP_sha256(), seal_nid_visit,
		       GOOD, "visit signer");
	/* The office never loads a device's key and certificate as its visit signer (its twin,
	 * the office's signer forged the same way, opens: test_forged_by_the_office_opens). */
	snprintf(dev, sizeof(dev), "%s/fake-office", env_dir("VISIT_DIR"));
	assert_int_equal(util_mkdirs(dev, 0700), 0);
	copy_file(env_dir("VISIT_PKI"), "device/device.key", dev, VISIT_SIGNER_KEY, 0600);
	copy_file(env_dir("VISIT_PKI"), "device/device.pem", dev, VISIT_SIGNER_PEM, 0644);
	copy_file(env_dir("VISIT_PKI"), "device/ca.pem", dev, "ca.pem", 0644);
	assert_int_equal(visit_signer_load(dev, &s), -1);
	assert_null(s);
	copy_file(env_dir("VISIT_PKI"), "office/visit-signer.key", dev, VISIT_SIGNER_KEY, 0600);
	copy_file(env_dir("VISIT_PKI"), "office/visit-signer.pem", dev, VISIT_SIGNER_PEM, 0644);
	assert_int_equal(visit_signer_load(dev, &s), 0);   /* twin: the office's own files load */
	visit_signer_free(s);
}

static void test_signer_of_another_ca(void **state)
{
	struct fx *f = *state;

	forged_refused(f, env_dir("VISIT_OTHER"), "office", "visit-signer", EVP_sha256(), seal_nid_visit,
		       GOOD, "signature refused");
}

static void test_forged_by_the_office_opens(void **state)
{
	struct fx *f = *state;
	char dir[4096], *json = NULL, why[512];
	X509 *cert = NULL;
	EVP_PKEY *key = NULL;
	unsigned char *der = NULL;
	size_t len = 0, n = 0;

	/* The twin of the forgeries: forge() itself with the office's signer makes a visit. */
	snprintf(dir, sizeof(dir), "%s/office", env_dir("VISIT_PKI"));
	load_pair(dir, "visit-signer", &cert, &key);
	forge(cert, key, EVP_sha256(), seal_nid_visit, GOOD, f->anna.pem, &der, &len);
	assert_int_equal(visit_open(der, len, f->anna.key, (size_t)f->anna.key_len, f->anna.pem,
				    f->device_ca, "anna", &json, &n, why, sizeof(why)), 0);
	util_clear_free(json);
	OPENSSL_free(der);
	/* ... and each single change to it is refused. */
	forge(cert, key, EVP_sha384(), seal_nid_visit, GOOD, f->anna.pem, &der, &len);
	refused(f, der, len, "SHA-256");
	OPENSSL_free(der);
	forge(cert, key, EVP_sha256(), seal_nid_ct, GOOD, f->anna.pem, &der, &len);
	refused(f, der, len, "id-ct-inloopVisit");
	OPENSSL_free(der);
	forge(cert, key, EVP_sha256(), seal_nid_visit, VISIT_JSON("bert", "inloop.visit", 1),
	      f->anna.pem, &der, &len);
	refused(f, der, len, "another consultant");
	OPENSSL_free(der);
	forge(cert, key, EVP_sha256(), seal_nid_visit, VISIT_JSON("anna", "inloop.visit", 2),
	      f->anna.pem, &der, &len);
	refused(f, der, len, "schema");
	OPENSSL_free(der);
	forge(cert, key, EVP_sha256(), seal_nid_visit, VISIT_JSON("anna", "inloop-registration/1", 1),
	      f->anna.pem, &der, &len);
	refused(f, der, len, "schema");
	OPENSSL_free(der);
	forge(cert, key, EVP_sha256(), seal_nid_visit, "[\"" CANARY "\"]", f->anna.pem, &der, &len);
	refused(f, der, len, "JSON object");
	OPENSSL_free(der);
	X509_free(cert);
	EVP_PKEY_free(key);
}

static void test_every_byte_flip(void **state)
{
	struct fx *f = *state;
	unsigned char *copy = malloc(f->len);

	assert_non_null(copy);
	for (size_t i = 0; i < f->len; i++) {
		memcpy(copy, f->der, f->len);
		copy[i] ^= (i % 3 == 0) ? 0x80 : 0x01;
		if (opens(f, copy, f->len))
			fail_msg("the visit with byte %zu of %zu flipped opens", i, f->len);
		refused(f, copy, f->len, NULL);
	}
	free(copy);
}

static void test_truncated_and_trailing(void **state)
{
	struct fx *f = *state;
	unsigned char *more = malloc(f->len + 1);

	assert_non_null(more);
	memcpy(more, f->der, f->len);
	more[f->len] = 0;
	refused(f, more, f->len + 1, "trailing bytes");
	refused(f, f->der, f->len - 1, NULL);
	refused(f, f->der, 0, NULL);
	free(more);
}

static void test_record_is_not_a_visit(void **state)
{
	struct fx *f = *state;
	static const char rec[] = "{\"schema\":\"inloop-registration/1\",\"record_id\":"
		"\"6a1f0c9e-3b7d-4e21-a8f5-0c2d9e7b1a44\",\"seq\":1,\"device_id\":\"kiosk-demo-1\"}";
	const struct seal_attrs a = { "6a1f0c9e-3b7d-4e21-a8f5-0c2d9e7b1a44", "kiosk-demo-1",
				      SEAL_SCHEMA, 1, 1795424400 };
	struct seal_device *d = NULL;
	char dev[4096];
	unsigned char *der = NULL;
	size_t len = 0;

	/* A record envelope, as the kiosk seals it (to the case store), offered as a visit. */
	snprintf(dev, sizeof(dev), "%s/device", env_dir("VISIT_PKI"));
	assert_int_equal(submit_seal_device(dev, &d), 0);
	assert_int_equal(seal_record(d, rec, strlen(rec), &a, &der, &len), 0);
	refused(f, der, len, "not sealed to this consultant");
	OPENSSL_free(der);
	seal_device_free(d);
	/* ... and a record's SignedData by a device, sealed to anna. */
	forged_refused(f, env_dir("VISIT_PKI"), "device", "device", EVP_sha256(), seal_nid_ct, rec,
		       "id-ct-inloopVisit");
}

/* The ephemeral key's BIT STRING (03 42 00 04 X Y) in der. */
static unsigned char *ephemeral(unsigned char *der, size_t len)
{
	static const unsigned char pat[] = { 0x03, 0x42, 0x00, 0x04 };
	unsigned char *p = memmem(der, len, pat, sizeof(pat));

	assert_non_null(p);
	return p;
}

/* Sets the BIT STRING's unused-bits count to 1. libcrypto then clears the point's last
 * bit; when that bit was 0 the envelope re-encodes to the same bytes (a second byte string
 * for the same content) and only the originator check refuses it. 1 when it was 0. */
static int flip_unused_bits(unsigned char *der, size_t len)
{
	unsigned char *p = ephemeral(der, len);

	p[2] = 0x01;
	return (p[3 + 64] & 1) == 0;
}

static void test_originator_unused_bits(void **state)
{
	struct fx *f = *state;
	static const char rec[] = "{\"schema\":\"inloop-registration/1\",\"record_id\":"
		"\"6a1f0c9e-3b7d-4e21-a8f5-0c2d9e7b1a44\",\"seq\":1,\"device_id\":\"kiosk-demo-1\"}";
	const struct seal_attrs a = { "6a1f0c9e-3b7d-4e21-a8f5-0c2d9e7b1a44", "kiosk-demo-1",
				      SEAL_SCHEMA, 1, 1795424400 };
	struct seal_device *d = NULL;
	struct seal_opener *o = NULL;
	struct seal_info info;
	char dir[4096], *json = NULL, why[512];
	unsigned char *der = NULL;
	size_t len = 0, n = 0;
	int tries = 0;

	/* A visit whose ephemeral key says "1 unused bit" (its last bit 0): refused. */
	do {
		OPENSSL_free(der);
		assert_int_equal(visit_seal(f->signer, f->anna.pem, GOOD, strlen(GOOD), &der, &len), 0);
	} while (!flip_unused_bits(der, len) && ++tries < 64);
	refused(f, der, len, "unused bits");
	OPENSSL_free(der);
	der = NULL;
	/* ... and so is such a record (the rule is shared with the office's opener); the
	 * unchanged record opens. */
	snprintf(dir, sizeof(dir), "%s/device", env_dir("VISIT_PKI"));
	assert_int_equal(submit_seal_device(dir, &d), 0);
	snprintf(dir, sizeof(dir), "%s/office", env_dir("VISIT_PKI"));
	assert_int_equal(seal_opener_load(dir, &o), 0);
	tries = 0;
	do {
		OPENSSL_free(der);
		assert_int_equal(seal_record(d, rec, strlen(rec), &a, &der, &len), 0);
		assert_int_equal(seal_open(o, der, len, &json, &n, &info, why, sizeof(why)), 0);
		util_clear_free(json);
	} while (!flip_unused_bits(der, len) && ++tries < 64);
	assert_int_equal(seal_open(o, der, len, &json, &n, &info, why, sizeof(why)), -1);
	if (!strstr(why, "unused bits"))
		fail_msg("record refused for \"%s\", expected \"unused bits\"", why);
	OPENSSL_free(der);
	seal_opener_free(o);
	seal_device_free(d);
}

static void test_enveloped_data_refused(void **state)
{
	struct fx *f = *state;
	char dir[4096];
	X509 *cert = NULL, *r = NULL;
	EVP_PKEY *key = NULL;
	CMS_ContentInfo *sd, *env;
	STACK_OF(X509) *to = sk_X509_new_null();
	BIO *in = BIO_new_mem_buf(GOOD, -1), *inner = BIO_new(BIO_s_mem());
	unsigned char *der = NULL;
	int n;

	snprintf(dir, sizeof(dir), "%s/office", env_dir("VISIT_PKI"));
	load_pair(dir, "visit-signer", &cert, &key);
	sd = CMS_sign(cert, key, NULL, in, CMS_BINARY | CMS_CADES | CMS_NOSMIMECAP);
	assert_non_null(sd);
	assert_true(i2d_CMS_bio(inner, sd) > 0);
	assert_int_equal(pki_load_cert(f->anna.pem, &r), 0);
	sk_X509_push(to, r);
	env = CMS_encrypt(to, inner, EVP_aes_256_cbc(), CMS_BINARY);
	assert_non_null(env);
	n = i2d_CMS_ContentInfo(env, &der);
	refused(f, der, (size_t)n, "EnvelopedData");
	OPENSSL_free(der);
	CMS_ContentInfo_free(env);
	CMS_ContentInfo_free(sd);
	sk_X509_pop_free(to, X509_free);
	BIO_free(in);
	BIO_free(inner);
	X509_free(cert);
	EVP_PKEY_free(key);
}

static void test_seal_refuses(void **state)
{
	struct fx *f = *state;
	unsigned char *der = NULL;
	size_t len = 0;
	static const char *const bad[] = {
		VISIT_JSON("bert", "inloop.visit", 1),          /* another consultant than the cert's */
		VISIT_JSON("anna", "inloop.visit", 2),          /* version */
		VISIT_JSON("anna", "inloop-registration/1", 1), /* schema */
		"{\"schema\":\"inloop.visit\",\"version\":1,\"visit_id\":\"xyz\",\"consultant\":\"anna\"}",
		"{\"schema\":\"inloop.visit\",\"schema\":\"inloop.visit\",\"version\":1}",   /* duplicate */
		"not json",
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(visit_seal(f->signer, f->anna.pem, bad[i], strlen(bad[i]), &der, &len), -1);
		assert_null(der);
	}
	/* A certificate that is not a consultant's of our CA: another CA's, the case store's. */
	assert_int_equal(visit_seal(f->signer, f->alien.pem, VISIT_JSON("alien", "inloop.visit", 1),
				    strlen(VISIT_JSON("alien", "inloop.visit", 1)), &der, &len), -1);
	{
		char rcp[4096];
		snprintf(rcp, sizeof(rcp), "%s/office/casestore.pem", env_dir("VISIT_PKI"));
		assert_int_equal(visit_seal(f->signer, rcp, VISIT_JSON("casestore", "inloop.visit", 1),
					    strlen(VISIT_JSON("casestore", "inloop.visit", 1)), &der, &len), -1);
	}
	/* The twin: bert's own visit seals and opens only for bert. */
	assert_int_equal(visit_seal(f->signer, f->bert.pem, VISIT_JSON("bert", "inloop.visit", 1),
				    strlen(VISIT_JSON("bert", "inloop.visit", 1)), &der, &len), 0);
	refused(f, der, len, "not sealed to this consultant");
	{
		char *json = NULL, why[512];
		size_t n = 0;
		assert_int_equal(visit_open(der, len, f->bert.key, (size_t)f->bert.key_len, f->bert.pem,
					    f->device_ca, "bert", &json, &n, why, sizeof(why)), 0);
		util_clear_free(json);
	}
	OPENSSL_free(der);
}

static void test_bad_keys(void **state)
{
	struct fx *f = *state;
	struct consultant c = f->anna;
	unsigned char junk[64] = { 0x30, 0x03, 0x02, 0x01, 0x00 };

	c.key = junk;
	c.key_len = sizeof(junk);
	refused_as(f, &c, "anna", f->der, f->len, "key");
	c.key_len = 0;
	refused_as(f, &c, "anna", f->der, f->len, "key");
	c = f->anna;
	snprintf(c.pem, sizeof(c.pem), "%s/nothing.pem", env_dir("VISIT_DIR"));
	refused_as(f, &c, "anna", f->der, f->len, "certificate");
}

/* The consultant id's one rule (visit_consultant_id_ok) and the CA's check that calls it
 * agree on ids at each edge: length 1 and 32 pass, 0 and 33 fail; a letter or digit first;
 * only [a-z0-9._-]; never a path. */
static void test_consultant_id_rule(void **state)
{
	static const struct { const char *id; int ok; } ids[] = {
		{ "anna", 1 }, { "a", 1 }, { "7", 1 }, { "j.de-vries_2", 1 },
		{ "abcdefghijklmnopqrstuvwxyz012345", 1 }, { "abcdefghijklmnopqrstuvwxyz0123456", 0 },
		{ "", 0 }, { ".", 0 }, { "..", 0 }, { ".anna", 0 }, { "-anna", 0 }, { "_anna", 0 },
		{ "Anna", 0 }, { "an na", 0 }, { "an/na", 0 }, { "../x", 0 }, { "anna\n", 0 },
		{ "\xc3\xa9", 0 },
	};

	(void)state;
	assert_int_equal(visit_consultant_id_ok(NULL), 0);
	for (size_t i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
		assert_int_equal(visit_consultant_id_ok(ids[i].id), ids[i].ok);
		assert_int_equal(pki_check_consultant_id(ids[i].id) == 0, ids[i].ok);
	}
}

/* A recall (visit.h): the office's verifies and gives its ids; the same bytes for another
 * consultant, under another id, flipped, or signed by the demo device's key are refused. */
static void test_recall(void **state)
{
	struct fx *f = *state;
	const char *ids[2] = { VID, "00112233445566778899aabbccddeeff" };
	const char *rid = "ffeeddccbbaa99887766554433221100";
	char ca[4200], got[VISIT_RECALL_MAX][33], why[256], json[512];
	unsigned char *der = NULL, *bad = NULL;
	size_t len = 0, n = 0;
	X509 *cert = NULL;
	EVP_PKEY *key = NULL;

	snprintf(ca, sizeof(ca), "%s/ca/ca.pem", env_dir("VISIT_PKI"));
	assert_int_equal(visit_recall_sign(f->signer, rid, "anna", ids, 2, "reassigned", &der, &len), 0);
	assert_int_equal(visit_recall_verify(der, len, ca, rid, "anna", got, VISIT_RECALL_MAX, &n, why, sizeof(why)), 0);
	assert_int_equal(n, 2);
	assert_string_equal(got[0], VID);
	assert_int_equal(visit_recall_verify(der, len, ca, rid, "bert", got, VISIT_RECALL_MAX, &n, why, sizeof(why)), -1);
	assert_non_null(strstr(why, "another consultant"));
	assert_int_equal(visit_recall_verify(der, len, ca, VID, "anna", got, VISIT_RECALL_MAX, &n, why, sizeof(why)), -1);
	assert_int_equal(visit_recall_verify(der, len, ca, rid, "anna", got, 1, &n, why, sizeof(why)), -1);
	bad = malloc(len);
	memcpy(bad, der, len);
	bad[len / 2] ^= 1;
	assert_int_equal(visit_recall_verify(bad, len, ca, rid, "anna", got, VISIT_RECALL_MAX, &n, why, sizeof(why)), -1);
	assert_int_equal(n, 0);
	free(bad);
	assert_int_equal(visit_recall_sign(f->signer, rid, "anna", ids, 1, "Bad Reason", &bad, &len), -1);
	assert_int_equal(visit_recall_sign(f->signer, rid, "../x", ids, 1, "contacted", &bad, &len), -1);
	OPENSSL_free(der);
	/* the demo device's key (no visit-signer EKU) */
	load_pair(env_dir("VISIT_PKI"), "device/device", &cert, &key);
	snprintf(json, sizeof(json), "{\"schema\":\"inloop.visit-recall\",\"version\":1,\"recall_id\":\"%s\","
		 "\"consultant\":\"anna\",\"visits\":[\"%s\"],\"reason\":\"contacted\"}", rid, VID);
	{
		CMS_ContentInfo *cms = CMS_sign(NULL, NULL, NULL, NULL, CMS_PARTIAL | CMS_BINARY);
		BIO *in = BIO_new_mem_buf(json, -1);
		int dn;
		assert_true(CMS_set1_eContentType(cms, OBJ_nid2obj(seal_nid_visit)));
		assert_non_null(CMS_add1_signer(cms, cert, key, EVP_sha256(), CMS_BINARY | CMS_NOSMIMECAP | CMS_CADES));
		assert_int_equal(CMS_final(cms, in, NULL, CMS_BINARY), 1);
		der = NULL;
		dn = i2d_CMS_ContentInfo(cms, &der);
		assert_true(dn > 0);
		len = (size_t)dn;
		BIO_free(in);
		CMS_ContentInfo_free(cms);
	}
	assert_int_equal(visit_recall_verify(der, len, ca, rid, "anna", got, VISIT_RECALL_MAX, &n, why, sizeof(why)), -1);
	assert_non_null(strstr(why, "visit signer"));
	OPENSSL_free(der);
	X509_free(cert);
	EVP_PKEY_free(key);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_other_consultant),
		cmocka_unit_test(test_signer_without_eku),
		cmocka_unit_test(test_signer_of_another_ca),
		cmocka_unit_test(test_forged_by_the_office_opens),
		cmocka_unit_test(test_every_byte_flip),
		cmocka_unit_test(test_truncated_and_trailing),
		cmocka_unit_test(test_record_is_not_a_visit),
		cmocka_unit_test(test_originator_unused_bits),
		cmocka_unit_test(test_enveloped_data_refused),
		cmocka_unit_test(test_seal_refuses),
		cmocka_unit_test(test_bad_keys),
		cmocka_unit_test(test_consultant_id_rule),
		cmocka_unit_test(test_recall),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
