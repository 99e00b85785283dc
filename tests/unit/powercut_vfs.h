/*
 * powercut_vfs.h — power loss, simulated the way SQLite tests itself (its crash VFS,
 * test6.c): a shim over the default unix VFS that keeps every write and truncate since the
 * file's last xSync in memory, as a disk's volatile cache does. The real file underneath
 * is the platter: it holds only what was synced. Reads see the cache over the platter,
 * as the OS would show them.
 *
 * At a random I/O call (pc_arm(n): the n-th write, truncate or sync from now) the power
 * goes: each cached write independently reaches the platter whole, torn (a prefix of it,
 * sector-aligned or not; the rest keeps the old bytes) or not at all, in the order they
 * were issued; cached truncates land or not. From then on every write, truncate, sync and
 * delete fails (the machine is off) until pc_reboot(), which the test calls after closing
 * its handles; then the files are opened again from what survived.
 *
 * pc_lying_disk(1) is the negative twin: xSync returns ok but makes nothing durable (a
 * disk that ignores flushes, or synchronous=OFF), so a cut loses committed data and the
 * tests must notice.
 *
 * Header-only (each C file in tests/unit is its own program): include it in one test file.
 * Files SQLite opens without a name (temp files) pass straight through.
 */
#ifndef INLOOP_POWERCUT_VFS_H
#define INLOOP_POWERCUT_VFS_H

#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct pc_op {
	sqlite3_int64 off;        /* write: where; truncate: the new size */
	int n;                    /* write: bytes; -1 = truncate */
	unsigned char *data;
};

/* One file as the OS sees it: the platter (the real file) plus its volatile cache. */
struct pc_inode {
	char *path;
	struct pc_op *ops;
	int nops, cap;
	struct pc_inode *next;
};

struct pc_file {
	sqlite3_file base;
	sqlite3_file *real;
	struct pc_inode *ino;     /* NULL for unnamed (temp) files */
};

static struct {
	sqlite3_vfs *real;
	sqlite3_vfs vfs;
	struct pc_inode *inodes;
	uint64_t rng;
	long countdown;           /* I/O calls until the cut; 0 = not armed */
	int dead;                 /* the power is off */
	int lying;                /* xSync makes nothing durable (negative twin) */
	long cuts, kept, torn, dropped;
} pc;

static inline uint64_t pc_rand(void)
{
	/* xorshift64*: reproducible from the seed the test prints */
	pc.rng ^= pc.rng >> 12;
	pc.rng ^= pc.rng << 25;
	pc.rng ^= pc.rng >> 27;
	return pc.rng * 2685821657736338717ULL;
}

static inline long pc_below(long n)
{
	return n > 0 ? (long)(pc_rand() % (uint64_t)n) : 0;
}

#define PC_REAL(f) (((struct pc_file *)(f))->real)
#define PC_INO(f) (((struct pc_file *)(f))->ino)

static inline struct pc_inode *pc_inode_of(const char *path)
{
	struct pc_inode *i;

	for (i = pc.inodes; i; i = i->next)
		if (!strcmp(i->path, path))
			return i;
	i = calloc(1, sizeof(*i));
	if (!i || !(i->path = strdup(path))) {
		free(i);
		return NULL;
	}
	i->next = pc.inodes;
	pc.inodes = i;
	return i;
}

static inline void pc_ops_clear(struct pc_inode *i)
{
	for (int k = 0; k < i->nops; k++)
		free(i->ops[k].data);
	i->nops = 0;
}

static inline int pc_ops_add(struct pc_inode *i, sqlite3_int64 off, int n, const void *data)
{
	struct pc_op *op;

	if (i->nops == i->cap) {
		int cap = i->cap ? i->cap * 2 : 16;
		struct pc_op *p = realloc(i->ops, (size_t)cap * sizeof(*p));
		if (!p)
			return SQLITE_NOMEM;
		i->ops = p;
		i->cap = cap;
	}
	op = &i->ops[i->nops];
	op->off = off;
	op->n = n;
	op->data = NULL;
	if (n > 0) {
		if (!(op->data = malloc((size_t)n)))
			return SQLITE_NOMEM;
		memcpy(op->data, data, (size_t)n);
	}
	i->nops++;
	return SQLITE_OK;
}

