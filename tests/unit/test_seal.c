/*
 * test_seal.c — the seal through its C API, against the demo PKI that the wrapper
 * (tests/t2001-seal-unit.sh) made with `inloopctl init-demo` in $SEAL_PKI:
 * round trip; every single-byte flip of an envelope refused; truncation and trailing
 * bytes refused; signed attributes that disagree with the JSON refused; the device id
 * pinned; refusal reasons never carry content; one opener shared by threads; the device
 * config's load and refusals.
 */
#include "sync/record/seal.h"
#include "sync/device/config.h"
#include "sync/device/submit.h"
#include "platform/util.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <openssl/crypto.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define CANARY "Canary-Zq7xW"
#define RECORD "{\"schema\":\"inloop-registration/1\",\"record_id\":\"6a1f0c9e-3b7d-4e21-a8f5-0c2d9e7b1a44\"," \
	"\"seq\":7,\"created_at\":\"2026-11-23T10:00:00+01:00\",\"device_id\":\"kiosk-demo-1\"," \
	"\"location\":\"Bibliotheek Centrum (demo)\",\"language\":\"nl\",\"mode\":\"kiosk\"," \
	"\"answers\":{\"name\":\"" CANARY "\",\"crisis\":[\"eviction\"]},\"crisis\":{\"kinds\":[\"eviction\"]}," \
	"\"deadline\":\"2026-11-26\"}"

struct fx {
	struct seal_device *dev;
	struct seal_opener *op;
	unsigned char *der;
	size_t len;
};

static const char *pki(void)
{
	const char *d = getenv("SEAL_PKI");
	return d && *d ? d : "/nonexistent";
}

static const struct seal_attrs default_attrs = {
	"6a1f0c9e-3b7d-4e21-a8f5-0c2d9e7b1a44", "kiosk-demo-1", SEAL_SCHEMA, 7, 1795424400,
};

static int setup(void **state)
{
	char dev[4096], office[4096];
	struct fx *f = calloc(1, sizeof(*f));

	snprintf(dev, sizeof(dev), "%s/device", pki());
	snprintf(office, sizeof(office), "%s/office", pki());   /* the opening key's folder */
	if (!f || submit_seal_device(dev, &f->dev) < 0 || seal_opener_load(office, &f->op) < 0)
		return -1;
	if (seal_record(f->dev, RECORD, strlen(RECORD), &default_attrs, &f->der, &f->len) < 0)
		return -1;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;

	OPENSSL_free(f->der);
	seal_device_free(f->dev);
	seal_opener_free(f->op);
	free(f);
	return 0;
}

/* seal_open must refuse der; the reason is non-empty and holds no content. */
static void assert_refused(struct fx *f, const unsigned char *der, size_t len)
{
	struct seal_info info;
	char *json = NULL, why[512];
	size_t n = 0;

	assert_int_equal(seal_open(f->op, der, len, &json, &n, &info, why, sizeof(why)), -1);
	assert_null(json);
	assert_true(why[0] != '\0');
	assert_null(strstr(why, CANARY));
	assert_null(strstr(why, "eviction"));
}

static void test_round_trip(void **state)
{
	struct fx *f = *state;
	struct seal_info info;
	char *json = NULL, why[512];
	size_t n = 0;

	assert_string_equal(seal_device_id(f->dev), "kiosk-demo-1");
	assert_int_equal(seal_open(f->op, f->der, f->len, &json, &n, &info, why, sizeof(why)), 0);
	assert_int_equal(n, strlen(RECORD));
	assert_memory_equal(json, RECORD, n);
	assert_string_equal(info.record_id, default_attrs.record_id);
	assert_string_equal(info.device_id, "kiosk-demo-1");
	assert_string_equal(info.schema, SEAL_SCHEMA);
	assert_int_equal(info.seq, 7);
	assert_int_equal(info.signing_time, default_attrs.created_at);
	util_clear_free(json);
	assert_int_equal(seal_is_envelope(f->der, f->len, why, sizeof(why)), 0);
	/* the ciphertext does not hold the plaintext */
	assert_null(memmem(f->der, f->len, CANARY, strlen(CANARY)));
}

