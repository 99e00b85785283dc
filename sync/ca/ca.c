/*
 * ca.c — the municipality's side of the PKI (see ca.h): enrolment bundles, revocation,
 * the CRL and recipient rotation, and the inloopctl subcommands that drive them (`open`
 * is the office's: sync/office/backoffice.c). The demo PKI (init-demo) is sync/ctl/ctl_demo.c.
 */
#include "sync/ca/ca.h"
#include "sync/record/wire.h"
#include "sync/casestore/layout.h"
#include "sync/record/pki.h"
#include "platform/util.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#define CA_DEVICE_DAYS 825
#define CA_CRL_DAYS 90       /* renewed daily (crl renew); warnings start 30 days before */
#define CA_MAX_REVOKED 100000
#define PKI_COPY_MAX (256 * 1024)

/* dir/name into buf. */
int ca_path_in(char *buf, size_t size, const char *dir, const char *name)
{
	return util_fmt(buf, size, "%s/%s", dir, name) < 0 ? -1 : 0;
}

int ca_exists_in(const char *dir, const char *name)
{
	char path[4096];

	return ca_path_in(path, sizeof(path), dir, name) == 0 && access(path, F_OK) == 0;
}

/* Loads ROOT/ca's ca.pem and ca.key; both owned by the caller. */
int ca_load_ca(const char *root, X509 **ca, EVP_PKEY **key)
{
	char path[4096];

	*ca = NULL;
	*key = NULL;
	if (layout_path(root, LAYOUT_CA, "ca.pem", path, sizeof(path)) < 0 || pki_load_cert(path, ca) < 0)
		return -1;
	if (layout_path(root, LAYOUT_CA, "ca.key", path, sizeof(path)) == 0 && pki_load_key(path, key) == 0) {
		if (X509_check_private_key(*ca, *key) == 1)
			return 0;
		ERR_clear_error();
		error("%s does not belong to ca.pem", path);
	}
	X509_free(*ca);
	EVP_PKEY_free(*key);
	*ca = NULL;
	*key = NULL;
	return -1;
}

/* The registry's devices/revoked.txt as text ("" when absent); caller frees. */
static int read_revoked(const char *root, char **text)
{
	char path[4096];
	size_t len;

	if (layout_path(root, LAYOUT_CASESTORE, "devices/revoked.txt", path, sizeof(path)) < 0)
		return -1;
	if (access(path, F_OK) < 0) {
		*text = strdup("");
		return *text ? 0 : error("out of memory");
	}
	return util_read_file(path, 16 * 1024 * 1024, text, &len);
}

/* 1 when serial (hex) starts a line of the revoked list. */
static int is_revoked(const char *text, const char *serial)
{
	size_t n = strlen(serial);

	for (const char *p = text; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL)
		if (!strncmp(p, serial, n) && p[n] == ' ')
			return 1;
	return 0;
}

/* Splits the revoked list in place into serials (up to max). */
static size_t split_serials(char *text, const char **serials, size_t max)
{
	size_t n = 0;

	for (char *p = text; *p && n < max;) {
		char *nl = strchr(p, '\n'), *sp = strchr(p, ' ');
		if (sp && (!nl || sp < nl)) {
			*sp = '\0';
			serials[n++] = p;
		}
		if (!nl)
			break;
		p = nl + 1;
	}
	return n;
}

/* Writes crl to every folder that reads it: the case store and (when present) the office. */
static int publish_crl(const char *root, X509_CRL *crl)
{
	char path[4096];

	if (layout_path(root, LAYOUT_CASESTORE, "crl.pem", path, sizeof(path)) < 0 ||
	    pki_write_crl(path, crl) < 0)
		return -1;
	if (layout_dir(root, LAYOUT_OFFICE, path, sizeof(path)) < 0)
		return -1;
	if (access(path, F_OK) < 0)
		return 0;
	if (layout_path(root, LAYOUT_OFFICE, "crl.pem", path, sizeof(path)) < 0)
		return -1;
	return pki_write_crl(path, crl);
}

