/*
 * enroll.c — the device side of enrolment (see enroll.h). The private key is made here
 * and never leaves the state folder; what comes back (the bundle) holds only
 * certificates and settings, and is checked before anything is installed.
 */
#include "sync/device/enroll.h"
#include "sync/record/pki.h"
#include "sync/device/config.h"
#include "platform/util.h"

#include <jansson.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Fails when STATE/device.pem exists (the device is enrolled already). */
static int refuse_if_enrolled(const char *state_dir)
{
	char path[4096];

	if (util_fmt(path, sizeof(path), "%s/" STATE_CERT, state_dir) < 0)
		return -1;
	if (access(path, F_OK) == 0)
		return error("%s is already enrolled (device.pem exists); use a fresh state folder",
			     state_dir);
	return 0;
}

/* Loads STATE/device.key, or makes and writes it when absent. *key owned by the caller. */
static int device_key(const char *state_dir, EVP_PKEY **key)
{
	char path[4096];

	if (util_fmt(path, sizeof(path), "%s/" STATE_KEY, state_dir) < 0)
		return -1;
	if (access(path, F_OK) == 0) {
		if (pki_load_key(path, key) < 0)
			return -1;
		if (pki_is_p256(*key) == 0)
			return 0;
		EVP_PKEY_free(*key);
		*key = NULL;
		return error("%s is not an EC P-256 key", path);
	}
	if (pki_keygen(key) < 0)
		return -1;
	if (pki_write_key(path, *key) < 0) {
		EVP_PKEY_free(*key);
		*key = NULL;
		return -1;
	}
	return 0;
}

int enroll_request(const char *state_dir, const char *name, char *csr_path, size_t size)
{
	EVP_PKEY *key = NULL;
	X509_REQ *req = NULL;
	int rc = -1;

	if (pki_check_name(name) < 0 || refuse_if_enrolled(state_dir) < 0)
		return -1;
	if (util_mkdirs(state_dir, 0700) < 0 || device_key(state_dir, &key) < 0)
		return -1;
	if (util_fmt(csr_path, size, "%s/" STATE_CSR, state_dir) >= 0 &&
	    pki_make_csr(key, name, &req) == 0 && pki_write_csr(csr_path, req) == 0)
		rc = 0;
	X509_REQ_free(req);
	EVP_PKEY_free(key);
	return rc;
}

/* What a bundle holds, parsed and owned (certificates freed by bundle_release). */
struct bundle {
	X509 *cert;
	X509 *ca;
	STACK_OF(X509) *recipients;
	struct device_config cfg;
};

static void bundle_release(struct bundle *b)
{
	X509_free(b->cert);
	X509_free(b->ca);
	sk_X509_pop_free(b->recipients, X509_free);
}

/* Exactly one certificate from the PEM string field key of root. */
static int one_cert(json_t *root, const char *key, X509 **out)
{
	const char *pem = json_string_value(json_object_get(root, key));
	STACK_OF(X509) *sk = NULL;
	int n;

	if (!pem)
		return error("the bundle has no \"%s\"", key);
	if (pki_parse_certs(pem, strlen(pem), key, &sk) < 0)
		return -1;
	n = sk_X509_num(sk);
	*out = n == 1 ? sk_X509_shift(sk) : NULL;
	sk_X509_pop_free(sk, X509_free);
	return *out ? 0 : error("the bundle's \"%s\" must hold one certificate", key);
}

/* Copies the string field key of root into a config field; "" when optional and absent. */
static int str_field(json_t *root, const char *key, int required, char *buf, size_t size)
{
	json_t *v = json_object_get(root, key);

	if (!v && !required) {
		buf[0] = '\0';
		return 0;
	}
	if (!json_is_string(v))
		return error("the bundle's \"%s\" is missing or not a string", key);
	return util_fmt(buf, size, "%s", json_string_value(v)) < 0 ?
	       error("the bundle's \"%s\" is too long", key) : 0;
}

