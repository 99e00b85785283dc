/*
 * backoffice.c — the debt-help team's side of the case store: `inloopctl --dir DIR`
 * list, show ID, contacted ID DATE, export --format csv|json, stats.
 *
 * Every stored envelope is opened with seal_open (decrypt, verify, SEAL.md §8 rules); a
 * record that fails is listed apart with its reason, never dropped. Two more rules are
 * checked here: the store's id must equal the signed record id, and the device that
 * uploaded it (mTLS) must equal the signer (rule 8). Per-device sequence numbers are
 * checked for gaps ("device kiosk-3: record 17 never arrived") and repeats.
 *
 * Nothing a device wrote is trusted beyond its signature (issue 9): each opened record is
 * checked again against the form (recheck.h) and its crisis, acuut and deadline are the
 * office's own computation; a record that fails is listed apart. Everything printed from a
 * record goes through termsafe.h, so no answer can drive the terminal, and the CSV export
 * quotes every cell and defuses formula starts (export_csv).
 *
 * The worklist prints personal data to stdout on purpose (it is the team's tool); errors
 * and warnings on stderr hold ids and reasons only. Opened records live in jansson values,
 * which this program wipes on free (util_json_wipe_on_free in the main).
 */
#include "sync/record/record.h"
#include "sync/office/backoffice.h"
#include "sync/casestore/layout.h"
#include "sync/office/openrec.h"
#include "sync/office/recheck.h"
#include "sync/record/seal.h"
#include "sync/casestore/store.h"
#include "sync/office/termsafe.h"
#include "sync/rules/calendar.h"
#include "sync/rules/triage.h"
#include "platform/util.h"

#include <jansson.h>
#include <stdarg.h>
#include <stdlib.h>

/* One opened record and what the worklist needs from it (strings borrowed from rec). */
struct item {
	json_t *rec;
	char id[40], ref[12], device[64];
	long long seq;
	time_t received;
	time_t revoked_at;      /* the device was revoked after this record arrived: look twice */
	char contacted[11];
	struct ymd created, legal;
	struct ymd due;         /* the effective deadline (DESIGN.md "Deadlines"), when has_legal */
	int has_legal, acuut, crisis, overdue, in_time, provisional;
	int triage_note;        /* RECHECK_CHANGED / RECHECK_KEPT: say so in the worklist */
};

struct failure {
	char id[64], device[64], why[256];
};

struct book {
	struct openrec own;               /* what book_load loaded (released with the book) */
	const struct openrec *k;          /* how records are opened: &own, or the caller's */
	struct item *items;
	size_t n, cap;
	struct failure *fails;
	size_t nf, capf;
	struct ymd today;
};

/* ---- reading records ---- */

/* A string member of obj (NULL when absent or not a string). */
static const char *jstr(const json_t *obj, const char *key)
{
	return json_string_value(json_object_get(obj, key));
}

static const json_t *answers_of(const struct item *it)
{
	return json_object_get(it->rec, RECORD_F_ANSWERS);
}

static int add_failure(struct book *bk, const struct store_row *row, const char *why)
{
	struct failure *f;

	if (bk->nf == bk->capf) {
		size_t cap = bk->capf ? bk->capf * 2 : 16;
		f = realloc(bk->fails, cap * sizeof(*f));
		if (!f)
			return error("out of memory");
		bk->fails = f;
		bk->capf = cap;
	}
	f = &bk->fails[bk->nf++];
	snprintf(f->id, sizeof(f->id), "%s", row->id);
	snprintf(f->device, sizeof(f->device), "%s", row->device);
	snprintf(f->why, sizeof(f->why), "%s", why);
	return 0;
}

/* Fills the derived fields of it from its record; the reason in why when unusable. */
static int derive(struct item *it, const struct ymd *today, char *why, size_t size)
{
	const json_t *crisis = json_object_get(it->rec, RECORD_F_CRISIS);
	const json_t *deadline = json_object_get(it->rec, RECORD_F_DEADLINE);
	const char *created = jstr(it->rec, "created_at"), *legal = jstr(deadline, "legal");
	char day[11];

	if (!created || strlen(created) < 10 || !json_is_object(json_object_get(it->rec, RECORD_F_ANSWERS)))
		return snprintf(why, size, "record has no created_at or answers"), -1;
	snprintf(day, sizeof(day), "%.10s", created);
	if (ymd_parse(day, &it->created) < 0)
		return snprintf(why, size, "record has a malformed created_at"), -1;
	it->has_legal = legal && ymd_parse(legal, &it->legal) == 0;
	it->acuut = json_is_true(json_object_get(crisis, "acuut"));
	it->crisis = json_is_true(json_object_get(crisis, "crisis"));
	it->provisional = json_is_true(json_object_get(it->rec, RECORD_F_DEADLINE_PROVISIONAL));
	if (it->has_legal && openrec_due(it->rec, &it->due) < 0)
		it->due = it->legal;
	if (it->has_legal && !it->contacted[0])
		it->overdue = ymd_cmp(it->due, *today) < 0;
	if (it->has_legal && it->contacted[0]) {
		struct ymd c;
		it->in_time = ymd_parse(it->contacted, &c) == 0 && ymd_cmp(c, it->due) <= 0;
	}
	return 0;
}

