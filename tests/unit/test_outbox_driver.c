/*
 * test_outbox_driver.c — a helper program for the outbox's shell tests (t3002 durability,
 * t3003 canary), not a test by itself.
 *
 *   test_outbox_driver store DEVICE_DIR OUTBOX COUNT [NAME] [--leave-wal]
 *       stores COUNT records (answers.name = NAME) and writes "ID SEQ\n" to stdout with one
 *       write(2) each, only AFTER outbox_seal_store returned: a line in the log is a promise
 *       the outbox must keep even when the process is SIGKILLed right after. --leave-wal
 *       exits without closing the database, so the WAL and -shm files stay for inspection.
 *   test_outbox_driver submit STATE_DIR COUNT
 *       the same through submit_answers (the Send button's path: form check, triage, record
 *       JSON) into STATE_DIR/outbox.sqlite, with the shipped form ($INLOOP_ASSETS).
 *   test_outbox_driver verify PKI_DIR OUTBOX LOG
 *       PRAGMA integrity_check is "ok"; the seqs are 1..max without gap or repeat; every
 *       logged id is there with its seq and opens with the case-store key; so does every
 *       row stored after the last logged one (committed just before the kill).
 *   test_outbox_driver count-name PKI_DIR OUTBOX NAME
 *       opens every row and prints how many records carry NAME inside the envelope.
 */
#include "tests/unit/test_outbox_common.h"
#include "sync/device/config.h"
#include "sync/device/submit.h"

#include <errno.h>
#include <unistd.h>

/* Writes "ID SEQ\n" with one write(2): the promise that this record is stored. */
static int log_stored(const char *id, long long seq)
{
	char line[80];
	int n = snprintf(line, sizeof(line), "%s %lld\n", id, seq);

	return write(1, line, (size_t)n) == n ? 0 : -1;
}

static int submit_loop(const char *state, int count)
{
	struct device_config cfg;
	struct submit_ctx ctx;
	struct submit_result r;
	json_t *a = json_pack("{s:[s], s:s, s:s, s:s, s:s, s:s, s:b}", "crisis", "none", "name",
			      "Test Persoon", "contact", "phone", "phone", "0612345678", "postcode",
			      "1234AB", "house_number", "12", "privacy_read", 1);

	if (!a || config_load(state, &cfg) < 0 || submit_ctx_open(&cfg, &ctx) < 0)
		return 1;
	for (int i = 0; i < count; i++)
		if (submit_answers(&ctx, a, "nl", NULL, NULL, NULL, &r) != 0 || log_stored(r.id, r.seq) < 0)
			return 1;
	submit_ctx_close(&ctx);
	json_decref(a);
	return 0;
}

static int store(const char *devdir, const char *path, int count, const char *name, int leave)
{
	struct seal_device *d = NULL;
	struct outbox *ob = NULL;
	char id[37];
	long long seq;

	if (submit_seal_device(devdir, &d) < 0 || outbox_open(path, &ob) < 0)
		return 1;
	for (int i = 0; i < count; i++) {
		json_t *r = tob_record(name);
		int rc = outbox_seal_store(ob, d, r, i % 3 == 0, id, &seq);

		json_decref(r);
		if (rc < 0 || log_stored(id, seq) < 0)
			return 1;
	}
	if (leave)
		_exit(0);
	outbox_close(ob);
	seal_device_free(d);
	return 0;
}

struct walk {
	struct outbox *ob;
	struct seal_opener *o;
	long long expect_seq;     /* next seq the walk must see */
	long long open_from;      /* open every row with seq >= this */
	const char *name;         /* count-name: the text to look for */
	int found;
	int bad;
};

