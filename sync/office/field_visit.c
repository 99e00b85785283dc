/*
 * field_visit.c — sealing a visit when a record is assigned to a consultant, spooling it
 * for the case store, withdrawing it on reassignment, and the record page's line about it
 * (field_visit.h). The visit's contents exist in plaintext only in memory, between the
 * opened record and visit_seal, and are wiped there; the spool and the database hold
 * ciphertext and ids.
 */
#include "sync/office/field_visit.h"
#include "sync/office/web.h"
#include "sync/office/html.h"
#include "sync/office/odb.h"
#include "sync/office/openrec.h"
#include "sync/record/record.h"
#include "sync/record/visit.h"
#include "platform/util.h"

#include <errno.h>
#include <event2/buffer.h>
#include <openssl/crypto.h>
#include <openssl/rand.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define WITHDRAW_MAX 64          /* open visits of one record or consultant handled per call */

#define logf_(...) util_log("office", __VA_ARGS__)

static const char table_sql[] =
	"CREATE TABLE IF NOT EXISTS visits("
	" visit_id TEXT PRIMARY KEY NOT NULL, record_id TEXT NOT NULL, consultant TEXT NOT NULL,"
	" sent_at INTEGER NOT NULL, ended_at INTEGER, ended TEXT);"   /* withdrawn, superseded, disabled */
	"CREATE INDEX IF NOT EXISTS visits_rec ON visits(record_id, ended_at);"
	"CREATE INDEX IF NOT EXISTS visits_who ON visits(consultant, ended_at);";

/* The visits table, made on first use (older office databases lack it). */
static int ensure_table(sqlite3 *db)
{
	return odb_exec(db, table_sql, "visits table");
}

static int folder_of(const struct req *q, const char *part, char *buf, size_t size)
{
	return util_fmt(buf, size, "%s/%s", q->of->o->dir, part);
}

/* 1 when user has an active consultant certificate: office/consultants/USER.pem (a
 * regular file) and a registry entry in state "active"; its path into cert. */
static int consultant_active(const struct req *q, const char *user, char *cert, size_t size)
{
	char cs[4096];
	struct stat st;

	if (!visit_consultant_id_ok(user) || folder_of(q, "casestore", cs, sizeof(cs)) < 0 ||
	    util_fmt(cert, size, "%s/office/consultants/%s.pem", q->of->o->dir, user) < 0)
		return 0;
	if (lstat(cert, &st) < 0 || !S_ISREG(st.st_mode))
		return 0;
	return visits_consultant(cs, user, NULL) == VISITS_ACTIVE;
}

int field_visit_is_consultant(const struct req *q, const char *user)
{
	char cert[4096];

	return consultant_active(q, user, cert, sizeof(cert));
}

/* 32 random hex digits into out. */
static int new_visit_id(char out[VISITS_VISIT_ID_LEN + 1])
{
	unsigned char raw[VISITS_VISIT_ID_LEN / 2];

	if (RAND_bytes(raw, sizeof(raw)) != 1)
		return error("no random bytes for a visit id");
	for (size_t i = 0; i < sizeof(raw); i++)
		snprintf(out + 2 * i, 3, "%02x", raw[i]);
	return 0;
}

/* ---- the visit's JSON ---- */

/* dst[key] = src[from] when that is a string. */
static int copy_text(json_t *dst, const char *key, const json_t *src, const char *from)
{
	json_t *v = json_object_get(src, from);

	return json_is_string(v) ? json_object_set(dst, key, v) : 0;
}

/* The office's crisis as the answers name it: the kinds, ["none"], or "unknown". */
static json_t *visit_crisis(const json_t *crisis)
{
	const json_t *kinds = json_object_get(crisis, "kinds");

	if (json_is_true(json_object_get(crisis, "unknown")))
		return json_string("unknown");
	if (json_array_size(kinds))
		return json_deep_copy(kinds);
	return json_pack("[s]", "none");
}

