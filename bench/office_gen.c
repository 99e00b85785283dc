/*
 * office_gen.c — the office bench's case store (bench/office.sh):
 *   office_gen CASESTORE_DIR N [THREADS]
 * Seals N distinct synthetic registrations (each its own record id, sequence number,
 * created_at, name, crisis and deadline; names "Bench Persoon N") with the device in
 * CASESTORE_DIR/device, on THREADS threads (default 2, one device handle each), stores them
 * in CASESTORE_DIR/store.sqlite as the case store would, then opens the first
 * min(N, 2000) with the case-store key as the office does (seal_open_at). Prints
 *   sealed N in S s (R/s, T threads)
 *   open: K envelopes in S s: R/s, M ms each
 */
#include "sync/device/config.h"
#include "sync/device/submit.h"
#include "sync/record/seal.h"
#include "sync/casestore/store.h"
#include "platform/util.h"

#include <jansson.h>
#include <openssl/crypto.h>
#include <openssl/rand.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define OPEN_SAMPLE 2000

struct env { unsigned char *der; size_t len; char id[37]; time_t created; };

struct job {
	const char *state;
	struct env *envs;
	int from, to;
	const char *device_id;
	int rc;
};

static double now_s(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void uuid(char out[37])
{
	unsigned char b[16];

	RAND_bytes(b, sizeof(b));
	b[6] = (unsigned char)((b[6] & 0x0f) | 0x40);
	b[8] = (unsigned char)((b[8] & 0x3f) | 0x80);
	snprintf(out, 37, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", b[0], b[1], b[2],
		 b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]);
}

/* Record i: spread over the last 400 days, every 10th an acuut eviction, 3 locations. */
static json_t *record(int i, const char *id, const char *device, time_t created)
{
	static const char *const locs[] = { "Bibliotheek Centrum", "Buurthuis De Linde", "Wijkcentrum Noord" };
	char name[64], when[32], legal[11], known[11];
	int crisis = i % 10 == 0;
	struct tm tm;
	time_t l = created + (crisis ? 3 : 28) * 86400, k = created + 2 * 86400;

	snprintf(name, sizeof(name), "Bench Persoon %d", i);
	localtime_r(&created, &tm);
	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%S+01:00", &tm);
	localtime_r(&l, &tm);
	strftime(legal, sizeof(legal), "%Y-%m-%d", &tm);
	localtime_r(&k, &tm);
	strftime(known, sizeof(known), "%Y-%m-%d", &tm);
	return json_pack("{s:s, s:s, s:I, s:s, s:s, s:s, s:s, s:s,"
			 " s:{s:s, s:s, s:s, s:s, s:o, s:b},"
			 " s:{s:b, s:[s*], s:b, s:s?, s:b, s:i},"
			 " s:{s:s, s:s, s:s}}",
			 "schema", SEAL_SCHEMA, "record_id", id, "seq", (json_int_t)(i + 1), "device_id", device,
			 "created_at", when, "location", locs[i % 3], "language", i % 7 ? "nl" : "ar", "mode", "kiosk",
			 "answers", "name", name, "contact", "phone", "phone", "0612345678", "best_time", "morning",
			 "crisis", crisis ? json_pack("[s]", "eviction") : json_pack("[s]", "none"), "privacy_read", 1,
			 "crisis", "crisis", crisis, "kinds", crisis ? "eviction" : NULL, "unknown", 0,
			 "known_date", crisis ? known : NULL, "acuut", crisis, "priority", crisis ? 2 : 0,
			 "deadline", "kind", crisis ? "3_working_days" : "4_weeks", "target", legal, "legal", legal);
}

static void *seal_part(void *arg)
{
	struct job *j = arg;
	struct seal_device *dev = NULL;

	j->rc = -1;
	if (submit_seal_device(j->state, &dev) < 0)
		return NULL;
	for (int i = j->from; i < j->to; i++) {
		struct env *e = &j->envs[i];
		struct seal_attrs a = { e->id, seal_device_id(dev), SEAL_SCHEMA, i + 1, e->created };
		json_t *r = record(i, e->id, seal_device_id(dev), e->created);
		char *json = r ? json_dumps(r, JSON_COMPACT) : NULL;
		int rc = json ? seal_record(dev, json, strlen(json), &a, &e->der, &e->len) : -1;
		if (json)
			util_clear_free(json);
		json_decref(r);
		if (rc < 0)
			goto out;
	}
	j->rc = 0;
out:
	seal_device_free(dev);
	return NULL;
}

