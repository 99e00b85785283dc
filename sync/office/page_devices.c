/*
 * page_devices.c — the devices page (ICT; issue 11 "Devices"): each enrolled device with
 * its location, mode, last upload, records received, missing sequence numbers,
 * certificate expiry and revocation state, and revoke with a typed confirmation. Only
 * counts and device facts are shown: never a record's contents.
 */
#include "sync/office/web.h"
#include "sync/office/html.h"
#include "sync/office/odb.h"
#include "sync/ctl_pki.h"
#include "sync/pki.h"
#include "app/util.h"

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
		    "<td class=\"utrecht-table__cell\">%s</td><td class=\"utrecht-table__cell\">%r</td></tr>",
		    name, f.revoked, f.missing, name, f.location, !strcmp(f.mode, "field") ? "huisbezoek" : f.mode, f.last,
		    f.received, f.missing, f.expiry, f.revoked ? "<span class=\"utrecht-status-badge"
		    " utrecht-status-badge--danger\">Ingetrokken</span>" : "Actief");
}

static void revoke_form(struct req *q)
{
	evbuffer_add_printf(q->out, "<h2 class=\"utrecht-heading-2\">Apparaat intrekken</h2>"
			    "<form method=\"post\" action=\"/devices\" class=\"office-form\" id=\"f-revoke\">");
	web_csrf_field(q);
	evbuffer_add_printf(q->out, "<div class=\"utrecht-form-field\"><div class=\"utrecht-form-field__label\">"
		"<label class=\"utrecht-form-label\" for=\"name\">Apparaat</label></div><div class=\"utrecht-form-field__input\">"
		"<input class=\"utrecht-textbox utrecht-textbox--html-input\" id=\"name\" name=\"name\" required></div></div>"
		"<div class=\"utrecht-form-field\"><div class=\"utrecht-form-field__label\"><label class=\"utrecht-form-label\""
		" for=\"confirm\">Typ de naam nog eens ter bevestiging</label></div><div class=\"utrecht-form-field__input\">"
		"<input class=\"utrecht-textbox utrecht-textbox--html-input\" id=\"confirm\" name=\"confirm\" required></div></div>"
		"<div class=\"utrecht-button-group\"><button type=\"submit\" id=\"do-revoke\" class=\"utrecht-button"
		" utrecht-button--primary-action\">Intrekken</button></div></form>");
}

void page_devices(struct req *q)
{
	static const char *const cols[] = { "Apparaat", "Locatie", "Soort", "Laatste upload", "Ontvangen",
					    "Ontbrekend", "Certificaat geldig tot", "Status" };
	char **names = NULL;
	size_t n = device_names(q->of->o->dir, &names);

	web_page_begin(q, "Apparaten");
	evbuffer_add_printf(q->out, "<h1 class=\"utrecht-heading-1\">Apparaten</h1><table class=\"utrecht-table"
			    " utrecht-table--html-table\" id=\"devices\"><caption class=\"utrecht-table__caption\">"
			    "Ingeschreven apparaten</caption><thead class=\"utrecht-table__header\"><tr class=\"utrecht-table__row\">");
	for (size_t i = 0; i < sizeof(cols) / sizeof(cols[0]); i++)
		html_printf(q->out, "<th scope=\"col\" class=\"utrecht-table__header-cell\">%r</th>", cols[i]);
	evbuffer_add_printf(q->out, "</tr></thead><tbody class=\"utrecht-table__body\">");
	for (size_t i = 0; i < n; i++) {
		device_row(q, names[i]);
		free(names[i]);
	}
	free(names);
	evbuffer_add_printf(q->out, "</tbody></table>");
	revoke_form(q);
	web_page_end(q, 200);
}

void page_devices_post(struct req *q)
{
	const char *name = web_arg(q, "name"), *confirm = web_arg(q, "confirm");

	if (!name || !confirm || strcmp(name, confirm) != 0 || pki_check_name(name) < 0)
		return web_fail(q, 400, "Niet ingetrokken", "Typ twee keer dezelfde, bestaande apparaatnaam.");
	if (web_audit(q, "device-revoke", name) < 0 || ca_revoke(q->of->o->dir, name) < 0)
		return web_fail(q, 409, "Niet ingetrokken", "Dit apparaat kon niet worden ingetrokken.");
	web_redirect(q, "/devices");
}