static int write_crl_days(const char *root, int days);

int ca_write_crl(const char *root)
{
	return write_crl_days(root, CA_CRL_DAYS);
}

/* Signs a CRL valid for days days from the registry's revoked list and publishes it. */
static int write_crl_days(const char *root, int days)
{
	const char **serials = calloc(CA_MAX_REVOKED, sizeof(*serials));
	char *text = NULL;
	X509 *ca = NULL;
	EVP_PKEY *key = NULL;
	X509_CRL *crl = NULL;
	int rc = -1;

	if (serials && read_revoked(root, &text) == 0 && ca_load_ca(root, &ca, &key) == 0) {
		size_t n = split_serials(text, serials, CA_MAX_REVOKED);
		if (pki_make_crl(ca, key, serials, n, days, &crl) == 0)
			rc = publish_crl(root, crl);
	}
	X509_CRL_free(crl);
	EVP_PKEY_free(key);
	X509_free(ca);
	free(text);
	free(serials);
	return rc;
}

/* The store's config.json: URL and the default location / crisis phone for bundles. */
struct store_config {
	char url[512];
	char location[128];
	char crisis_phone[32];
	char mode[16];
};

static int read_store_config(const char *dir, struct store_config *c)
{
	char path[4096];
	const char *keys[] = { "url", "location", "crisis_phone" };
	char *bufs[] = { c->url, c->location, c->crisis_phone };
	size_t sizes[] = { sizeof(c->url), sizeof(c->location), sizeof(c->crisis_phone) };
	json_t *root;
	int rc = 0;

	memset(c, 0, sizeof(*c));
	if (layout_path(dir, LAYOUT_CA, "config.json", path, sizeof(path)) < 0 ||
	    !(root = util_json_load_file(path, 64 * 1024)))
		return -1;
	if (!json_is_object(root))
		rc = error("%s is not a JSON object", path);
	for (size_t i = 0; rc == 0 && i < 3; i++) {
		json_t *v = json_object_get(root, keys[i]);
		if (v && (!json_is_string(v) || util_fmt(bufs[i], sizes[i], "%s", json_string_value(v)) < 0))
			rc = error("%s: \"%s\" is not a string of at most %zu bytes", path, keys[i], sizes[i] - 1);
	}
	if (rc == 0 && !c->url[0])
		rc = error("%s has no \"url\"", path);
	json_decref(root);
	return rc;
}

int ca_write_store_config(const char *dir, const char *url)
{
	char path[4096], *text;
	json_t *root = json_pack("{s:s, s:s, s:s}", "url", url,
				 "location", "Bibliotheek Centrum (demo)",
				 "crisis_phone", "0800-0000000");   /* obviously fake demo number */
	int rc = -1;

	text = root ? json_dumps(root, JSON_INDENT(2) | JSON_SORT_KEYS) : NULL;
	if (text && layout_path(dir, LAYOUT_CA, "config.json", path, sizeof(path)) == 0)
		rc = util_write_file(path, text, strlen(text), 0644);
	else
		error("cannot write the store's config.json (is the URL valid UTF-8?)");
	free(text);
	json_decref(root);
	return rc;
}

int ca_load_csr(const char *path, X509_REQ **out, char *cn, size_t size)
{
	char *text = NULL;
	size_t len;
	BIO *b;
	EVP_PKEY *pub;

	*out = NULL;
	if (util_read_file(path, 64 * 1024, &text, &len) < 0)
		return -1;
	b = BIO_new_mem_buf(text, (int)len);
	*out = b ? PEM_read_bio_X509_REQ(b, NULL, NULL, NULL) : NULL;
	BIO_free(b);
	free(text);
	ERR_clear_error();
	if (!*out)
		return error("%s is not a PEM certificate request", path);
	pub = X509_REQ_get0_pubkey(*out);
	if (!pub || X509_REQ_verify(*out, pub) != 1) {
		ERR_clear_error();
		return error("%s: the request's signature does not verify", path);
	}
	if (pki_is_p256(pub) < 0)
		return error("%s: only EC P-256 keys are accepted", path);
	if (pki_name_cn(X509_REQ_get_subject_name(*out), cn, size) < 0)
		return error("%s: the request has no single valid CN", path);
	return 0;
}