/* Opens the first n envelopes as the office does; seconds taken. */
static double open_sample(const char *dir, const struct env *envs, int n)
{
	struct seal_opener *o = NULL;
	struct seal_info info;
	char office[4096];
	double t;

	snprintf(office, sizeof(office), "%s/office", dir);   /* the opening key's folder */
	if (seal_opener_load(office, &o) < 0)
		return -1;
	t = now_s();
	for (int i = 0; i < n; i++) {
		char why[256], *json = NULL;
		size_t len = 0;
		if (seal_open_at(o, envs[i].der, envs[i].len, time(NULL), &json, &len, &info, why, sizeof(why)) < 0)
			return fprintf(stderr, "office_gen: envelope %d does not open: %s\n", i, why), seal_opener_free(o), -1;
		util_clear_free(json);
	}
	t = now_s() - t;
	seal_opener_free(o);
	return t;
}

static int store_all(const char *dir, const struct env *envs, int n, const char *device)
{
	char path[4096];
	struct store *s = NULL;
	int rc = 0;

	snprintf(path, sizeof(path), "%s/casestore/store.sqlite", dir);   /* sync/casestore/layout.h */
	if (store_open(path, STORE_CREATE, &s) < 0 || store_begin(s) < 0)
		return store_close(s), -1;
	for (int i = 0; i < n && rc == 0; i++)
		rc = store_put(s, envs[i].id, device, envs[i].der, envs[i].len, time(NULL)) == STORE_PUT_CREATED
			     ? 0 : -1;
	if (rc == 0 && store_commit(s) < 0)
		rc = -1;
	store_close(s);
	return rc;
}

int main(int argc, char **argv)
{
	char state[4096], device[128] = "";
	int n = argc > 2 ? atoi(argv[2]) : 0, threads = argc > 3 ? atoi(argv[3]) : 2;
	struct job jobs[8];
	pthread_t th[8];
	struct env *envs;
	struct seal_device *dev = NULL;
	double t0, t;

	if (argc < 3 || n <= 0 || threads < 1 || threads > 8)
		return fprintf(stderr, "usage: office_gen CASESTORE_DIR N [THREADS]\n"), 2;
	util_json_wipe_on_free();
	snprintf(state, sizeof(state), "%s/device", argv[1]);
	if (submit_seal_device(state, &dev) < 0)
		return 1;
	snprintf(device, sizeof(device), "%s", seal_device_id(dev));
	seal_device_free(dev);
	if (!(envs = calloc((size_t)n, sizeof(*envs))))
		return 1;
	for (int i = 0; i < n; i++) {
		uuid(envs[i].id);
		envs[i].created = time(NULL) - (time_t)((long long)(n - i) * 400 * 86400 / n);
	}
	t0 = now_s();
	for (int k = 0; k < threads; k++) {
		jobs[k] = (struct job){ state, envs, n * k / threads, n * (k + 1) / threads, device, -1 };
		pthread_create(&th[k], NULL, seal_part, &jobs[k]);
	}
	for (int k = 0; k < threads; k++)
		pthread_join(th[k], NULL);
	for (int k = 0; k < threads; k++)
		if (jobs[k].rc < 0)
			return fprintf(stderr, "office_gen: sealing failed\n"), 1;
	if (store_all(argv[1], envs, n, device) < 0)
		return 1;
	t = now_s() - t0;
	printf("sealed %d distinct records in %.1f s (%.0f/s, %d threads), stored\n", n, t, n / t, threads);
	t = open_sample(argv[1], envs, n < OPEN_SAMPLE ? n : OPEN_SAMPLE);
	if (t < 0)
		return 1;
	printf("open: %d envelopes in %.2f s: %.0f/s, %.3f ms each\n", n < OPEN_SAMPLE ? n : OPEN_SAMPLE, t,
	       (n < OPEN_SAMPLE ? n : OPEN_SAMPLE) / t, t * 1000 / (n < OPEN_SAMPLE ? n : OPEN_SAMPLE));
	for (int i = 0; i < n; i++)
		OPENSSL_free(envs[i].der);
	free(envs);
	return 0;
}
