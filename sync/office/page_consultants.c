/*
 * page_consultants.c — the consultants page (ICT; issue 12): each consultant of the
 * registry (ROOT/casestore/consultants/ID.json) with the device their key lives on, their
 * state, their certificate's expiry and the visits still waiting in the spool, and
 * "disable" behind a typed confirmation (and the CSRF check every POST passes). Disabling
 * is audited, stops the office sealing visits to them, empties their spool, and makes the
 * case store answer 410, after which their laptop removes them. Never a record's contents.
 */
#include "sync/office/web.h"
#include "sync/office/field_visit.h"
#include "sync/office/html.h"
#include "sync/casestore/visits.h"
#include "sync/ca/ca.h"
#include "sync/record/pki.h"
#include "sync/record/record.h"
#include "platform/util.h"

#include <dirent.h>
#include <errno.h>
#include <event2/buffer.h>
#include <openssl/asn1.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define CONSULTANTS_SHOWN 1000     /* rows on the page, at most */
#define ENTRY_MAX 4096

struct consultant_row {
	char id[VISITS_ID_MAX + 1], device[PKI_NAME_MAX + 1], state[16], expiry[16];
	int waiting;                   /* visits in the spool */
};

static int id_cmp(const void *a, const void *b)
{
	return strcmp(((const struct consultant_row *)a)->id, ((const struct consultant_row *)b)->id);
}

/* The certificate's last day (office/consultants/ID.pem, or .pem.disabled) into f->expiry. */
static void cert_expiry(const char *root, struct consultant_row *f)
{
	static const char *const ends[] = { ".pem", ".pem.disabled" };
	char path[4096];
	X509 *cert = NULL;
	struct tm tm;

	snprintf(f->expiry, sizeof(f->expiry), "?");
	for (size_t i = 0; i < 2 && !cert; i++)
		if (util_fmt(path, sizeof(path), "%s/office/consultants/%s%s", root, f->id, ends[i]) < 0 ||
		    access(path, R_OK) < 0 || pki_load_cert(path, &cert) < 0)
			cert = NULL;
	if (cert && ASN1_TIME_to_tm(X509_get0_notAfter(cert), &tm) == 1)
		strftime(f->expiry, sizeof(f->expiry), "%Y-%m-%d", &tm);
	X509_free(cert);
}

/* The visits of f->id waiting in the spool. */
static int spooled(const char *cs, const char *id)
{
	char path[4096];
	struct dirent *e;
	int n = 0;
	DIR *d;

	if (util_fmt(path, sizeof(path), "%s/visits/%s", cs, id) < 0 || !(d = opendir(path)))
		return 0;
	while ((e = readdir(d)) != NULL)
		n += strlen(e->d_name) == VISITS_VISIT_ID_LEN + 4 && !strcmp(e->d_name + VISITS_VISIT_ID_LEN, ".cms");
	closedir(d);
	return n;
}

/* One registry file (consultants/NAME) into f: 0, or -1 when it is not a consultant entry. */
static int read_entry(const char *dir, const char *name, struct consultant_row *f)
{
	size_t n = strlen(name);
	char path[4096];
	json_t *e;
	int rc = -1;

	if (n < 6 || n - 5 > VISITS_ID_MAX || strcmp(name + n - 5, ".json"))
		return -1;
	memset(f, 0, sizeof(*f));
	memcpy(f->id, name, n - 5);
	if (!visits_id_ok(f->id) || util_fmt(path, sizeof(path), "%s/%s", dir, name) < 0 ||
	    !(e = util_json_load_file(path, ENTRY_MAX)))
		return -1;
	if (json_is_string(json_object_get(e, "device")) && json_is_string(json_object_get(e, "state"))) {
		snprintf(f->device, sizeof(f->device), "%s", json_string_value(json_object_get(e, "device")));
		snprintf(f->state, sizeof(f->state), "%s", json_string_value(json_object_get(e, "state")));
		rc = 0;
	}
	json_decref(e);
	return rc;
}

/* Every readable registry entry, sorted by id; caller frees *out. The count. */
static size_t list_consultants(const char *root, struct consultant_row **out)
{
	char dir[4096], cs[4096];
	struct consultant_row *v = calloc(CONSULTANTS_SHOWN, sizeof(*v));
	struct dirent *e;
	size_t n = 0;
	DIR *d;

	*out = v;
	if (!v || util_fmt(cs, sizeof(cs), "%s/casestore", root) < 0 ||
	    util_fmt(dir, sizeof(dir), "%s/consultants", cs) < 0 || !(d = opendir(dir)))
		return 0;
	while ((e = readdir(d)) != NULL && n < CONSULTANTS_SHOWN) {
		if (e->d_name[0] == '.' || read_entry(dir, e->d_name, &v[n]) < 0)
			continue;
		cert_expiry(root, &v[n]);
		v[n].waiting = spooled(cs, v[n].id);
		n++;
	}
	closedir(d);
	qsort(v, n, sizeof(*v), id_cmp);
	return n;
}

static void consultant_row(struct req *q, const struct consultant_row *f)
{
	int active = !strcmp(f->state, "active");

	html_printf(q->out, "<tr class=\"utrecht-table__row\" data-consultant=\"%s\" data-device=\"%s\" data-state=\"%s\""
		    " data-expiry=\"%s\"><th scope=\"row\" class=\"utrecht-table__header-cell\">%s</th>"
		    "<td class=\"utrecht-table__cell\">%s</td><td class=\"utrecht-table__cell\">%s</td>"
		    "<td class=\"utrecht-table__cell\">%d</td><td class=\"utrecht-table__cell\">",
		    f->id, f->device, f->state, f->expiry, f->id, f->device, f->expiry, f->waiting);
	if (active)
		html_printf(q->out, "%s", W_(q, "Actief"));
	else
		html_printf(q->out, "<span class=\"utrecht-status-badge utrecht-status-badge--danger\">%s</span>",
			    W_(q, "Uitgeschakeld"));
	evbuffer_add_printf(q->out, "</td></tr>");
}

