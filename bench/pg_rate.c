/*
 * pg_rate.c — acknowledged writes per second of the case store with K devices through F
 * front-ends (issue 14 "Speed"), the same for either backend: K threads, each one
 * libcurl connection with the device certificate of STATE, device i on front-end i mod F,
 * PUT distinct envelopes (sealed before the clock starts: the store refuses one envelope
 * under two ids) under their own record ids. A 503 (a busy SQLite file shared by two
 * front-ends, a pool that is full) is retried after 10 ms, as a device would later; only
 * 201s count.
 *
 *   pg_rate STATE TOTAL K URL [URL...]
 *   prints: K devices, F front-ends: R acknowledged/s (N PUTs, 503 retried: X)
 */
#include "platform/util.h"
#include "sync/device/config.h"
#include "sync/device/submit.h"
#include "sync/record/seal.h"

#include <curl/curl.h>
#include <jansson.h>
#include <openssl/crypto.h>
#include <openssl/rand.h>
#include <pthread.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#define MAX_DEV 64
#define MAX_FE 8

struct env {
	char id[37];
	unsigned char *der;
	size_t len;
};

struct dev {
	const char *state, *url;
	struct env *envs;        /* this device's share */
	int n, failed, retried;
	const struct env *cur;
	size_t pos;
};

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static size_t rd(char *buf, size_t size, size_t n, void *arg)
{
	struct dev *d = arg;
	size_t room = size * n, left = d->cur->len - d->pos;

	room = room < left ? room : left;
	memcpy(buf, d->cur->der + d->pos, room);
	d->pos += room;
	return room;
}

static size_t sink(char *p, size_t s, size_t n, void *a)
{
	(void)p, (void)a;
	return s * n;
}

static void random_uuid(char out[37])
{
	unsigned char b[16];

	RAND_bytes(b, sizeof(b));
	b[6] = (b[6] & 0x0f) | 0x40;
	b[8] = (b[8] & 0x3f) | 0x80;
	snprintf(out, 37, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", b[0], b[1],
		 b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]);
}

/* The content of envelope i: {"bench": i, "pad": 900 digits}, about a registration's
 * size (jansson writes it). Caller frees with free(); NULL when out of memory. */
static char *bench_content(int i)
{
	char pad[901];
	json_t *o;
	char *text;

	snprintf(pad, sizeof(pad), "%0900d", i);
	o = json_pack("{s:i, s:s}", "bench", i, "pad", pad);
	text = o ? json_dumps(o, JSON_COMPACT) : NULL;
	json_decref(o);
	return text;
}

/* total envelopes of about the size of a registration, each under its own id. */
static int seal_all(const char *state, struct env *envs, int total)
{
	struct seal_device *d = NULL;
	char *json;
	int rc = 0;

	if (submit_seal_device(state, &d) < 0)
		return -1;
	for (int i = 0; rc == 0 && i < total; i++) {
		struct seal_attrs a = { .record_id = envs[i].id, .schema = SEAL_SCHEMA, .seq = i + 1,
					.created_at = time(NULL), .device_id = seal_device_id(d) };
		random_uuid(envs[i].id);
		if (!(json = bench_content(i)))
			rc = -1;
		else
			rc = seal_record(d, json, strlen(json), &a, &envs[i].der, &envs[i].len);
		free(json);
	}
	seal_device_free(d);
	return rc;
}

static CURL *device_handle(struct dev *d, struct curl_slist *hdr)
{
	char cert[4096], key[4096], ca[4096];
	CURL *h = curl_easy_init();

	snprintf(cert, sizeof(cert), "%s/device.pem", d->state);
	snprintf(key, sizeof(key), "%s/device.key", d->state);
	snprintf(ca, sizeof(ca), "%s/ca.pem", d->state);
	curl_easy_setopt(h, CURLOPT_SSLCERT, cert);
	curl_easy_setopt(h, CURLOPT_SSLKEY, key);
	curl_easy_setopt(h, CURLOPT_CAINFO, ca);
	curl_easy_setopt(h, CURLOPT_CAPATH, NULL);
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdr);
	curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
	curl_easy_setopt(h, CURLOPT_READFUNCTION, rd);
	curl_easy_setopt(h, CURLOPT_READDATA, d);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, sink);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_TIMEOUT, 30L);
	return h;
}

/* One PUT of d->cur: the HTTP code, 0 when the transfer failed. */
static long put_one(struct dev *d, CURL *h)
{
	char url[700];
	long code = 0;

	snprintf(url, sizeof(url), "%s/v1/records/%s", d->url, d->cur->id);
	d->pos = 0;
	curl_easy_setopt(h, CURLOPT_URL, url);
	curl_easy_setopt(h, CURLOPT_INFILESIZE_LARGE, (curl_off_t)d->cur->len);
	if (curl_easy_perform(h) != CURLE_OK || curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &code) != CURLE_OK)
		return 0;
	return code;
}

static void *device(void *arg)
{
	struct dev *d = arg;
	struct curl_slist *hdr = curl_slist_append(NULL, "Expect:");
	CURL *h;
	long code;

	hdr = curl_slist_append(hdr, "Content-Type: application/pkcs7-mime");
	h = device_handle(d, hdr);

	for (int i = 0; i < d->n; i++) {
		d->cur = &d->envs[i];
		for (int tries = 0; (code = put_one(d, h)) == 503 && tries < 1000; tries++) {
			d->retried++;
			usleep(10000);
		}
		if (code != 201)
			d->failed++;
	}
	curl_easy_cleanup(h);
	curl_slist_free_all(hdr);
	return NULL;
}

int main(int argc, char **argv)
{
	struct dev devs[MAX_DEV];
	pthread_t th[MAX_DEV];
	struct env *envs;
	int total, k, f = argc - 4, failed = 0, retried = 0, done = 0;
	double t0, dt;

	if (argc < 5 || (total = atoi(argv[2])) < 1 || (k = atoi(argv[3])) < 1 || k > MAX_DEV || f > MAX_FE)
		return fprintf(stderr, "usage: pg_rate STATE TOTAL K(1..%d) URL [URL...]\n", MAX_DEV), 2;
	curl_global_init(CURL_GLOBAL_DEFAULT);
	envs = calloc((size_t)total, sizeof(*envs));
	if (!envs || seal_all(argv[1], envs, total) < 0)
		return error("pg_rate: cannot seal the envelopes"), 1;
	for (int i = 0; i < k; i++) {
		int share = total / k + (i < total % k);
		devs[i] = (struct dev){ .state = argv[1], .url = argv[4 + i % f], .envs = envs + done, .n = share };
		done += share;
	}
	t0 = now_s();
	for (int i = 0; i < k; i++)
		pthread_create(&th[i], NULL, device, &devs[i]);
	for (int i = 0; i < k; i++) {
		pthread_join(th[i], NULL);
		failed += devs[i].failed;
		retried += devs[i].retried;
	}
	dt = now_s() - t0;
	printf("%2d device%s, %d front-end%s: %6.0f acknowledged/s (%d PUTs, %d 503 retried)%s\n", k,
	       k > 1 ? "s" : " ", f, f > 1 ? "s" : " ", (total - failed) / dt, total, retried,
	       failed ? " SOME NOT 201" : "");
	for (int i = 0; i < total; i++)
		OPENSSL_free(envs[i].der);
	free(envs);
	curl_global_cleanup();
	return failed ? 1 : 0;
}