/* A device's CSR: ca_load_csr with a valid device name as its CN. */
static int load_csr(const char *path, X509_REQ **out, char *name, size_t size)
{
	if (ca_load_csr(path, out, name, size) < 0)
		return -1;
	if (pki_check_name(name) < 0)
		return error("%s: the request's CN is not a valid device name", path);
	return 0;
}

int ca_device_active(const char *root, const char *name)
{
	char path[4096], serial[128], *revoked = NULL;
	X509 *cert = NULL;
	int rc = -1;

	if (pki_check_name(name) < 0 ||
	    layout_path(root, LAYOUT_CASESTORE, "devices", path, sizeof(path)) < 0 ||
	    util_fmt(path + strlen(path), sizeof(path) - strlen(path), "/%s.pem", name) < 0)
		return -1;
	if (access(path, F_OK) < 0)
		return error("no device %s was enrolled here (no %s)", name, path);
	if (pki_load_cert(path, &cert) == 0 && pki_serial_hex(cert, serial, sizeof(serial)) == 0 &&
	    read_revoked(root, &revoked) == 0)
		rc = is_revoked(revoked, serial) ? error("device %s is revoked", name) : 0;
	X509_free(cert);
	free(revoked);
	return rc;
}

/* Refuses a name whose devices/NAME.pem exists and is not revoked. */
static int refuse_duplicate(const char *dir, const char *name)
{
	char path[4096], serial[128], *revoked = NULL;
	X509 *old = NULL;
	int dup;

	if (util_fmt(path, sizeof(path), "%s/casestore/devices/%s.pem", dir, name) < 0)
		return -1;
	if (access(path, F_OK) < 0)
		return 0;
	if (pki_load_cert(path, &old) < 0 || pki_serial_hex(old, serial, sizeof(serial)) < 0 ||
	    read_revoked(dir, &revoked) < 0) {
		X509_free(old);
		return -1;
	}
	dup = !is_revoked(revoked, serial);
	X509_free(old);
	free(revoked);
	return dup ? error("device %s is already enrolled and not revoked", name) : 0;
}

/* ROOT/ca's casestore.pem (+ casestore-next.pem during rotation) as one PEM text; caller frees. */
static int recipients_pem(const char *root, char **out)
{
	static const char *const files[] = { "casestore.pem", "casestore-next.pem" };
	char *all = strdup(""), dir[4096];

	if (all && layout_dir(root, LAYOUT_CA, dir, sizeof(dir)) < 0) {
		free(all);
		all = NULL;
	}
	for (size_t i = 0; all && i < 2; i++) {
		char path[4096], *text = NULL, *joined = NULL;
		size_t len;
		if (i > 0 && !ca_exists_in(dir, files[i]))
			continue;
		if (ca_path_in(path, sizeof(path), dir, files[i]) < 0 ||
		    util_read_file(path, 64 * 1024, &text, &len) < 0 ||
		    asprintf(&joined, "%s%s", all, text) < 0)
			joined = NULL;
		free(text);
		free(all);
		all = joined;
	}
	*out = all;
	return all ? 0 : error("cannot read the case-store certificate(s) of %s/ca", root);
}