/* Writes op (or its first n bytes) to the platter. */
static inline int pc_apply(sqlite3_file *real, const struct pc_op *op, int n)
{
	if (op->n < 0)
		return real->pMethods->xTruncate(real, op->off);
	return n > 0 ? real->pMethods->xWrite(real, op->data, n, op->off) : SQLITE_OK;
}

/* The cut: every cached op of every open file lands whole, torn or not at all. */
static inline void pc_cut_now(sqlite3_file *any_real_of[], struct pc_inode *inos[], int nfiles)
{
	for (int f = 0; f < nfiles; f++) {
		struct pc_inode *i = inos[f];
		for (int k = 0; k < i->nops; k++) {
			const struct pc_op *op = &i->ops[k];
			long fate = pc_below(3), n = op->n;

			if (fate == 0 || (op->n < 0 && fate == 2)) {
				pc.dropped++;
				continue;
			}
			if (fate == 2) {
				/* torn: a prefix, on a 512-byte sector boundary half of the time */
				n = pc_below(op->n);
				if (pc_below(2) && op->n >= 512)
					n -= n % 512;
				pc.torn++;
			} else {
				pc.kept++;
			}
			pc_apply(any_real_of[f], op, (int)n);
		}
		pc_ops_clear(i);
	}
	pc.dead = 1;
	pc.cuts++;
}

/* A registry of open handles, so the cut can reach every file's platter. */
#define PC_MAX_OPEN 64
static struct pc_file *pc_open_files[PC_MAX_OPEN];

static inline void pc_cut(void)
{
	sqlite3_file *reals[PC_MAX_OPEN];
	struct pc_inode *inos[PC_MAX_OPEN];
	int n = 0;

	for (int k = 0; k < PC_MAX_OPEN; k++) {
		struct pc_file *f = pc_open_files[k];
		int seen = 0;
		if (!f || !f->ino)
			continue;
		for (int j = 0; j < n; j++)
			seen |= inos[j] == f->ino;
		if (!seen) {
			reals[n] = f->real;
			inos[n++] = f->ino;
		}
	}
	/* Caches of files no handle holds any more are lost too (nothing can write them). */
	for (struct pc_inode *i = pc.inodes; i; i = i->next) {
		int held = 0;
		for (int j = 0; j < n; j++)
			held |= inos[j] == i;
		if (!held) {
			pc.dropped += i->nops;
			pc_ops_clear(i);
		}
	}
	pc_cut_now(reals, inos, n);
}

/* Counts one write/truncate/sync; 1 when the power is (now) off and the call must fail. */
static inline int pc_tick(void)
{
	if (pc.dead)
		return 1;
	if (pc.countdown > 0 && --pc.countdown == 0) {
		pc_cut();
		return 1;
	}
	return 0;
}

static int pc_close(sqlite3_file *f)
{
	int rc = PC_REAL(f)->pMethods->xClose(PC_REAL(f));

	for (int k = 0; k < PC_MAX_OPEN; k++)
		if (pc_open_files[k] == (struct pc_file *)f)
			pc_open_files[k] = NULL;
	return rc;
}

static int pc_real_size(sqlite3_file *f, sqlite3_int64 *size)
{
	return PC_REAL(f)->pMethods->xFileSize(PC_REAL(f), size);
}

