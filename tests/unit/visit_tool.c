/*
 * visit_tool.c — test helper: seals a visit's JSON file to a consultant certificate with
 * the office's visit signer, through visit_seal (sync/record/visit.h), the call the office
 * makes when a record is assigned; and opens one as the laptop does (visit_open), with
 * the consultant's PEM key file (the laptop holds it sealed; tests keep it plain).
 *
 *   visit_tool seal OFFICE_DIR CONSULTANT.pem IN.json OUT.der
 *   visit_tool open IN.der CONSULTANT.key CONSULTANT.pem CA.pem ID     (JSON on stdout)
 *
 * Exit 0 on success; 1 with the reason on stderr (never content).
 */
#include "sync/record/visit.h"
#include "sync/record/pki.h"
#include "platform/util.h"

#include <openssl/crypto.h>
#include <openssl/x509.h>
#include <stdio.h>
#include <string.h>

static int seal(const char *office, const char *cert, const char *in, const char *out)
{
	struct visit_signer *s = NULL;
	unsigned char *der = NULL;
	char *json = NULL;
	size_t len = 0, der_len = 0;
	int rc = 1;

	if (visit_signer_load(office, &s) == 0 && util_read_file(in, 1 << 20, &json, &len) == 0 &&
	    visit_seal(s, cert, json, len, &der, &der_len) == 0 &&
	    util_write_file(out, der, der_len, 0600) == 0)
		rc = 0;
	OPENSSL_free(der);
	util_clear_free(json);
	visit_signer_free(s);
	return rc;
}

/* The PEM key at path as PKCS#8 DER (*der OPENSSL_malloc'd). */
static int key_der(const char *path, unsigned char **der, int *len)
{
	EVP_PKEY *key = NULL;
	PKCS8_PRIV_KEY_INFO *p8;

	*der = NULL;
	if (pki_load_key(path, &key) < 0)
		return -1;
	p8 = EVP_PKEY2PKCS8(key);
	*len = p8 ? i2d_PKCS8_PRIV_KEY_INFO(p8, der) : -1;
	PKCS8_PRIV_KEY_INFO_free(p8);
	EVP_PKEY_free(key);
	return *len > 0 ? 0 : error("cannot encode %s as PKCS#8", path);
}

static int open_visit(char **argv)
{
	unsigned char *key = NULL;
	char *der = NULL, *json = NULL, why[512];
	size_t len = 0, json_len = 0;
	int key_len = 0, rc = 1;

	if (util_read_file(argv[0], 1 << 20, &der, &len) < 0 || key_der(argv[1], &key, &key_len) < 0)
		goto out;
	if (visit_open((unsigned char *)der, len, key, (size_t)key_len, argv[2], argv[3], argv[4],
		       &json, &json_len, why, sizeof(why)) < 0) {
		fprintf(stderr, "visit_tool: refused: %s\n", why);
		goto out;
	}
	fwrite(json, 1, json_len, stdout);
	putchar('\n');
	rc = 0;
out:
	util_clear_free(json);
	OPENSSL_clear_free(key, key_len > 0 ? (size_t)key_len : 0);
	free(der);
	return rc;
}

int main(int argc, char **argv)
{
	util_json_wipe_on_free();
	if (argc == 6 && !strcmp(argv[1], "seal"))
		return seal(argv[2], argv[3], argv[4], argv[5]);
	if (argc == 7 && !strcmp(argv[1], "open"))
		return open_visit(argv + 2);
	fputs("usage: visit_tool seal OFFICE_DIR CONSULTANT.pem IN.json OUT.der\n"
	      "       visit_tool open IN.der CONSULTANT.key CONSULTANT.pem CA.pem ID\n", stderr);
	return 2;
}