static void test_every_byte_flip(void **state)
{
	struct fx *f = *state;
	unsigned char *copy = malloc(f->len);

	assert_non_null(copy);
	for (size_t i = 0; i < f->len; i++) {
		memcpy(copy, f->der, f->len);
		copy[i] ^= (i % 5 == 0) ? 0x80 : 0x01;
		assert_refused(f, copy, f->len);
	}
	free(copy);
}

static void test_truncated_and_trailing(void **state)
{
	struct fx *f = *state;
	unsigned char *longer = malloc(f->len + 1);
	char why[512];

	assert_non_null(longer);
	for (size_t cut = 1; cut < f->len; cut += (cut < 40 || f->len - cut < 40) ? 1 : 97)
		assert_refused(f, f->der, cut);
	memcpy(longer, f->der, f->len);
	longer[f->len] = 0;
	assert_refused(f, longer, f->len + 1);
	assert_int_equal(seal_is_envelope(longer, f->len + 1, why, sizeof(why)), -1);
	assert_non_null(strstr(why, "trailing"));
	assert_refused(f, f->der, 0);
	free(longer);
}

/* A record whose signed attribute a differs from its JSON is refused, naming the field. */
static void check_mismatch(struct fx *f, const struct seal_attrs *a, const char *field)
{
	unsigned char *der = NULL;
	size_t len = 0;
	struct seal_info info;
	char *json = NULL, why[512];
	size_t n;

	assert_int_equal(seal_record(f->dev, RECORD, strlen(RECORD), a, &der, &len), 0);
	assert_int_equal(seal_open(f->op, der, len, &json, &n, &info, why, sizeof(why)), -1);
	assert_non_null(strstr(why, field));
	OPENSSL_free(der);
}

static void test_attrs_must_match_json(void **state)
{
	struct fx *f = *state;
	struct seal_attrs a = default_attrs;

	a.record_id = "00000000-0000-4000-8000-000000000000";
	check_mismatch(f, &a, "record_id");
	a = default_attrs;
	a.schema = "inloop-registration/2";
	check_mismatch(f, &a, "schema");
	a = default_attrs;
	a.seq = 8;
	check_mismatch(f, &a, "seq");
}

static void test_device_id_pinned(void **state)
{
	struct fx *f = *state;
	struct seal_attrs a = default_attrs;
	unsigned char *der = NULL;
	size_t len = 0;

	a.device_id = "kiosk-9999";
	assert_int_equal(seal_record(f->dev, RECORD, strlen(RECORD), &a, &der, &len), -1);
	assert_null(der);
	a = default_attrs;
	a.record_id = "";
	assert_int_equal(seal_record(f->dev, RECORD, strlen(RECORD), &a, &der, &len), -1);
}

static void test_fresh_each_time(void **state)
{
	struct fx *f = *state;
	unsigned char *der = NULL;
	size_t len = 0;

	assert_int_equal(seal_record(f->dev, RECORD, strlen(RECORD), &default_attrs, &der, &len), 0);
	assert_true(len != f->len || memcmp(der, f->der, len));   /* new nonce, new ephemeral key */
	OPENSSL_free(der);
}

static void test_not_an_envelope(void **state)
{
	static const unsigned char junk[] = { 0x30, 0x03, 0x02, 0x01, 0x00 };
	char why[512];

	(void)state;
	assert_int_equal(seal_is_envelope(junk, sizeof(junk), why, sizeof(why)), -1);
	assert_int_equal(seal_is_envelope((const unsigned char *)"{}", 2, why, sizeof(why)), -1);
}

static void test_key_file_mode(void **state)
{
	char dir[4096], key[4200];
	struct seal_device *d = NULL;

	(void)state;
	snprintf(dir, sizeof(dir), "%s/device", pki());
	snprintf(key, sizeof(key), "%s/device.key", dir);
	assert_int_equal(chmod(key, 0644), 0);
	assert_int_equal(submit_seal_device(dir, &d), -1);
	assert_null(d);
	assert_int_equal(chmod(key, 0600), 0);
	assert_int_equal(submit_seal_device(dir, &d), 0);
	seal_device_free(d);
	seal_device_free(NULL);
	seal_opener_free(NULL);
}

