/*
 * test_outbox.c — the outbox API: WAL + synchronous=FULL, upload order (crisis first,
 * then oldest), defer / hold / delete, sequence numbers without gap or repeat (also after
 * a failed seal and after deletes), malformed input refused, and a fault loop that fails
 * each step of seal-and-store in turn (STYLE.md 15) and checks nothing is lost or half
 * stored. Needs $INLOOP_TEST_PKI (inloopctl init-demo) and $TEST_SCRATCH.
 */
#include "tests/unit/test_outbox_common.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <time.h>
#include <unistd.h>

static struct seal_device *dev;
static struct seal_opener *opener;
static char dbpath[4096];
static int db_counter;

/* A fresh outbox file per test. */
static struct outbox *fresh(void)
{
	const char *scratch = getenv("TEST_SCRATCH");
	struct outbox *ob = NULL;

	snprintf(dbpath, sizeof(dbpath), "%s/outbox-%d.sqlite", scratch ? scratch : "/tmp", ++db_counter);
	unlink(dbpath);
	assert_int_equal(outbox_open(dbpath, &ob), 0);
	assert_non_null(ob);
	return ob;
}

struct collect { int n; long long seq[64]; char id[64][37]; };

static int collect_cb(const struct outbox_row *r, void *arg)
{
	struct collect *c = arg;

	assert_true(c->n < 64);
	c->seq[c->n] = r->seq;
	memcpy(c->id[c->n], r->id, 37);
	c->n++;
	return 0;
}

/* Rows by seq; asserts seqs are first..first+n-1. */
static void assert_seqs(struct outbox *ob, long long first, int n)
{
	struct collect c = { 0 };

	assert_int_equal(outbox_list(ob, collect_cb, &c), 0);
	assert_int_equal(c.n, n);
	for (int i = 0; i < n; i++)
		assert_int_equal(c.seq[i], first + i);
}

static void test_pragmas(void **state)
{
	struct outbox *ob = fresh();
	char mode[16], buf[64];
	int sync = -1;

	(void)state;
	assert_int_equal(outbox_settings(ob, mode, sizeof(mode), &sync), 0);
	assert_string_equal(mode, "wal");
	assert_int_equal(sync, 2);
	outbox_close(ob);
	/* WAL is a property of the file: a fresh connection sees it too. */
	assert_int_equal(tob_query(dbpath, "PRAGMA journal_mode", buf, sizeof(buf)), 0);
	assert_string_equal(buf, "wal");
	/* Negative twin: the same query on a plain SQLite file reads "delete". */
	{
		char other[4200];
		sqlite3 *db = NULL;

		snprintf(other, sizeof(other), "%s.plain", dbpath);
		assert_int_equal(sqlite3_open(other, &db), SQLITE_OK);
		assert_int_equal(sqlite3_exec(db, "CREATE TABLE t(x)", NULL, NULL, NULL), SQLITE_OK);
		sqlite3_close(db);
		assert_int_equal(tob_query(other, "PRAGMA journal_mode", buf, sizeof(buf)), 0);
		assert_string_equal(buf, "delete");
	}
	outbox_close(NULL);
}

static void test_ids_and_seq(void **state)
{
	struct outbox *ob = fresh();
	char id[37], id2[37];
	long long seq = 0;
	unsigned char *der = NULL;
	size_t len = 0;

	(void)state;
	assert_int_equal(tob_store(ob, dev, 0, id, &seq), 0);
	assert_int_equal(seq, 1);
	assert_int_equal(strlen(id), 36);
	assert_true(id[14] == '4' && strchr("89ab", id[19]));
	assert_int_equal(tob_store(ob, dev, 0, id2, &seq), 0);
	assert_int_equal(seq, 2);
	assert_string_not_equal(id, id2);
	assert_int_equal(outbox_get(ob, id2, &der, &len), 1);
	assert_int_equal(tob_opens(opener, der, len, id2, 2), 0);
	der[len / 2] ^= 1;
	assert_int_not_equal(tob_opens(opener, der, len, id2, 2), 0);   /* negative twin */
	free(der);
	assert_int_equal(outbox_get(ob, "00000000-0000-4000-8000-000000000000", &der, &len), 0);
	/* Deleting does not free a sequence number for reuse. */
	assert_int_equal(outbox_delete(ob, id2), 0);
	assert_int_equal(tob_store(ob, dev, 0, id2, &seq), 0);
	assert_int_equal(seq, 3);
	outbox_close(ob);
}

