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
#include "platform/util.h"

#include <event2/buffer.h>
#include <openssl/asn1.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define CONSULTANTS_SHOWN 1000     /* rows on the page, at most */

struct consultant_row {
	char id[VISITS_ID_MAX + 1], device[PKI_NAME_MAX + 1], state[16], expiry[16];
	int waiting;                   /* visits in the spool */
};

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

/* Every registry entry (ca_consultant_list, sorted by id) with its certificate's expiry
 * and spooled visits; caller frees *out. The count, or -1 when the registry cannot be read
 * (a damaged entry: ICT must look). */
static int list_consultants(const char *root, struct consultant_row **out)
{
	struct ca_consultant *c = calloc(CONSULTANTS_SHOWN, sizeof(*c));
	struct consultant_row *v = calloc(CONSULTANTS_SHOWN, sizeof(*v));
	char cs[4096];
	int n = -1;

	*out = v;
	if (c && v && util_fmt(cs, sizeof(cs), "%s/casestore", root) >= 0)
		n = ca_consultant_list(root, c, CONSULTANTS_SHOWN);
	for (int i = 0; i < n; i++) {
		snprintf(v[i].id, sizeof(v[i].id), "%s", c[i].id);
		snprintf(v[i].device, sizeof(v[i].device), "%s", c[i].device);
		snprintf(v[i].state, sizeof(v[i].state), "%s", c[i].state);
		cert_expiry(root, &v[i]);
		v[i].waiting = visits_count(cs, v[i].id);
	}
	free(c);
	return n;
}

static void consultant_row(struct req *q, const struct consultant_row *f)
{
	int active = !strcmp(f->state, CA_CONSULTANT_ACTIVE);

	html_printf(q->out, "<tr class=\"utrecht-table__row\" data-consultant=\"%s\" data-device=\"%s\" data-state=\"%s\""
		    " data-expiry=\"%s\" data-waiting=\"%d\"><th scope=\"row\" class=\"utrecht-table__header-cell\">%s</th>"
		    "<td class=\"utrecht-table__cell\">%s</td><td class=\"utrecht-table__cell\">%s</td>"
		    "<td class=\"utrecht-table__cell\">%d</td><td class=\"utrecht-table__cell\">",
		    f->id, f->device, f->state, f->expiry, f->waiting, f->id, f->device, f->expiry, f->waiting);
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
	int n = list_consultants(q->of->o->dir, &rows);

	web_page_begin(q, "Consulenten");
	html_printf(q->out, "<h1 class=\"utrecht-heading-1\">%s</h1><table class=\"utrecht-table"
		    " utrecht-table--html-table\" id=\"consultants\"><caption class=\"utrecht-table__caption\">"
		    "%s</caption><thead class=\"utrecht-table__header\"><tr class=\"utrecht-table__row\">",
		    W_(q, "Consulenten"), W_(q, "Consulenten met een sleutel op een laptop"));
	for (size_t i = 0; i < sizeof(cols) / sizeof(cols[0]); i++)
		html_printf(q->out, "<th scope=\"col\" class=\"utrecht-table__header-cell\">%s</th>", W_(q, cols[i]));
	evbuffer_add_printf(q->out, "</tr></thead><tbody class=\"utrecht-table__body\">");
	for (int i = 0; i < n; i++)
		consultant_row(q, &rows[i]);
	free(rows);
	evbuffer_add_printf(q->out, "</tbody></table>");
	if (n < 0)
		html_printf(q->out, "<div class=\"utrecht-alert utrecht-alert--error\" id=\"registry-damaged\"><div"
			    " class=\"utrecht-alert__content\"><p class=\"utrecht-alert__message utrecht-paragraph\">%s</p>"
			    "</div></div>", 
			    W_(q, "Het register van consulenten kan niet worden gelezen: een bestand is beschadigd."));
	disable_form(q);
	web_page_end(q, 200);
}

void page_consultants_post(struct req *q)
{
	const char *id = web_arg(q, "id"), *confirm = web_arg(q, "confirm");
	char cs[4096];

	if (!id || !confirm || strcmp(id, confirm) != 0 || !visit_consultant_id_ok(id) ||
	    util_fmt(cs, sizeof(cs), "%s/casestore", q->of->o->dir) < 0 ||
	    visits_consultant(cs, id, NULL) == VISITS_UNKNOWN)
		return web_fail(q, 400, "Niet uitgeschakeld", "Typ twee keer dezelfde, bestaande consulent.");
	if (web_audit(q, "consultant-disable", id) < 0 || ca_consultant_disable(q->of->o->dir, id) < 0)
		return web_fail(q, 409, "Niet uitgeschakeld", "Deze consulent kon niet worden uitgeschakeld.");
	if (field_visit_withdraw_all(q, id) < 0)
		return web_fail(q, 500, "Uitgeschakeld", "De consulent is uitgeschakeld, maar niet elk bezoek kon uit de wachtrij.");
	web_redirect(q, "/consultants");
}
