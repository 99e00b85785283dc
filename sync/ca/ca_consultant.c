/*
 * ca_consultant.c — consultants and the office's visit signer (issue 12, see ca.h).
 *
 * A consultant's laptop makes the consultant's P-256 key and a CSR (CN = the consultant
 * id); ca_consultant_enroll checks it and issues the consultant certificate (keyAgreement,
 * EKU id-kp-inloopConsultant, 2 years). Three files follow from it:
 *   ROOT/office/consultants/ID.pem     the office seals visits to it (visit_seal)
 *   ROOT/casestore/consultants/ID.json the registry the case store serves visits by:
 *                                      {"id","device","state":"active"|"disabled","changed"}
 *   ROOT/ca/consultants/ID.pem         (or --out) the certificate to carry to the laptop
 * Disabling moves the office's copy aside (no more visits are sealed to it) and marks the
 * registry "disabled" (the case store answers 410 and the laptop forgets the consultant).
 * Disable and list need no CA key: the office's ICT page calls them too.
 */
#include "sync/ca/ca.h"
#include "sync/casestore/layout.h"
#include "sync/casestore/visits.h"
#include "sync/record/pki.h"
#include "sync/record/record.h"
#include "sync/record/visit.h"
#include "platform/util.h"

#include <dirent.h>
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define CONSULTANTS "consultants"

/* ROOT/<part>/consultants/ID<suffix> into buf. */
static int consultant_path(const char *root, enum layout_part part, const char *id,
			   const char *suffix, char *buf, size_t size)
{
	char dir[4096];

	if (layout_path(root, part, CONSULTANTS, dir, sizeof(dir)) < 0)
		return -1;
	return util_fmt(buf, size, "%s/%s%s", dir, id, suffix) < 0 ? -1 : 0;
}

/* Creates ROOT/<part>/consultants with mode. */
static int consultant_dir(const char *root, enum layout_part part, int mode)
{
	char dir[4096];

	if (layout_path(root, part, CONSULTANTS, dir, sizeof(dir)) < 0)
		return -1;
	return util_mkdirs(dir, mode);
}

/* Copies a string member of a registry entry into buf; -1 when absent or too long. */
static int entry_text(json_t *o, const char *key, char *buf, size_t size)
{
	const char *s = json_string_value(json_object_get(o, key));

	return s && util_fmt(buf, size, "%s", s) >= 0 ? 0 : -1;
}

/* Reads the registry file at path into c; -1 (with error()) when it is damaged. */
static int read_entry(const char *path, struct ca_consultant *c)
{
	json_t *o = util_json_load_file(path, 64 * 1024);
	int ok;

	memset(c, 0, sizeof(*c));
	if (!o)
		return -1;
	ok = json_is_object(o) && entry_text(o, "id", c->id, sizeof(c->id)) == 0 &&
	     entry_text(o, "device", c->device, sizeof(c->device)) == 0 &&
	     entry_text(o, "state", c->state, sizeof(c->state)) == 0 &&
	     entry_text(o, "changed", c->changed, sizeof(c->changed)) == 0 &&
	     (!strcmp(c->state, CA_CONSULTANT_ACTIVE) || !strcmp(c->state, CA_CONSULTANT_DISABLED));
	json_decref(o);
	return ok ? 0 : error("%s is not a consultant registry entry", path);
}

int ca_consultant_get(const char *root, const char *id, struct ca_consultant *out)
{
	char path[4096];

	memset(out, 0, sizeof(*out));
	if (pki_check_consultant_id(id) < 0 ||
	    consultant_path(root, LAYOUT_CASESTORE, id, ".json", path, sizeof(path)) < 0)
		return -1;
	if (access(path, F_OK) < 0)
		return 1;
	if (read_entry(path, out) < 0)
		return -1;
	return strcmp(out->id, id) ? error("%s names another consultant", path) : 0;
}

/* Writes c (state and device as given, changed = now) as ROOT/casestore/consultants/ID.json. */
static int write_entry(const char *root, struct ca_consultant *c)
{
	char path[4096], *text = NULL;
	json_t *o;
	int rc = -1;

	if (record_time_format(time(NULL), c->changed) < 0 || consultant_dir(root, LAYOUT_CASESTORE, 0755) < 0 ||
	    consultant_path(root, LAYOUT_CASESTORE, c->id, ".json", path, sizeof(path)) < 0)
		return -1;
	o = json_pack("{s:s, s:s, s:s, s:s}", "id", c->id, "device", c->device, "state", c->state,
		      "changed", c->changed);
	text = o ? json_dumps(o, JSON_INDENT(2)) : NULL;
	if (text)
		rc = util_write_file(path, text, strlen(text), 0644);
	else
		error("out of memory");
	free(text);
	json_decref(o);
	return rc;
}

/* The CSR's key and a valid consultant id as its CN (into id, PKI_CONSULTANT_MAX + 1
 * bytes); *req owned by the caller. */