static void test_order(void **state)
{
	struct outbox *ob = fresh();
	static const int prio[] = { 0, 1, 0, 2, 1 };
	static const long long want[] = { 4, 2, 5, 1, 3 };
	struct outbox_row rows[8];
	unsigned char *ders[8];
	size_t lens[8];
	char id[37];
	long long seq;
	int n;

	(void)state;
	for (int i = 0; i < 5; i++)
		assert_int_equal(tob_store(ob, dev, prio[i], id, &seq), 0);
	n = outbox_next_batch(ob, time(NULL), rows, ders, lens, 8);
	assert_int_equal(n, 5);
	for (int i = 0; i < n; i++) {
		assert_int_equal(rows[i].seq, want[i]);
		assert_int_equal(rows[i].size, lens[i]);
		assert_int_equal(tob_opens(opener, ders[i], lens[i], rows[i].id, rows[i].seq), 0);
		free(ders[i]);
	}
	assert_int_equal(outbox_next_batch(ob, time(NULL), rows, ders, lens, 2), 2);
	assert_int_equal(rows[1].seq, 2);
	free(ders[0]);
	free(ders[1]);
	assert_int_equal(outbox_next(ob, time(NULL), rows, ders, lens), 1);
	assert_int_equal(rows[0].seq, 4);
	assert_int_equal(rows[0].priority, 2);
	free(ders[0]);
	outbox_close(ob);
}

static void test_defer_hold_delete(void **state)
{
	struct outbox *ob = fresh();
	struct outbox_row r;
	struct outbox_counts c;
	unsigned char *der;
	size_t len;
	char a[37], b[37], x[37];
	long long seq, now = time(NULL);
	const char *both[2];

	(void)state;
	assert_int_equal(tob_store(ob, dev, 1, a, &seq), 0);
	assert_int_equal(tob_store(ob, dev, 0, b, &seq), 0);
	assert_int_equal(outbox_defer(ob, a, now + 100, "connect: refused"), 0);
	assert_int_equal(outbox_next(ob, now, &r, &der, &len), 1);
	assert_string_equal(r.id, b);
	free(der);
	assert_int_equal(outbox_next(ob, now + 100, &r, &der, &len), 1);
	assert_string_equal(r.id, a);
	assert_int_equal(r.attempts, 1);
	assert_string_equal(r.last_error, "connect: refused");
	free(der);
	assert_int_equal(outbox_hold(ob, a, "HTTP 403 device revoked"), 0);
	assert_int_equal(outbox_counts(ob, &c), 0);
	assert_int_equal(c.pending, 1);
	assert_int_equal(c.held, 1);
	assert_int_equal(c.crisis_pending, 0);
	assert_true(c.oldest_pending > 0);
	/* A held row is never handed out, however late it is. */
	assert_int_equal(outbox_next(ob, now + 1000000, &r, &der, &len), 1);
	assert_string_equal(r.id, b);
	free(der);
	assert_int_equal(outbox_delete(ob, b), 0);
	assert_int_equal(outbox_next(ob, now + 1000000, &r, &der, &len), 0);
	assert_int_equal(outbox_get(ob, a, &der, &len), 1);   /* kept aside, not lost */
	free(der);
	assert_int_equal(tob_store(ob, dev, 0, b, &seq), 0);
	assert_int_equal(tob_store(ob, dev, 0, x, &seq), 0);
	both[0] = b;
	both[1] = x;
	assert_int_equal(outbox_delete_many(ob, both, 2), 0);
	assert_int_equal(outbox_counts(ob, &c), 0);
	assert_int_equal(c.pending, 0);
	assert_int_equal(c.held, 1);
	assert_int_equal(c.oldest_pending, 0);
	outbox_close(ob);
}

static void test_malformed(void **state)
{
	struct outbox *ob = fresh();
	json_t *arr = json_array();
	json_t *bad = tob_record("x");
	char id[37];
	long long seq = 0;

	(void)state;
	assert_int_equal(outbox_seal_store(ob, dev, arr, 0, id, &seq), -1);
	json_object_set_new(bad, "created_at", json_string("yesterday"));
	assert_int_equal(outbox_seal_store(ob, dev, bad, 0, id, &seq), -1);
	json_object_set_new(bad, "created_at", json_integer(5));
	assert_int_equal(outbox_seal_store(ob, dev, bad, 0, id, &seq), -1);
	assert_seqs(ob, 1, 0);
	/* The twin: a well-formed created_at is kept and accepted. */
	json_object_set_new(bad, "created_at", json_string("2026-11-23T23:05:00+01:00"));
	assert_int_equal(outbox_seal_store(ob, dev, bad, 0, id, &seq), 0);
	assert_int_equal(seq, 1);
	assert_string_equal(json_string_value(json_object_get(bad, "created_at")), "2026-11-23T23:05:00+01:00");
	assert_string_equal(json_string_value(json_object_get(bad, "record_id")), id);
	json_decref(arr);
	json_decref(bad);
	outbox_close(ob);
	/* A folder that does not exist cannot hold an outbox. */
	assert_int_equal(outbox_open("/nonexistent-inloop/x/outbox.sqlite", &ob), -1);
	assert_null(ob);
}

