/*
 * page_devices.c — the devices page (ICT; issue 11 "Devices"): each enrolled device with
 * its location, mode, last upload, records received, missing sequence numbers,
 * certificate expiry and revocation state, and revoke with a typed confirmation. Only
 * counts and device facts are shown: never a record's contents.
 */
#include "sync/office/web.h"
#include "sync/office/html.h"
#include "sync/office/odb.h"
#include "sync/ca/ca.h"
#include "sync/record/pki.h"
#include "platform/util.h"

#include <dirent.h>
#include <event2/buffer.h>
#include <openssl/asn1.h>
#include <stdlib.h>
#include <string.h>

struct device_facts {
	char location[128], mode[16], last[32], expiry[32];
	long long received, missing;
	int revoked;
};

/* From the index: location and mode of the newest record, counts and missing numbers. */
static void index_facts(sqlite3 *db, const char *name, struct device_facts *f)
{
	sqlite3_stmt *st = odb_prep(db, "SELECT count(*), coalesce(max(seq), 0) - count(DISTINCT seq),"
		" max(received_at), (SELECT location FROM records WHERE device = ?1 ORDER BY received_at DESC LIMIT 1),"
		" (SELECT mode FROM records WHERE device = ?1 ORDER BY received_at DESC LIMIT 1)"
		" FROM records WHERE device = ?1");

	snprintf(f->last, sizeof(f->last), "-");
	if (st) {
		sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
		if (sqlite3_step(st) == SQLITE_ROW) {
			time_t t = (time_t)sqlite3_column_int64(st, 2);
			struct tm tm;
			f->received = sqlite3_column_int64(st, 0);
			f->missing = sqlite3_column_int64(st, 1);
			if (t && localtime_r(&t, &tm))
				strftime(f->last, sizeof(f->last), "%Y-%m-%d %H:%M", &tm);
			snprintf(f->location, sizeof(f->location), "%s",
				 sqlite3_column_text(st, 3) ? (const char *)sqlite3_column_text(st, 3) : "-");
			snprintf(f->mode, sizeof(f->mode), "%s",
				 sqlite3_column_text(st, 4) ? (const char *)sqlite3_column_text(st, 4) : "-");
		}
	}
	sqlite3_finalize(st);
}

/* From devices/NAME.pem and devices/revoked.txt. */
static void cert_facts(const char *dir, const char *name, struct device_facts *f)
{
	char path[4096], *text = NULL, needle[80];
	X509 *cert = NULL;
	size_t len;

	snprintf(f->expiry, sizeof(f->expiry), "?");
	if (util_fmt(path, sizeof(path), "%s/casestore/devices/%s.pem", dir, name) >= 0 && pki_load_cert(path, &cert) == 0) {
		struct tm tm;
		if (ASN1_TIME_to_tm(X509_get0_notAfter(cert), &tm) == 1)
			strftime(f->expiry, sizeof(f->expiry), "%Y-%m-%d", &tm);
		X509_free(cert);
	}
	snprintf(needle, sizeof(needle), " %s\n", name);
	if (util_fmt(path, sizeof(path), "%s/casestore/devices/revoked.txt", dir) >= 0 &&
	    util_read_file(path, 1 << 20, &text, &len) == 0) {
		f->revoked = strstr(text, needle) != NULL;
		free(text);
	}
}

static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The enrolled device names (devices/NAME.pem), sorted; caller frees each and the array. */
static size_t device_names(const char *dir, char ***out)
{
	char path[4096], **v = NULL;
	size_t n = 0, cap = 0;
	struct dirent *e;
	DIR *d;

	*out = NULL;
	if (util_fmt(path, sizeof(path), "%s/casestore/devices", dir) < 0 || !(d = opendir(path)))
		return 0;
	while ((e = readdir(d)) != NULL) {
		size_t l = strlen(e->d_name);
		if (l < 5 || strcmp(e->d_name + l - 4, ".pem") || e->d_name[0] == '.')
			continue;
		if (n == cap) {
			char **p = realloc(v, (cap = cap ? cap * 2 : 16) * sizeof(*v));
			if (!p)
				break;
			v = p;
		}
		if ((v[n] = strndup(e->d_name, l - 4)) != NULL)
			n++;
	}
	closedir(d);
	if (n)
		qsort(v, n, sizeof(*v), name_cmp);
	*out = v;
	return n;
}