/* Opens one stored envelope into a new item (openrec_row: the office's one way), or
 * records why it failed. */
static int open_row(const struct store_row *row, void *arg)
{
	struct book *bk = arg;
	struct item it = { 0 };
	struct opened op;
	char why[256] = "";

	if (openrec_row(bk->k, row, &op, why, sizeof(why)) != OPENREC_OK)
		return add_failure(bk, row, why);
	it.rec = op.rec;
	snprintf(it.id, sizeof(it.id), "%s", row->id);
	snprintf(it.device, sizeof(it.device), "%s", op.info.device_id);
	snprintf(it.contacted, sizeof(it.contacted), "%s", row->contacted ? row->contacted : "");
	record_ref_from_id(it.id, it.ref);
	it.seq = op.info.seq;
	it.received = row->received_at;
	it.revoked_at = op.info.revoked_at;
	it.triage_note = op.triage_note;
	if (derive(&it, &bk->today, why, sizeof(why)) < 0) {
		json_decref(it.rec);
		return add_failure(bk, row, why);
	}
	if (bk->n == bk->cap) {
		size_t cap = bk->cap ? bk->cap * 2 : 64;
		struct item *p = realloc(bk->items, cap * sizeof(*p));
		if (!p) {
			json_decref(it.rec);
			return error("out of memory");
		}
		bk->items = p;
		bk->cap = cap;
	}
	bk->items[bk->n++] = it;
	return 0;
}

static void book_release(struct book *bk)
{
	for (size_t i = 0; i < bk->n; i++)
		json_decref(bk->items[i].rec);
	free(bk->items);
	free(bk->fails);
	openrec_release(&bk->own);
	memset(bk, 0, sizeof(*bk));
}

/* ROOT/office/store.url (a region's PostgreSQL, as the office's role), else
 * ROOT/casestore/store.sqlite. */
static int open_store(const char *dir, int flags, struct store **s)
{
	char office[4096], cs[4096], path[4096];

	if (!dir)
		return error("this command needs --dir ROOT (with casestore/ and office/)");
	if (layout_dir(dir, LAYOUT_OFFICE, office, sizeof(office)) < 0 ||
	    layout_dir(dir, LAYOUT_CASESTORE, cs, sizeof(cs)) < 0 ||
	    store_where(office, cs, path, sizeof(path)) < 0)
		return -1;
	return store_open(path, flags, s);
}

/* The record-opening key(s) of ROOT/office and the office's re-check into k (release with
 * openrec_release). */
static int load_openrec(const char *dir, struct openrec *k)
{
	char office[4096];

	memset(k, 0, sizeof(*k));
	if (!dir)
		return error("this command needs --dir ROOT (with casestore/ and office/)");
	if (layout_dir(dir, LAYOUT_OFFICE, office, sizeof(office)) < 0)
		return -1;
	return openrec_load(office, k);
}

/* Opens every stored record of dir into bk (today = the worklist's "today"). */
static int book_load(const char *dir, const struct ymd *today, struct book *bk)
{
	struct store *s = NULL;
	int rc;

	memset(bk, 0, sizeof(*bk));
	bk->today = *today;
	if (open_store(dir, STORE_READONLY, &s) < 0)
		return -1;
	bk->k = &bk->own;
	if (load_openrec(dir, &bk->own) < 0) {
		store_close(s);
		book_release(bk);
		return -1;
	}
	rc = store_list(s, open_row, bk);
	store_close(s);
	if (rc != 0)
		book_release(bk);
	return rc != 0 ? -1 : 0;
}

/* ---- the worklist ---- */

/* Not yet contacted first; among those acuut first; then by effective deadline, then age. */
static int item_cmp(const void *pa, const void *pb)
{
	const struct item *a = pa, *b = pb;
	int c;

	if (!a->contacted[0] != !b->contacted[0])
		return a->contacted[0] ? 1 : -1;
	if (a->acuut != b->acuut)
		return b->acuut - a->acuut;
	if (a->has_legal != b->has_legal)
		return b->has_legal - a->has_legal;
	if (a->has_legal && (c = ymd_cmp(a->due, b->due)) != 0)
		return c;
	c = ymd_cmp(a->created, b->created);
	return c ? c : strcmp(a->id, b->id);
}

static int by_device_seq(const void *pa, const void *pb)
{
	const struct item *a = pa, *b = pb;
	int c = strcmp(a->device, b->device);

	return c ? c : (a->seq > b->seq) - (a->seq < b->seq);
}