static int fail_at;     /* fail the fail_at-th step (1-based); 0 = never */
static int steps_seen;

static int count_fault(const char *step, void *arg)
{
	(void)step;
	(void)arg;
	return ++steps_seen == fail_at;
}

/* Three stores with step fail_at failing; every success is there, no gap, no extra row. */
static int fault_round(int n)
{
	struct outbox *ob = fresh();
	char ids[3][37];
	long long seq;
	int ok = 0, failed = 0;
	unsigned char *der;
	size_t len;

	fail_at = n;
	steps_seen = 0;
	outbox_set_fault(count_fault, NULL);
	for (int i = 0; i < 3; i++) {
		if (tob_store(ob, dev, i, ids[ok], &seq) == 0) {
			assert_int_equal(seq, ok + 1);
			ok++;
		} else {
			failed++;
		}
	}
	outbox_set_fault(NULL, NULL);
	assert_int_equal(failed, n <= steps_seen ? 1 : 0);
	assert_seqs(ob, 1, ok);
	for (int i = 0; i < ok; i++) {
		assert_int_equal(outbox_get(ob, ids[i], &der, &len), 1);
		assert_int_equal(tob_opens(opener, der, len, ids[i], i + 1), 0);
		free(der);
	}
	/* The handle is usable again: the next store takes the next number. */
	assert_int_equal(tob_store(ob, dev, 0, ids[0], &seq), 0);
	assert_int_equal(seq, ok + 1);
	outbox_close(ob);
	return failed;
}

/* The record is built in one place: record_new leaves the identity null in its place,
 * the outbox's record_stamp fills it, and the fields keep DESIGN.md's order. */
static void test_record_fields(void **state)
{
	static const char *const order[] = { RECORD_F_SCHEMA, RECORD_F_ID, RECORD_F_SEQ, RECORD_F_CREATED_AT,
					     RECORD_F_DEVICE_ID, RECORD_F_LOCATION, RECORD_F_LANGUAGE,
					     RECORD_F_MODE, RECORD_F_ANSWERS };
	struct outbox *ob = fresh();
	json_t *r = tob_record("x");
	const char *key;
	json_t *v;
	size_t i = 0;
	char id[37];
	long long seq = 0;

	(void)state;
	assert_true(json_is_null(json_object_get(r, RECORD_F_ID)));
	assert_true(json_is_null(json_object_get(r, RECORD_F_DEVICE_ID)));
	assert_int_equal(outbox_seal_store(ob, dev, r, 0, id, &seq), 0);
	assert_string_equal(json_string_value(json_object_get(r, RECORD_F_ID)), id);
	assert_int_equal(json_integer_value(json_object_get(r, RECORD_F_SEQ)), seq);
	assert_string_equal(json_string_value(json_object_get(r, RECORD_F_DEVICE_ID)), seal_device_id(dev));
	assert_string_equal(json_string_value(json_object_get(r, RECORD_F_SCHEMA)), RECORD_SCHEMA);
	json_object_foreach(r, key, v) {
		assert_true(i < sizeof(order) / sizeof(order[0]));
		assert_string_equal(key, order[i++]);
	}
	assert_int_equal(i, sizeof(order) / sizeof(order[0]));
	json_decref(r);
	outbox_close(ob);
}

static void test_fault_loop(void **state)
{
	int n;

	(void)state;
	for (n = 1; fault_round(n) > 0; n++)
		;
	/* 3 stores x 6 steps were each failed once before the loop ran out of steps. */
	assert_int_equal(n, 19);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pragmas),
		cmocka_unit_test(test_ids_and_seq),
		cmocka_unit_test(test_order),
		cmocka_unit_test(test_defer_hold_delete),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_record_fields),
		cmocka_unit_test(test_fault_loop),
	};
	int rc;

	util_json_wipe_on_free();
	dev = tob_device();
	opener = tob_opener();
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	seal_opener_free(opener);
	seal_device_free(dev);
	return rc;
}
