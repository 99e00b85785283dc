/*
 * fsyncrate.c — the physical floor for the outbox: how many 4 KB appends + fdatasync the
 * disk under DIR completes per second (SYNC.md §3 "physical limits"). One durable SQLite
 * commit in WAL mode costs about one of these, so seal-and-store cannot beat this rate.
 *
 *   fsyncrate DIR [N]     prints: fsync floor: N x 4 KB append+fdatasync p50 .. p99 .., R/s
 */
#include "platform/util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
	char path[4096], block[4096];
	int n = argc > 2 ? atoi(argv[2]) : 2000, fd;
	double *lat, t0, total;

	if (argc < 2 || n <= 0)
		return fprintf(stderr, "usage: fsyncrate DIR [N]\n"), 2;
	if (util_fmt(path, sizeof(path), "%s/fsyncrate.tmp", argv[1]) < 0)
		return 1;
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, 0600);
	lat = calloc((size_t)n, sizeof(*lat));
	if (fd < 0 || !lat)
		return error("cannot open %s: %s", path, strerror(errno)), 1;
	memset(block, 'x', sizeof(block));
	total = now_ms();
	for (int i = 0; i < n; i++) {
		t0 = now_ms();
		if (write(fd, block, sizeof(block)) != (ssize_t)sizeof(block) || fdatasync(fd) < 0)
			return error("write/fdatasync %s: %s", path, strerror(errno)), 1;
		lat[i] = now_ms() - t0;
	}
	total = now_ms() - total;
	close(fd);
	unlink(path);
	qsort(lat, (size_t)n, sizeof(*lat), cmp_double);
	printf("fsync floor: %d x 4 KB append+fdatasync p50 %.2f ms p99 %.2f ms, %.0f/s\n", n,
	       lat[n / 2], lat[(n * 99) / 100], n / (total / 1e3));
	free(lat);
	return 0;
}
