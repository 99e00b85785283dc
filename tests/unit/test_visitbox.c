/*
 * test_visitbox.c — visits on a field device (issue 12), with the real seal: a CA and a
 * visit signer made here with sync/record/pki, consultants enrolled with
 * consultant_add (their key pair sealed under their data key, a CSR), certificates issued
 * for those CSRs and installed with consultant_install_cert, visits sealed by visit_seal
 * and kept with visitbox_keep. Checked: the certificate checks and their negative twins;
 * a visit opens for its consultant only; one sealed to bram in anna's folder is refused
 * and kept aside; a wrong passphrase opens nothing; crisis first, then by deadline;
 * erased by the intake's reference and after visit_days (warned the day before);
 * consultant_remove takes key, certificate and visits; the canary name is nowhere in
 * plaintext under the state folder. Scratch folders under $TEST_SCRATCH.
 *
 * A helper for the field shots (tests/field-shots.sh: visits without running the office):
 *   test_visitbox --seal ROOT CERT JSON OUT   a visit signed by ROOT/office's visit signer
 *                                             (made from ROOT/ca/ca.key when absent)
 */
#include "sync/device/consultant.h"
#include "sync/device/config.h"
#include "sync/device/visitbox.h"
#include "sync/record/pki.h"
#include "sync/record/visit.h"
#include "platform/util.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <openssl/crypto.h>
#include <openssl/pem.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#define CANARY "Canary Visitsma"
#define ANNA_PASS "anna visit pass"
#define BRAM_PASS "bram visit pass"

static char S[2100], ROOT[2048];
static struct visit_signer *signer;

/* ---- a CA, a visit signer and certificates (the office's side, for the test) ---- */

static int load_ca(const char *root, X509 **ca, EVP_PKEY **key)
{
	char p[4200];

	snprintf(p, sizeof(p), "%s/ca/ca.pem", root);
	if (pki_load_cert(p, ca) < 0)
		return -1;
	snprintf(p, sizeof(p), "%s/ca/ca.key", root);
	return pki_load_key(p, key);
}

/* A CA in ROOT/ca (ca.key, ca.pem) and its certificate as S/ca.pem. */
static int make_ca(const char *root, const char *state)
{
	char p[4200];
	EVP_PKEY *key = NULL;
	X509 *ca = NULL;
	int rc = -1;

	snprintf(p, sizeof(p), "%s/ca", root);
	if (util_mkdirs(p, 0700) < 0 || pki_keygen(&key) < 0 ||
	    pki_issue(NULL, key, key, "Gemeente Test", "Test CA", PKI_CA, 3650, &ca) < 0)
		goto out;
	snprintf(p, sizeof(p), "%s/ca/ca.key", root);
	if (pki_write_key(p, key) < 0)
		goto out;
	snprintf(p, sizeof(p), "%s/ca/ca.pem", root);
	if (pki_write_cert(p, ca) < 0)
		goto out;
	snprintf(p, sizeof(p), "%s/" STATE_CA, state);
	rc = pki_write_cert(p, ca);
out:
	X509_free(ca);
	EVP_PKEY_free(key);
	return rc;
}

/* Issues a certificate of profile for the key of the CSR file to out; cn NULL: the CSR's. */
static int issue(const char *root, const char *csr, const char *cn, enum pki_profile profile,
		 const char *out)
{
	EVP_PKEY *cakey = NULL, *pub = NULL;
	X509 *ca = NULL, *cert = NULL;
	X509_REQ *req = NULL;
	FILE *f = fopen(csr, "r");
	char own[64];
	int rc = -1;

	if (f) {
		req = PEM_read_X509_REQ(f, NULL, NULL, NULL);
		fclose(f);
	}
	if (!cn && req && pki_name_cn(X509_REQ_get_subject_name(req), own, sizeof(own)) == 0)
		cn = own;
	if (req && (pub = X509_REQ_get_pubkey(req)) && load_ca(root, &ca, &cakey) == 0 &&
	    pki_issue(ca, cakey, pub, "Gemeente Test", cn, profile, 730, &cert) == 0)
		rc = pki_write_cert(out, cert);
	X509_free(cert);
	X509_free(ca);
	X509_REQ_free(req);
	EVP_PKEY_free(pub);
	EVP_PKEY_free(cakey);
	return rc;
}