/* Prints one gap "device X: record N never arrived" (or a range). */
static void print_gap(FILE *f, const char *device, long long from, long long to)
{
	if (from == to)
		termsafe_printf(f, "device %s: record %lld never arrived\n", device, from);
	else
		termsafe_printf(f, "device %s: records %lld-%lld never arrived\n", device, from, to);
}

/* Reports missing and repeated sequence numbers per device; returns how many problems. */
static int report_sequence(FILE *f, struct book *bk)
{
	struct item *v;
	int problems = 0;

	if (bk->n == 0)
		return 0;
	v = malloc(bk->n * sizeof(*v));

	if (!v)
		return error("out of memory");
	memcpy(v, bk->items, bk->n * sizeof(*v));
	qsort(v, bk->n, sizeof(*v), by_device_seq);
	for (size_t i = 0; i < bk->n; i++) {
		int first = i == 0 || strcmp(v[i].device, v[i - 1].device) != 0;
		long long expect = first ? 1 : v[i - 1].seq + 1;
		if (!first && v[i].seq == v[i - 1].seq) {
			termsafe_printf(f, "device %s: record %lld arrived twice (ids %s and %s)\n", v[i].device,
				v[i].seq, v[i - 1].id, v[i].id);
			problems++;
		} else if (v[i].seq > expect) {
			print_gap(f, v[i].device, expect, v[i].seq - 1);
			problems++;
		}
	}
	free(v);
	return problems;
}

static void crisis_text(const struct item *it, char *buf, size_t size)
{
	const json_t *crisis = json_object_get(it->rec, RECORD_F_CRISIS);
	const json_t *kinds = json_object_get(crisis, "kinds");
	const char *known = jstr(crisis, "known_date");
	size_t i, off = 0;
	json_t *k;

	buf[0] = '\0';
	if (!it->crisis) {
		snprintf(buf, size, "-");
		return;
	}
	json_array_foreach(kinds, i, k)
		if (json_is_string(k) && off < size)
			off += (size_t)snprintf(buf + off, size - off, "%s%s", off ? "+" : "", json_string_value(k));
	if (!off && off < size)
		off += (size_t)snprintf(buf, size, "%s", json_is_true(json_object_get(crisis, "unknown")) ?
								 "crisis? (asked: don't know)" : "crisis");
	if (off < size)
		snprintf(buf + off, size - off, " %s", known ? known : "(date unknown)");
}

/* How and when to contact: "phone 0612345678 morning", "email a@b.nl", "come back". */
static void contact_text(const struct item *it, char *buf, size_t size)
{
	const json_t *a = answers_of(it);
	const char *how = jstr(a, "contact"), *when = jstr(a, "best_time");
	const char *value = how && !strcmp(how, "phone") ? jstr(a, "phone") :
			    how && !strcmp(how, "email") ? jstr(a, "email") : NULL;

	snprintf(buf, size, "%s%s%s%s%s", how && !strcmp(how, "come_back") ? "come back" : how ? how : "?",
		 value ? " " : "", value ? value : "", when && strcmp(when, "unknown") ? " " : "",
		 when && strcmp(when, "unknown") ? when : "");
}

/* The interpreter asked for: "ar", "? (language unknown)", or "-" (none asked for). */
static const char *interpreter_text(const struct item *it)
{
	const char *want = jstr(answers_of(it), "interpreter");
	const char *lang = jstr(answers_of(it), "interpreter_language");

	if (!want || strcmp(want, "yes"))
		return "-";
	return lang && *lang && strcmp(lang, "unknown") ? lang : "? (language unknown)";
}

static void print_item(FILE *f, const struct item *it)
{
	char crisis[160], contact[400], legal[12] = "-";
	const char *name = jstr(answers_of(it), "name");

	if (it->has_legal) {   /* the effective deadline; "?" marks a provisional one */
		ymd_format(it->due, legal);
		if (it->provisional)
			snprintf(legal + 10, 2, "?");
	}
	crisis_text(it, crisis, sizeof(crisis));
	contact_text(it, contact, sizeof(contact));
	termsafe_printf(f, "%s %-10s | %s | %-5s | %-7s | %-28s | %s | %s | %s | %s | %s%s%s\n",
		it->overdue ? "!" : " ", it->ref, legal, it->acuut ? "ACUUT" : "", it->overdue ? "OVERDUE" :
		it->contacted[0] ? "done" : "", crisis, name ? name : "?", contact,
		jstr(it->rec, "location") ? jstr(it->rec, "location") : "?",
		jstr(it->rec, "language") ? jstr(it->rec, "language") : "?", interpreter_text(it),
		it->contacted[0] ? " | contacted " : "", it->contacted);
	if (it->revoked_at)
		termsafe_printf(f, "    (device %s was revoked after this record arrived: check it with the resident)\n",
			it->device);
	if (it->triage_note == RECHECK_CHANGED)
		termsafe_printf(f, "    (device %s computed another crisis/deadline from these answers: the office's is shown)\n",
				it->device);
	else if (it->triage_note == RECHECK_KEPT)
		termsafe_printf(f, "    (deadline as computed by the device: it lies past the office's holiday table)\n");
}