/* Opens one row's envelope; counts rows whose JSON holds w->name. */
static int open_row(struct walk *w, const struct outbox_row *r)
{
	unsigned char *der = NULL;
	size_t len = 0;
	char why[256], *json = NULL;
	size_t jlen;
	struct seal_info info;

	if (outbox_get(w->ob, r->id, &der, &len) != 1)
		return -1;
	if (seal_open(w->o, der, len, &json, &jlen, &info, why, sizeof(why)) < 0 ||
	    strcmp(info.record_id, r->id) != 0 || info.seq != r->seq) {
		fprintf(stderr, "# row seq %lld does not open: %s\n", r->seq, why);
		free(der);
		return -1;
	}
	if (w->name && strstr(json, w->name))
		w->found++;
	util_clear_free(json);
	free(der);
	return 0;
}

static int walk_cb(const struct outbox_row *r, void *arg)
{
	struct walk *w = arg;

	if (r->seq != w->expect_seq) {
		fprintf(stderr, "# seq %lld where %lld was due (gap or repeat)\n", r->seq, w->expect_seq);
		w->bad++;
	}
	w->expect_seq = r->seq + 1;
	if (r->seq >= w->open_from && open_row(w, r) < 0)
		w->bad++;
	return 0;
}

/* Every logged id is present with its seq and opens. Returns the highest logged seq. */
static long long check_log(struct walk *w, const char *log)
{
	FILE *f = fopen(log, "r");
	char id[64];
	long long seq, last = 0;

	if (!f) {
		w->bad++;
		return 0;
	}
	while (fscanf(f, "%63s %lld", id, &seq) == 2) {
		unsigned char *der = NULL;
		size_t len = 0;

		if (outbox_get(w->ob, id, &der, &len) != 1 || tob_opens(w->o, der, len, id, seq) < 0) {
			fprintf(stderr, "# logged record seq %lld is missing or does not open\n", seq);
			w->bad++;
		}
		free(der);
		last = seq > last ? seq : last;
	}
	fclose(f);
	return last;
}

static int verify(const char *pki, const char *path, const char *log, const char *name)
{
	struct walk w = { 0 };
	char buf[64];

	setenv("INLOOP_TEST_PKI", pki, 1);
	if (tob_query(path, "PRAGMA integrity_check", buf, sizeof(buf)) < 0 || strcmp(buf, "ok") != 0) {
		fprintf(stderr, "# integrity_check: %s\n", buf);
		return 1;
	}
	w.o = tob_opener();
	if (outbox_open(path, &w.ob) < 0)
		return 1;
	w.expect_seq = 1;
	w.name = name;
	w.open_from = name ? 1 : (log ? check_log(&w, log) + 1 : 1);
	if (outbox_list(w.ob, walk_cb, &w) < 0)
		w.bad++;
	if (name)
		printf("%d\n", w.found);
	outbox_close(w.ob);
	seal_opener_free(w.o);
	return w.bad ? 1 : 0;
}

int main(int argc, char **argv)
{
	util_json_wipe_on_free();
	if (argc >= 5 && !strcmp(argv[1], "store"))
		return store(argv[2], argv[3], atoi(argv[4]), argc > 5 ? argv[5] : "Test Persoon",
			     argc > 6 && !strcmp(argv[6], "--leave-wal"));
	if (argc == 4 && !strcmp(argv[1], "submit"))
		return submit_loop(argv[2], atoi(argv[3]));
	if (argc == 5 && !strcmp(argv[1], "verify"))
		return verify(argv[2], argv[3], argv[4], NULL);
	if (argc == 5 && !strcmp(argv[1], "count-name"))
		return verify(argv[2], argv[3], NULL, argv[4]);
	fputs("usage: test_outbox_driver store DEVICE_DIR OUTBOX COUNT [NAME] [--leave-wal]\n"
	      "       test_outbox_driver submit STATE_DIR COUNT\n"
	      "       test_outbox_driver verify PKI_DIR OUTBOX LOG\n"
	      "       test_outbox_driver count-name PKI_DIR OUTBOX NAME\n", stderr);
	return 2;
}