static void device_row(struct req *q, const char *name)
{
	struct device_facts f = { 0 };

	index_facts(q->of->db, name, &f);
	cert_facts(q->of->o->dir, name, &f);
	html_printf(q->out, "<tr class=\"utrecht-table__row\" data-device=\"%s\" data-revoked=\"%d\" data-missing=\"%L\">"
		    "<th scope=\"row\" class=\"utrecht-table__header-cell\">%s</th><td class=\"utrecht-table__cell\">%s</td>"
		    "<td class=\"utrecht-table__cell\">%s</td><td class=\"utrecht-table__cell\">%s</td>"
		    "<td class=\"utrecht-table__cell\">%L</td><td class=\"utrecht-table__cell\">%L</td>"
		    "<td class=\"utrecht-table__cell\">%s</td><td class=\"utrecht-table__cell\">",
		    name, f.revoked, f.missing, name, f.location, !strcmp(f.mode, "field") ? W_(q, "huisbezoek") :
		    !strcmp(f.mode, "kiosk") ? W_(q, "kiosk") : f.mode, f.last, f.received, f.missing, f.expiry);
	if (f.revoked)
		html_printf(q->out, "<span class=\"utrecht-status-badge utrecht-status-badge--danger\">%s</span>",
			    W_(q, "Ingetrokken"));
	else
		html_printf(q->out, "%s", W_(q, "Actief"));
	evbuffer_add_printf(q->out, "</td></tr>");
}

static void revoke_form(struct req *q)
{
	html_printf(q->out, "<h2 class=\"utrecht-heading-2\">%s</h2>"
		    "<form method=\"post\" action=\"/devices\" class=\"office-form\" id=\"f-revoke\">",
		    W_(q, "Apparaat intrekken"));
	web_csrf_field(q);
	html_printf(q->out, "<div class=\"utrecht-form-field\"><div class=\"utrecht-form-field__label\">"
		"<label class=\"utrecht-form-label\" for=\"name\">%s</label></div><div class=\"utrecht-form-field__input\">"
		"<input class=\"utrecht-textbox utrecht-textbox--html-input\" id=\"name\" name=\"name\" required></div></div>"
		"<div class=\"utrecht-form-field\"><div class=\"utrecht-form-field__label\"><label class=\"utrecht-form-label\""
		" for=\"confirm\">%s</label></div><div class=\"utrecht-form-field__input\">"
		"<input class=\"utrecht-textbox utrecht-textbox--html-input\" id=\"confirm\" name=\"confirm\" required></div></div>"
		"<div class=\"utrecht-button-group\"><button type=\"submit\" id=\"do-revoke\" class=\"utrecht-button"
		" utrecht-button--primary-action\">%s</button></div></form>", W_(q, "Apparaat"),
		W_(q, "Typ de naam nog eens ter bevestiging"), W_(q, "Intrekken"));
}

/* The devices table and the revoke form (the page between begin and end). */
static void devices_body(struct req *q)
{
	static const char *const cols[] = { WN_("Apparaat"), WN_("Locatie"), WN_("Soort"), WN_("Laatste upload"),
					    WN_("Ontvangen"), WN_("Ontbrekend"), WN_("Certificaat geldig tot"), WN_("Status") };
	char **names = NULL;
	size_t n = device_names(q->of->o->dir, &names);

	html_printf(q->out, "<h1 class=\"utrecht-heading-1\">%s</h1><table class=\"utrecht-table"
		    " utrecht-table--html-table\" id=\"devices\"><caption class=\"utrecht-table__caption\">"
		    "%s</caption><thead class=\"utrecht-table__header\"><tr class=\"utrecht-table__row\">",
		    W_(q, "Apparaten"), W_(q, "Ingeschreven apparaten"));
	for (size_t i = 0; i < sizeof(cols) / sizeof(cols[0]); i++)
		html_printf(q->out, "<th scope=\"col\" class=\"utrecht-table__header-cell\">%s</th>", W_(q, cols[i]));
	evbuffer_add_printf(q->out, "</tr></thead><tbody class=\"utrecht-table__body\">");
	for (size_t i = 0; i < n; i++) {
		device_row(q, names[i]);
		free(names[i]);
	}
	free(names);
	evbuffer_add_printf(q->out, "</tbody></table>");
	revoke_form(q);
}

