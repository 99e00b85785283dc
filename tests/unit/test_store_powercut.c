/*
 * test_store_powercut.c — the case store's SQLite store through power cuts
 * (powercut_vfs.h), used the way the server uses it: group commit (store_begin, a few
 * store_put, store_commit; each request is answered 201 only once the commit returned
 * 0), single puts outside a transaction, replays of a stored id (200 when the bytes are
 * the same, 409 when not) and server restarts (the last close checkpoints the WAL).
 *
 * Each round arms the cut at a random write, truncate or sync and works until the power
 * goes; then the store is closed, the machine "reboots" and the store is opened again:
 *   - integrity_check is ok and the store opens;
 *   - every record answered 201 or 200 is there, whole (the same bytes, the same device);
 *   - nothing is there twice and nothing unknown is there (a put whose commit failed may
 *     or may not have landed; when it did, it is whole), and store_count agrees;
 *   - a replay never changed a stored record.
 * The negative twin runs the same rounds on a disk that ignores xSync and must see loss.
 * Needs $TEST_SCRATCH; $POWERCUT_SEED repeats a run, $POWERCUT_CUTS sets the cuts.
 */
#include "sync/casestore/store.h"
#include "tests/unit/powercut_vfs.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <time.h>
#include <unistd.h>

#define MAX_RECORDS 16384
#define HASH_SLOTS (MAX_RECORDS * 2)
#define DEVICE "kiosk-0001"

enum rec_state { REC_DOUBT, REC_ACKED, REC_GONE };

struct rec {
	char id[37];
	unsigned char *body;
	size_t len;
	enum rec_state state;
	int seen;                 /* rows with this id in the current check */
};

static struct rec recs[MAX_RECORDS];
static int nrecs;
static int slots[HASH_SLOTS];   /* index + 1 into recs, 0 = empty */
static uint64_t seed;
static char path[4096];
static int replay_problems;

static unsigned hash_id(const char *id)
{
	unsigned h = 2166136261u;

	while (*id)
		h = (h ^ (unsigned char)*id++) * 16777619u;
	return h % HASH_SLOTS;
}

static struct rec *find(const char *id)
{
	for (unsigned h = hash_id(id); slots[h]; h = (h + 1) % HASH_SLOTS)
		if (!strcmp(recs[slots[h] - 1].id, id))
			return &recs[slots[h] - 1];
	return NULL;
}

/* A new record with a random id (lower-case UUID form) and a random body. */
static struct rec *new_rec(void)
{
	struct rec *r = &recs[nrecs];
	unsigned h;

	assert_true(nrecs < MAX_RECORDS);
	memset(r, 0, sizeof(*r));
	snprintf(r->id, sizeof(r->id), "%08llx-%04llx-4%03llx-8%03llx-%012llx",
		 (unsigned long long)(pc_rand() & 0xffffffff), (unsigned long long)(pc_rand() & 0xffff),
		 (unsigned long long)(pc_rand() & 0xfff), (unsigned long long)(pc_rand() & 0xfff),
		 (unsigned long long)(pc_rand() & 0xffffffffffffULL));
	r->len = 200 + (size_t)pc_below(1800);
	r->body = malloc(r->len);
	assert_non_null(r->body);
	for (size_t i = 0; i < r->len; i++)
		r->body[i] = (unsigned char)pc_rand();
	r->state = REC_DOUBT;
	for (h = hash_id(r->id); slots[h]; h = (h + 1) % HASH_SLOTS)
		;
	slots[h] = ++nrecs;
	return r;
}

/* The server's group commit: a few PUTs, then one COMMIT; 201 only when it held. */
static void do_group(struct store *s)
{
	struct rec *batch[4];
	int n = 1 + (int)pc_below(4), ok = 1;

	if (store_begin(s) < 0)
		return;
	for (int i = 0; i < n; i++) {
		batch[i] = new_rec();
		ok &= store_put(s, batch[i]->id, DEVICE, batch[i]->body, batch[i]->len, 1) == STORE_PUT_CREATED;
	}
	if (ok && store_commit(s) == 0)
		for (int i = 0; i < n; i++)
			batch[i]->state = REC_ACKED;
	if (store_in_transaction(s))
		store_rollback(s);
}

/* A PUT outside a transaction commits by itself. */
static void do_single(struct store *s)
{
	struct rec *r = new_rec();

	if (store_put(s, r->id, DEVICE, r->body, r->len, 1) == STORE_PUT_CREATED)
		r->state = REC_ACKED;
}

/* A device sends a stored id again: the same bytes are 200, other bytes 409, and
 * neither changes the row. */
static void do_replay(struct store *s)
{
	struct rec *r = nrecs ? &recs[pc_below(nrecs)] : NULL;
	enum store_put_result got;
	unsigned char *other;

	if (!r || r->state != REC_ACKED)
		return;
	if (pc_below(2)) {
		got = store_put(s, r->id, DEVICE, r->body, r->len, 2);
		if (got != STORE_PUT_SAME && got != STORE_PUT_ERROR)
			replay_problems++;
		return;
	}
	other = malloc(r->len);
	assert_non_null(other);
	memcpy(other, r->body, r->len);
	other[pc_below((long)r->len)] ^= 0x5a;
	got = store_put(s, r->id, DEVICE, other, r->len, 2);
	free(other);
	if (got != STORE_PUT_CONFLICT && got != STORE_PUT_ERROR)
		replay_problems++;
}

struct walk {
	int rows;
	int problems;
};

