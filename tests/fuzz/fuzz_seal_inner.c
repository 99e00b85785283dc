/*
 * fuzz_seal_inner.c — libFuzzer target: the opener's rules behind the decryption. The
 * input is the inner content (a CMS SignedData, as the device signs it); the target
 * wraps it the way the device does (AuthEnvelopedData, AES-256-GCM, ECDH P-256 with the
 * SHA-256 KDF and AES-256 key wrap, to the test recipient in tests/fuzz/pki) and hands
 * the envelope to seal_open_at. Mutations of a raw envelope (fuzz_seal_open) die at the
 * GCM tag; here they reach the signature, the signer and CA checks, the signed
 * attributes against the record's JSON, and the JSON itself.
 *
 * Seeds are the signed records inside the envelopes `inloop submit` made (openssl cms
 * -decrypt with the test key). Properties as fuzz_seal_open.
 */
#include "tests/fuzz/fuzz_common.h"
#include "sync/record/seal.h"

#include <openssl/cms.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

static struct seal_opener *opener;
static X509 *recipient;
static time_t at;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	char p[4200];
	FILE *f;

	(void)argc, (void)argv;
	fuzz_keep_stderr();
	util_json_wipe_on_free();
	if (seal_opener_load(fuzz_pki(), &opener) < 0)
		fuzz_die("seal_opener_load");
	snprintf(p, sizeof(p), "%s/pki/recipient.pem", fuzz_dir());
	if (!(f = fopen(p, "r")) || !(recipient = PEM_read_X509(f, NULL, NULL, NULL)))
		fuzz_die("tests/fuzz/pki/recipient.pem");
	fclose(f);
	at = fuzz_at();
	return 0;
}

/* The device's envelope around data; *der from OpenSSL (OPENSSL_free), length or -1. */
static int wrap(const uint8_t *data, size_t size, unsigned char **der)
{
	CMS_ContentInfo *env = CMS_encrypt(NULL, NULL, EVP_aes_256_gcm(), CMS_BINARY | CMS_PARTIAL);
	BIO *in = BIO_new_mem_buf(data, (int)size);
	CMS_RecipientInfo *ri = env ? CMS_add1_recipient_cert(env, recipient, CMS_KEY_PARAM) : NULL;
	EVP_PKEY_CTX *pctx = ri ? CMS_RecipientInfo_get0_pkey_ctx(ri) : NULL;
	int n = -1;

	if (in && pctx && EVP_PKEY_CTX_set_ecdh_kdf_md(pctx, EVP_sha256()) > 0 &&
	    EVP_EncryptInit_ex(CMS_RecipientInfo_kari_get0_ctx(ri), EVP_aes_256_wrap(), NULL, NULL,
			       NULL) == 1 &&
	    CMS_final(env, in, NULL, CMS_BINARY) == 1)
		n = i2d_CMS_ContentInfo(env, der);
	BIO_free(in);
	CMS_ContentInfo_free(env);
	return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct seal_info info;
	char why[256] = "", *json = NULL;
	unsigned char *der = NULL;
	size_t len = 0;
	int n;

	if (size > 65536 || (n = wrap(data, size, &der)) <= 0)
		return 0;
	if (seal_open_at(opener, der, (size_t)n, at, &json, &len, &info, why, sizeof(why)) < 0) {
		if (!why[0] || json)
			abort();   /* a refusal without a reason */
	} else {
		if (!json || json[len] != '\0' || strlen(json) != len)
			abort();
		util_clear_free(json);
	}
	OPENSSL_free(der);
	return 0;
}