void page_devices(struct req *q)
{
	web_page_begin(q, "Apparaten");
	devices_body(q);
	web_page_end(q, 200);
}

/* What a revocation did, as one alert above the table: data-revoke is the kind (done, crl-pending,
 * crl-failed, consultants-left), the sentence says what holds now and what follows. */
static void revoke_outcome(struct req *q, const char *name, const char *kind, const char *level,
			   const char *sentence)
{
	web_page_begin(q, "Apparaten");
	html_printf(q->out, "<div class=\"utrecht-alert utrecht-alert--%r\" role=\"status\" id=\"revoked\""
		    " data-revoke=\"%r\" data-device=\"%s\"><div class=\"utrecht-alert__content\"><p"
		    " class=\"utrecht-alert__message utrecht-paragraph\"><strong>%s</strong> %s</p></div></div>",
		    level, kind, name, name, W_(q, sentence));
	devices_body(q);
	web_page_end(q, !strcmp(kind, "consultants-left") ? 500 : 200);
}

/*
 * Revokes in the order that leaves no state reported wrongly: the audit line (none: nothing
 * is done), the registry (revoked.txt; failed: nothing changed, 409), the device's
 * consultants (failed: revoked, but said so, 500), then the CRL only where ca.key is
 * readable; the office of the production layout holds no CA key, so there the CRL follows
 * at the CA's next `inloopctl crl renew` (the daily timer), which re-signs whenever the CRL
 * lacks a serial of revoked.txt. The case store refuses the device from its next request
 * either way, since it reads revoked.txt, not the CRL, on every connection and request.
 */
void page_devices_post(struct req *q)
{
	const char *name = web_arg(q, "name"), *confirm = web_arg(q, "confirm"), *dir = q->of->o->dir;
	int n;

	if (!name || !confirm || strcmp(name, confirm) != 0 || pki_check_name(name) < 0)
		return web_fail(q, 400, "Niet ingetrokken", "Typ twee keer dezelfde, bestaande apparaatnaam.");
	if (web_audit(q, "device-revoke", name) < 0)
		return web_fail(q, 503, "Auditlog", "Het auditlog kan niet worden geschreven.");
	if ((n = ca_revoke_registry(dir, name)) == CA_REVOKE_NOT_DONE) {
		web_audit(q, "device-revoke-failed", name);
		return web_fail(q, 409, "Niet ingetrokken", "Dit apparaat kon niet worden ingetrokken.");
	}
	if (n == CA_REVOKE_CONSULTANTS_LEFT)
		return revoke_outcome(q, name, "consultants-left", "error", "is ingetrokken: de casestore weigert het nu."
				      " Niet elke consulent van dit apparaat kon worden uitgeschakeld: schakel ze uit onder Consulenten.");
	if (!ca_key_readable(dir))
		return revoke_outcome(q, name, "crl-pending", "ok", "is ingetrokken: de casestore weigert het vanaf nu."
				      " De intrekkingslijst (CRL) volgt bij de volgende vernieuwing door de CA (inloopctl crl renew, dagelijks).");
	if (ca_write_crl(dir) < 0)
		return revoke_outcome(q, name, "crl-failed", "warning", "is ingetrokken: de casestore weigert het vanaf nu."
				      " De intrekkingslijst (CRL) kon nu niet worden vernieuwd; hij volgt bij de volgende inloopctl crl renew.");
	revoke_outcome(q, name, "done", "ok", "is ingetrokken: de casestore weigert het vanaf nu en de intrekkingslijst (CRL) is vernieuwd.");
}
