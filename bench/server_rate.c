/*
 * server_rate.c — the case store's acknowledged writes per second with K devices at once
 * (issue 5 "Figures"; SYNC.md §3): K threads, each one libcurl connection with the device
 * certificate of STATE, PUT M envelopes each (sealed before the clock starts, each under
 * its own record id: the server refuses one envelope under a second id, issue 9 D8), as
 * application/pkcs7-mime. Every answer must be 201 (durable: the server replies only
 * after COMMIT).
 *
 *   server_rate STATE URL K M FSYNC_PER_S
 *   prints: server: K device(s) x M PUTs: R acknowledged/s (x of fsync F/s; goal ...)
 */
#include "platform/util.h"
#include "sync/device/config.h"
#include "sync/device/submit.h"
#include "sync/record/seal.h"
#include "sync/record/wire.h"

#include <curl/curl.h>
#include <jansson.h>
#include <openssl/crypto.h>
#include <openssl/rand.h>
#include <pthread.h>
#include <stdlib.h>
#include <time.h>

struct env {
	char id[37];
	unsigned char *der;
	size_t len;
};

struct job {
	const char *state, *url;
	struct env *envs;          /* m of them, this device's */
	const struct env *cur;     /* the one being sent */
	size_t pos;
	int m, failed;
};

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static size_t rd(char *buf, size_t size, size_t n, void *arg)
{
	struct job *j = arg;
	size_t room = size * n, left = j->cur->len - j->pos;

	room = room < left ? room : left;
	memcpy(buf, j->cur->der + j->pos, room);
	j->pos += room;
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

static CURL *device_handle(struct job *j, struct curl_slist *hdr)
{
	char cert[4096], key[4096], ca[4096];
	CURL *h = curl_easy_init();

	snprintf(cert, sizeof(cert), "%s/device.pem", j->state);
	snprintf(key, sizeof(key), "%s/device.key", j->state);
	snprintf(ca, sizeof(ca), "%s/ca.pem", j->state);
	curl_easy_setopt(h, CURLOPT_SSLCERT, cert);
	curl_easy_setopt(h, CURLOPT_SSLKEY, key);
	curl_easy_setopt(h, CURLOPT_CAINFO, ca);
	curl_easy_setopt(h, CURLOPT_CAPATH, NULL);
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdr);
	curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
	curl_easy_setopt(h, CURLOPT_READFUNCTION, rd);
	curl_easy_setopt(h, CURLOPT_READDATA, j);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, sink);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_TIMEOUT, 30L);
	return h;
}

static void *device(void *arg)
{
	struct job *j = arg;
	struct curl_slist *hdr = curl_slist_append(NULL, "Expect:");
	CURL *h;
	char url[700];
	long code;

	hdr = curl_slist_append(hdr, "Content-Type: " WIRE_CONTENT_TYPE);
	h = device_handle(j, hdr);
	for (int i = 0; i < j->m; i++) {
		j->cur = &j->envs[i];
		snprintf(url, sizeof(url), "%s/v1/records/%s", j->url, j->cur->id);
		j->pos = 0;
		curl_easy_setopt(h, CURLOPT_URL, url);
		curl_easy_setopt(h, CURLOPT_INFILESIZE_LARGE, (curl_off_t)j->cur->len);
		code = 0;
		if (curl_easy_perform(h) != CURLE_OK ||
		    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &code) != CURLE_OK || code != 201)
			j->failed++;
	}
	curl_easy_cleanup(h);
	curl_slist_free_all(hdr);
	return NULL;
}

/* n envelopes from the device, each under its own fresh id, content {"bench": i} (jansson). */
static int seal_all(const char *state, struct env *envs, int n)
{
	struct seal_device *d = NULL;
	int rc = 0;

	if (submit_seal_device(state, &d) < 0)
		return -1;
	for (int i = 0; rc == 0 && i < n; i++) {
		struct seal_attrs a = { .record_id = envs[i].id, .schema = SEAL_SCHEMA, .seq = i + 1,
					.created_at = time(NULL), .device_id = seal_device_id(d) };
		json_t *o = json_pack("{s:i}", "bench", i);
		char *json = o ? json_dumps(o, JSON_COMPACT) : NULL;

		random_uuid(envs[i].id);
		rc = json ? seal_record(d, json, strlen(json), &a, &envs[i].der, &envs[i].len) : -1;
		json_decref(o);
		free(json);
	}
	seal_device_free(d);
	return rc;
}

int main(int argc, char **argv)
{
	struct job jobs[64];
	pthread_t th[64];
	struct env *envs;
	int k, m, failed = 0;
	double t0, dt, fs;

	if (argc != 6 || (k = atoi(argv[3])) < 1 || k > 64 || (m = atoi(argv[4])) < 1)
		return fprintf(stderr, "usage: server_rate STATE URL K(1..64) M FSYNC_PER_S\n"), 2;
	fs = atof(argv[5]);
	curl_global_init(CURL_GLOBAL_DEFAULT);
	if (!(envs = calloc((size_t)k * (size_t)m, sizeof(*envs))) || seal_all(argv[1], envs, k * m) < 0)
		return error("server_rate: cannot seal the envelopes"), 1;
	t0 = now_s();
	for (int i = 0; i < k; i++) {
		jobs[i] = (struct job){ .state = argv[1], .url = argv[2], .envs = envs + (size_t)i * m, .m = m };
		pthread_create(&th[i], NULL, device, &jobs[i]);
	}
	for (int i = 0; i < k; i++) {
		pthread_join(th[i], NULL);
		failed += jobs[i].failed;
	}
	dt = now_s() - t0;
	printf("server: %d device%s x %d PUTs: %.0f acknowledged/s (%.2fx fsync %.0f/s; goal %s)%s\n", k,
	       k > 1 ? "s" : "", m, (k * m - failed) / dt, fs > 0 ? (k * m - failed) / dt / fs : 0.0, fs,
	       k > 1 ? "> 1.5x with group commit" : "about 1x", failed ? " SOME NOT 201" : "");
	for (int i = 0; i < k * m; i++)
		OPENSSL_free(envs[i].der);
	free(envs);
	curl_global_cleanup();
	return failed ? 1 : 0;
}