/* Writes the enrolment bundle (certificates and settings, no secrets) to path. */
static int write_bundle(const char *dir, const char *path, X509 *cert, const char *name,
			const struct store_config *c)
{
	char *cert_pem = NULL, *ca_pem = NULL, *rcp = NULL, *text = NULL, ca_path[4096];
	size_t len;
	json_t *root = NULL;
	int rc = -1;

	if (pki_cert_pem(cert, &cert_pem) == 0 &&
	    layout_path(dir, LAYOUT_CA, "ca.pem", ca_path, sizeof(ca_path)) == 0 &&
	    util_read_file(ca_path, 64 * 1024, &ca_pem, &len) == 0 && recipients_pem(dir, &rcp) == 0)
		root = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}",
				 "format", ENROLL_BUNDLE_FORMAT, "device_id", name,
				 "device_cert", cert_pem, "ca", ca_pem, "recipients", rcp,
				 "url", c->url, "location", c->location, "crisis_phone", c->crisis_phone,
				 "mode", c->mode);
	text = root ? json_dumps(root, JSON_INDENT(2)) : NULL;
	if (text)
		rc = util_write_file(path, text, strlen(text), 0644);
	else
		error("cannot build the enrolment bundle");
	free(text);
	json_decref(root);
	free(cert_pem);
	free(ca_pem);
	free(rcp);
	return rc;
}

/* Fills the bundle's settings: the store's defaults, overridden by set. */
static int bundle_settings(const char *dir, const struct ca_settings *set, struct store_config *c)
{
	if (read_store_config(dir, c) < 0)
		return -1;
	if (set->location && util_fmt(c->location, sizeof(c->location), "%s", set->location) < 0)
		return error("--location is longer than %zu bytes", sizeof(c->location) - 1);
	if (set->crisis_phone &&
	    util_fmt(c->crisis_phone, sizeof(c->crisis_phone), "%s", set->crisis_phone) < 0)
		return error("--crisis-phone is longer than %zu bytes", sizeof(c->crisis_phone) - 1);
	if (util_fmt(c->mode, sizeof(c->mode), "%s", set->mode ? set->mode : "kiosk") < 0 ||
	    (strcmp(c->mode, "kiosk") && strcmp(c->mode, "field")))
		return error("--mode must be kiosk or field");
	if (!c->location[0])
		return error("no location: pass --location");
	return 0;
}

int ca_issue_bundle(const char *dir, const char *csr_path, const struct ca_settings *set,
		    const char *out_path, char *written, size_t wsize)
{
	struct store_config c;
	X509_REQ *req = NULL;
	X509 *ca = NULL, *cert = NULL;
	EVP_PKEY *cakey = NULL;
	char name[64], path[4096];
	int rc = -1;

	if (load_csr(csr_path, &req, name, sizeof(name)) < 0 || refuse_duplicate(dir, name) < 0 ||
	    bundle_settings(dir, set, &c) < 0 || ca_load_ca(dir, &ca, &cakey) < 0)
		goto out;
	if (util_fmt(written, wsize, "%s", out_path ? out_path : "") < 0 ||
	    (!out_path && util_fmt(written, wsize, "%s/casestore/devices/%s.bundle.json", dir, name) < 0))
		goto out;
	if (layout_path(dir, LAYOUT_CASESTORE, "devices", path, sizeof(path)) < 0 ||
	    util_mkdirs(path, 0755) < 0 ||
	    pki_issue(ca, cakey, X509_REQ_get0_pubkey(req), NULL, name, PKI_DEVICE,
		      CA_DEVICE_DAYS, &cert) < 0 ||
	    util_fmt(path, sizeof(path), "%s/casestore/devices/%s.pem", dir, name) < 0)
		goto out;
	if (pki_write_cert(path, cert) == 0 && write_bundle(dir, written, cert, name, &c) == 0)
		rc = 0;
out:
	X509_REQ_free(req);
	X509_free(cert);
	X509_free(ca);
	EVP_PKEY_free(cakey);
	return rc;
}

#define REGISTRY_LOCK_TRIES 100        /* 5 s in all: the web office waits on its event loop */
#define REGISTRY_LOCK_WAIT_US 50000

/* An exclusive lock on devices/revoked.lock, held while revoked.txt is read and rewritten:
 * the CA (inloopctl revoke) and the web office may revoke at once, and neither may lose the
 * other's line. Waits up to 5 s for another holder. The descriptor to close, or -1. */
