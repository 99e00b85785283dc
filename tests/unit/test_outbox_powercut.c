/*
 * test_outbox_powercut.c — the device's outbox through power cuts (powercut_vfs.h).
 *
 * One outbox file lives through every cut, like a kiosk that loses power and restarts.
 * Each round arms the cut at a random write, truncate or sync, then stores records (the
 * Send button's outbox_seal_store) and removes the oldest ones (the uploader after a 201)
 * until the power goes; then every handle is closed, the machine "reboots" and the file
 * is opened again. After each cut:
 *   - integrity_check is ok and the outbox opens;
 *   - every record whose store returned 0 (its receipt was shown) is there, whole: the
 *     same envelope bytes, opening with the case-store key under its id and seq;
 *   - no record whose removal returned 0 is back;
 *   - nothing is there twice and nothing unknown is there: ids and seqs unique, seqs
 *     rising, each row one the test stored (a store cut short may or may not have landed;
 *     when it did, it is whole);
 *   - a sequence number that was durable is never handed out again.
 * The negative twin runs the same rounds on a disk that ignores xSync and must see loss.
 * Needs $INLOOP_TEST_PKI, $TEST_SCRATCH; $POWERCUT_SEED repeats a run, $POWERCUT_CUTS.
 */
#include "tests/unit/test_outbox_common.h"
#include "tests/unit/powercut_vfs.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <time.h>
#include <unistd.h>

#define MAX_RECORDS 20000

enum rec_state { REC_DOUBT, REC_ACKED, REC_REMOVED, REC_GONE };

struct rec {
	char id[37];
	long long seq;
	enum rec_state state;
	unsigned char *der;       /* the envelope as stored (acked or found after a cut) */
	size_t len;
	int opened;               /* opened with the case-store key once */
};

static struct seal_device *dev;
static struct seal_opener *opener;
static struct rec recs[MAX_RECORDS];
static int nrecs;
static long long max_durable_seq;
static uint64_t seed;
static char path[4096];

static struct rec *find(const char *id)
{
	for (int i = nrecs - 1; i >= 0; i--)
		if (!strcmp(recs[i].id, id))
			return &recs[i];
	return NULL;
}

/* Reads a stored envelope back through the outbox (what the uploader would send). */
static int read_back(struct outbox *ob, struct rec *r)
{
	free(r->der);
	r->der = NULL;
	return outbox_get(ob, r->id, &r->der, &r->len);
}

/* One store: the resident taps Send. A store that fails shows no receipt, but its row
 * may still have landed (the cut came after the commit, in the checkpoint): counted in
 * doubt_stores, such a row may turn up once under an id the test never saw. */
static int doubt_stores;
static int seq_problems;
static long landed_without_receipt;

static void do_store(struct outbox *ob)
{
	struct rec *r = &recs[nrecs];

	assert_true(nrecs < MAX_RECORDS);
	memset(r, 0, sizeof(*r));
	if (tob_store(ob, dev, (int)pc_below(2), r->id, &r->seq) != 0) {
		doubt_stores++;
		return;
	}
	nrecs++;
	r->state = REC_ACKED;
	/* a durable seq is never handed out again, across cuts too */
	if (r->seq <= max_durable_seq) {
		print_message("# seed %llu: seq %lld handed out again\n", (unsigned long long)seed, r->seq);
		seq_problems++;
	}
	max_durable_seq = r->seq;
	assert_int_equal(read_back(ob, r), 1);
}

/* The uploader's step after a 201: the oldest due row leaves the outbox. */
static void do_remove(struct outbox *ob)
{
	struct outbox_row row;
	unsigned char *der = NULL;
	size_t len = 0;
	struct rec *r;

	if (outbox_next(ob, 1LL << 40, &row, &der, &len) != 1)
		return;
	free(der);
	r = find(row.id);
	assert_non_null(r);
	if (outbox_delete(ob, row.id) == 0)
		r->state = REC_REMOVED;
	else
		r->state = r->state == REC_ACKED ? REC_DOUBT : r->state;   /* may be gone or not */
}

/* One row found after the cut. */
struct walk {
	struct outbox *ob;
	long long last_seq;
	int problems;
	int rows;
	int adopted;
};

static int on_row(const struct outbox_row *row, void *arg)
{
	struct walk *w = arg;
	struct rec *r = find(row->id);

	w->rows++;
	if (!r && doubt_stores > 0 && nrecs < MAX_RECORDS) {
		/* a store that reported failure but landed: whole, and known from now on */
		doubt_stores--;
		r = &recs[nrecs++];
		memset(r, 0, sizeof(*r));
		snprintf(r->id, sizeof(r->id), "%s", row->id);
		r->seq = row->seq;
		r->state = REC_DOUBT;
		w->adopted++;
		landed_without_receipt++;
	}
	if (!r || r->state == REC_REMOVED || r->state == REC_GONE || row->seq <= w->last_seq ||
	    (r->seq && r->seq != row->seq)) {
		print_message("# seed %llu: row %s seq %lld should not be there (%s)\n",
			      (unsigned long long)seed, row->id, row->seq,
			      !r ? "unknown" : r->state == REC_REMOVED ? "removed" : "twice or out of order");
		w->problems++;
	}
	w->last_seq = row->seq;
	if (r && r->seq == 0)
		r->seq = row->seq;
	return 0;
}

