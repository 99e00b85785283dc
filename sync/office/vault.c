/*
 * vault.c — the worklist's sealed fields (vault.h).
 */
#include "sync/office/vault.h"
#include "platform/platform.h"
#include "platform/util.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define KEY_BYTES crypto_aead_xchacha20poly1305_ietf_KEYBYTES
#define NONCE_BYTES crypto_aead_xchacha20poly1305_ietf_NPUBBYTES
#define TAG_BYTES crypto_aead_xchacha20poly1305_ietf_ABYTES
#define AD_PREFIX "inloop-office-fields/1 "

struct vault {
	unsigned char *key;   /* sodium_malloc'd: guarded, wiped by sodium_free */
};

/* Makes path with a new random key, refusing to replace one (O_EXCL). */
static int make_key(const char *path)
{
	unsigned char k[KEY_BYTES];
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
	int ok;

	if (fd < 0)
		return errno == EEXIST ? 0 : error("cannot create %s: %s", path, strerror(errno));
	randombytes_buf(k, sizeof(k));
	ok = write(fd, k, sizeof(k)) == (ssize_t)sizeof(k) && fsync(fd) == 0;
	sodium_memzero(k, sizeof(k));
	if (close(fd) < 0 || !ok) {
		unlink(path);
		return error("cannot write %s", path);
	}
	return 0;
}

int vault_load(const char *office_dir, struct vault **out)
{
	char path[4096], *raw = NULL;
	struct vault *v;
	size_t n = 0;

	*out = NULL;
	if (sodium_init() < 0)
		return error("libsodium cannot start");
	if (util_fmt(path, sizeof(path), "%s/fields.key", office_dir) < 0 || make_key(path) < 0 ||
	    platform_check_key_file(path) < 0 || util_read_file(path, 64, &raw, &n) < 0)
		return -1;
	if (n != KEY_BYTES) {
		util_clear_free(raw);
		return error("%s is not a %d-byte key: remove it and the office makes a new one"
			     " (rows it sealed then open their envelopes instead)", path, KEY_BYTES);
	}
	v = calloc(1, sizeof(*v));
	if (!v || !(v->key = sodium_malloc(KEY_BYTES))) {
		free(v);
		util_clear_free(raw);
		return error("out of memory");
	}
	memcpy(v->key, raw, KEY_BYTES);
	util_clear_free(raw);
	sodium_mprotect_readonly(v->key);
	*out = v;
	return 0;
}

void vault_free(struct vault *v)
{
	if (!v)
		return;
	sodium_free(v->key);
	free(v);
}

/* The associated data of the row of id: prefix + id, into ad (size bytes); its length. */
static size_t ad_of(const char *id, unsigned char *ad, size_t size)
{
	int n = snprintf((char *)ad, size, AD_PREFIX "%s", id);

	return n < 0 || (size_t)n >= size ? 0 : (size_t)n;
}

int vault_seal(const struct vault *v, const char *id, const void *plain, size_t n,
	       unsigned char **blob, size_t *blob_len)
{
	unsigned char ad[128], *b;
	size_t adn = ad_of(id, ad, sizeof(ad));
	unsigned long long clen = 0;

	*blob = NULL;
	*blob_len = 0;
	if (!adn || !(b = malloc(NONCE_BYTES + n + TAG_BYTES)))
		return error("out of memory");
	randombytes_buf(b, NONCE_BYTES);
	crypto_aead_xchacha20poly1305_ietf_encrypt(b + NONCE_BYTES, &clen, plain, n, ad, adn, NULL, b, v->key);
	*blob = b;
	*blob_len = NONCE_BYTES + (size_t)clen;
	return 0;
}

int vault_open(const struct vault *v, const char *id, const unsigned char *blob, size_t blob_len,
	       char **plain, size_t *n)
{
	unsigned char ad[128];
	size_t adn = ad_of(id, ad, sizeof(ad));
	unsigned long long m = 0;
	char *p;

	*plain = NULL;
	*n = 0;
	if (!adn || !blob || blob_len < NONCE_BYTES + TAG_BYTES || !(p = malloc(blob_len - NONCE_BYTES - TAG_BYTES + 1)))
		return -1;
	if (crypto_aead_xchacha20poly1305_ietf_decrypt((unsigned char *)p, &m, NULL, blob + NONCE_BYTES,
						       blob_len - NONCE_BYTES, ad, adn, blob, v->key) != 0) {
		free(p);
		return -1;
	}
	p[m] = '\0';
	*plain = p;
	*n = (size_t)m;
	return 0;
}