static int registry_lock(const char *dir)
{
	char path[4096];
	int fd;

	if (layout_path(dir, LAYOUT_CASESTORE, "devices/revoked.lock", path, sizeof(path)) < 0)
		return -1;
	if ((fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644)) < 0)
		return error("cannot open %s: %s", path, strerror(errno));
	for (int i = 0; flock(fd, LOCK_EX | LOCK_NB) < 0; i++) {
		if (errno != EWOULDBLOCK || i == REGISTRY_LOCK_TRIES) {
			close(fd);
			return error("cannot lock %s: %s", path, errno == EWOULDBLOCK ?
				     "another revocation holds it; try again" : strerror(errno));
		}
		usleep(REGISTRY_LOCK_WAIT_US);
	}
	return fd;
}

/* Adds NAME's serial (devices/NAME.pem) to devices/revoked.txt unless it is there; the
 * serial goes to serial. Under registry_lock; written whole and renamed (util_write_file):
 * all or nothing. */
static int registry_add(const char *dir, const char *name, char *serial, size_t size)
{
	char path[4096], *text = NULL, *joined = NULL;
	X509 *cert = NULL;
	int rc = -1, lock = -1;

	if (pki_check_name(name) < 0 ||
	    util_fmt(path, sizeof(path), "%s/casestore/devices/%s.pem", dir, name) < 0)
		return -1;
	if (access(path, F_OK) < 0)
		return error("no device %s was enrolled here (no %s)", name, path);
	if (pki_load_cert(path, &cert) < 0 || pki_serial_hex(cert, serial, size) < 0 ||
	    (lock = registry_lock(dir)) < 0 || read_revoked(dir, &text) < 0)
		goto out;
	rc = 0;
	if (!is_revoked(text, serial) &&
	    (asprintf(&joined, "%s%s%s %s\n", text, text[0] && text[strlen(text) - 1] != '\n' ? "\n" : "",
		      serial, name) < 0 ||
	     layout_path(dir, LAYOUT_CASESTORE, "devices/revoked.txt", path, sizeof(path)) < 0 ||
	     util_write_file(path, joined, strlen(joined), 0644) < 0))
		rc = -1;
out:
	if (lock >= 0)
		close(lock);
	free(joined);
	free(text);
	X509_free(cert);
	return rc;
}

int ca_revoke_registry(const char *dir, const char *name)
{
	char serial[128];
	int n;

	if (registry_add(dir, name, serial, sizeof(serial)) < 0)
		return CA_REVOKE_NOT_DONE;
	printf("revoked %s (serial %s) in casestore/devices/revoked.txt: the case store refuses it "
	       "from its next request\n", name, serial);
	if ((n = ca_consultants_disable_device(dir, name)) < 0)
		return CA_REVOKE_CONSULTANTS_LEFT;
	if (n > 0)
		printf("disabled %d consultant(s) registered to %s: no more visits to them\n", n, name);
	return n;
}

int ca_key_readable(const char *root)
{
	char path[4096];

	return layout_path(root, LAYOUT_CA, "ca.key", path, sizeof(path)) == 0 && access(path, R_OK) == 0;
}

int ca_revoke(const char *dir, const char *name)
{
	int n = ca_revoke_registry(dir, name);

	if (n == CA_REVOKE_NOT_DONE)
		return -1;
	if (ca_write_crl(dir) < 0)
		return error("%s is refused by the case store, but crl.pem was not regenerated: "
			     "run inloopctl crl renew where ca.key is", name);
	printf("crl.pem regenerated\n");
	return n == CA_REVOKE_CONSULTANTS_LEFT ? error("a consultant of %s could not be disabled: "
						       "inloopctl consultant disable ID", name) : 0;
}

