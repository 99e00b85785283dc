/*
 * test_outbox_vfs.c — the outbox under failing storage (STYLE.md 15, sqlite's faultsim).
 *
 * A shim SQLite VFS wraps the default one and fails the Nth write, truncate or fsync;
 * "once" fails only that call, "sticky" fails it and every later one (a full or vanished
 * disk). For every N until a round runs clean: three records are stored, the handle is
 * closed, the file reopened on healthy storage, and then: integrity_check is ok, every
 * record whose store returned 0 is there and opens, the seqs are 1..n without gap or
 * repeat, and no row exists beyond the calls made. Needs $INLOOP_TEST_PKI, $TEST_SCRATCH.
 */
#include "tests/unit/test_outbox_common.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <unistd.h>

struct shim_file {
	sqlite3_file base;
	sqlite3_file *real;
};

static sqlite3_vfs *real_vfs;
static sqlite3_vfs shim_vfs;
static int fail_at;      /* 1-based index of the I/O call to fail; 0 = none */
static int sticky;       /* keep failing after fail_at */
static int io_calls;
static int io_failed;

/* Counts one write/truncate/sync; non-zero when this one must fail. */
static int io_fault(void)
{
	io_calls++;
	if (fail_at && (io_calls == fail_at || (sticky && io_calls > fail_at))) {
		io_failed++;
		return 1;
	}
	return 0;
}

#define REAL(f) (((struct shim_file *)(f))->real)

static int x_close(sqlite3_file *f)
{
	return REAL(f)->pMethods->xClose(REAL(f));
}
static int x_read(sqlite3_file *f, void *p, int n, sqlite3_int64 off)
{
	return REAL(f)->pMethods->xRead(REAL(f), p, n, off);
}
static int x_write(sqlite3_file *f, const void *p, int n, sqlite3_int64 off)
{
	return io_fault() ? SQLITE_IOERR_WRITE : REAL(f)->pMethods->xWrite(REAL(f), p, n, off);
}
static int x_truncate(sqlite3_file *f, sqlite3_int64 size)
{
	return io_fault() ? SQLITE_IOERR_TRUNCATE : REAL(f)->pMethods->xTruncate(REAL(f), size);
}
static int x_sync(sqlite3_file *f, int flags)
{
	return io_fault() ? SQLITE_IOERR_FSYNC : REAL(f)->pMethods->xSync(REAL(f), flags);
}
static int x_size(sqlite3_file *f, sqlite3_int64 *size)
{
	return REAL(f)->pMethods->xFileSize(REAL(f), size);
}
static int x_lock(sqlite3_file *f, int l)
{
	return REAL(f)->pMethods->xLock(REAL(f), l);
}
static int x_unlock(sqlite3_file *f, int l)
{
	return REAL(f)->pMethods->xUnlock(REAL(f), l);
}
static int x_reserved(sqlite3_file *f, int *out)
{
	return REAL(f)->pMethods->xCheckReservedLock(REAL(f), out);
}
static int x_control(sqlite3_file *f, int op, void *arg)
{
	return REAL(f)->pMethods->xFileControl(REAL(f), op, arg);
}
static int x_sector(sqlite3_file *f)
{
	return REAL(f)->pMethods->xSectorSize(REAL(f));
}
static int x_devchar(sqlite3_file *f)
{
	return REAL(f)->pMethods->xDeviceCharacteristics(REAL(f));
}
static int x_shmmap(sqlite3_file *f, int pg, int sz, int ext, void volatile **pp)
{
	return REAL(f)->pMethods->xShmMap(REAL(f), pg, sz, ext, pp);
}
static int x_shmlock(sqlite3_file *f, int off, int n, int flags)
{
	return REAL(f)->pMethods->xShmLock(REAL(f), off, n, flags);
}
static void x_shmbarrier(sqlite3_file *f)
{
	REAL(f)->pMethods->xShmBarrier(REAL(f));
}
static int x_shmunmap(sqlite3_file *f, int del)
{
	return REAL(f)->pMethods->xShmUnmap(REAL(f), del);
}

/* Version 2 methods: no memory-mapped fetch, so every page goes through x_read. */
static const sqlite3_io_methods shim_io = {
	2, x_close, x_read, x_write, x_truncate, x_sync, x_size, x_lock, x_unlock, x_reserved,
	x_control, x_sector, x_devchar, x_shmmap, x_shmlock, x_shmbarrier, x_shmunmap, NULL, NULL,
};