/* The visit of the opened, re-checked record rec; caller util_clear_free's the text. */
static char *visit_text(const json_t *rec, const struct field_visit *v, const char *ref, time_t now)
{
	const json_t *a = json_object_get(rec, RECORD_F_ANSWERS), *crisis = json_object_get(rec, RECORD_F_CRISIS);
	static const char *const person[] = { "name", "contact", "phone", "email", "postcode", "house_number" };
	char due[11], at[40], *text = NULL;
	struct ymd d;
	json_t *j;
	int bad = 0;

	if (openrec_due(rec, &d) < 0 || record_time_format(now, at) < 0)
		return NULL;
	ymd_format(d, due);
	j = json_pack("{s:s, s:i, s:s, s:s, s:O, s:s}", VISIT_F_SCHEMA, VISIT_SCHEMA, VISIT_F_VERSION,
		      VISIT_VERSION, VISIT_F_ID, v->visit_id, VISIT_F_CONSULTANT, v->consultant,
		      "record_id", json_object_get(rec, RECORD_F_ID), "reference", ref);
	if (!j)
		return NULL;
	bad |= copy_text(j, "location", rec, RECORD_F_LOCATION);
	for (size_t i = 0; i < sizeof(person) / sizeof(person[0]); i++)
		bad |= copy_text(j, person[i], a, person[i]);
	bad |= json_object_set_new(j, "crisis", visit_crisis(crisis));
	bad |= copy_text(j, "crisis_date", crisis, "known_date");
	bad |= json_object_set_new(j, "deadline", json_string(due));
	bad |= json_object_set_new(j, "acuut", json_boolean(json_is_true(json_object_get(crisis, "acuut"))));
	bad |= json_object_set_new(j, "assigned_at", json_string(at));
	if (!bad)
		text = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(j);   /* jansson wipes on free (util_json_wipe_on_free in the main) */
	return text;
}

/* ---- before the assignment ---- */

const char *field_visit_refusal(enum field_visit_result rc)
{
	switch (rc) {
	case FIELD_VISIT_NO_SIGNER:
		return WN_("Het kantoor kan nu geen bezoek ondertekenen. Vraag ICT de bezoekondertekenaar te maken.");
	case FIELD_VISIT_NOT_OPENED:
		return WN_("Deze aanmelding gaat niet als bezoek naar een laptop: ze opent niet of klopt niet.");
	default:
		return WN_("Het bezoek kon niet worden verzegeld voor deze consulent. Vraag ICT het certificaat na te kijken.");
	}
}

void field_visit_release(struct field_visit *v)
{
	OPENSSL_free(v->der);
	memset(v, 0, sizeof(*v));
}

/* Opens the record and seals its visit with signer s into v. */
static enum field_visit_result seal_visit_of(struct req *q, const struct visit_signer *s, const char *cert,
					     const char *record_id, const char *ref, struct field_visit *v)
{
	struct opened op = { 0 };
	enum field_visit_result rc = FIELD_VISIT_FAILED;
	char why[256], *text = NULL;

	if (openrec_id(&q->of->open, q->of->store, record_id, &op, why, sizeof(why)) != OPENREC_OK) {
		logf_("visit for %s not made: the record does not open (%s)", ref, why);
		return FIELD_VISIT_NOT_OPENED;
	}
	if (!(text = visit_text(op.rec, v, ref, q->now)))
		error("visit for %s: the record lacks a deadline or memory ran out", ref);
	else if (visit_seal(s, cert, text, strlen(text), &v->der, &v->len) == 0)
		rc = FIELD_VISIT_SEALED;
	if (text)
		util_cleanse(text, strlen(text));
	util_clear_free(text);
	opened_release(&op);
	return rc;
}

enum field_visit_result field_visit_prepare(struct req *q, const char *record_id, const char *ref,
					    const char *user, struct field_visit *v)
{
	struct visit_signer *s = NULL;
	char cert[4096], office[4096];
	enum field_visit_result rc;

	memset(v, 0, sizeof(*v));
	if (!consultant_active(q, user, cert, sizeof(cert)))
		return FIELD_VISIT_NONE;
	snprintf(v->consultant, sizeof(v->consultant), "%s", user);
	if (folder_of(q, "office", office, sizeof(office)) < 0 || visit_signer_load(office, &s) < 0) {
		logf_("visit for %s to %s not made: no usable visit signer in %s (inloopctl office-signer)",
		      ref, user, office);
		return FIELD_VISIT_NO_SIGNER;
	}
	rc = new_visit_id(v->visit_id) < 0 ? FIELD_VISIT_FAILED : seal_visit_of(q, s, cert, record_id, ref, v);
	visit_signer_free(s);
	if (rc != FIELD_VISIT_SEALED) {
		logf_("visit for %s to %s not made", ref, user);
		field_visit_release(v);
	}
	return rc;
}

/* ---- after the assignment ---- */

struct open_visit {
	char visit_id[VISITS_VISIT_ID_LEN + 1];
	char consultant[VISITS_ID_MAX + 1];
};

/* The visits not ended yet of sql's ?1 (a record id or a consultant) into out; the count or -1. */
static int open_visits(sqlite3 *db, const char *sql, const char *key, struct open_visit *out, int max)
{
	sqlite3_stmt *st = odb_prep(db, sql);
	int n = 0;

	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	while (n < max && sqlite3_step(st) == SQLITE_ROW) {
		snprintf(out[n].visit_id, sizeof(out[n].visit_id), "%s", (const char *)sqlite3_column_text(st, 0));
		snprintf(out[n].consultant, sizeof(out[n].consultant), "%s", (const char *)sqlite3_column_text(st, 1));
		n++;
	}
	sqlite3_finalize(st);
	return n;
}