/* Reads the bundle's fields into b (the checks come after); root stays the caller's. */
static int bundle_parse(json_t *root, struct bundle *b)
{
	const char *fmt = json_string_value(json_object_get(root, "format"));
	const char *rcp = json_string_value(json_object_get(root, "recipients"));
	int rc = -1;

	config_defaults(&b->cfg);
	if (!json_is_object(root) || !fmt || strcmp(fmt, ENROLL_BUNDLE_FORMAT)) {
		error("not an enrolment bundle (expected JSON with \"format\": \"%s\")",
		      ENROLL_BUNDLE_FORMAT);
	} else if (one_cert(root, "device_cert", &b->cert) == 0 && one_cert(root, "ca", &b->ca) == 0 &&
		   (rcp ? pki_parse_certs(rcp, strlen(rcp), "recipients", &b->recipients) :
			  error("the bundle has no \"recipients\"")) == 0 &&
		   str_field(root, "url", 1, b->cfg.url, sizeof(b->cfg.url)) == 0 &&
		   str_field(root, "location", 1, b->cfg.location, sizeof(b->cfg.location)) == 0 &&
		   str_field(root, "crisis_phone", 0, b->cfg.crisis_phone,
			     sizeof(b->cfg.crisis_phone)) == 0 &&
		   str_field(root, "device_id", 1, b->cfg.device_id, sizeof(b->cfg.device_id)) == 0 &&
		   str_field(root, "mode", 0, b->cfg.mode, sizeof(b->cfg.mode)) == 0) {
		rc = 0;
		if (!b->cfg.mode[0])
			memcpy(b->cfg.mode, "kiosk", sizeof("kiosk"));
		if (strcmp(b->cfg.mode, "kiosk") && strcmp(b->cfg.mode, "field"))
			rc = error("the bundle's \"mode\" must be \"kiosk\" or \"field\"");
	}
	return rc;
}

/* The bundle must belong to this device's key and this CA (P10: the recipients we pin
 * come only from here, checked). */
static int bundle_check(const struct bundle *b, EVP_PKEY *key)
{
	char why[256], cn[64];
	int n = sk_X509_num(b->recipients);

	if (X509_check_private_key(b->cert, key) != 1) {
		ERR_clear_error();
		return error("the bundle's device certificate is not for this device's key");
	}
	if (pki_verify(b->cert, b->ca, X509_PURPOSE_SMIME_SIGN, why, sizeof(why)) < 0 ||
	    pki_verify(b->cert, b->ca, X509_PURPOSE_SSL_CLIENT, why, sizeof(why)) < 0)
		return error("the bundle's device certificate does not chain to its CA: %s", why);
	if (pki_cert_cn(b->cert, cn, sizeof(cn)) < 0 || strcmp(cn, b->cfg.device_id))
		return error("the bundle's device_id is not its certificate's CN");
	if (n < 1 || n > 3)
		return error("the bundle must hold 1 to 3 case-store certificates, not %d", n);
	for (int i = 0; i < n; i++) {
		X509 *r = sk_X509_value(b->recipients, i);
		if (pki_check_recipient(r, why, sizeof(why)) < 0 ||
		    pki_verify(r, b->ca, 0, why, sizeof(why)) < 0)
			return error("the bundle's case-store certificate %d is refused: %s", i + 1, why);
	}
	return 0;
}

/* Writes the recipients as one PEM file. */
static int write_recipients(const char *path, STACK_OF(X509) *sk)
{
	BIO *b = BIO_new(BIO_s_mem());
	char *data = NULL;
	long n;
	int ok = b != NULL;

	for (int i = 0; ok && i < sk_X509_num(sk); i++)
		ok = PEM_write_bio_X509(b, sk_X509_value(sk, i));
	n = ok ? BIO_get_mem_data(b, &data) : 0;
	ok = ok && n > 0 && util_write_file(path, data, (size_t)n, 0644) == 0;
	BIO_free(b);
	return ok ? 0 : error("cannot write %s", path);
}

/* Installs a checked bundle: ca.pem, recipients.pem, config.json, then device.pem. */
static int bundle_install(const char *state_dir, const struct bundle *b)
{
	char path[4096];

	if (util_fmt(path, sizeof(path), "%s/" STATE_CA, state_dir) < 0 || pki_write_cert(path, b->ca) < 0)
		return -1;
	if (util_fmt(path, sizeof(path), "%s/" STATE_RECIPIENTS, state_dir) < 0 ||
	    write_recipients(path, b->recipients) < 0)
		return -1;
	if (config_save(state_dir, &b->cfg) < 0)
		return -1;
	if (util_fmt(path, sizeof(path), "%s/" STATE_CERT, state_dir) < 0)
		return -1;
	return pki_write_cert(path, b->cert);
}

int enroll_install(const char *state_dir, const char *bundle_path, char *id, size_t size)
{
	struct bundle b = { 0 };
	EVP_PKEY *key = NULL;
	char path[4096];
	json_t *root = NULL;
	int rc = -1;

	if (refuse_if_enrolled(state_dir) < 0 ||
	    util_fmt(path, sizeof(path), "%s/" STATE_KEY, state_dir) < 0)
		return -1;
	if (access(path, F_OK) < 0)
		return error("%s has no device.key: run enroll-request first", state_dir);
	if (pki_load_key(path, &key) < 0)
		return -1;
	if ((root = util_json_load_file(bundle_path, 256 * 1024)) &&
	    bundle_parse(root, &b) == 0 && bundle_check(&b, key) == 0 &&
	    bundle_install(state_dir, &b) == 0 && util_fmt(id, size, "%s", b.cfg.device_id) >= 0)
		rc = 0;
	json_decref(root);
	bundle_release(&b);
	EVP_PKEY_free(key);
	return rc;
}
