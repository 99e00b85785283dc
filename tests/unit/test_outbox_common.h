/*
 * test_outbox_common.h — helpers shared by the outbox tests (test_outbox*.c): the demo
 * device and opener made by `inloopctl init-demo` ($INLOOP_TEST_PKI), a synthetic record,
 * and a walk that checks the stored rows: sequence numbers 1..n without gap or repeat,
 * PRAGMA integrity_check "ok", and envelopes that open with the case-store key.
 */
#ifndef TEST_OUTBOX_COMMON_H
#define TEST_OUTBOX_COMMON_H

#include "platform/util.h"
#include "sync/device/outbox.h"
#include "sync/device/config.h"
#include "sync/device/submit.h"
#include "sync/record/seal.h"
#include "sync/record/record.h"

#include <jansson.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* $INLOOP_TEST_PKI (an init-demo folder), or exits: the wrapper script always sets it. */
static inline const char *tob_pki(void)
{
	const char *p = getenv("INLOOP_TEST_PKI");

	if (!p || !*p) {
		fprintf(stderr, "INLOOP_TEST_PKI is not set (run through tests/t3*.sh)\n");
		exit(2);
	}
	return p;
}

static inline struct seal_device *tob_device(void)
{
	char dir[4096];
	struct seal_device *d = NULL;

	snprintf(dir, sizeof(dir), "%s/device", tob_pki());
	if (submit_seal_device(dir, &d) < 0) {
		fprintf(stderr, "cannot load the demo device in %s\n", dir);
		exit(2);
	}
	return d;
}

static inline struct seal_opener *tob_opener(void)
{
	struct seal_opener *o = NULL;
	char office[4096];

	snprintf(office, sizeof(office), "%s/office", tob_pki());   /* the opening key's folder */
	if (seal_opener_load(office, &o) < 0) {
		fprintf(stderr, "cannot load the demo case store in %s\n", tob_pki());
		exit(2);
	}
	return o;
}

/* A small record as the submit path hands it over (record_new; the outbox stamps the ids). */
static inline json_t *tob_record(const char *name)
{
	struct record_body b = { .location = "test", .language = "nl", .mode = "kiosk" };
	json_t *r;

	b.answers = json_pack("{s:s, s:[s]}", "name", name, "crisis", "none");
	r = b.answers ? record_new(&b) : NULL;
	json_decref(b.answers);
	return r;
}

/* Stores one record; returns outbox_seal_store's result. */
static inline int tob_store(struct outbox *ob, struct seal_device *d, int prio, char id[37],
			    long long *seq)
{
	json_t *r = tob_record("Test Persoon");
	int rc = outbox_seal_store(ob, d, r, prio, id, seq);

	json_decref(r);
	return rc;
}

/* Runs a one-value query on the outbox file with a fresh connection; result in buf. */
static inline int tob_query(const char *path, const char *sql, char *buf, size_t size)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	int rc = -1;

	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL) == SQLITE_OK &&
	    sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW) {
		snprintf(buf, size, "%s", sqlite3_column_text(st, 0) ? (const char *)sqlite3_column_text(st, 0) : "");
		rc = 0;
	}
	sqlite3_finalize(st);
	sqlite3_close(db);
	return rc;
}

/* Opens an envelope with the case-store key; checks the record id and seq it carries. */
static inline int tob_opens(struct seal_opener *o, const unsigned char *der, size_t len,
			    const char *id, long long seq)
{
	struct seal_info info;
	char why[256];
	char *json = NULL;
	size_t jlen = 0;

	if (seal_open(o, der, len, &json, &jlen, &info, why, sizeof(why)) < 0) {
		fprintf(stderr, "# record %s does not open: %s\n", id, why);
		return -1;
	}
	util_clear_free(json);
	if (strcmp(info.record_id, id) != 0 || info.seq != seq) {
		fprintf(stderr, "# record %s opened as %s seq %lld (want %lld)\n", id, info.record_id,
			info.seq, seq);
		return -1;
	}
	return 0;
}

#endif