static int mark_ended_at(sqlite3 *db, const char *visit_id, const char *how, time_t now)
{
	sqlite3_stmt *st = odb_prep(db, "UPDATE visits SET ended_at = ?2, ended = ?3 WHERE visit_id = ?1");
	int rc;

	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, visit_id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)now);
	sqlite3_bind_text(st, 3, how, -1, SQLITE_STATIC);
	rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
	sqlite3_finalize(st);
	return rc;
}

static int mark_ended(struct req *q, const char *visit_id, const char *how)
{
	return mark_ended_at(q->of->db, visit_id, how, q->now);
}

/* A visit the laptop already fetched: a recall signed by the visit signer goes into the
 * consultant's spool (CS/visits/ID/RECALLID.recall); the laptop erases the visit at its
 * next sync. 0 when spooled; -1 (logged) when the office cannot sign one. */
static int recall_fetched(struct req *q, const char *cs, const struct open_visit *o, const char *reason)
{
	struct visit_signer *s = NULL;
	char office[4096], rid[VISITS_VISIT_ID_LEN + 1];
	const char *ids[1] = { o->visit_id };
	unsigned char *der = NULL;
	size_t len = 0;
	int rc = -1;

	if (folder_of(q, "office", office, sizeof(office)) >= 0 && visit_signer_load(office, &s) == 0 &&
	    new_visit_id(rid) == 0 && visit_recall_sign(s, rid, o->consultant, ids, 1, reason, &der, &len) == 0)
		rc = visits_write_recall(cs, o->consultant, rid, der, len);
	OPENSSL_free(der);
	visit_signer_free(s);
	if (rc == 0)
		logf_("visit %s of %s recalled (%s): recall %s spooled", o->visit_id, o->consultant, reason, rid);
	else
		logf_("visit %s of %s: no recall could be spooled; the laptop erases it after visit_days",
		      o->visit_id, o->consultant);
	return rc;
}

/* Ends one open visit: out of the spool when still there (withdrawn, audited), else it
 * was fetched and a signed recall follows it to the laptop (recalled, audited; without a
 * visit signer it is only superseded and the laptop erases it after its visit_days). */
static int end_visit(struct req *q, const char *cs, const struct open_visit *o, const char *ref,
		     const char *reason)
{
	char target[64];
	int pending = visits_pending(cs, o->consultant, o->visit_id);

	if (pending < 0)
		return error("visit %s of %s: cannot tell whether it is still spooled", o->visit_id, o->consultant);
	snprintf(target, sizeof(target), "%s %s", ref, o->consultant);
	if (pending) {
		if (web_audit(q, "visit-withdrawn", target) < 0 || visits_remove(cs, o->consultant, o->visit_id) < 0)
			return -1;
		return mark_ended(q, o->visit_id, "withdrawn");
	}
	if (recall_fetched(q, cs, o, reason) < 0)
		return mark_ended(q, o->visit_id, "superseded");
	if (web_audit(q, "visit-recalled", target) < 0)
		return -1;
	return mark_ended(q, o->visit_id, "recalled");
}

/* Ends the record's open visits (before a new assignment takes effect, or because the
 * record no longer needs a visit: reason). */
static int withdraw_record(struct req *q, const char *cs, const char *record_id, const char *ref,
			   const char *reason)
{
	struct open_visit o[WITHDRAW_MAX];
	int n = open_visits(q->of->db, "SELECT visit_id, consultant FROM visits WHERE record_id = ?1"
			    " AND ended_at IS NULL", record_id, o, WITHDRAW_MAX);

	for (int i = 0; i < n; i++)
		if (end_visit(q, cs, &o[i], ref, reason) < 0)
			return -1;
	return n < 0 ? -1 : 0;
}

static int remember(struct req *q, const char *record_id, const struct field_visit *v)
{
	sqlite3_stmt *st = odb_prep(q->of->db, "INSERT INTO visits(visit_id, record_id, consultant, sent_at)"
				    " VALUES(?1, ?2, ?3, ?4)");
	int rc;

	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, v->visit_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, record_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, v->consultant, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, (sqlite3_int64)q->now);
	rc = sqlite3_step(st) == SQLITE_DONE ? 0 : error("office database: %s", sqlite3_errmsg(q->of->db));
	sqlite3_finalize(st);
	return rc;
}