/* 1 when a failure is an envelope stored under an id other than the one signed inside. */
static int id_mismatch(const struct failure *fl)
{
	return !strncmp(fl->why, "stored under id ", 16);
}

/* Per device: how many envelopes it uploaded under an id that is not their signed one
 * (junk or replays: the case store cannot see inside, so the office counts them). */
static void report_mismatches(FILE *f, const struct book *bk)
{
	for (size_t i = 0; i < bk->nf; i++) {
		size_t n = 0, seen = 0;

		if (!id_mismatch(&bk->fails[i]))
			continue;
		for (size_t k = 0; k < bk->nf; k++) {
			int same = id_mismatch(&bk->fails[k]) && !strcmp(bk->fails[k].device, bk->fails[i].device);
			seen += same && k < i;
			n += same;
		}
		if (!seen)
			termsafe_printf(f, "device %s: %zu record(s) uploaded under an id that is not the one"
					" signed inside (junk or a replay): check the device, revoke it if it"
					" was stolen\n", bk->fails[i].device, n);
	}
}

static void print_failures(FILE *f, const struct book *bk)
{
	if (!bk->nf)
		return;
	termsafe_printf(f, "\nNOT OPENED (%zu): kept in the store, listed here until resolved\n", bk->nf);
	for (size_t i = 0; i < bk->nf; i++)
		termsafe_printf(f, "  %s from %s: %s\n", bk->fails[i].id, bk->fails[i].device, bk->fails[i].why);
	report_mismatches(f, bk);
}

/* Parses the common [--today DATE] option (tests and reports "as of" a date). */
static int parse_today(int argc, char **argv, struct ymd *today, int *used)
{
	*used = 0;
	if (argc >= 2 && !strcmp(argv[0], "--today")) {
		*used = 2;
		if (ymd_parse(argv[1], today) < 0)
			return error("--today wants YYYY-MM-DD");
		return 0;
	}
	return ymd_today(today) < 0 ? error("cannot read today's date") : 0;
}

int ctl_list(const char *dir, int argc, char **argv)
{
	struct book bk;
	struct ymd today;
	size_t overdue = 0, acuut = 0, provisional = 0;
	int used;

	if (parse_today(argc, argv, &today, &used) < 0 || used != argc)
		return fprintf(stderr, "usage: inloopctl --dir DIR list [--today YYYY-MM-DD]\n"), 2;
	if (book_load(dir, &today, &bk) < 0)
		return 1;
	if (bk.n)   /* qsort(NULL, 0) is undefined */
		qsort(bk.items, bk.n, sizeof(*bk.items), item_cmp);
	for (size_t i = 0; i < bk.n; i++) {
		overdue += bk.items[i].overdue;
		acuut += bk.items[i].acuut && !bk.items[i].contacted[0];
		provisional += bk.items[i].provisional;
	}
	printf("WORKLIST: %zu records, %zu acuut, %zu overdue, %zu not opened", bk.n, acuut, overdue, bk.nf);
	if (provisional)   /* "?" in the deadline column */
		printf(", %zu provisional (?: past the holiday table, decree days unknown)", provisional);
	printf("\n");
	printf("  %-10s | %-10s | %-5s | %-7s | %-28s | name | contact | location | language | interpreter\n",
	       "reference", "deadline", "", "status", "crisis and known date");
	for (size_t i = 0; i < bk.n; i++)
		print_item(stdout, &bk.items[i]);

	print_failures(stdout, &bk);
	if (bk.n)
		report_sequence(stdout, &bk);
	book_release(&bk);
	return 0;
}

/* ---- show, contacted ---- */

struct ref_match {
	const char *want;      /* normalised reference: upper case, no dashes */
	char id[40];
	int hits;
};

static void normalise_ref(const char *in, char *out, size_t size)
{
	size_t k = 0;

	for (; *in && k + 1 < size; in++)
		if (*in != '-')
			out[k++] = (char)((*in >= 'a' && *in <= 'z') ? *in - 32 : *in);
	out[k] = '\0';
}

static int match_ref(const struct store_row *row, void *arg)
{
	struct ref_match *m = arg;
	char ref[12], norm[16];

	record_ref_from_id(row->id, ref);
	normalise_ref(ref, norm, sizeof(norm));
	if (norm[0] && !strcmp(norm, m->want)) {
		snprintf(m->id, sizeof(m->id), "%s", row->id);
		m->hits++;
	}
	return 0;
}

/* Resolves a record id or a short reference ("K7QF-2M9D") to a stored id. */
static int resolve_id(struct store *s, const char *arg, char *id, size_t size)
{
	struct ref_match m = { 0 };
	char want[40];

	if (strlen(arg) == 36)
		return util_fmt(id, size, "%s", arg) < 0 ? -1 : 0;
	normalise_ref(arg, want, sizeof(want));
	m.want = want;
	if (strlen(want) != 8 || store_list(s, match_ref, &m) != 0)
		return error("no record with reference %s", arg);
	if (m.hits != 1)
		return error(m.hits ? "reference %s is ambiguous: use the full record id" :
				      "no record with reference %s", arg);
	return util_fmt(id, size, "%s", m.id) < 0 ? -1 : 0;
}

