/*
 * drain.c — how fast a device empties a full outbox to the case store over TLS on
 * loopback (issue 5 "Figures"): fills STATE's outbox with N sealed records, then times
 * one upload_run_once (one reused connection, batch deletes).
 *
 *   drain STATE URL N FSYNC_PER_S    prints: drain: N records in T s = R/s (P% of fsync F/s; goal >= 50%)
 */
#include "platform/util.h"
#include "sync/device/outbox.h"
#include "sync/device/config.h"
#include "sync/device/submit.h"
#include "sync/record/seal.h"
#include "sync/device/upload.h"

#include <jansson.h>
#include <stdlib.h>
#include <time.h>

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Seals and stores n synthetic records (no personal data: "Bench N"). */
static int fill(const char *state, int n)
{
	struct seal_device *dev = NULL;
	struct outbox *ob = NULL;
	char path[4096];
	int rc = 0;

	snprintf(path, sizeof(path), "%s/outbox.sqlite", state);
	if (submit_seal_device(state, &dev) < 0 || outbox_open(path, &ob) < 0)
		return -1;
	for (int i = 0; i < n && rc == 0; i++) {
		json_t *r = json_pack("{s:s, s:s, s:{s:s, s:[s], s:s, s:b}}", "language", "nl", "mode", "kiosk",
				      "answers", "name", "Bench", "crisis", "none", "contact", "come_back",
				      "privacy_read", 1);
		rc = r ? outbox_seal_store(ob, dev, r, i % 10 == 0, NULL, NULL) : -1;
		json_decref(r);
	}
	outbox_close(ob);
	seal_device_free(dev);
	return rc;
}

int main(int argc, char **argv)
{
	struct upload_report rep;
	double t0, dt, fsync_rate;
	int n, rc;

	util_json_wipe_on_free();
	if (argc != 5)
		return fprintf(stderr, "usage: drain STATE URL N FSYNC_PER_S\n"), 2;
	n = atoi(argv[3]);
	fsync_rate = atof(argv[4]);
	if (fill(argv[1], n) < 0)
		return error("drain: cannot fill the outbox"), 1;
	t0 = now_s();
	rc = upload_run_once(argv[1], argv[2], &rep);
	dt = now_s() - t0;
	if (rc != 0 || rep.created + rep.already != n)
		return error("drain: %d of %d sent, %d left: %s", rep.created + rep.already, n, rep.left,
			     rep.error), 1;
	printf("drain: %d records over TLS on loopback in %.2f s = %.0f/s (%.0f%% of fsync %.0f/s; goal >= 50%%)\n",
	       n, dt, n / dt, fsync_rate > 0 ? 100.0 * n / dt / fsync_rate : 0.0, fsync_rate);
	return 0;
}
