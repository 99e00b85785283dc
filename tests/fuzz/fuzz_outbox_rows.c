/*
 * fuzz_outbox_rows.c — libFuzzer target: the outbox opened on any file (a damaged flash
 * card, a half-written page) and every row reader and writer the uploader and the host
 * line use: outbox_open (pragmas, schema), outbox_list, outbox_counts, outbox_next_batch,
 * outbox_get, then outbox_defer / outbox_hold / outbox_delete on the first row.
 *
 * Seeds are real outboxes made by `inloop submit`, vacuumed into 512-byte pages so the
 * fuzzer works on few bytes. Properties beyond the sanitizers: every text field of a row
 * is NUL-terminated inside its buffer, and on a file that passes SQLite's quick_check a
 * row outbox_next hands out is one outbox_list shows. (On a damaged file they can differ:
 * an index out of step with its table answers each query differently, and outbox_open
 * does not check; seeds/outbox_rows/regress-corrupt-index.sqlite is such a file.)
 */
#include "tests/fuzz/fuzz_common.h"
#include "sync/outbox.h"

#include <fcntl.h>
#include <sqlite3.h>

static char db[4200], wal[4300], shm[4300], journal[4300];

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc, (void)argv;
	fuzz_keep_stderr();
	snprintf(db, sizeof(db), "%s/outbox.sqlite", fuzz_scratch());
	snprintf(wal, sizeof(wal), "%s-wal", db);
	snprintf(shm, sizeof(shm), "%s-shm", db);
	snprintf(journal, sizeof(journal), "%s-journal", db);
	return 0;
}

static void row_ok(const struct outbox_row *r)
{
	if (!memchr(r->id, '\0', sizeof(r->id)) || !memchr(r->created_at, '\0', sizeof(r->created_at)) ||
	    !memchr(r->last_error, '\0', sizeof(r->last_error)))
		abort();
}

struct walk {
	int rows;
	char first[37];
};

static int on_row(const struct outbox_row *r, void *arg)
{
	struct walk *w = arg;

	row_ok(r);
	if (w->rows++ == 0)
		memcpy(w->first, r->id, sizeof(w->first));
	return w->rows >= 1000;
}

/* 1 when SQLite finds the file sound (PRAGMA quick_check), before the outbox opens it. */
static int file_sound(void)
{
	sqlite3 *h = NULL;
	sqlite3_stmt *st = NULL;
	int ok = 0;

	if (sqlite3_open_v2(db, &h, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
	    sqlite3_prepare_v2(h, "PRAGMA quick_check", -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		ok = !strcmp((const char *)sqlite3_column_text(st, 0), "ok");
	sqlite3_finalize(st);
	sqlite3_close(h);
	return ok;
}

static void read_all(struct outbox *ob, int sound)
{
	struct outbox_row rows[4];
	unsigned char *ders[4], *der = NULL;
	size_t lens[4], len = 0;
	struct outbox_counts c;
	struct walk w = { 0 };
	int n;

	if (outbox_list(ob, on_row, &w) < 0)
		return;
	(void)outbox_counts(ob, &c);
	n = outbox_next_batch(ob, 1LL << 40, rows, ders, lens, 4);
	if (sound && n > 0 && w.rows == 0)
		abort();   /* next handed out a row that list does not show */
	for (int i = 0; i < n; i++) {
		row_ok(&rows[i]);
		if (rows[i].size != lens[i])
			abort();
		free(ders[i]);
	}
	if (!w.rows)
		return;
	if (outbox_get(ob, w.first, &der, &len) == 1)
		free(der);
	(void)outbox_defer(ob, w.first, 5, "fuzz");
	(void)outbox_hold(ob, w.first, "fuzz");
	(void)outbox_delete(ob, w.first);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct outbox *ob = NULL;
	int fd, sound;

	unlink(wal), unlink(shm), unlink(journal);
	fd = open(db, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd < 0 || write(fd, data, size) != (ssize_t)size)
		fuzz_die("write the outbox file");
	close(fd);
	sound = file_sound();
	if (outbox_open(db, &ob) == 0)
		read_all(ob, sound);
	outbox_close(ob);
	return 0;
}