/* The platter's bytes with the cache laid over them, as the OS shows them. */
static int pc_read(sqlite3_file *f, void *p, int n, sqlite3_int64 off)
{
	struct pc_inode *i = PC_INO(f);
	unsigned char *u = p;
	sqlite3_int64 size;
	int rc = PC_REAL(f)->pMethods->xRead(PC_REAL(f), p, n, off);

	if (!i || !i->nops || (rc != SQLITE_OK && rc != SQLITE_IOERR_SHORT_READ))
		return rc;
	if (pc_real_size(f, &size) != SQLITE_OK)
		return SQLITE_IOERR_READ;
	for (int k = 0; k < i->nops; k++) {
		const struct pc_op *op = &i->ops[k];
		if (op->n < 0) {
			if (op->off < off + n)
				memset(u + (op->off > off ? op->off - off : 0), 0,
				       (size_t)(off + n - (op->off > off ? op->off : off)));
			size = op->off;
			continue;
		}
		sqlite3_int64 lo = op->off > off ? op->off : off;
		sqlite3_int64 hi = op->off + op->n < off + n ? op->off + op->n : off + n;
		if (lo < hi)
			memcpy(u + (lo - off), op->data + (lo - op->off), (size_t)(hi - lo));
		if (op->off + op->n > size)
			size = op->off + op->n;
	}
	return off + n <= size ? SQLITE_OK : SQLITE_IOERR_SHORT_READ;
}

static int pc_write(sqlite3_file *f, const void *p, int n, sqlite3_int64 off)
{
	if (!PC_INO(f))
		return PC_REAL(f)->pMethods->xWrite(PC_REAL(f), p, n, off);
	if (pc_tick())
		return SQLITE_IOERR_WRITE;
	return pc_ops_add(PC_INO(f), off, n, p);
}

static int pc_truncate(sqlite3_file *f, sqlite3_int64 size)
{
	if (!PC_INO(f))
		return PC_REAL(f)->pMethods->xTruncate(PC_REAL(f), size);
	if (pc_tick())
		return SQLITE_IOERR_TRUNCATE;
	return pc_ops_add(PC_INO(f), size, -1, NULL);
}

/* The flush: this file's cache reaches the platter in order (the real file is the
 * platter, so no real fsync is needed). A lying disk says ok and keeps its cache. */
static int pc_sync(sqlite3_file *f, int flags)
{
	struct pc_inode *i = PC_INO(f);
	int rc = SQLITE_OK;

	if (!i)
		return PC_REAL(f)->pMethods->xSync(PC_REAL(f), flags);
	if (pc_tick())
		return SQLITE_IOERR_FSYNC;
	if (pc.lying)
		return SQLITE_OK;
	for (int k = 0; k < i->nops && rc == SQLITE_OK; k++)
		rc = pc_apply(PC_REAL(f), &i->ops[k], i->ops[k].n);
	pc_ops_clear(i);
	return rc;
}

static int pc_size(sqlite3_file *f, sqlite3_int64 *size)
{
	struct pc_inode *i = PC_INO(f);
	int rc = pc_real_size(f, size);

	if (rc != SQLITE_OK || !i)
		return rc;
	for (int k = 0; k < i->nops; k++)
		if (i->ops[k].n < 0)
			*size = i->ops[k].off;
		else if (i->ops[k].off + i->ops[k].n > *size)
			*size = i->ops[k].off + i->ops[k].n;
	return SQLITE_OK;
}

static int pc_lock(sqlite3_file *f, int l) { return PC_REAL(f)->pMethods->xLock(PC_REAL(f), l); }
static int pc_unlock(sqlite3_file *f, int l) { return PC_REAL(f)->pMethods->xUnlock(PC_REAL(f), l); }
static int pc_reserved(sqlite3_file *f, int *o) { return PC_REAL(f)->pMethods->xCheckReservedLock(PC_REAL(f), o); }
static int pc_control(sqlite3_file *f, int op, void *a) { return PC_REAL(f)->pMethods->xFileControl(PC_REAL(f), op, a); }
static int pc_sector(sqlite3_file *f) { return PC_REAL(f)->pMethods->xSectorSize(PC_REAL(f)); }
static int pc_devchar(sqlite3_file *f) { return PC_REAL(f)->pMethods->xDeviceCharacteristics(PC_REAL(f)); }
static int pc_shmmap(sqlite3_file *f, int pg, int sz, int ext, void volatile **pp)
{
	return PC_REAL(f)->pMethods->xShmMap(PC_REAL(f), pg, sz, ext, pp);
}
static int pc_shmlock(sqlite3_file *f, int off, int n, int fl) { return PC_REAL(f)->pMethods->xShmLock(PC_REAL(f), off, n, fl); }
static void pc_shmbarrier(sqlite3_file *f) { PC_REAL(f)->pMethods->xShmBarrier(PC_REAL(f)); }
static int pc_shmunmap(sqlite3_file *f, int del) { return PC_REAL(f)->pMethods->xShmUnmap(PC_REAL(f), del); }

