/*
 * fuzz_visit_inner.c — libFuzzer target: the laptop's visit opener (visit_open,
 * sync/record/visit.h) behind the decryption. The input is the inner content (a CMS
 * SignedData, as the office signs a visit); the target seals it to the test consultant
 * (tests/fuzz/pki/visit) the way the office does (seal_envelope_to: AuthEnvelopedData,
 * AES-256-GCM, ECDH P-256 with the SHA-256 KDF) and opens it as consultant "fuzz". The
 * envelope's own rules are shared with records and fuzzed by fuzz_seal_open; here
 * mutations reach the SignedData, the signature and chain, the visit-signer EKU and the
 * visit's JSON.
 *
 * Seeds: the signed visits inside envelopes the office's visit_seal made
 * (tests/fuzz/make-visit-seeds.sh). Properties: a refusal names a reason and gives no
 * JSON; an opened visit is NUL-terminated JSON of the length reported, for "fuzz".
 */
#include "tests/fuzz/fuzz_common.h"
#include "sync/record/visit.h"
#include "sync/record/seal_int.h"

#include <limits.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

static unsigned char *key;
static int key_len;
static STACK_OF(X509) *to;
static char cert_path[4200], ca_path[4200];

/* The test consultant's PEM key as PKCS#8 DER (git keeps it 0644, so no mode check). */
static void load_key(void)
{
	char p[4200];
	FILE *f;
	EVP_PKEY *k;
	PKCS8_PRIV_KEY_INFO *p8;

	snprintf(p, sizeof(p), "%s/pki/visit/consultant.key", fuzz_dir());
	if (!(f = fopen(p, "r")) || !(k = PEM_read_PrivateKey(f, NULL, NULL, NULL)))
		fuzz_die("tests/fuzz/pki/visit/consultant.key");
	fclose(f);
	p8 = EVP_PKEY2PKCS8(k);
	key_len = p8 ? i2d_PKCS8_PRIV_KEY_INFO(p8, &key) : -1;
	PKCS8_PRIV_KEY_INFO_free(p8);
	EVP_PKEY_free(k);
	if (key_len <= 0)
		fuzz_die("PKCS#8");
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	FILE *f;
	X509 *cert;

	(void)argc, (void)argv;
	fuzz_keep_stderr();
	util_json_wipe_on_free();
	if (seal_oids_ready() < 0)
		fuzz_die("seal_oids_ready");
	load_key();
	snprintf(cert_path, sizeof(cert_path), "%s/pki/visit/consultant.pem", fuzz_dir());
	snprintf(ca_path, sizeof(ca_path), "%s/pki/visit/ca.pem", fuzz_dir());
	if (!(f = fopen(cert_path, "r")) || !(cert = PEM_read_X509(f, NULL, NULL, NULL)))
		fuzz_die("tests/fuzz/pki/visit/consultant.pem");
	fclose(f);
	if (!(to = sk_X509_new_null()) || !sk_X509_push(to, cert))
		fuzz_die("out of memory");
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned char *der = NULL;
	size_t len = 0, json_len = 0;
	char why[256] = "", *json = NULL;

	if (size == 0 || size > INT_MAX || seal_envelope_to(to, data, (int)size, &der, &len) < 0)
		return 0;
	if (visit_open(der, len, key, (size_t)key_len, cert_path, ca_path, "fuzz", &json, &json_len,
		       why, sizeof(why)) < 0) {
		if (!why[0] || json || json_len)
			abort();
	} else if (!json || json[json_len] != '\0' || strlen(json) != json_len ||
		   !strstr(json, "\"fuzz\"")) {
		abort();
	}
	util_clear_free(json);
	OPENSSL_free(der);
	return 0;
}