/* The worklist's view of one record above its JSON: effective deadline, interpreter. */
static void show_summary(json_t *rec)
{
	struct item it = { .rec = rec };
	struct ymd today = { 1900, 1, 1 };
	char why[128], due[11];

	if (derive(&it, &today, why, sizeof(why)) < 0 || !it.has_legal)
		return (void)printf("deadline: none in the record\n");
	ymd_format(it.due, due);
	printf("deadline: %s%s%s\n", due, it.acuut ? " (acuut: the day of registration)" : "",
	       it.provisional ? " provisional (past the holiday table)" : "");
	printf("interpreter: %s\n", interpreter_text(&it));
}

/*
 * One record as `show` prints it, opened the one way list and export open it (openrec_row):
 * a record that does not open, is stored under another id or by another device than its
 * signer, or breaks the form's rules is named with its reason ("NOT SHOWN: ..."), never
 * printed. The office's crisis and deadline replace the device's (noted when they differ).
 */
static int show_row(const struct openrec *k, const struct store_row *row)
{
	struct opened op;
	char why[256], *pretty, ref[12];

	record_ref_from_id(row->id, ref);
	termsafe_printf(stdout, "record %s (reference %s)\n", row->id, ref);
	termsafe_printf(stdout, "uploaded by %s, %zu bytes, contacted: %s\n", row->device, row->len,
			row->contacted ? row->contacted : "not yet");
	if (openrec_row(k, row, &op, why, sizeof(why)) != OPENREC_OK) {
		termsafe_printf(stdout, "NOT SHOWN: %s\n", why);
		return 1;
	}
	termsafe_printf(stdout, "signed by %s, sequence %lld\n", op.info.device_id, op.info.seq);
	if (op.info.revoked_at)
		termsafe_printf(stdout, "note: device %s was revoked after this record arrived\n", op.info.device_id);
	if (op.triage_note == RECHECK_CHANGED)
		printf("note: the device computed another crisis/deadline; the office's is shown\n");
	show_summary(op.rec);
	pretty = json_dumps(op.rec, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	opened_release(&op);
	if (!pretty)
		return error("record %s: out of memory", row->id), 1;
	termsafe_put_json(stdout, pretty);
	fputc('\n', stdout);
	util_clear_free(pretty);
	return 0;
}

int ctl_show(const char *dir, int argc, char **argv)
{
	struct openrec k = { 0 };
	struct store *s = NULL;
	struct store_row row;
	char id[40];
	int rc = -1;

	if (argc != 1)
		return fprintf(stderr, "usage: inloopctl --dir DIR show ID|REFERENCE\n"), 2;
	if (open_store(dir, STORE_READONLY, &s) < 0)
		return 1;
	if (resolve_id(s, argv[0], id, sizeof(id)) < 0 || (rc = store_get(s, id, &row)) != 0) {
		if (rc == 1)
			error("no record %s in the store", id);
		store_close(s);
		return 1;
	}
	if (load_openrec(dir, &k) < 0)
		rc = 1;
	else
		rc = show_row(&k, &row);
	openrec_release(&k);
	store_row_release(&row);
	store_close(s);
	return rc;
}

/*
 * `inloopctl open FILE.der`: an envelope from a file, opened the office's one way
 * (openrec_file: the seal, then the form's rules). Prints the record as signed (through
 * termsafe, so it cannot drive the terminal) when the office accepts it; otherwise the
 * reason on stderr and exit 1.
 */
int ctl_open(const char *dir, int argc, char **argv)
{
	struct openrec k = { 0 };
	struct opened op = { 0 };
	unsigned char *der = NULL;
	char why[512];
	size_t len;
	int rc = 1;

	if (!dir || argc != 1)
		return fprintf(stderr, "usage: inloopctl --dir DIR open FILE.der\n"), 2;
	if (util_read_file(argv[0], 64 * 1024 * 1024, (char **)&der, &len) < 0 || load_openrec(dir, &k) < 0)
		goto out;
	if (openrec_file(&k, der, len, &op, why, sizeof(why)) != OPENREC_OK) {
		termsafe_printf(stderr, "inloopctl: %s: refused: %s\n", argv[0], why);
		goto out;
	}
	if (op.triage_note == RECHECK_CHANGED)
		fprintf(stderr, "inloopctl: note: the device computed another crisis/deadline than the office\n");
	termsafe_put_json(stdout, op.signed_json);
	fputc('\n', stdout);
	rc = fflush(stdout) == 0 ? 0 : 1;
out:
	opened_release(&op);
	openrec_release(&k);
	free(der);
	return rc;
}

int ctl_contacted(const char *dir, int argc, char **argv)
{
	struct store *s = NULL;
	struct ymd day, today;
	char id[40], date[11];
	int rc = 1;

	if (argc != 2)
		return fprintf(stderr, "usage: inloopctl --dir DIR contacted ID|REFERENCE YYYY-MM-DD\n"), 2;
	if (ymd_parse(argv[1], &day) < 0)
		return error("contacted: %s is not a date (YYYY-MM-DD)", argv[1]), 2;
	if (ymd_today(&today) == 0 && ymd_cmp(day, today) > 0)
		return error("contacted: %s lies in the future", argv[1]), 1;
	ymd_format(day, date);
	if (open_store(dir, 0, &s) < 0)
		return 1;
	if (resolve_id(s, argv[0], id, sizeof(id)) == 0) {
		rc = store_mark_contacted(s, id, date);
		if (rc == 1)
			error("no record %s in the store", id);
		else if (rc == 0)
			termsafe_printf(stdout, "record %s: first conversation on %s\n", id, date);
	}
	store_close(s);
	return rc == 0 ? 0 : 1;
}

/* ---- export ---- */

static const char *const csv_columns[] = {
	"record_id", "reference", "device_id", "seq", "created_at", "location", "language", "mode",
	"name", "contact", "phone", "email", "best_time", "postcode", "house_number", "birth_date",
	"topics", "interpreter", "crisis", "crisis_kinds", "crisis_date", "acuut", "deadline_target",
	"deadline_legal", "contacted", "overdue", "interpreter_language", "deadline_effective",
	"deadline_provisional",
};
#define NCOLS (sizeof(csv_columns) / sizeof(csv_columns[0]))

/* Characters that separate cells in some spreadsheet locale, or start a new line. */
static int csv_breaks(char c)
{
	return c == ',' || c == ';' || c == '\t' || c == '\r' || c == '\n';
}

/* Characters a spreadsheet may take as the start of a formula (OWASP CSV injection). */
static int csv_formula_start(char c)
{
	return c && strchr("=+-@\t\r", c) != NULL;
}

/*
 * One CSV cell (RFC 4180 with ';', the separator Dutch spreadsheets expect): always
 * quoted, quotes doubled. A formula start (= + - @ TAB CR) at the start of the cell or
 * right after anything a spreadsheet might split on (, ; TAB CR LF) gets a ' in front, so
 * no piece of a cell runs as a formula whichever separator the program assumes (issue 9,
 * D4). Characters termsafe.h escapes are escaped here too; nothing is cut (D6).
 */
static void csv_cell(FILE *f, const char *raw, int last)
{
	char *s = termsafe_dup(raw ? raw : "");
	int at_start = 1;

	fputc('"', f);
	for (const char *p = s ? s : ""; *p; p++) {
		if (at_start && csv_formula_start(*p))
			fputc('\'', f);
		if (*p == '"')
			fputc('"', f);
		fputc(*p, f);
		at_start = csv_breaks(*p);
	}
	fputc('"', f);
	fputs(last ? "\r\n" : ";", f);
	util_clear_free(s);
}

/* A JSON value as new cell text (caller frees with util_clear_free): strings as they are,
 * arrays joined with ", ", true/false as yes/no, numbers in decimal, absent as "". */
static char *value_text(const json_t *v)
{
	size_t i, len = 0;
	char *buf = NULL;
	FILE *m;
	json_t *e;

	if (json_is_string(v))
		return strdup(json_string_value(v));
	if (json_is_boolean(v))
		return strdup(json_is_true(v) ? "yes" : "no");
	if (json_is_integer(v))
		return asprintf(&buf, "%lld", (long long)json_integer_value(v)) < 0 ? NULL : buf;
	if (!json_is_array(v) || !(m = open_memstream(&buf, &len)))
		return strdup("");
	json_array_foreach(v, i, e)
		if (json_is_string(e))
			fprintf(m, "%s%s", ftell(m) ? ", " : "", json_string_value(e));
	return fclose(m) == 0 ? buf : NULL;
}

/* A formatted cell (caller frees with util_clear_free). */
static char *cell_fmt(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static char *cell_fmt(const char *fmt, ...)
{
	va_list ap;
	char *buf = NULL;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&buf, fmt, ap);
	va_end(ap);
	return n < 0 ? NULL : buf;
}

/* Fills the cells of one record in csv_columns order (each freed by the caller). */
static void item_cells(const struct item *it, char *cells[NCOLS])
{
	const json_t *a = answers_of(it), *crisis = json_object_get(it->rec, RECORD_F_CRISIS);
	const json_t *dl = json_object_get(it->rec, RECORD_F_DEADLINE);
	static const char *const from_answers[] = { "name", "contact", "phone", "email", "best_time",
		"postcode", "house_number", "birth_date", "topics", "interpreter" };
	size_t k = 0;

	cells[k++] = cell_fmt("%s", it->id);
	cells[k++] = cell_fmt("%s", it->ref);
	cells[k++] = cell_fmt("%s", it->device);
	cells[k++] = cell_fmt("%lld", it->seq);
	cells[k++] = value_text(json_object_get(it->rec, RECORD_F_CREATED_AT));
	cells[k++] = value_text(json_object_get(it->rec, RECORD_F_LOCATION));
	cells[k++] = value_text(json_object_get(it->rec, RECORD_F_LANGUAGE));
	cells[k++] = value_text(json_object_get(it->rec, RECORD_F_MODE));
	for (size_t i = 0; i < sizeof(from_answers) / sizeof(from_answers[0]); i++)
		cells[k++] = value_text(json_object_get(a, from_answers[i]));
	cells[k++] = cell_fmt("%s", it->crisis ? "yes" : "no");
	cells[k++] = value_text(json_object_get(crisis, "kinds"));
	cells[k++] = value_text(json_object_get(crisis, "known_date"));
	cells[k++] = cell_fmt("%s", it->acuut ? "yes" : "no");
	cells[k++] = value_text(json_object_get(dl, "target"));
	cells[k++] = value_text(json_object_get(dl, "legal"));
	cells[k++] = cell_fmt("%s", it->contacted);
	cells[k++] = cell_fmt("%s", it->overdue ? "yes" : "no");
	cells[k++] = value_text(json_object_get(a, "interpreter_language"));
	cells[k] = calloc(1, 11);
	if (cells[k] && it->has_legal)
		ymd_format(it->due, cells[k]);
	k++;
	cells[k++] = cell_fmt("%s", it->provisional ? "yes" : "no");
}

static int export_csv(FILE *f, const struct book *bk)
{
	char *cells[NCOLS];
	int rc = 0;

	for (size_t c = 0; c < NCOLS; c++)
		csv_cell(f, csv_columns[c], c + 1 == NCOLS);
	for (size_t i = 0; i < bk->n; i++) {
		item_cells(&bk->items[i], cells);
		for (size_t c = 0; c < NCOLS; c++) {
			if (!cells[c])
				rc = error("out of memory writing the CSV export");
			csv_cell(f, cells[c], c + 1 == NCOLS);
			util_clear_free(cells[c]);
		}
	}
	return rc;
}

static json_t *item_json(const struct item *it)
{
	char due[11];

	ymd_format(it->due, due);
	return json_pack("{s:s, s:s, s:s, s:I, s:s?, s:b, s:s?, s:b, s:O}", "reference", it->ref,
			 "record_id", it->id, "uploaded_by", it->device, "received_at", (json_int_t)it->received,
			 "contacted", it->contacted[0] ? it->contacted : NULL, "overdue", it->overdue,
			 "deadline_effective", it->has_legal ? due : NULL, "deadline_provisional",
			 it->provisional, "record", it->rec);
}

static int export_json(FILE *f, const struct book *bk)
{
	json_t *root = json_pack("{s:[], s:[]}", "records", "not_opened");
	json_t *recs = json_object_get(root, "records"), *bad = json_object_get(root, "not_opened");
	char *text;
	int rc = 0;

	for (size_t i = 0; root && i < bk->n; i++)
		if (json_array_append_new(recs, item_json(&bk->items[i])) < 0)
			rc = -1;
	for (size_t i = 0; root && i < bk->nf; i++)
		if (json_array_append_new(bad, json_pack("{s:s, s:s, s:s}", "record_id", bk->fails[i].id,
							 "uploaded_by", bk->fails[i].device,
							 "reason", bk->fails[i].why)) < 0)
			rc = -1;
	text = root && rc == 0 ? json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER) : NULL;
	if (!text)
		rc = error("cannot write the JSON export");
	else
		termsafe_put_json(f, text);
	fputc('\n', f);
	util_clear_free(text);
	json_decref(root);
	return rc;
}