static int consultant_csr(const char *path, X509_REQ **req, char *id)
{
	char cn[256];

	if (ca_load_csr(path, req, cn, sizeof(cn)) < 0)
		return -1;
	if (pki_check_consultant_id(cn) < 0)
		return error("%s: the request's CN is not a valid consultant id", path);
	memcpy(id, cn, strlen(cn) + 1);
	return 0;
}

/* Refuses an id that is enrolled and active; a disabled one may be enrolled again. */
/* 1 when req renews id's current certificate (ROOT/office/consultants/ID.pem): the same
 * device and the same key, within VISIT_CONSULTANT_RENEW_DAYS of its end (or past it). */
static int is_renewal(const char *root, const struct ca_consultant *c, const char *device, X509_REQ *req)
{
	char path[4096];
	X509 *cert = NULL;
	int days = 0, secs = 0, ok;

	if (strcmp(c->device, device) || consultant_path(root, LAYOUT_OFFICE, c->id, ".pem", path, sizeof(path)) < 0 ||
	    access(path, F_OK) != 0 || pki_load_cert(path, &cert) < 0)
		return 0;
	ok = EVP_PKEY_eq(X509_get0_pubkey(cert), X509_REQ_get0_pubkey(req)) == 1 &&
	     ASN1_TIME_diff(&days, &secs, NULL, X509_get0_notAfter(cert)) == 1 &&
	     days <= VISIT_CONSULTANT_RENEW_DAYS;
	X509_free(cert);
	return ok;
}

/* An active id is enrolled again only to renew its certificate (is_renewal); 1 then. */
static int refuse_active(const char *root, const char *id, const char *device, X509_REQ *req)
{
	struct ca_consultant c;
	int rc = ca_consultant_get(root, id, &c);

	if (rc < 0)
		return -1;
	if (rc == 0 && !strcmp(c.state, CA_CONSULTANT_ACTIVE)) {
		if (is_renewal(root, &c, device, req))
			return 1;
		return error("consultant %s is already enrolled and active (on device %s); disable it first "
			     "(a renewal needs the same device, the same key and a certificate within %d days "
			     "of its end: inloop consultant request %s on the laptop)", id, c.device,
			     VISIT_CONSULTANT_RENEW_DAYS, id);
	}
	return 0;
}

/* Issues the certificate and writes out_path, the office's copy, then the registry entry. */
static int issue(const char *root, X509_REQ *req, const char *id, const char *device,
		 const char *out_path)
{
	struct ca_consultant c;
	char path[4096];
	X509 *ca = NULL, *cert = NULL;
	EVP_PKEY *cakey = NULL;
	int rc = -1;

	memset(&c, 0, sizeof(c));
	if (ca_load_ca(root, &ca, &cakey) < 0)
		return -1;
	if (pki_issue(ca, cakey, X509_REQ_get0_pubkey(req), NULL, id, PKI_CONSULTANT,
		      CA_CONSULTANT_DAYS, &cert) == 0 &&
	    pki_write_cert(out_path, cert) == 0 && consultant_dir(root, LAYOUT_OFFICE, 0700) == 0 &&
	    consultant_path(root, LAYOUT_OFFICE, id, ".pem", path, sizeof(path)) == 0 &&
	    pki_write_cert(path, cert) == 0 &&
	    util_fmt(c.id, sizeof(c.id), "%s", id) >= 0 &&
	    util_fmt(c.device, sizeof(c.device), "%s", device) >= 0 &&
	    util_fmt(c.state, sizeof(c.state), "%s", CA_CONSULTANT_ACTIVE) >= 0)
		rc = write_entry(root, &c);
	X509_free(cert);
	X509_free(ca);
	EVP_PKEY_free(cakey);
	return rc;
}

int ca_consultant_enroll(const char *root, const char *csr_path, const char *device,
			 const char *out_path, char *written, size_t wsize)
{
	X509_REQ *req = NULL;
	char id[PKI_CONSULTANT_MAX + 1];
	int rc = -1, renewal = 0;

	if (!device || pki_check_name(device) < 0)
		return error("--device must name an enrolled device");
	if (consultant_csr(csr_path, &req, id) < 0 || ca_device_active(root, device) < 0 ||
	    (renewal = refuse_active(root, id, device, req)) < 0)
		goto out;
	if (renewal)
		util_log("ca", "consultant %s: certificate renewed (same device %s, same key)", id, device);
	if (out_path)
		rc = util_fmt(written, wsize, "%s", out_path) < 0 ? -1 : 0;
	else if (consultant_dir(root, LAYOUT_CA, 0755) == 0)
		rc = consultant_path(root, LAYOUT_CA, id, ".pem", written, wsize);
	if (rc == 0)
		rc = issue(root, req, id, device, written);
out:
	X509_REQ_free(req);
	return rc;
}

/* Moves ROOT/office/consultants/ID.pem to ID.pem.disabled (copy durably, then unlink). */
static int retire_office_cert(const char *root, const char *id)
{
	char from[4096], to[4096], *text = NULL;
	size_t len;
	int rc;

	if (consultant_path(root, LAYOUT_OFFICE, id, ".pem", from, sizeof(from)) < 0 ||
	    consultant_path(root, LAYOUT_OFFICE, id, ".pem.disabled", to, sizeof(to)) < 0)
		return -1;
	if (access(from, F_OK) < 0)
		return 0;   /* already moved, or the office lives elsewhere */
	if (util_read_file(from, 256 * 1024, &text, &len) < 0)
		return -1;
	rc = util_write_file(to, text, len, 0644);
	free(text);
	if (rc == 0 && unlink(from) < 0)
		rc = error("cannot remove %s: %s", from, strerror(errno));
	return rc;
}

