/*
 * ctl_demo.c — inloopctl init-demo: a demo PKI and an enrolled demo device in one folder.
 * The demo device is enrolled through exactly the functions a real device
 * (sync/device/enroll.c) and a real `inloopctl enroll` (sync/ca/ca.c) use.
 */
#include "sync/ca/ca.h"
#include "sync/device/enroll.h"
#include "sync/casestore/layout.h"
#include "sync/record/pki.h"
#include "platform/util.h"

#include <openssl/pem.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The CA (self-signed, 10 years), written as ca.key (0600) and ca.pem. */
static int make_ca(const char *dir)
{
	char path[4096];
	EVP_PKEY *key = NULL;
	X509 *ca = NULL;
	int rc = -1;

	if (pki_keygen(&key) == 0 &&
	    pki_issue(NULL, key, key, CA_ORG, "inloop Demo Municipality CA (DEMO ONLY)", PKI_CA, 3650, &ca) == 0 &&
	    ca_path_in(path, sizeof(path), dir, "ca.key") == 0 && pki_write_key(path, key) == 0 &&
	    ca_path_in(path, sizeof(path), dir, "ca.pem") == 0 && pki_write_cert(path, ca) == 0)
		rc = 0;
	X509_free(ca);
	EVP_PKEY_free(key);
	return rc;
}


/* The demo device (ROOT/device): enroll-request, enroll CSR, enroll BUNDLE, as in the field. */
static int enrol_demo_device(const char *dir)
{
	char state[4096], csr[4096], bundle[4096], written[4096], id[64];
	const struct ca_settings set = { NULL, NULL, "kiosk" };

	if (ca_path_in(state, sizeof(state), dir, "device") < 0 ||
	    ca_path_in(bundle, sizeof(bundle), state, "enrolment-bundle.json") < 0)
		return -1;
	if (enroll_request(state, CA_DEMO_DEVICE, csr, sizeof(csr)) < 0 ||
	    ca_issue_bundle(dir, csr, &set, bundle, written, sizeof(written)) < 0 ||
	    enroll_install(state, bundle, id, sizeof(id)) < 0)
		return -1;
	return 0;
}


/* ROOT's folders (0700 each: in production each belongs to its own user) into dirs. */
static int make_layout(const char *root, char dirs[3][4096])
{
	char devices[4096];

	if (util_mkdirs(root, 0700) < 0)
		return -1;
	for (int p = LAYOUT_CASESTORE; p <= LAYOUT_CA; p++)
		if (layout_dir(root, (enum layout_part)p, dirs[p], sizeof(dirs[p])) < 0 ||
		    util_mkdirs(dirs[p], 0700) < 0)
			return -1;
	if (ca_path_in(devices, sizeof(devices), dirs[LAYOUT_CASESTORE], "devices") < 0)
		return -1;
	return util_mkdirs(devices, 0755);
}


/*
 * The demo deployment (layout.h): the CA in ca/, the record-opening key and the visit
 * signer in office/, the TLS key in casestore/, each with the public certificates it
 * needs; the case store's folder never holds ca.key or casestore.key.
 */
int ca_init_demo(const char *root, const char *url)
{
	char dirs[3][4096], path[4096];
	X509 *ca = NULL;
	EVP_PKEY *cakey = NULL;
	int rc = -1;

	if (layout_path(root, LAYOUT_CA, "ca.pem", path, sizeof(path)) < 0)
		return -1;
	if (access(path, F_OK) == 0 || ca_exists_in(root, "ca.pem") || ca_exists_in(root, "ca.key"))
		return error("%s already holds a PKI (ca.pem / ca.key); refusing to overwrite it", root);
	if (make_layout(root, dirs) < 0 || make_ca(dirs[LAYOUT_CA]) < 0 ||
	    ca_load_ca(root, &ca, &cakey) < 0)
		return -1;
	if (ca_make_keypair(dirs[LAYOUT_OFFICE], "casestore", ca, cakey, "casestore", PKI_RECIPIENT) == 0 &&
	    ca_copy_into(dirs[LAYOUT_OFFICE], dirs[LAYOUT_CA], "casestore.pem", 0644) == 0 &&
	    ca_make_keypair(dirs[LAYOUT_CASESTORE], "server", ca, cakey, "localhost", PKI_SERVER) == 0 &&
	    ca_copy_into(dirs[LAYOUT_CA], dirs[LAYOUT_CASESTORE], "ca.pem", 0644) == 0 &&
	    ca_copy_into(dirs[LAYOUT_CA], dirs[LAYOUT_OFFICE], "ca.pem", 0644) == 0 &&
	    ca_make_visit_signer(root) == 0 &&
	    ca_write_crl(root) == 0 && ca_write_store_config(root, url) == 0 &&
	    enrol_demo_device(root) == 0)
		rc = 0;
	X509_free(ca);
	EVP_PKEY_free(cakey);
	return rc;
}


int ctl_init_demo(const char *dir, int argc, char **argv)
{
	const char *url = CA_DEFAULT_URL, *target = NULL;

	(void)dir;
	for (int i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "--url") && i + 1 < argc)
			url = argv[++i];
		else if (argv[i][0] != '-' && !target)
			target = argv[i];
		else
			target = NULL, argc = -1;
	}
	if (!target) {
		fputs("usage: inloopctl init-demo DIR [--url URL]\n", stderr);
		return 2;
	}
	if (ca_init_demo(target, url) < 0)
		return 1;
	printf("demo PKI in %s: ca/ (CA key), office/ (record-opening key), casestore/ (TLS key,"
	       " registry, CRL); demo device %s enrolled in %s/device\n", target, CA_DEMO_DEVICE, target);
	return 0;
}