/* Every acked record there, whole; a doubtful one whole when there. Returns problems. */
static int check_records(struct outbox *ob)
{
	int problems = 0;

	for (int i = 0; i < nrecs; i++) {
		struct rec *r = &recs[i];
		unsigned char *der = NULL;
		size_t len = 0;
		int got;

		if (r->state == REC_REMOVED || r->state == REC_GONE)
			continue;
		got = outbox_get(ob, r->id, &der, &len);
		if (got != 1) {
			if (r->state == REC_ACKED) {
				print_message("# seed %llu: record %s seq %lld had its receipt and is lost\n",
					      (unsigned long long)seed, r->id, r->seq);
				problems++;
			}
			r->state = REC_GONE;
			free(der);
			continue;
		}
		if (r->state == REC_ACKED && r->der && (len != r->len || memcmp(der, r->der, len))) {
			print_message("# seed %llu: record %s is not whole\n", (unsigned long long)seed, r->id);
			problems++;
		}
		if (!r->opened || r->state == REC_DOUBT) {
			if (tob_opens(opener, der, len, r->id, r->seq) < 0)
				problems++;
			r->opened = 1;
		}
		free(r->der);
		r->der = der;
		r->len = len;
		r->state = REC_ACKED;   /* there and whole: from now on it must stay */
		if (r->seq > max_durable_seq)
			max_durable_seq = r->seq;
	}
	return problems;
}

/* After a reboot: opens the outbox again and checks everything above; returns problems. */
static int check_after_cut(void)
{
	struct outbox *ob = NULL;
	struct walk w = { 0 };
	char buf[64] = "";
	int problems;

	if (tob_query(path, "PRAGMA integrity_check", buf, sizeof(buf)) < 0 || strcmp(buf, "ok")) {
		print_message("# seed %llu: integrity_check says %s\n", (unsigned long long)seed, buf);
		return 1;
	}
	if (outbox_open(path, &ob) < 0)
		return 1;
	w.ob = ob;
	problems = outbox_list(ob, on_row, &w) < 0;
	problems += check_records(ob);
	doubt_stores = 0;
	outbox_close(ob);
	return problems + w.problems;
}

/* Starts over on an empty file (the twin, after damage it caused on purpose). */
static void fresh_file(void)
{
	char side[4200];

	unlink(path);
	snprintf(side, sizeof(side), "%s-wal", path);
	unlink(side);
	snprintf(side, sizeof(side), "%s-shm", path);
	unlink(side);
	for (int i = 0; i < nrecs; i++)
		free(recs[i].der);
	nrecs = 0;
	max_durable_seq = 0;
	doubt_stores = 0;
}

/* Closes and opens a handle again (a kiosk restart, or the uploader's next run): the
 * last close checkpoints the WAL into the database, so cuts land in checkpoints too. */
static void reopen(struct outbox **ob)
{
	outbox_close(*ob);
	*ob = NULL;
	if (outbox_open(path, ob) < 0)
		*ob = NULL;
}

/* One round: arm, work until the power goes, close, reboot, check. Returns problems.
 * The kiosk stores through its handle, the uploader removes through its own (outbox.h:
 * one handle per thread). */
static int one_round(void)
{
	struct outbox *kiosk = NULL, *uploader = NULL;
	int steps = 0, problems;

	if (outbox_open(path, &kiosk) < 0 || outbox_open(path, &uploader) < 0) {
		outbox_close(kiosk);
		return 1;
	}
	pc_arm(1 + pc_below(150));
	while (!pc_is_dead() && kiosk && uploader && steps++ < 2000) {
		long dice = pc_below(100);
		if (dice < 55)
			do_store(kiosk);
		else if (dice < 90)
			do_remove(uploader);
		else if (dice < 95)
			reopen(&kiosk);
		else
			reopen(&uploader);
	}
	outbox_close(kiosk);
	outbox_close(uploader);
	if (!pc_is_dead())
		return 1;   /* a handle would not open with the power on */
	pc_reboot();
	problems = check_after_cut() + seq_problems;
	seq_problems = 0;
	return problems;
}

static long cuts_wanted(void)
{
	const char *s = getenv("POWERCUT_CUTS");

	return s && atol(s) > 0 ? atol(s) : 200;
}

static void test_power_cuts(void **state)
{
	long problems = 0, rounds = cuts_wanted(), acked = 0;

	(void)state;
	fresh_file();
	pc_lying_disk(0);
	pc.cuts = pc.kept = pc.torn = pc.dropped = 0;
	for (long i = 0; i < rounds; i++)
		problems += one_round();
	for (int i = 0; i < nrecs; i++)
		acked += recs[i].state == REC_ACKED;
	print_message("# seed %llu: %ld cuts; cached ops kept %ld, torn %ld, dropped %ld; "
		      "%d records stored, %ld in the outbox at the end; %ld stores reported failure"
		      " but had landed\n", (unsigned long long)seed, pc.cuts, pc.kept, pc.torn,
		      pc.dropped, nrecs, acked, landed_without_receipt);
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
		if (p) {
			pc_reboot();
			fresh_file();
		}
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
	int rc;

	seed = s && *s ? strtoull(s, NULL, 10) : (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 32);
	printf("# POWERCUT_SEED=%llu\n", (unsigned long long)seed);
	snprintf(path, sizeof(path), "%s/powercut.sqlite", scratch ? scratch : "/tmp");
	util_json_wipe_on_free();
	dev = tob_device();
	opener = tob_opener();
	assert_int_equal(pc_install(seed), 0);
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	seal_opener_free(opener);
	seal_device_free(dev);
	return rc;
}