static void disable_form(struct req *q)
{
	html_printf(q->out, "<h2 class=\"utrecht-heading-2\">%s</h2><p class=\"utrecht-paragraph\">%s</p>"
		    "<form method=\"post\" action=\"/consultants\" class=\"office-form\" id=\"f-disable\">",
		    W_(q, "Consulent uitschakelen"),
		    W_(q, "Er gaan geen bezoeken meer naar deze consulent; bij de volgende synchronisatie verdwijnen de consulent, de sleutel, de concepten en de bezoeken van de laptop."));
	web_csrf_field(q);
	html_printf(q->out, "<div class=\"utrecht-form-field\"><div class=\"utrecht-form-field__label\">"
		"<label class=\"utrecht-form-label\" for=\"id\">%s</label></div><div class=\"utrecht-form-field__input\">"
		"<input class=\"utrecht-textbox utrecht-textbox--html-input\" id=\"id\" name=\"id\" required></div></div>"
		"<div class=\"utrecht-form-field\"><div class=\"utrecht-form-field__label\"><label class=\"utrecht-form-label\""
		" for=\"confirm\">%s</label></div><div class=\"utrecht-form-field__input\">"
		"<input class=\"utrecht-textbox utrecht-textbox--html-input\" id=\"confirm\" name=\"confirm\" required></div></div>"
		"<div class=\"utrecht-button-group\"><button type=\"submit\" id=\"do-disable\" class=\"utrecht-button"
		" utrecht-button--primary-action\">%s</button></div></form>", W_(q, "Consulent"),
		W_(q, "Typ de naam nog eens ter bevestiging"), W_(q, "Uitschakelen"));
}

void page_consultants(struct req *q)
{
	static const char *const cols[] = { WN_("Consulent"), WN_("Apparaat"), WN_("Certificaat geldig tot"),
					    WN_("Bezoeken klaar"), WN_("Status") };
	struct consultant_row *rows = NULL;
	size_t n = list_consultants(q->of->o->dir, &rows);

	web_page_begin(q, "Consulenten");
	html_printf(q->out, "<h1 class=\"utrecht-heading-1\">%s</h1><table class=\"utrecht-table"
		    " utrecht-table--html-table\" id=\"consultants\"><caption class=\"utrecht-table__caption\">"
		    "%s</caption><thead class=\"utrecht-table__header\"><tr class=\"utrecht-table__row\">",
		    W_(q, "Consulenten"), W_(q, "Consulenten met een sleutel op een laptop"));
	for (size_t i = 0; i < sizeof(cols) / sizeof(cols[0]); i++)
		html_printf(q->out, "<th scope=\"col\" class=\"utrecht-table__header-cell\">%s</th>", W_(q, cols[i]));
	evbuffer_add_printf(q->out, "</tr></thead><tbody class=\"utrecht-table__body\">");
	for (size_t i = 0; i < n; i++)
		consultant_row(q, &rows[i]);
	free(rows);
	evbuffer_add_printf(q->out, "</tbody></table>");
	disable_form(q);
	web_page_end(q, 200);
}

/* Until sync/ca's ca_consultant_disable is merged (visitkeys): the registry entry's state
 * "disabled" (written atomically, 0644) and office/consultants/ID.pem moved to .disabled. */
static int consultant_disable_here(const char *root, const char *id)
{
	char path[4096], pem[4096], off[4200], now[40], *text = NULL;
	json_t *e;
	int rc = -1;

	if (util_fmt(path, sizeof(path), "%s/casestore/consultants/%s.json", root, id) < 0 ||
	    !(e = util_json_load_file(path, ENTRY_MAX)))
		return -1;
	if (record_time_format(time(NULL), now) == 0 &&
	    json_object_set_new(e, "state", json_string("disabled")) == 0 &&
	    json_object_set_new(e, "changed", json_string(now)) == 0)
		text = json_dumps(e, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(e);
	if (text)
		rc = util_write_file(path, text, strlen(text), 0644);
	free(text);
	if (rc == 0 && util_fmt(pem, sizeof(pem), "%s/office/consultants/%s.pem", root, id) >= 0 &&
	    util_fmt(off, sizeof(off), "%s.disabled", pem) >= 0 && rename(pem, off) < 0 && errno != ENOENT)
		rc = error("cannot move %s aside: %s", pem, strerror(errno));
	return rc;
}

void page_consultants_post(struct req *q)
{
	const char *id = web_arg(q, "id"), *confirm = web_arg(q, "confirm");
	char cs[4096];

	if (!id || !confirm || strcmp(id, confirm) != 0 || !visits_id_ok(id) ||
	    util_fmt(cs, sizeof(cs), "%s/casestore", q->of->o->dir) < 0 ||
	    visits_consultant(cs, id, NULL) == VISITS_UNKNOWN)
		return web_fail(q, 400, "Niet uitgeschakeld", "Typ twee keer dezelfde, bestaande consulent.");
	if (web_audit(q, "consultant-disable", id) < 0 || consultant_disable_here(q->of->o->dir, id) < 0)
		return web_fail(q, 409, "Niet uitgeschakeld", "Deze consulent kon niet worden uitgeschakeld.");
	if (field_visit_withdraw_all(q, id) < 0)
		return web_fail(q, 500, "Uitgeschakeld", "De consulent is uitgeschakeld, maar niet elk bezoek kon uit de wachtrij.");
	web_redirect(q, "/consultants");
}