int ctl_export(const char *dir, int argc, char **argv)
{
	const char *format = NULL;
	struct ymd today;
	struct book bk;
	int used = 0, rc;

	if (argc >= 2 && !strcmp(argv[0], "--format")) {
		format = argv[1];
		argc -= 2, argv += 2;
	}
	if (!format || (strcmp(format, "csv") && strcmp(format, "json")) ||
	    parse_today(argc, argv, &today, &used) < 0 || used != argc)
		return fprintf(stderr, "usage: inloopctl --dir DIR export --format csv|json [--today YYYY-MM-DD]\n"), 2;
	if (book_load(dir, &today, &bk) < 0)
		return 1;
	if (bk.n)   /* qsort(NULL, 0) is undefined */
		qsort(bk.items, bk.n, sizeof(*bk.items), item_cmp);
	rc = !strcmp(format, "csv") ? export_csv(stdout, &bk) : export_json(stdout, &bk);
	for (size_t i = 0; i < bk.nf; i++)
		termsafe_printf(stderr, "inloopctl: warning: record %s from %s was not exported: %s\n",
				bk.fails[i].id, bk.fails[i].device, bk.fails[i].why);
	book_release(&bk);
	return rc < 0 || fflush(stdout) != 0 ? 1 : 0;
}

/*
 * The office's export (backoffice.h): the records ids[0..n) of store s, each with the
 * first-conversation date the office knows (contacted[i], NULL or "" for none), opened
 * with k and written by the same open_row, item_cmp and export_* as `inloopctl export`.
 */
