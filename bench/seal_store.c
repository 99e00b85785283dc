/*
 * seal_store.c — seal-and-store latency of the outbox: each record is serialised, signed,
 * encrypted to the case-store certificate and committed durably (WAL, synchronous=FULL,
 * fsync included) in one outbox_seal_store call, as the Send button does it.
 *
 *   seal_store DEVICE_DIR OUTBOX [N]   prints the seal-only and the seal+store figures
 * over N records (default 1000): p50, p99 and records per second. Goal: p99 < 20 ms.
 */
#include "platform/util.h"
#include "sync/device/outbox.h"
#include "sync/device/config.h"
#include "sync/device/submit.h"
#include "sync/record/seal.h"

#include <jansson.h>
#include <openssl/crypto.h>
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

/* A record the size of a full registration (answers, crisis and deadline blocks). */
static json_t *sample(void)
{
	return json_pack("{s:s, s:s, s:s, s:{s:[s,s], s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:[s,s], s:s, s:b},"
			 " s:{s:b, s:[s,s], s:b, s:s, s:b, s:i}, s:{s:s, s:s, s:s, s:s}}",
			 "language", "nl", "mode", "kiosk", "location", "Bibliotheek Centrum", "answers",
			 "crisis", "eviction", "energy", "crisis_date", "2026-12-01", "name", "Bench Persoon",
			 "contact", "phone", "phone", "0612345678", "best_time", "morning", "postcode", "1234AB",
			 "house_number", "12a", "topics", "rent", "energy", "interpreter", "no", "privacy_read", 1,
			 "crisis", "crisis", 1, "kinds", "eviction", "energy", "unknown", 0, "known_date",
			 "2026-12-01", "acuut", 1, "priority", 2, "deadline", "kind", "3_working_days", "target",
			 "2026-11-26", "legal", "2026-11-26", "holidays_version", "bench");
}

static void report(const char *what, double *lat, int n, double total_ms, const char *tail)
{
	qsort(lat, (size_t)n, sizeof(*lat), cmp_double);
	printf("%s: p50 %.2f ms p99 %.2f ms, %.0f rec/s (%d records)%s", what, lat[n / 2],
	       lat[(n * 99) / 100], n / (total_ms / 1e3), n, tail);
}

/* Seal only (no database): where the CPU time goes. */
static int bench_seal(struct seal_device *d, int n, double *lat)
{
	json_t *r = sample();
	char *json = json_dumps(r, JSON_COMPACT);
	struct seal_attrs a = { "00000000-0000-4000-8000-000000000000", seal_device_id(d), SEAL_SCHEMA, 1,
				time(NULL) };
	double t0, total = now_ms();

	for (int i = 0; i < n; i++) {
		unsigned char *der = NULL;
		size_t len = 0;

		t0 = now_ms();
		if (seal_record(d, json, strlen(json), &a, &der, &len) < 0)
			return -1;
		lat[i] = now_ms() - t0;
		OPENSSL_free(der);
	}
	report("seal only", lat, n, now_ms() - total, "\n");
	util_cleanse(json, strlen(json));
	free(json);
	json_decref(r);
	return 0;
}

static int bench_store(struct seal_device *d, struct outbox *ob, int n, double *lat)
{
	double t0, total = now_ms();

	for (int i = 0; i < n; i++) {
		json_t *r = sample();
		int rc;

		t0 = now_ms();
		rc = outbox_seal_store(ob, d, r, 2, NULL, NULL);
		lat[i] = now_ms() - t0;
		json_decref(r);
		if (rc < 0)
			return -1;
	}
	report("seal+store", lat, n, now_ms() - total, "\n");
	return 0;
}

int main(int argc, char **argv)
{
	struct seal_device *d = NULL;
	struct outbox *ob = NULL;
	int n = argc > 3 ? atoi(argv[3]) : 1000, rc = 1;
	double *lat;

	if (argc < 3 || n <= 0)
		return fprintf(stderr, "usage: seal_store DEVICE_DIR OUTBOX [N]\n"), 2;
	util_json_wipe_on_free();
	unlink(argv[2]);
	lat = calloc((size_t)n, sizeof(*lat));
	if (lat && submit_seal_device(argv[1], &d) == 0 && outbox_open(argv[2], &ob) == 0 &&
	    bench_seal(d, n, lat) == 0 && bench_store(d, ob, n, lat) == 0)
		rc = 0;
	outbox_close(ob);
	seal_device_free(d);
	free(lat);
	return rc;
}
