/*
 * fuzz_common.h — shared by the libFuzzer targets in tests/fuzz/ (one header, no object:
 * every fuzz_*.c is its own program). Finds the committed test PKI and seeds, makes a
 * private scratch folder, and turns an input into a file path without touching the disk
 * (a memfd, read back through /proc/self/fd).
 *
 * Where things are: $INLOOP_FUZZ_DIR (tests/fuzz of the checkout; tests/fuzz/run.sh sets
 * it) and $INLOOP_ASSETS (the shipped assets); both default to paths relative to the
 * current folder, so `build/fuzz/fuzz_X CORPUS` works from the top of the checkout.
 */
#ifndef INLOOP_FUZZ_COMMON_H
#define INLOOP_FUZZ_COMMON_H

#include "platform/util.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

#include <errno.h>

/* stderr as it was before libFuzzer's -close_fd_mask=2 closed it (fuzz_keep_stderr). */
static int fuzz_report_fd = 2;

/* Call first in LLVMFuzzerInitialize: libFuzzer closes stderr only after it. */
static inline void fuzz_keep_stderr(void)
{
	int fd = dup(2);

	if (fd >= 0)
		fuzz_report_fd = fd;
}

/* Stops the run with a message (a broken set-up, never a finding). */
__attribute__((noreturn)) static inline void fuzz_die(const char *what)
{
	dprintf(fuzz_report_fd, "fuzz: set-up failed: %s (%s)\n", what, strerror(errno));
	exit(2);
}

static inline const char *fuzz_dir(void)
{
	const char *d = getenv("INLOOP_FUZZ_DIR");

	return d && *d ? d : "tests/fuzz";
}

/* A fresh private folder under $TMPDIR (tmpfs /dev/shm when present); static buffer. */
static inline const char *fuzz_scratch(void)
{
	static char path[4096];
	const char *base = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : getenv("TMPDIR");

	if (path[0])
		return path;
	snprintf(path, sizeof(path), "%s/inloop-fuzz.XXXXXX", base ? base : "/tmp");
	if (!mkdtemp(path))
		fuzz_die("mkdtemp");
	return path;
}

/* Copies the test PKI's opener files into a scratch folder with mode 0600 (git keeps
 * only 0644): the folder seal_opener_load reads. */
static inline const char *fuzz_pki(void)
{
	static char dir[4200];
	static const char *const files[] = { "casestore.key", "ca.pem" };
	char from[4200], to[4300], *buf = NULL;
	size_t len = 0;

	if (dir[0])
		return dir;
	snprintf(dir, sizeof(dir), "%s/pki", fuzz_scratch());
	if (mkdir(dir, 0700) < 0)
		fuzz_die("mkdir pki");
	for (size_t i = 0; i < 2; i++) {
		snprintf(from, sizeof(from), "%s/pki/%s", fuzz_dir(), files[i]);
		snprintf(to, sizeof(to), "%s/%s", dir, files[i]);
		if (util_read_file(from, 1 << 20, &buf, &len) < 0 || util_write_file(to, buf, len, 0600) < 0)
			fuzz_die("cannot copy the test PKI (run from the checkout or set INLOOP_FUZZ_DIR)");
		free(buf);
	}
	return dir;
}

/* The moment the seeds were sealed (tests/fuzz/pki/at): envelopes are judged then. */
static inline time_t fuzz_at(void)
{
	char p[4200], *buf = NULL;
	size_t len = 0;
	long long at;

	snprintf(p, sizeof(p), "%s/pki/at", fuzz_dir());
	if (util_read_file(p, 64, &buf, &len) < 0 || sscanf(buf, "%lld", &at) != 1)
		fuzz_die("tests/fuzz/pki/at");
	free(buf);
	return (time_t)at;
}

/* An in-memory file holding data; path names it (/proc/self/fd/N). Reused per input. */
struct fuzz_file {
	int fd;
	char path[64];
};

static inline void fuzz_file_put(struct fuzz_file *f, const uint8_t *data, size_t size)
{
	if (!f->path[0]) {
		f->fd = memfd_create("fuzz-input", 0);
		if (f->fd < 0)
			fuzz_die("memfd_create");
		snprintf(f->path, sizeof(f->path), "/proc/self/fd/%d", f->fd);
	}
	if (ftruncate(f->fd, 0) < 0 || pwrite(f->fd, data, size, 0) != (ssize_t)size)
		fuzz_die("memfd write");
}

#endif