/* ROOT/office/visit-signer.key + .pem + ca.pem, unless they are there. */
static int make_signer(const char *root)
{
	char dir[4200], p[4300];
	EVP_PKEY *cakey = NULL, *key = NULL;
	X509 *ca = NULL, *cert = NULL;
	int rc = -1;

	snprintf(dir, sizeof(dir), "%s/office", root);
	snprintf(p, sizeof(p), "%s/" VISIT_SIGNER_KEY, dir);
	if (access(p, F_OK) == 0)
		return 0;
	if (util_mkdirs(dir, 0700) < 0 || load_ca(root, &ca, &cakey) < 0 || pki_keygen(&key) < 0 ||
	    pki_issue(ca, cakey, key, "Gemeente Test", "office", PKI_VISIT_SIGNER, 730, &cert) < 0 ||
	    pki_write_key(p, key) < 0)
		goto out;
	snprintf(p, sizeof(p), "%s/" VISIT_SIGNER_PEM, dir);
	if (pki_write_cert(p, cert) < 0)
		goto out;
	snprintf(p, sizeof(p), "%s/ca.pem", dir);
	rc = access(p, F_OK) == 0 ? 0 : pki_write_cert(p, ca);
out:
	X509_free(cert);
	X509_free(ca);
	EVP_PKEY_free(key);
	EVP_PKEY_free(cakey);
	return rc;
}

/* A visit's JSON for consultant with reference ref. */
static char *visit_json(const char *id, const char *consultant, const char *ref, const char *name,
			int crisis, const char *deadline)
{
	json_t *o = json_pack("{s:s, s:i, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:b, s:s}",
			      "schema", VISIT_SCHEMA, "version", VISIT_VERSION, "visit_id", id,
			      "consultant", consultant, "record_id", "5f0c6d2e-1111-4222-8333-444455556666",
			      "reference", ref, "location", "Bibliotheek Centrum", "name", name,
			      "contact", "phone", "phone", "0612345678", "postcode", "1234AB",
			      "deadline", deadline, "acuut", crisis, "assigned_at", "2026-12-01T10:00:00Z");
	char *s;

	json_object_set_new(o, "crisis", crisis ? json_pack("[s]", "eviction") : json_pack("[s]", "none"));
	if (crisis)
		json_object_set_new(o, "crisis_date", json_string("2026-12-09"));
	s = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	return s;
}

/* Seals a visit to the certificate at cert and keeps it in folder's visits. */
static void keep_visit(const char *folder, const char *cert, const char *id, const char *sealed_to,
		       const char *ref, int crisis, const char *deadline)
{
	char *json = visit_json(id, sealed_to, ref, CANARY, crisis, deadline);
	unsigned char *der = NULL;
	size_t len = 0;

	assert_int_equal(visit_seal(signer, cert, json, strlen(json), &der, &len), 0);
	assert_int_equal(visitbox_keep(S, folder, id, der, len), 0);
	OPENSSL_free(der);
	free(json);
}

static void cons_file(const char *id, const char *ext, char *buf, size_t size)
{
	assert_int_equal(consultant_file(S, id, ext, buf, size), 0);
}

static void unlock_key(const char *id, const char *pass, unsigned char **der, size_t *len)
{
	unsigned char key[CONSULTANT_KEY_BYTES];

	assert_int_equal(consultant_unlock(S, id, pass, strlen(pass), key, NULL), CONSULTANT_OK);
	assert_int_equal(consultant_key_der(S, id, key, der, len), 0);
	util_cleanse(key, sizeof(key));
}

#define A1 "a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1"
#define A2 "a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2"
#define A3 "a3a3a3a3a3a3a3a3a3a3a3a3a3a3a3a3"
#define A4 "a4a4a4a4a4a4a4a4a4a4a4a4a4a4a4a4"
#define B1 "b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1"

/* ---- the tests ---- */