int field_visit_commit(struct req *q, const char *record_id, const char *ref, const struct field_visit *v)
{
	char cs[4096], target[64];

	if (ensure_table(q->of->db) < 0 || folder_of(q, "casestore", cs, sizeof(cs)) < 0 ||
	    withdraw_record(q, cs, record_id, ref, "reassigned") < 0)
		return -1;
	if (!v->der)
		return 0;
	snprintf(target, sizeof(target), "%s %s", ref, v->consultant);
	if (web_audit(q, "visit-sent", target) < 0 || remember(q, record_id, v) < 0)
		return -1;
	if (visits_write(cs, v->consultant, v->visit_id, v->der, v->len) < 0) {
		mark_ended(q, v->visit_id, "failed");
		return -1;
	}
	logf_("visit %s for %s spooled for %s", v->visit_id, ref, v->consultant);
	return 0;
}

int field_visit_end(struct req *q, const char *record_id, const char *ref, const char *reason)
{
	char cs[4096];

	if (ensure_table(q->of->db) < 0 || folder_of(q, "casestore", cs, sizeof(cs)) < 0 ||
	    withdraw_record(q, cs, record_id, ref, reason) < 0)
		return error("the visits of %s could not be ended (%s)", ref, reason);
	return 0;
}

int field_visit_withdraw_all(struct req *q, const char *id)
{
	struct open_visit o[WITHDRAW_MAX];
	char cs[4096];
	int n, removed;

	if (ensure_table(q->of->db) < 0 || folder_of(q, "casestore", cs, sizeof(cs)) < 0)
		return -1;
	n = open_visits(q->of->db, "SELECT visit_id, consultant FROM visits WHERE consultant = ?1"
			" AND ended_at IS NULL", id, o, WITHDRAW_MAX);
	for (int i = 0; i < n; i++)
		mark_ended(q, o[i].visit_id, "disabled");
	removed = visits_remove_all(cs, id);   /* also files no row knows of */
	return n < 0 || removed < 0 ? -1 : removed;
}

int field_visit_erase_record(struct office *of, const char *record_id)
{
	struct open_visit o[WITHDRAW_MAX];
	char cs[4096];
	int n, rc = 0;

	if (ensure_table(of->db) < 0 || util_fmt(cs, sizeof(cs), "%s/casestore", of->o->dir) < 0)
		return -1;
	n = open_visits(of->db, "SELECT visit_id, consultant FROM visits WHERE record_id = ?1"
			" AND ended_at IS NULL", record_id, o, WITHDRAW_MAX);
	for (int i = 0; i < n && rc == 0; i++)
		rc = visits_remove(cs, o[i].consultant, o[i].visit_id) < 0 ||
		     mark_ended_at(of->db, o[i].visit_id, "erased", time(NULL)) < 0 ? -1 : 0;
	return n < 0 ? -1 : rc;
}

/* ---- on the record page ---- */

/* Writes text (a translated sentence with one %s) with name in place of the %s, escaped. */
static void say_with_name(struct req *q, const char *text, const char *name)
{
	const char *at = strstr(text, "%s");
	char *before = strndup(text, at ? (size_t)(at - text) : strlen(text));

	html_printf(q->out, "%s", before ? before : "");
	if (at)
		html_printf(q->out, "<strong>%s</strong>%s", name, at + 2);
	free(before);
}

void field_visit_show(struct req *q, const char *record_id)
{
	sqlite3_stmt *st;
	char cs[4096];
	int pending;

	if (ensure_table(q->of->db) < 0 || folder_of(q, "casestore", cs, sizeof(cs)) < 0 ||
	    !(st = odb_prep(q->of->db, "SELECT visit_id, consultant FROM visits WHERE record_id = ?1"
			    " AND ended_at IS NULL ORDER BY sent_at DESC LIMIT 1")))
		return;
	sqlite3_bind_text(st, 1, record_id, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW) {
		const char *vid = (const char *)sqlite3_column_text(st, 0), *who = (const char *)sqlite3_column_text(st, 1);
		pending = visits_pending(cs, who, vid) == 1;
		html_printf(q->out, "<div class=\"utrecht-alert utrecht-alert--info\" id=\"visit\" data-visit=\"%r\""
			    " data-consultant=\"%s\"><div class=\"utrecht-alert__content\"><p class=\"utrecht-alert__message"
			    " utrecht-paragraph\">", pending ? "pending" : "fetched", who);
		say_with_name(q, pending ? W_(q, "Bezoek verzonden naar de laptop van %s, bij de volgende synchronisatie.")
					 : W_(q, "De laptop van %s heeft het bezoek opgehaald."), who);
		evbuffer_add_printf(q->out, "</p></div></div>");
	}
	sqlite3_finalize(st);
}
