/*
 * seal_tool.c — test helper: seals a JSON file with a device state folder through
 * seal_record, the same call the outbox makes. The signed attributes come from the
 * JSON's own fields unless overridden, so tests can make a record whose signed
 * record id, schema or sequence number does not match its JSON.
 *
 *   seal_tool STATE IN.json OUT.der [--record-id X] [--schema S] [--seq N] [--device D]
 *   seal_tool --p5 INNER.der RECIPIENT.pem OUT.der
 *   seal_tool --p6 INNER.der RECIPIENT.pem OUT.der
 *
 * --p5 builds the envelope the way SEAL.md pitfall P5 warns about (a bare
 * CMS_AuthEnvelopedData_create + CMS_final), which silently leaves the content out.
 * --p6 builds a proper AuthEnvelopedData whose inner content type is id-signedData
 * instead of id-data (pitfall P6).
 */
#include "sync/device/config.h"
#include "sync/device/submit.h"
#include "sync/record/seal.h"
#include "platform/util.h"

#include <jansson.h>
#include <openssl/cms.h>
#include <openssl/crypto.h>
#include <openssl/pem.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int seal_file(const char *state, const char *text, size_t len, const char *out,
		     struct seal_attrs *a)
{
	struct seal_device *d = NULL;
	unsigned char *der = NULL;
	size_t der_len = 0;
	int rc = 1;

	if (submit_seal_device(state, &d) < 0)
		return 1;
	if (!a->device_id)
		a->device_id = seal_device_id(d);
	if (seal_record(d, text, len, a, &der, &der_len) == 0 &&
	    util_write_file(out, der, der_len, 0644) == 0)
		rc = 0;
	OPENSSL_free(der);
	seal_device_free(d);
	return rc;
}

/* P5: a "detached" AuthEnvelopedData made through the documented-but-wrong sequence;
 * P6: an attached one whose inner content type is id-signedData. */
static int pitfall(int which, const char *inner, const char *recip, const char *out)
{
	char *text = NULL;
	size_t len;
	BIO *rb = BIO_new_file(recip, "r"), *in;
	X509 *cert = rb ? PEM_read_bio_X509(rb, NULL, NULL, NULL) : NULL;
	CMS_ContentInfo *cms = which == 5 ? CMS_AuthEnvelopedData_create(EVP_aes_256_gcm()) :
			       CMS_encrypt(NULL, NULL, EVP_aes_256_gcm(), CMS_BINARY | CMS_PARTIAL);
	CMS_RecipientInfo *ri;
	unsigned char *der = NULL;
	int n = 0, rc = 1;

	BIO_free(rb);
	if (!cert || !cms || util_read_file(inner, 1 << 24, &text, &len) < 0)
		return 1;
	in = BIO_new_mem_buf(text, (int)len);
	ri = CMS_add1_recipient_cert(cms, cert, CMS_KEY_PARAM);
	if (ri && EVP_PKEY_CTX_set_ecdh_kdf_md(CMS_RecipientInfo_get0_pkey_ctx(ri), EVP_sha256()) > 0 &&
	    (which == 5 || CMS_set1_eContentType(cms, OBJ_nid2obj(NID_pkcs7_signed))) &&
	    CMS_final(cms, in, NULL, CMS_BINARY) == 1 && (n = i2d_CMS_ContentInfo(cms, &der)) > 0 &&
	    util_write_file(out, der, (size_t)n, 0644) == 0)
		rc = 0;
	OPENSSL_free(der);
	BIO_free(in);
	CMS_ContentInfo_free(cms);
	X509_free(cert);
	util_clear_free(text);
	return rc;
}

int main(int argc, char **argv)
{
	struct seal_attrs a = { 0 };
	char *text = NULL;
	size_t len;
	json_t *root;
	int rc;

	if (argc == 5 && (!strcmp(argv[1], "--p5") || !strcmp(argv[1], "--p6")))
		return pitfall(argv[1][3] - '0', argv[2], argv[3], argv[4]);
	if (argc < 4 || util_read_file(argv[2], 1 << 24, &text, &len) < 0) {
		fputs("usage: seal_tool STATE IN.json OUT.der [--record-id X] [--schema S] [--seq N] [--device D]\n", stderr);
		return 2;
	}
	root = json_loadb(text, len, 0, NULL);
	a.record_id = json_string_value(json_object_get(root, "record_id"));
	a.schema = json_string_value(json_object_get(root, "schema"));
	a.device_id = json_string_value(json_object_get(root, "device_id"));
	a.seq = json_integer_value(json_object_get(root, "seq"));
	a.created_at = time(NULL);
	for (int i = 4; i + 1 < argc; i += 2) {
		if (!strcmp(argv[i], "--record-id"))
			a.record_id = argv[i + 1];
		else if (!strcmp(argv[i], "--schema"))
			a.schema = argv[i + 1];
		else if (!strcmp(argv[i], "--seq"))
			a.seq = atoll(argv[i + 1]);
		else if (!strcmp(argv[i], "--device"))
			a.device_id = argv[i + 1];
	}
	rc = seal_file(argv[1], text, len, argv[3], &a);
	json_decref(root);
	util_clear_free(text);
	return rc;
}