/* A fresh P-256 key and certificate of profile, written as dir/base.key (0600) and .pem. */
int ca_make_keypair(const char *dir, const char *base, X509 *ca, EVP_PKEY *cakey,
			const char *cn, enum pki_profile profile)
{
	char path[4096];
	EVP_PKEY *key = NULL;
	X509 *cert = NULL;
	int rc = -1;

	if (pki_keygen(&key) == 0 && pki_issue(ca, cakey, key, CA_ORG, cn, profile, CA_DEVICE_DAYS, &cert) == 0 &&
	    util_fmt(path, sizeof(path), "%s/%s.key", dir, base) >= 0 && pki_write_key(path, key) == 0 &&
	    util_fmt(path, sizeof(path), "%s/%s.pem", dir, base) >= 0 && pki_write_cert(path, cert) == 0)
		rc = 0;
	X509_free(cert);
	EVP_PKEY_free(key);
	return rc;
}

/* Copies the file src_dir/name to dst_dir/name with mode (certificates: public). */
int ca_copy_into(const char *src_dir, const char *dst_dir, const char *name, int mode)
{
	char src[4096], dst[4096], *text = NULL;
	size_t len;
	int rc;

	if (ca_path_in(src, sizeof(src), src_dir, name) < 0 || ca_path_in(dst, sizeof(dst), dst_dir, name) < 0 ||
	    util_read_file(src, PKI_COPY_MAX, &text, &len) < 0)
		return -1;
	rc = util_write_file(dst, text, len, mode);
	free(text);
	return rc;
}

/* Days (rounded down) until the CRL in path expires (negative once expired); -1 with
 * *days untouched when it cannot be read. */
int ca_crl_days_left(const char *path, int *days)
{
	BIO *b = BIO_new_file(path, "r");
	X509_CRL *crl = b ? PEM_read_bio_X509_CRL(b, NULL, NULL, NULL) : NULL;
	const ASN1_TIME *next = crl ? X509_CRL_get0_nextUpdate(crl) : NULL;
	int d = 0, s = 0, ok = next && ASN1_TIME_diff(&d, &s, NULL, next);

	BIO_free(b);
	X509_CRL_free(crl);
	ERR_clear_error();
	if (!ok)
		return error("cannot read the revocation list %s", path);
	*days = (d == 0 && s < 0) ? -1 : d;   /* expired less than a day ago: -1, not 0 */
	return 0;
}

/* 1 when the CRL at path lists every serial of devices/revoked.txt (a device revoked where
 * no CA key was, e.g. by the web office, is missing until the next renewal), else 0. */
static int crl_lists_every_revoked(const char *root, const char *path)
{
	const char **serials = calloc(CA_MAX_REVOKED, sizeof(*serials));
	BIO *b = BIO_new_file(path, "r");
	X509_CRL *crl = b ? PEM_read_bio_X509_CRL(b, NULL, NULL, NULL) : NULL;
	char *text = NULL;
	int all = serials && crl && read_revoked(root, &text) == 0;
	size_t n = all ? split_serials(text, serials, CA_MAX_REVOKED) : 0;

	for (size_t i = 0; all && i < n; i++) {
		BIGNUM *bn = NULL;
		ASN1_INTEGER *serial = BN_hex2bn(&bn, serials[i]) ? BN_to_ASN1_INTEGER(bn, NULL) : NULL;
		X509_REVOKED *r = NULL;
		all = serial && X509_CRL_get0_by_serial(crl, &r, serial) == 1;
		ASN1_INTEGER_free(serial);
		BN_free(bn);
	}
	X509_CRL_free(crl);
	BIO_free(b);
	free(text);
	free(serials);
	ERR_clear_error();
	return all;
}

int ca_renew_crl(const char *root, int min_days, int valid_days)
{
	char path[4096];
	int days = -1;

	if (layout_path(root, LAYOUT_CASESTORE, "crl.pem", path, sizeof(path)) < 0)
		return -1;
	if (min_days > 0 && access(path, F_OK) == 0 && ca_crl_days_left(path, &days) == 0 &&
	    days >= min_days && crl_lists_every_revoked(root, path)) {
		printf("crl.pem is valid for %d more days; not renewed (--force renews anyway)\n", days);
		return 0;
	}
	if (write_crl_days(root, valid_days) < 0 || ca_crl_days_left(path, &days) < 0)
		return -1;
	printf("crl.pem renewed: valid for %d days\n", days);
	return 0;
}