int backoffice_export(FILE *f, const char *format, struct store *s, const struct openrec *k,
		      const struct ymd *today, const char *const *ids, const char *const *contacted, size_t n)
{
	struct book bk;
	struct store_row row;
	int rc = 0;

	memset(&bk, 0, sizeof(bk));
	bk.k = k;   /* the office re-checks what it hands over too */
	bk.today = *today;
	for (size_t i = 0; i < n && rc == 0; i++) {
		if ((rc = store_get(s, ids[i], &row)) == 1) {
			rc = 0;
			continue;
		}
		row.contacted = contacted && contacted[i] && contacted[i][0] ? contacted[i] : NULL;
		rc = rc == 0 ? open_row(&row, &bk) : -1;
		store_row_release(&row);
	}
	if (rc == 0 && bk.n)
		qsort(bk.items, bk.n, sizeof(*bk.items), item_cmp);
	if (rc == 0)
		rc = !strcmp(format, "csv") ? export_csv(f, &bk) : export_json(f, &bk);
	book_release(&bk);   /* k stays the caller's */
	return rc < 0 ? -1 : 0;
}

/* ---- stats ---- */

/* ISO 8601 week of d: "2026-W19" into out. */
static void iso_week(struct ymd d, char out[16])
{
	struct ymd thu = ymd_add_days(d, 3 - ymd_weekday(d)), jan1 = { thu.y, 1, 1 };
	long yday = ymd_to_days(thu) - ymd_to_days(jan1);

	snprintf(out, 16, "%04d-W%02d", thu.y % 10000, (int)(yday / 7 + 1) % 100);
}