/* One opener, four threads opening the same envelope and a tampered twin at once. */
static void *open_many(void *arg)
{
	struct fx *f = arg;
	unsigned char *bad = malloc(f->len);
	long fails = 0;

	memcpy(bad, f->der, f->len);
	bad[f->len - 20] ^= 1;
	for (int i = 0; i < 50; i++) {
		struct seal_info info;
		char *json = NULL, why[256];
		size_t n;
		if (seal_open(f->op, f->der, f->len, &json, &n, &info, why, sizeof(why)) < 0 ||
		    n != strlen(RECORD) || memcmp(json, RECORD, n))
			fails++;
		util_clear_free(json);
		if (seal_open(f->op, bad, f->len, &json, &n, &info, why, sizeof(why)) == 0)
			fails++;
		util_clear_free(json);
	}
	free(bad);
	return (void *)fails;
}

static void test_threads_share_an_opener(void **state)
{
	pthread_t t[4];
	void *fails;

	for (int i = 0; i < 4; i++)
		assert_int_equal(pthread_create(&t[i], NULL, open_many, *state), 0);
	for (int i = 0; i < 4; i++) {
		assert_int_equal(pthread_join(t[i], &fails), 0);
		assert_int_equal((long)fails, 0);
	}
}

static void write_config(const char *dir, const char *text)
{
	char path[4200];

	snprintf(path, sizeof(path), "%s/config.json", dir);
	assert_int_equal(util_write_file(path, text, strlen(text), 0644), 0);
}

static void test_config(void **state)
{
	char dev[4096], dir[4200];
	struct device_config c, back;

	(void)state;
	snprintf(dev, sizeof(dev), "%s/device", pki());
	assert_int_equal(config_load(dev, &c), 0);
	assert_string_equal(c.device_id, "kiosk-demo-1");
	assert_string_equal(c.crisis_phone, "0800-0000000");
	assert_string_equal(c.mode, "kiosk");
	assert_int_equal(c.idle_seconds, 60);
	snprintf(dir, sizeof(dir), "%s/cfg", pki());
	assert_int_equal(util_mkdirs(dir, 0700), 0);
	write_config(dir, "{\"url\":\"https://x\"}");
	assert_int_equal(config_load(dir, &c), 0);
	assert_int_equal(c.countdown_seconds, 20);
	assert_int_equal(c.receipt_seconds, 90);
	assert_int_equal(c.alert_sound, 1);
	c.idle_seconds = 45;
	assert_int_equal(config_save(dir, &c), 0);
	assert_int_equal(config_load(dir, &back), 0);
	assert_memory_equal(&c, &back, sizeof(c));
	write_config(dir, "{\"url\":");
	assert_int_equal(config_load(dir, &c), -1);
	write_config(dir, "{\"idle_seconds\":\"sixty\"}");
	assert_int_equal(config_load(dir, &c), -1);
	write_config(dir, "{\"mode\":\"desk\"}");
	assert_int_equal(config_load(dir, &c), -1);
	write_config(dir, "{\"crisis_phone\":\"0123456789012345678901234567890123456789\"}");
	assert_int_equal(config_load(dir, &c), -1);
	write_config(dir, "[]");
	assert_int_equal(config_load(dir, &c), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_every_byte_flip),
		cmocka_unit_test(test_truncated_and_trailing),
		cmocka_unit_test(test_attrs_must_match_json),
		cmocka_unit_test(test_device_id_pinned),
		cmocka_unit_test(test_fresh_each_time),
		cmocka_unit_test(test_not_an_envelope),
		cmocka_unit_test(test_threads_share_an_opener),
		cmocka_unit_test(test_key_file_mode),
		cmocka_unit_test(test_config),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