/* ------------------------------------------------------------------ subcommands */

/* Prints the usage line of a case-store subcommand; returns 2 (the usage exit code). */
static int usage_dir(const char *usage)
{
	fprintf(stderr, "usage: inloopctl --dir DIR %s\n", usage);
	return 2;
}

int ctl_enroll(const char *dir, int argc, char **argv)
{
	const char *csr = NULL, *out = NULL;
	struct ca_settings set = { NULL, NULL, NULL };
	char written[4096];

	for (int i = 0; i < argc; i++) {
		if (i + 1 < argc && !strcmp(argv[i], "--location"))
			set.location = argv[++i];
		else if (i + 1 < argc && !strcmp(argv[i], "--crisis-phone"))
			set.crisis_phone = argv[++i];
		else if (i + 1 < argc && !strcmp(argv[i], "--mode"))
			set.mode = argv[++i];
		else if (i + 1 < argc && !strcmp(argv[i], "--out"))
			out = argv[++i];
		else if (argv[i][0] != '-' && !csr)
			csr = argv[i];
		else
			csr = NULL, argc = -1;
	}
	if (!dir || !csr)
		return usage_dir("enroll CSR [--location L] [--crisis-phone P] [--mode kiosk|field] [--out FILE]");
	if (ca_issue_bundle(dir, csr, &set, out, written, sizeof(written)) < 0)
		return 1;
	printf("%s\n", written);
	return 0;
}

int ctl_revoke(const char *dir, int argc, char **argv)
{
	if (!dir || argc != 1)
		return usage_dir("revoke NAME");
	return ca_revoke(dir, argv[0]) < 0 ? 1 : 0;
}

int ctl_rotate_recipient(const char *dir, int argc, char **argv)
{
	char office[4096], ca_dir[4096];
	X509 *ca = NULL;
	EVP_PKEY *cakey = NULL;
	int rc = 1;

	(void)argv;
	if (!dir || argc != 0)
		return usage_dir("rotate-recipient");
	if (layout_dir(dir, LAYOUT_OFFICE, office, sizeof(office)) < 0 ||
	    layout_dir(dir, LAYOUT_CA, ca_dir, sizeof(ca_dir)) < 0)
		return 1;
	if (ca_exists_in(office, "casestore-next.key") || ca_exists_in(office, "casestore-next.pem"))
		return error("%s already holds casestore-next.key: a rotation is under way", office), 1;
	if (ca_load_ca(dir, &ca, &cakey) == 0 &&
	    ca_make_keypair(office, "casestore-next", ca, cakey, "casestore-next", PKI_RECIPIENT) == 0 &&
	    ca_copy_into(office, ca_dir, "casestore-next.pem", 0644) == 0) {
		printf("made casestore-next.pem/.key in %s: bundles now pin both recipients; "
		       "keep casestore.key until every device has moved on\n", office);
		rc = 0;
	}
	X509_free(ca);
	EVP_PKEY_free(cakey);
	return rc;
}

int ctl_crl(const char *dir, int argc, char **argv)
{
	int force = 0, days = CA_CRL_DAYS;
	char *end;

	if (!dir || argc < 1 || strcmp(argv[0], "renew"))
		return usage_dir("crl renew [--force] [--days N]");
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--force")) {
			force = 1;
		} else if (!strcmp(argv[i], "--days") && i + 1 < argc) {
			days = (int)strtol(argv[++i], &end, 10);
			if (*end || days < 0 || days > 3650)
				return error("--days wants 0 to 3650"), 2;
			force = 1;   /* a CRL of a chosen length is always written */
		} else {
			return usage_dir("crl renew [--force] [--days N]");
		}
	}
	return ca_renew_crl(dir, force ? 0 : CA_CRL_RENEW_DAYS, days) < 0 ? 1 : 0;
}