struct bucket {
	char location[128];
	char week[16];
	int count;
};

static int bucket_cmp(const void *pa, const void *pb)
{
	const struct bucket *a = pa, *b = pb;
	int c = strcmp(a->location, b->location);

	return c ? c : strcmp(a->week, b->week);
}

static void print_buckets(const struct book *bk)
{
	struct bucket *b = calloc(bk->n ? bk->n : 1, sizeof(*b));
	size_t nb = 0;

	if (!b)
		return (void)error("out of memory");
	for (size_t i = 0; i < bk->n; i++) {
		struct bucket key = { .count = 1 };
		size_t j;
		snprintf(key.location, sizeof(key.location), "%s",
			 jstr(bk->items[i].rec, "location") ? jstr(bk->items[i].rec, "location") : "?");
		iso_week(bk->items[i].created, key.week);
		for (j = 0; j < nb && bucket_cmp(&b[j], &key) != 0; j++)
			;
		if (j < nb)
			b[j].count++;
		else
			b[nb++] = key;
	}
	if (nb)
		qsort(b, nb, sizeof(*b), bucket_cmp);
	printf("registrations per location and ISO week:\n");
	for (size_t j = 0; j < nb; j++)
		termsafe_printf(stdout, "  %-32s %s %5d\n", b[j].location, b[j].week, b[j].count);
	free(b);
}

static double pct(size_t part, size_t whole)
{
	return whole ? 100.0 * (double)part / (double)whole : 0.0;
}

int ctl_stats(const char *dir, int argc, char **argv)
{
	size_t crises = 0, in_time = 0, late = 0, overdue = 0, open = 0;
	struct ymd today;
	struct book bk;
	int used;

	if (parse_today(argc, argv, &today, &used) < 0 || used != argc)
		return fprintf(stderr, "usage: inloopctl --dir DIR stats [--today YYYY-MM-DD]\n"), 2;
	if (book_load(dir, &today, &bk) < 0)
		return 1;
	for (size_t i = 0; i < bk.n; i++) {
		const struct item *it = &bk.items[i];
		crises += it->crisis;
		in_time += it->contacted[0] && it->in_time;
		late += it->contacted[0] && !it->in_time;
		overdue += it->overdue;
		open += !it->contacted[0] && !it->overdue;
	}
	printf("registrations: %zu opened, %zu not opened\n", bk.n, bk.nf);
	print_buckets(&bk);
	printf("crises: %zu of %zu (%.1f%%)\n", crises, bk.n, pct(crises, bk.n));
	printf("contacted within the legal deadline: %zu of %zu due (%.1f%%)\n", in_time,
	       in_time + late + overdue, pct(in_time, in_time + late + overdue));
	printf("  contacted late: %zu; overdue, not contacted: %zu; deadline still open: %zu\n", late,
	       overdue, open);
	book_release(&bk);
	return 0;
}
