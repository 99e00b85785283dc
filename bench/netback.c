/*
 * netback.c — "network back -> record stored" (issue 8): how long a crisis record waits on
 * the kiosk after the way to the case store is back, beside a floor measured in the same
 * run (the uploader told at once, as an oracle would: wake + TLS connect + PUT + commit).
 * The real kiosk uploader (upload_start) runs throughout; each trial cuts the way, stores
 * one crisis record, lets the uploader fail on it, waits a random 0-3 s (a random phase of
 * its probe), brings the way back and times until the record has left the outbox (the
 * store answered 201). Real and floor trials alternate, so they share the machine's load.
 *
 *   netback STATE TRIALS --store CASESTORE_BIN STORE_DIR PORT   the store is stopped and
 *            restarted on loopback (no network event: the crisis probe finds it)
 *   netback STATE TRIALS --link IFNAME                          the link goes down and up
 *            (ip link; a netlink event wakes the uploader)
 */
#include "platform/util.h"
#include "sync/device/outbox.h"
#include "sync/device/config.h"
#include "sync/device/submit.h"
#include "sync/record/seal.h"
#include "sync/device/upload.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <jansson.h>
#include <netinet/in.h>
#include <openssl/rand.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

struct way {
	const char *bin, *dir, *ifname;
	int port;
	pid_t pid;
};

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static void sleep_ms(double ms)
{
	struct timespec ts = { (time_t)(ms / 1000), (long)((ms - (time_t)(ms / 1000) * 1000) * 1e6) };

	nanosleep(&ts, NULL);
}

static int connectable(int port)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0), ok;

	inet_pton(AF_INET, "127.0.0.1", &sa.sin_addr);
	ok = fd >= 0 && connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0;
	if (fd >= 0)
		close(fd);
	return ok;
}

static int run_ip(const char *ifname, const char *state)
{
	char cmd[256];

	snprintf(cmd, sizeof(cmd), "ip link set %s %s", ifname, state);
	return system(cmd) == 0 ? 0 : error("netback: %s failed", cmd);
}

static int way_cut(struct way *w)
{
	int st;

	if (w->ifname)
		return run_ip(w->ifname, "down");
	if (w->pid > 0) {
		kill(w->pid, SIGTERM);
		waitpid(w->pid, &st, 0);
		w->pid = 0;
	}
	return 0;
}

/* Brings the way back; returns once it is usable (the store accepts, or the link is up). */
static int way_back(struct way *w)
{
	char listen[64];

	if (w->ifname)
		return run_ip(w->ifname, "up");
	snprintf(listen, sizeof(listen), "127.0.0.1:%d", w->port);
	w->pid = fork();
	if (w->pid == 0) {
		int null = open("/dev/null", O_WRONLY | O_CLOEXEC);
		if (null >= 0)
			dup2(null, 2);   /* its start-up lines would cut through the figures */
		execl(w->bin, w->bin, "--dir", w->dir, "--listen", listen, "--quiet", (char *)NULL);
		_exit(127);
	}
	for (int i = 0; i < 10000; i++) {
		if (connectable(w->port))
			return 0;
		sleep_ms(0.5);
	}
	return error("netback: the case store did not come back");
}

static int one_crisis_record(struct outbox *ob, struct seal_device *dev)
{
	json_t *r = json_pack("{s:s, s:s, s:{s:s, s:[s], s:s, s:b}}", "language", "nl", "mode", "kiosk",
			      "answers", "name", "Bench", "crisis", "eviction", "contact", "come_back",
			      "privacy_read", 1);
	int rc = r ? outbox_seal_store(ob, dev, r, 2, NULL, NULL) : -1;

	json_decref(r);
	return rc;
}

static int attempts_cb(const struct outbox_row *r, void *arg)
{
	int *max = arg;

	if (r->attempts > *max)
		*max = r->attempts;
	return 0;
}

/* Waits (up to 20 s) until the row failed once; -1 when it did not. */
static int wait_failed(struct outbox *ob)
{
	for (int i = 0; i < 4000; i++) {
		int max = 0;
		if (outbox_list(ob, attempts_cb, &max) == 0 && max >= 1)
			return 0;
		sleep_ms(5);
	}
	return error("netback: the uploader never tried the record");
}

/* One trial; its latency in ms, or a negative value on failure. */
static double trial(struct way *w, struct uploader *u, struct outbox *ob, struct seal_device *dev,
		    int floor)
{
	struct outbox_counts c;
	unsigned r = 0;
	double t0;

	if (way_cut(w) < 0 || one_crisis_record(ob, dev) < 0)
		return -1;
	upload_kick(u);
	if (wait_failed(ob) < 0)
		return -1;
	RAND_bytes((unsigned char *)&r, sizeof(r));
	sleep_ms(r % 3000);
	if (way_back(w) < 0)
		return -1;
	t0 = now_ms();
	if (floor)
		upload_network_changed(u);
	for (int i = 0; i < 30000; i++) {
		if (outbox_counts(ob, &c) == 0 && c.pending == 0)
			return now_ms() - t0;
		sleep_ms(1);
	}
	return -1;
}

static int by_value(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static double pct(double *v, int n, double p)
{
	int i = (int)(p * (n - 1) + 0.5);

	return v[i < 0 ? 0 : i >= n ? n - 1 : i];
}

int main(int argc, char **argv)
{
	struct way w = { 0 };
	struct uploader *u = NULL;
	struct outbox *ob = NULL;
	struct seal_device *dev = NULL;
	double real[64], flo[64];
	char path[4096];
	int n;

	util_json_wipe_on_free();
	if (argc >= 7 && !strcmp(argv[3], "--store"))
		w.bin = argv[4], w.dir = argv[5], w.port = atoi(argv[6]);
	else if (argc >= 5 && !strcmp(argv[3], "--link"))
		w.ifname = argv[4];
	else
		return fprintf(stderr, "usage: netback STATE TRIALS --store BIN DIR PORT | --link IFNAME\n"), 2;
	n = atoi(argv[2]);
	n = n < 1 ? 1 : n > 64 ? 64 : n;
	snprintf(path, sizeof(path), "%s/outbox.sqlite", argv[1]);
	if (submit_seal_device(argv[1], &dev) < 0 || outbox_open(path, &ob) < 0 || upload_start(argv[1], &u) < 0)
		return 1;
	for (int i = 0; i < n; i++) {
		real[i] = trial(&w, u, ob, dev, 0);
		flo[i] = trial(&w, u, ob, dev, 1);
		if (real[i] < 0 || flo[i] < 0)
			return error("netback: trial %d failed", i + 1), 1;
	}
	upload_stop(u);
	way_cut(&w);
	if (w.ifname)
		run_ip(w.ifname, "up");
	outbox_close(ob);
	seal_device_free(dev);
	qsort(real, (size_t)n, sizeof(double), by_value);
	qsort(flo, (size_t)n, sizeof(double), by_value);
	printf("network back -> record stored (%s): p50 %.0f ms, p99 %.0f ms, max %.0f ms (%d trials)"
	       " | floor, uploader told at once: p50 %.0f ms, p99 %.0f ms (goal p99 < 5 s)\n",
	       w.ifname ? "link down/up, netlink wake" : "case store restarted on loopback, no network event",
	       pct(real, n, 0.5), pct(real, n, 0.99), real[n - 1], n, pct(flo, n, 0.5), pct(flo, n, 0.99));
	return 0;
}