static void key_pair_and_csr(void **st)
{
	char p[4200];
	struct stat sb;
	unsigned char *der = NULL;
	size_t len = 0;
	unsigned char wrong[CONSULTANT_KEY_BYTES] = { 0 };

	(void)st;
	cons_file("anna", "key.sealed", p, sizeof(p));
	assert_int_equal(stat(p, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0600);
	cons_file("anna", "csr", p, sizeof(p));
	assert_int_equal(access(p, R_OK), 0);
	unlock_key("anna", ANNA_PASS, &der, &len);
	assert_true(len > 100 && der[0] == 0x30);          /* PKCS#8 DER */
	consultant_key_free(der, len);
	/* negative twins: another key opens nothing; anna's sealed key under bram's name */
	assert_int_equal(consultant_key_der(S, "anna", wrong, &der, &len), -1);
	assert_null(der);
	assert_int_equal(consultant_has_cert(S, "anna"), 1);
}

static void cert_checks(void **st)
{
	char csr[4200], out[4200], other[4200];

	(void)st;
	snprintf(out, sizeof(out), "%s/x.pem", ROOT);
	cons_file("bram", "csr", csr, sizeof(csr));
	/* bram's key in a certificate named anna: refused (CN and key) */
	assert_int_equal(issue(ROOT, csr, "anna", PKI_CONSULTANT, out), 0);
	assert_int_equal(consultant_install_cert(S, "anna", out), -1);
	/* anna's own key, but a device certificate (no consultant EKU): refused */
	cons_file("anna", "csr", csr, sizeof(csr));
	assert_int_equal(issue(ROOT, csr, "anna", PKI_DEVICE, out), 0);
	assert_int_equal(consultant_install_cert(S, "anna", out), -1);
	/* the visit signer's EKU is not a consultant's either */
	assert_int_equal(issue(ROOT, csr, "anna", PKI_VISIT_SIGNER, out), 0);
	assert_int_equal(consultant_install_cert(S, "anna", out), -1);
	/* from another CA: refused */
	snprintf(other, sizeof(other), "%s/other", ROOT);
	assert_int_equal(util_mkdirs(other, 0700), 0);
	{
		char os[4200], cmd[9000];
		snprintf(os, sizeof(os), "%s/ostate", ROOT);
		assert_int_equal(util_mkdirs(os, 0700), 0);
		assert_int_equal(make_ca(other, os), 0);
		assert_int_equal(issue(other, csr, "anna", PKI_CONSULTANT, out), 0);
		assert_int_equal(consultant_install_cert(S, "anna", out), -1);
		snprintf(cmd, sizeof(cmd), "rm -rf '%s' '%s'", other, os);
		assert_int_equal(system(cmd), 0);
	}
	/* unknown consultant */
	assert_int_equal(consultant_install_cert(S, "cees", out), -1);
}

static void reaches_anna_only(void **st)
{
	char cert[4200], bcert[4200];
	struct visit_info v[VISITBOX_MAX];
	unsigned char *der = NULL;
	size_t len = 0;
	int aside = -1, n;

	(void)st;
	cons_file("anna", "pem", cert, sizeof(cert));
	cons_file("bram", "pem", bcert, sizeof(bcert));
	keep_visit("anna", cert, A1, "anna", "K7QF2M9D", 0, "2026-12-20");
	keep_visit("anna", cert, A2, "anna", "R4ND0M22", 1, "2026-12-30");
	/* sealed to bram, put in anna's folder: refused there, kept aside */
	keep_visit("anna", bcert, B1, "bram", "BR4MBR4M", 0, "2026-12-10");
	unlock_key("anna", ANNA_PASS, &der, &len);
	n = visitbox_list(S, "anna", der, len, 14, v, VISITBOX_MAX, &aside);
	assert_int_equal(n, 2);
	assert_int_equal(aside, 1);
	assert_int_equal(visitbox_aside_count(S, "anna"), 1);
	assert_string_equal(v[0].reference, "R4ND-0M22");   /* crisis first, though later */
	assert_int_equal(v[0].crisis, 1);
	assert_string_equal(v[0].crisis_date, "2026-12-09");
	assert_string_equal(v[0].kinds, "eviction");
	assert_string_equal(v[1].kinds, "");   /* ["none"]: no kinds */
	assert_string_equal(v[1].reference, "K7QF-2M9D");
	assert_string_equal(v[1].name, CANARY);
	assert_string_equal(v[1].phone, "0612345678");
	assert_string_equal(v[1].postcode, "1234AB");
	assert_int_equal(v[1].days_left, 14);
	visitbox_clear(v, n);
	/* a visit sealed to anna that claims it is for bram: refused by visit_open */
	{
		char *json = visit_json(A3, "bram", "XXXXXXXX", CANARY, 0, "2026-12-20");
		unsigned char *env = NULL;
		size_t elen = 0;
		assert_int_not_equal(visit_seal(signer, cert, json, strlen(json), &env, &elen), 0);
		free(json);
	}
	consultant_key_free(der, len);
	/* bram sees none of anna's */
	unlock_key("bram", BRAM_PASS, &der, &len);
	assert_int_equal(visitbox_list(S, "bram", der, len, 14, v, VISITBOX_MAX, &aside), 0);
	assert_int_equal(aside, 0);
	/* anna's visits opened with bram's key: nothing opens, all go aside */
	consultant_key_free(der, len);
}

static void tampered_aside(void **st)
{
	char cert[4200], p[4400];
	struct visit_info v[VISITBOX_MAX];
	unsigned char *der = NULL;
	size_t len = 0;
	int aside = 0;
	FILE *f;

	(void)st;
	cons_file("anna", "pem", cert, sizeof(cert));
	keep_visit("anna", cert, A3, "anna", "T4MP3R3D", 0, "2026-12-21");
	snprintf(p, sizeof(p), "%s/visits/anna/%s.cms", S, A3);
	f = fopen(p, "r+");
	assert_non_null(f);
	fseek(f, 300, SEEK_SET);
	fputc(0x55, f);
	fclose(f);
	unlock_key("anna", ANNA_PASS, &der, &len);
	assert_int_equal(visitbox_list(S, "anna", der, len, 14, v, VISITBOX_MAX, &aside), 2);
	assert_int_equal(aside, 1);
	assert_int_equal(visitbox_aside_count(S, "anna"), 2);
	assert_int_equal(access(p, F_OK), -1);
	visitbox_clear(v, 2);
	consultant_key_free(der, len);
}

static void wrong_passphrase(void **st)
{
	unsigned char key[CONSULTANT_KEY_BYTES], *der = NULL;
	size_t len = 0;

	(void)st;
	assert_int_equal(consultant_unlock(S, "anna", "not the pass", 12, key, NULL), CONSULTANT_WRONG);
	assert_int_equal(consultant_key_der(S, "anna", key, &der, &len), -1);
	assert_int_equal(consultant_unlock(S, "anna", ANNA_PASS, strlen(ANNA_PASS), key, NULL), CONSULTANT_OK);
	util_cleanse(key, sizeof(key));
}

/* 1 when the bytes of s occur in a file under dir (recursively). */
static int found_under(const char *dir, const char *s)
{
	char p[4400], *buf;
	struct dirent *e;
	struct stat sb;
	size_t len;
	int hit = 0;
	DIR *d = opendir(dir);

	while (d && !hit && (e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(p, sizeof(p), "%s/%s", dir, e->d_name);
		if (stat(p, &sb) == 0 && S_ISDIR(sb.st_mode))
			hit = found_under(p, s);
		else if (util_read_file(p, 64 << 20, &buf, &len) == 0) {
			hit = memmem(buf, len, s, strlen(s)) != NULL;
			free(buf);
		}
	}
	if (d)
		closedir(d);
	return hit;
}

static void no_plaintext(void **st)
{
	(void)st;
	assert_int_equal(found_under(S, CANARY), 0);
	assert_int_equal(found_under(S, "0612345678"), 0);
	assert_int_equal(found_under(S, "BEGIN PRIVATE KEY"), 0);
}

static void erase_by_reference(void **st)
{
	struct visit_info v[VISITBOX_MAX];
	unsigned char *der = NULL;
	size_t len = 0;

	(void)st;
	unlock_key("anna", ANNA_PASS, &der, &len);
	assert_int_equal(visitbox_erase_ref(S, "anna", der, len, "k7qf-2m9d"), 1);   /* as typed */
	assert_int_equal(visitbox_list(S, "anna", der, len, 14, v, VISITBOX_MAX, NULL), 1);
	assert_string_equal(v[0].reference, "R4ND-0M22");
	assert_int_equal(visitbox_erase_ref(S, "anna", der, len, "NOTTHERE"), 0);
	visitbox_clear(v, 1);
	/* the server missed our DELETE and sends it again: done with, not kept again */
	{
		char p[4400];
		snprintf(p, sizeof(p), "%s/visits/anna/%s.cms", S, A1);
		assert_int_equal(visitbox_keep(S, "anna", A1, (const unsigned char *)"x", 1), 0);
		assert_int_equal(access(p, F_OK), -1);
	}
	consultant_key_free(der, len);
}

static void expire_after_days(void **st)
{
	char cert[4200], p[4400];
	struct visit_info v[VISITBOX_MAX];
	struct timeval tv[2];
	unsigned char *der = NULL;
	size_t len = 0;
	long long now = (long long)time(NULL);

	(void)st;
	cons_file("anna", "pem", cert, sizeof(cert));
	keep_visit("anna", cert, A4, "anna", "K7QF2M9D", 0, "2026-12-20");
	snprintf(p, sizeof(p), "%s/visits/anna/%s.cms", S, A4);
	tv[0].tv_sec = tv[1].tv_sec = (time_t)(now - 13 * 86400 - 3600);
	tv[0].tv_usec = tv[1].tv_usec = 0;
	assert_int_equal(utimes(p, tv), 0);
	unlock_key("anna", ANNA_PASS, &der, &len);
	assert_int_equal(visitbox_list(S, "anna", der, len, 14, v, VISITBOX_MAX, NULL), 2);
	assert_string_equal(v[1].reference, "K7QF-2M9D");
	assert_int_equal(v[1].days_left, 1);            /* the warning the day before */
	visitbox_clear(v, 2);
	assert_int_equal(visitbox_expire(S, "anna", 14, now), 0);
	assert_int_equal(visitbox_expire(S, "anna", 14, now + 86400), 1);
	assert_int_equal(access(p, F_OK), -1);
	assert_int_equal(visitbox_list(S, "anna", der, len, 14, v, VISITBOX_MAX, NULL), 1);
	visitbox_clear(v, 1);
	consultant_key_free(der, len);
}

static void remove_takes_all(void **st)
{
	static const char *const exts[] = { "key.sealed", "csr", "pem", "json" };
	char p[4200];

	(void)st;
	assert_int_equal(consultant_remove(S, "anna"), 0);
	for (size_t i = 0; i < 4; i++) {
		cons_file("anna", exts[i], p, sizeof(p));
		assert_int_equal(access(p, F_OK), -1);
	}
	snprintf(p, sizeof(p), "%s/visits/anna", S);
	assert_int_equal(access(p, F_OK), -1);
	cons_file("bram", "key.sealed", p, sizeof(p));
	assert_int_equal(access(p, F_OK), 0);   /* bram stays */
}

static int setup(void **st)
{
	char cmd[9000], csr[4200], pem[4200];
	const char *scr = getenv("TEST_SCRATCH");

	(void)st;
	snprintf(ROOT, sizeof(ROOT), "%s/visitbox", scr && *scr ? scr : "/tmp");
	snprintf(S, sizeof(S), "%s/device", ROOT);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", ROOT);
	if (system(cmd) != 0 || util_mkdirs(S, 0700) < 0 || make_ca(ROOT, S) < 0 || make_signer(ROOT) < 0)
		return -1;
	snprintf(cmd, sizeof(cmd), "%s/office", ROOT);
	if (visit_signer_load(cmd, &signer) < 0)
		return -1;
	if (consultant_add(S, "anna", ANNA_PASS, strlen(ANNA_PASS)) < 0 ||
	    consultant_add(S, "bram", BRAM_PASS, strlen(BRAM_PASS)) < 0)
		return -1;
	for (int i = 0; i < 2; i++) {
		const char *id = i ? "bram" : "anna";
		snprintf(pem, sizeof(pem), "%s/%s.pem", ROOT, id);
		if (consultant_file(S, id, "csr", csr, sizeof(csr)) < 0 ||
		    issue(ROOT, csr, id, PKI_CONSULTANT, pem) < 0 || consultant_install_cert(S, id, pem) < 0)
			return -1;
	}
	return 0;
}

static int teardown(void **st)
{
	(void)st;
	visit_signer_free(signer);
	return 0;
}

/* --seal ROOT CERT JSON OUT */
static int seal_cmd(char **argv)
{
	char office[4200], *json = NULL;
	unsigned char *der = NULL;
	size_t len = 0, dlen = 0;
	struct visit_signer *s = NULL;
	int rc = 1;

	snprintf(office, sizeof(office), "%s/office", argv[0]);
	if (make_signer(argv[0]) == 0 && visit_signer_load(office, &s) == 0 &&
	    util_read_file(argv[2], 1 << 20, &json, &len) == 0 &&
	    visit_seal(s, argv[1], json, len, &der, &dlen) == 0 &&
	    util_write_file(argv[3], der, dlen, 0640) == 0)
		rc = 0;
	util_clear_free(json);
	OPENSSL_free(der);
	visit_signer_free(s);
	return rc;
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(key_pair_and_csr),
		cmocka_unit_test(cert_checks),
		cmocka_unit_test(reaches_anna_only),
		cmocka_unit_test(tampered_aside),
		cmocka_unit_test(wrong_passphrase),
		cmocka_unit_test(no_plaintext),
		cmocka_unit_test(erase_by_reference),
		cmocka_unit_test(expire_after_days),
		cmocka_unit_test(remove_takes_all),
	};

	if (argc == 6 && !strcmp(argv[1], "--seal"))
		return seal_cmd(argv + 2);
	return cmocka_run_group_tests(tests, setup, teardown);
}