static int x_open(sqlite3_vfs *vfs, const char *name, sqlite3_file *f, int flags, int *out)
{
	struct shim_file *s = (struct shim_file *)f;
	int rc;

	(void)vfs;
	s->real = (sqlite3_file *)&s[1];
	rc = real_vfs->xOpen(real_vfs, name, s->real, flags, out);
	s->base.pMethods = rc == SQLITE_OK ? &shim_io : NULL;
	return rc;
}

static void shim_install(void)
{
	real_vfs = sqlite3_vfs_find(NULL);
	shim_vfs = *real_vfs;
	shim_vfs.iVersion = 2;
	shim_vfs.zName = "inloop-faultshim";
	shim_vfs.szOsFile = (int)sizeof(struct shim_file) + real_vfs->szOsFile;
	shim_vfs.xOpen = x_open;
	shim_vfs.pNext = NULL;
	assert_int_equal(sqlite3_vfs_register(&shim_vfs, 1), SQLITE_OK);
}

static struct seal_device *dev;
static struct seal_opener *opener;

struct seen { long long next; int rows; int bad; };

static int seen_cb(const struct outbox_row *r, void *arg)
{
	struct seen *s = arg;

	s->bad += r->seq != s->next;
	s->next = r->seq + 1;
	s->rows++;
	return 0;
}

/* One round: returns how many I/O calls failed (0 = the loop is done). */
static int round_with(int n, int is_sticky, const char *path)
{
	struct outbox *ob = NULL;
	char ids[3][37], buf[32];
	long long seqs[3], seq;
	int ok = 0, calls = 3;
	struct seen s = { 1, 0, 0 };

	unlink(path);
	assert_int_equal(outbox_open(path, &ob), 0);
	io_calls = io_failed = 0;
	fail_at = n;
	sticky = is_sticky;
	for (int i = 0; i < calls; i++)
		if (tob_store(ob, dev, 0, ids[ok], &seq) == 0)
			seqs[ok++] = seq;
	fail_at = 0;
	outbox_close(ob);
	assert_int_equal(tob_query(path, "PRAGMA integrity_check", buf, sizeof(buf)), 0);
	assert_string_equal(buf, "ok");
	assert_int_equal(outbox_open(path, &ob), 0);
	for (int i = 0; i < ok; i++) {
		unsigned char *der = NULL;
		size_t len = 0;

		assert_int_equal(outbox_get(ob, ids[i], &der, &len), 1);
		assert_int_equal(tob_opens(opener, der, len, ids[i], seqs[i]), 0);
		free(der);
	}
	assert_int_equal(outbox_list(ob, seen_cb, &s), 0);
	assert_int_equal(s.bad, 0);
	assert_true(s.rows >= ok && s.rows <= calls);
	if (io_failed == 0)
		assert_int_equal(ok, calls);
	/* One failed call does not wedge the handle: the later stores went through. */
	if (!is_sticky)
		assert_true(ok >= calls - 1);
	/* Healthy storage again: the next store takes the next number. */
	assert_int_equal(tob_store(ob, dev, 0, ids[0], &seq), 0);
	assert_int_equal(seq, s.next);
	outbox_close(ob);
	return io_failed;
}

static void run_loop(int is_sticky)
{
	char path[4096];
	const char *scratch = getenv("TEST_SCRATCH");
	int n, failing_rounds = 0;

	snprintf(path, sizeof(path), "%s/vfs-%d.sqlite", scratch ? scratch : "/tmp", is_sticky);
	for (n = 1; n < 1000 && round_with(n, is_sticky, path) > 0; n++)
		failing_rounds++;
	print_message("# %s: %d rounds with a failing write/fsync, then a clean one\n",
		      is_sticky ? "sticky" : "once", failing_rounds);
	/* Three stores do several writes and syncs each: the loop must have had work. */
	assert_true(failing_rounds >= 6);
	assert_true(n < 1000);
}

static void test_fail_once(void **state)
{
	(void)state;
	run_loop(0);
}

static void test_fail_sticky(void **state)
{
	(void)state;
	run_loop(1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fail_once),
		cmocka_unit_test(test_fail_sticky),
	};
	int rc;

	util_json_wipe_on_free();
	dev = tob_device();
	opener = tob_opener();
	shim_install();
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	seal_opener_free(opener);
	seal_device_free(dev);
	return rc;
}