/* Empties id's visit spool: nothing sealed to a disabled consultant waits to be served
 * (were the id enrolled again, the laptop would only set those visits aside). */
static int drop_spool(const char *root, const char *id)
{
	char cs[4096];

	if (layout_dir(root, LAYOUT_CASESTORE, cs, sizeof(cs)) < 0)
		return -1;
	return visits_remove_all(cs, id) < 0 ? -1 : 0;
}

int ca_consultant_disable(const char *root, const char *id)
{
	struct ca_consultant c;
	int rc = ca_consultant_get(root, id, &c);

	if (rc == 1)
		return error("no consultant %s was enrolled here", id);
	if (rc < 0 || retire_office_cert(root, id) < 0)
		return -1;
	if (strcmp(c.state, CA_CONSULTANT_DISABLED)) {
		util_fmt(c.state, sizeof(c.state), "%s", CA_CONSULTANT_DISABLED);
		if (write_entry(root, &c) < 0)
			return -1;
	}
	return drop_spool(root, id);
}

/* qsort: by id. */
static int by_id(const void *a, const void *b)
{
	return strcmp(((const struct ca_consultant *)a)->id, ((const struct ca_consultant *)b)->id);
}

/* 1 when name is "ID.json" for a valid consultant id (copied into id). */
static int entry_name(const char *name, char *id, size_t size)
{
	size_t n = strlen(name);

	if (n <= 5 || strcmp(name + n - 5, ".json") || n - 5 >= size)
		return 0;
	memcpy(id, name, n - 5);
	id[n - 5] = '\0';
	return pki_check_consultant_id(id) == 0;
}

/* Every readable entry into out; a damaged one fails the list (strict) or is skipped with a
 * warning naming its file (!strict: a revocation must not stop at one bad file; the case
 * store serves no visit to an entry it cannot read either). */
static int list_entries(const char *root, struct ca_consultant *out, int max, int strict)
{
	char dir[4096], id[PKI_CONSULTANT_MAX + 1];
	struct dirent *e;
	DIR *d;
	int n = 0, rc = 0;

	if (layout_path(root, LAYOUT_CASESTORE, CONSULTANTS, dir, sizeof(dir)) < 0)
		return -1;
	d = opendir(dir);
	if (!d)
		return errno == ENOENT ? 0 : error("cannot read %s: %s", dir, strerror(errno));
	while (rc == 0 && (e = readdir(d)) != NULL) {
		if (!entry_name(e->d_name, id, sizeof(id)))
			continue;
		if (n == max)
			rc = error("more than %d consultants in %s", max, dir);
		else if (ca_consultant_get(root, id, &out[n]) == 0)
			n++;
		else if (strict)
			rc = -1;
		else
			warning("%s/%s is skipped: check by hand which device it names", dir, e->d_name);
	}
	closedir(d);
	if (rc < 0)
		return -1;
	qsort(out, (size_t)n, sizeof(*out), by_id);
	return n;
}

int ca_consultant_list(const char *root, struct ca_consultant *out, int max)
{
	return list_entries(root, out, max, 1);
}

int ca_consultants_disable_device(const char *root, const char *device)
{
	struct ca_consultant *all = calloc(CA_CONSULTANTS_MAX, sizeof(*all));
	int n = all ? list_entries(root, all, CA_CONSULTANTS_MAX, 0) : error("out of memory");
	int done = 0;

	for (int i = 0; i < n && done >= 0; i++) {
		if (strcmp(all[i].device, device) || strcmp(all[i].state, CA_CONSULTANT_ACTIVE))
			continue;
		if (ca_consultant_disable(root, all[i].id) < 0)
			done = -1;
		else
			done++;
	}
	free(all);
	return n < 0 ? -1 : done;
}

int ca_make_visit_signer(const char *root)
{
	char office[4096];
	X509 *ca = NULL;
	EVP_PKEY *cakey = NULL;
	int rc = -1;

	if (layout_dir(root, LAYOUT_OFFICE, office, sizeof(office)) < 0)
		return -1;
	if (access(office, F_OK) < 0)
		return error("%s does not exist: is %s a layout root (inloopctl init-demo)?", office, root);
	if (ca_exists_in(office, VISIT_SIGNER_KEY) || ca_exists_in(office, VISIT_SIGNER_PEM))
		return error("%s already holds %s: the office has its visit signer", office, VISIT_SIGNER_KEY);
	if (ca_load_ca(root, &ca, &cakey) == 0 &&
	    ca_make_keypair(office, "visit-signer", ca, cakey, "office", PKI_VISIT_SIGNER) == 0)
		rc = 0;
	X509_free(ca);
	EVP_PKEY_free(cakey);
	return rc;
}