/* Version 2: no memory-mapped fetch, so every page read goes through pc_read. The -shm
 * wal-index passes through: SQLite rebuilds it from the WAL after a crash. */
static const sqlite3_io_methods pc_io = {
	2, pc_close, pc_read, pc_write, pc_truncate, pc_sync, pc_size, pc_lock, pc_unlock,
	pc_reserved, pc_control, pc_sector, pc_devchar, pc_shmmap, pc_shmlock, pc_shmbarrier,
	pc_shmunmap, NULL, NULL,
};

static int pc_open(sqlite3_vfs *vfs, const char *name, sqlite3_file *file, int flags, int *out)
{
	struct pc_file *f = (struct pc_file *)file;
	int rc, slot = -1;

	(void)vfs;
	f->real = (sqlite3_file *)&f[1];
	f->ino = NULL;
	for (int k = 0; k < PC_MAX_OPEN && slot < 0; k++)
		if (!pc_open_files[k])
			slot = k;
	if (slot < 0)
		return SQLITE_CANTOPEN;
	rc = pc.real->xOpen(pc.real, name, f->real, flags, out);
	if (rc != SQLITE_OK) {
		f->base.pMethods = NULL;
		return rc;
	}
	if (name && !(flags & SQLITE_OPEN_DELETEONCLOSE))
		f->ino = pc_inode_of(name);
	f->base.pMethods = &pc_io;
	pc_open_files[slot] = f;
	return SQLITE_OK;
}

/* Deleting a file (the WAL at the last close) is durable at once; not with the power off. */
static int pc_delete(sqlite3_vfs *vfs, const char *name, int dirsync)
{
	(void)vfs;
	if (pc.dead)
		return SQLITE_IOERR_DELETE;
	for (struct pc_inode *i = pc.inodes; i; i = i->next)
		if (!strcmp(i->path, name))
			pc_ops_clear(i);
	return pc.real->xDelete(pc.real, name, dirsync);
}

/* Registers the shim as the default VFS; seed makes the run reproducible. */
static inline int pc_install(uint64_t seed)
{
	pc.real = sqlite3_vfs_find(NULL);
	if (!pc.real)
		return -1;
	pc.rng = seed ? seed : 1;
	pc.vfs = *pc.real;
	pc.vfs.iVersion = 2;
	pc.vfs.zName = "inloop-powercut";
	pc.vfs.szOsFile = (int)sizeof(struct pc_file) + pc.real->szOsFile;
	pc.vfs.xOpen = pc_open;
	pc.vfs.xDelete = pc_delete;
	pc.vfs.pNext = NULL;
	return sqlite3_vfs_register(&pc.vfs, 1) == SQLITE_OK ? 0 : -1;
}

/* The power goes at the n-th write, truncate or sync from now (n >= 1). */
static inline void pc_arm(long n)
{
	pc.countdown = n;
}

static inline int pc_is_dead(void)
{
	return pc.dead;
}

/* Power back on, after the test closed every handle: the files are what survived. */
static inline void pc_reboot(void)
{
	for (struct pc_inode *i = pc.inodes; i; i = i->next)
		pc_ops_clear(i);
	pc.dead = 0;
	pc.countdown = 0;
}

static inline void pc_lying_disk(int on)
{
	pc.lying = on;
}

#endif