static int on_row(const struct store_row *row, void *arg)
{
	struct walk *w = arg;
	struct rec *r = find(row->id);

	w->rows++;
	if (!r || r->state == REC_GONE || r->seen++) {
		print_message("# seed %llu: row %s should not be there (%s)\n", (unsigned long long)seed,
			      row->id, !r ? "unknown" : r->seen > 1 ? "twice" : "was gone");
		w->problems++;
		return 0;
	}
	if (row->len != r->len || memcmp(row->body, r->body, r->len) || strcmp(row->device, DEVICE)) {
		print_message("# seed %llu: record %s is not whole\n", (unsigned long long)seed, row->id);
		w->problems++;
	}
	r->state = REC_ACKED;   /* there and whole: from now on it must stay */
	return 0;
}

static int integrity_ok(void)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	int ok = 0;

	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL) == SQLITE_OK &&
	    sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		ok = !strcmp((const char *)sqlite3_column_text(st, 0), "ok");
	sqlite3_finalize(st);
	sqlite3_close(db);
	return ok;
}

/* After a reboot: every acked record there and whole, nothing else. Returns problems. */
static int check_after_cut(void)
{
	struct store *s = NULL;
	struct walk w = { 0 };
	int acked = 0;

	if (!integrity_ok()) {
		print_message("# seed %llu: integrity_check failed\n", (unsigned long long)seed);
		return 1;
	}
	if (store_open(path, STORE_CREATE, &s) < 0)
		return 1;
	for (int i = 0; i < nrecs; i++)
		recs[i].seen = 0;
	if (store_list(s, on_row, &w) < 0)
		w.problems++;
	for (int i = 0; i < nrecs; i++) {
		struct rec *r = &recs[i];
		if (r->state == REC_ACKED && !r->seen) {
			print_message("# seed %llu: record %s was answered 201 and is lost\n",
				      (unsigned long long)seed, r->id);
			w.problems++;
		}
		if (!r->seen)
			r->state = REC_GONE;
		acked += r->state == REC_ACKED;
	}
	if (store_count(s) != w.rows)
		w.problems++;
	store_close(s);
	return w.problems;
}

static void fresh_file(void)
{
	char side[4200];

	unlink(path);
	snprintf(side, sizeof(side), "%s-wal", path);
	unlink(side);
	snprintf(side, sizeof(side), "%s-shm", path);
	unlink(side);
	for (int i = 0; i < nrecs; i++)
		free(recs[i].body);
	nrecs = 0;
	memset(slots, 0, sizeof(slots));
}

/* One round: arm, serve until the power goes, close, reboot, check. Returns problems. */
static int one_round(void)
{
	struct store *s = NULL;
	int steps = 0, problems;

	if (store_open(path, STORE_CREATE, &s) < 0)
		return 1;
	pc_arm(1 + pc_below(150));
	while (!pc_is_dead() && s && steps++ < 2000) {
		long dice = pc_below(100);
		if (dice < 60)
			do_group(s);
		else if (dice < 80)
			do_single(s);
		else if (dice < 95)
			do_replay(s);
		else {
			store_close(s);   /* a server restart */
			s = NULL;
			if (store_open(path, STORE_CREATE, &s) < 0)
				s = NULL;
		}
	}
	store_close(s);
	if (!pc_is_dead())
		return 1;
	pc_reboot();
	problems = check_after_cut() + replay_problems;
	replay_problems = 0;
	return problems;
}

static long cuts_wanted(void)
{
	const char *s = getenv("POWERCUT_CUTS");

	return s && atol(s) > 0 ? atol(s) : 200;
}

static void test_power_cuts(void **state)
{
	long problems = 0, rounds = cuts_wanted(), there = 0;

	(void)state;
	fresh_file();
	pc_lying_disk(0);
	pc.cuts = pc.kept = pc.torn = pc.dropped = 0;
	for (long i = 0; i < rounds; i++) {
		problems += one_round();
		if (nrecs > MAX_RECORDS / 2)
			fresh_file();
	}
	for (int i = 0; i < nrecs; i++)
		there += recs[i].state == REC_ACKED;
	print_message("# seed %llu: %ld cuts; cached ops kept %ld, torn %ld, dropped %ld; "
		      "%ld records in the store at the end\n", (unsigned long long)seed, pc.cuts,
		      pc.kept, pc.torn, pc.dropped, there);
	assert_true(pc.cuts >= rounds);
	assert_true(pc.torn > 0 && pc.dropped > 0);
	assert_int_equal(problems, 0);
}

/* Negative twin: the same rounds on a disk that acknowledges xSync without flushing. */
static void test_lying_disk_loses(void **state)
{
	long problems = 0;

	(void)state;
	fresh_file();
	pc_lying_disk(1);
	for (long i = 0; i < 60; i++) {
		int p = one_round();
		problems += p;
		if (p)
			fresh_file();
	}
	pc_lying_disk(0);
	print_message("# a disk that ignores xSync: %ld problems found in 60 cuts\n", problems);
	assert_true(problems > 0);
	fresh_file();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_power_cuts),
		cmocka_unit_test(test_lying_disk_loses),
	};
	const char *s = getenv("POWERCUT_SEED"), *scratch = getenv("TEST_SCRATCH");

	seed = s && *s ? strtoull(s, NULL, 10) : (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 32);
	printf("# POWERCUT_SEED=%llu\n", (unsigned long long)seed);
	snprintf(path, sizeof(path), "%s/powercut-store.sqlite", scratch ? scratch : "/tmp");
	assert_int_equal(pc_install(seed), 0);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
