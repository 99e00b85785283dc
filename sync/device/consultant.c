/*
 * consultant.c — consultants on a field device: wrapped data keys, the attempt counter,
 * removal, and each consultant's key pair and certificate for visits (consultant.h). The
 * files hold no secret in the clear: the salt, the Argon2id cost, the counter, the data
 * key sealed under the passphrase's key, the private key sealed under the data key.
 */
#include "sync/device/consultant.h"
#include "sync/device/config.h"
#include "sync/device/draft.h"
#include "sync/device/visitbox.h"
#include "sync/record/pki.h"
#include "sync/record/visit.h"
#include "platform/util.h"

#include <dirent.h>
#include <errno.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* Argon2id cost: libsodium's INTERACTIVE memory with MODERATE's passes (measured ~0.2 s
 * on the 2-core CI machine); stored per consultant, so it can be raised later. */
#define KDF_OPSLIMIT 3ULL
#define KDF_MEMLIMIT (64ULL * 1024 * 1024)
#define WRAP_NONCE crypto_aead_xchacha20poly1305_ietf_NPUBBYTES
#define WRAPPED_LEN (CONSULTANT_KEY_BYTES + crypto_aead_xchacha20poly1305_ietf_ABYTES)

struct cons_file {
	char id[CONSULTANT_ID_MAX];
	unsigned char salt[crypto_pwhash_SALTBYTES];
	unsigned long long opslimit;
	size_t memlimit;
	unsigned char nonce[WRAP_NONCE];
	unsigned char wrapped[WRAPPED_LEN];
	int failures;
	long long last_failure;
};

static int cons_path(const char *state_dir, const char *id, char *buf, size_t size)
{
	return util_fmt(buf, size, "%s/consultants/%s.json", state_dir, id);
}

static json_t *b64(const unsigned char *p, size_t n)
{
	char out[256];

	sodium_bin2base64(out, sizeof(out), p, n, sodium_base64_VARIANT_ORIGINAL);
	return json_string(out);
}

static int unb64(const json_t *v, unsigned char *out, size_t n)
{
	const char *s = json_string_value(v);
	size_t got = 0;

	if (!s || sodium_base642bin(out, n, s, strlen(s), NULL, &got, NULL,
				    sodium_base64_VARIANT_ORIGINAL) != 0 || got != n)
		return -1;
	return 0;
}

/* Writes c durably as STATE/consultants/ID.json (0600). */
static int cons_save(const char *state_dir, const struct cons_file *c)
{
	char dir[4200], path[4200], *text;
	json_t *o;
	int rc;

	if (util_fmt(dir, sizeof(dir), "%s/consultants", state_dir) < 0 || util_mkdirs(dir, 0700) < 0 ||
	    cons_path(state_dir, c->id, path, sizeof(path)) < 0)
		return -1;
	o = json_pack("{s:s, s:s, s:o, s:I, s:I, s:o, s:o, s:i, s:I}", "id", c->id, "kdf",
		      "argon2id13", "salt", b64(c->salt, sizeof(c->salt)), "opslimit",
		      (json_int_t)c->opslimit, "memlimit", (json_int_t)c->memlimit, "nonce",
		      b64(c->nonce, sizeof(c->nonce)), "wrapped", b64(c->wrapped, sizeof(c->wrapped)),
		      "failures", c->failures, "last_failure", (json_int_t)c->last_failure);
	text = o ? json_dumps(o, JSON_INDENT(1) | JSON_PRESERVE_ORDER) : NULL;
	json_decref(o);
	if (!text)
		return error("out of memory writing consultant %s", c->id);
	rc = util_write_file(path, text, strlen(text), 0600);
	free(text);
	return rc;
}

/* Reads STATE/consultants/ID.json; 1 when there is none, -1 when damaged. */
static int cons_load(const char *state_dir, const char *id, struct cons_file *c)
{
	char path[4200];
	json_t *o;
	json_int_t ops, mem, fails, last;
	int rc = -1;

	memset(c, 0, sizeof(*c));
	if (!visit_consultant_id_ok(id) || cons_path(state_dir, id, path, sizeof(path)) < 0)
		return 1;
	if (access(path, F_OK) != 0)
		return 1;
	o = util_json_load_file(path, 64 * 1024);
	if (o && json_unpack(o, "{s:I, s:I, s:I, s:I}", "opslimit", &ops, "memlimit", &mem,
			     "failures", &fails, "last_failure", &last) == 0 &&
	    unb64(json_object_get(o, "salt"), c->salt, sizeof(c->salt)) == 0 &&
	    unb64(json_object_get(o, "nonce"), c->nonce, sizeof(c->nonce)) == 0 &&
	    unb64(json_object_get(o, "wrapped"), c->wrapped, sizeof(c->wrapped)) == 0 &&
	    ops >= (json_int_t)crypto_pwhash_OPSLIMIT_MIN && mem >= (json_int_t)crypto_pwhash_MEMLIMIT_MIN &&
	    mem <= (json_int_t)(4ULL << 30) && ops <= 64 && fails >= 0) {
		snprintf(c->id, sizeof(c->id), "%s", id);
		c->opslimit = (unsigned long long)ops;
		c->memlimit = (size_t)mem;
		c->failures = (int)(fails > 1000 ? 1000 : fails);
		c->last_failure = last;
		rc = 0;
	}
	json_decref(o);
	return rc == 0 ? 0 : error("consultant file %s is damaged", path);
}

/* The key that wraps the data key, from the passphrase (Argon2id). */
static int derive(const struct cons_file *c, const char *pass, size_t len,
		  unsigned char kek[crypto_aead_xchacha20poly1305_ietf_KEYBYTES])
{
	if (crypto_pwhash(kek, crypto_aead_xchacha20poly1305_ietf_KEYBYTES, pass, len, c->salt,
			  c->opslimit, c->memlimit, crypto_pwhash_ALG_ARGON2ID13) != 0)
		return error("not enough memory to derive the consultant's key");
	return 0;
}

/* The wrapping is bound to the consultant's id: one consultant's wrapped key copied into
 * another's file does not open. */
static int wrap(struct cons_file *c, const unsigned char kek[], const unsigned char key[])
{
	randombytes_buf(c->nonce, sizeof(c->nonce));
	crypto_aead_xchacha20poly1305_ietf_encrypt(c->wrapped, NULL, key, CONSULTANT_KEY_BYTES,
						   (const unsigned char *)c->id, strlen(c->id), NULL,
						   c->nonce, kek);
	return 0;
}

static int unwrap(const struct cons_file *c, const unsigned char kek[], unsigned char key[])
{
	return crypto_aead_xchacha20poly1305_ietf_decrypt(key, NULL, NULL, c->wrapped,
							  sizeof(c->wrapped),
							  (const unsigned char *)c->id,
							  strlen(c->id), c->nonce, kek);
}

/* Counts characters (not bytes) of a UTF-8 passphrase. */
static size_t utf8_chars(const char *s, size_t len)
{
	size_t n = 0;

	for (size_t i = 0; i < len; i++)
		if (((unsigned char)s[i] & 0xC0) != 0x80)
			n++;
	return n;
}

int consultant_add(const char *state_dir, const char *id, const char *pass, size_t len)
{
	struct cons_file c;
	unsigned char kek[crypto_aead_xchacha20poly1305_ietf_KEYBYTES], key[CONSULTANT_KEY_BYTES];
	int rc;

	if (sodium_init() < 0)
		return error("libsodium does not start");
	if (!visit_consultant_id_ok(id))
		return error("consultant id must be 1 to 32 of a-z 0-9 . _ -");
	if (utf8_chars(pass, len) < CONSULTANT_PASS_MIN || len > CONSULTANT_PASS_MAX)
		return error("the passphrase must be %d to %d characters", CONSULTANT_PASS_MIN,
			     CONSULTANT_PASS_MAX);
	rc = cons_load(state_dir, id, &c);
	if (rc <= 0)
		return error("consultant %s is already enrolled on this device", id);
	memset(&c, 0, sizeof(c));
	snprintf(c.id, sizeof(c.id), "%s", id);
	c.opslimit = KDF_OPSLIMIT;
	c.memlimit = KDF_MEMLIMIT;
	randombytes_buf(c.salt, sizeof(c.salt));
	randombytes_buf(key, sizeof(key));
	rc = derive(&c, pass, len, kek);
	if (rc == 0)
		rc = wrap(&c, kek, key) < 0 ? -1 : cons_save(state_dir, &c);
	if (rc == 0)   /* enrolled either way: `consultant request` makes a failed pair again */
		rc = consultant_request(state_dir, id, key, NULL, 0);
	sodium_memzero(kek, sizeof(kek));
	sodium_memzero(key, sizeof(key));
	return rc;
}

/* Seconds the next attempt must wait after failures wrong ones (0: none). */
static long long backoff_s(int failures)
{
	if (failures < CONSULTANT_SLOW_AFTER)
		return 0;
	return 5LL << (failures - CONSULTANT_SLOW_AFTER > 10 ? 10 : failures - CONSULTANT_SLOW_AFTER);
}

int consultant_unlock(const char *state_dir, const char *id, const char *pass, size_t len,
		      unsigned char key[CONSULTANT_KEY_BYTES], int *wait_s)
{
	unsigned char kek[crypto_aead_xchacha20poly1305_ietf_KEYBYTES];
	struct cons_file c;
	long long now = (long long)time(NULL), due;
	int rc;

	if (sodium_init() < 0)
		return error("libsodium does not start");
	rc = cons_load(state_dir, id, &c);
	if (rc != 0)
		return rc > 0 ? CONSULTANT_UNKNOWN : -1;
	if (c.failures >= CONSULTANT_LOCK_AFTER)
		return CONSULTANT_LOCKED;
	due = c.last_failure + backoff_s(c.failures);
	if (now < due) {
		if (wait_s)
			*wait_s = (int)(due - now);
		return CONSULTANT_WAIT;
	}
	c.failures++;                 /* counted before the check: a kill does not undo it */
	c.last_failure = now;
	if (cons_save(state_dir, &c) < 0 || derive(&c, pass, len, kek) < 0)
		return -1;
	rc = unwrap(&c, kek, key);
	sodium_memzero(kek, sizeof(kek));
	if (rc != 0) {
		sodium_memzero(key, CONSULTANT_KEY_BYTES);
		return c.failures >= CONSULTANT_LOCK_AFTER ? CONSULTANT_LOCKED : CONSULTANT_WRONG;
	}
	c.failures = 0;
	c.last_failure = 0;
	if (cons_save(state_dir, &c) < 0) {
		sodium_memzero(key, CONSULTANT_KEY_BYTES);
		return -1;
	}
	return CONSULTANT_OK;
}

int consultant_failures(const char *state_dir, const char *id)
{
	struct cons_file c;

	return cons_load(state_dir, id, &c) == 0 ? c.failures : -1;
}

static int cmp_ids(const void *a, const void *b)
{
	return strcmp(a, b);
}

int consultant_list(const char *state_dir, char ids[][CONSULTANT_ID_MAX], int max)
{
	char dir[4200];
	struct dirent *e;
	DIR *d;
	int n = 0;

	if (util_fmt(dir, sizeof(dir), "%s/consultants", state_dir) < 0)
		return -1;
	if (!(d = opendir(dir)))
		return errno == ENOENT ? 0 : error("cannot read %s: %s", dir, strerror(errno));
	while ((e = readdir(d)) && n < max) {
		size_t len = strlen(e->d_name);
		if (len < 6 || strcmp(e->d_name + len - 5, ".json") || len - 5 >= CONSULTANT_ID_MAX)
			continue;
		memcpy(ids[n], e->d_name, len - 5);
		ids[n][len - 5] = '\0';
		if (visit_consultant_id_ok(ids[n]))
			n++;
	}
	closedir(d);
	qsort(ids, (size_t)n, CONSULTANT_ID_MAX, cmp_ids);
	return n;
}

int consultant_remove(const char *state_dir, const char *id)
{
	static const char *const exts[] = { "key.sealed", "csr", "pem" };
	char path[4200];

	if (!visit_consultant_id_ok(id))
		return error("not a consultant id");
	if (draft_remove_all(state_dir, id) < 0 || visitbox_remove_all(state_dir, id) < 0)
		return -1;
	for (size_t i = 0; i < sizeof(exts) / sizeof(exts[0]); i++)
		if (consultant_file(state_dir, id, exts[i], path, sizeof(path)) < 0 ||
		    draft_erase_file(path) < 0)
			return -1;
	if (cons_path(state_dir, id, path, sizeof(path)) < 0)
		return -1;
	if (unlink(path) < 0 && errno != ENOENT)
		return error("cannot remove %s: %s", path, strerror(errno));
	return 0;
}

int consultant_apply_disabled(const char *state_dir, const json_t *disabled)
{
	const json_t *v;
	struct cons_file c;
	size_t i;
	int n = 0;

	if (!json_is_array(disabled))
		return error("the office's disabled list must be an array of consultant ids");
	json_array_foreach(disabled, i, v) {
		const char *id = json_string_value(v);
		if (!visit_consultant_id_ok(id))
			return error("the office's disabled list holds something that is not a consultant id");
		if (cons_load(state_dir, id, &c) > 0)
			continue;
		if (consultant_remove(state_dir, id) < 0)
			return -1;
		n++;
	}
	return n;
}

int consultant_read_pass(int fd, char *buf, size_t size)
{
	size_t n = 0;
	char ch;

	for (;;) {
		ssize_t r = read(fd, &ch, 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0 || ch == '\n')
			break;
		if (n + 1 >= size) {
			sodium_memzero(buf, size);
			return error("the passphrase is too long");
		}
		buf[n++] = ch;
	}
	if (n && buf[n - 1] == '\r')
		n--;
	buf[n] = '\0';
	return n ? (int)n : error("no passphrase given");
}

/* ---- the consultant's key pair and certificate (visits from the office) ---- */

#define KEY_MAGIC "INLCKEY1"
#define KEY_MAGIC_LEN 8
#define KEY_HEAD_LEN (KEY_MAGIC_LEN + WRAP_NONCE)
#define KEY_FILE_MAX 4096

int consultant_file(const char *state_dir, const char *id, const char *ext, char *buf, size_t size)
{
	if (!visit_consultant_id_ok(id))
		return error("not a consultant id");
	return util_fmt(buf, size, "%s/consultants/%s.%s", state_dir, id, ext) < 0 ? -1 : 0;
}

int consultant_has_cert(const char *state_dir, const char *id)
{
	char path[4200];

	return consultant_file(state_dir, id, "pem", path, sizeof(path)) == 0 && access(path, F_OK) == 0;
}

/* The associated data of the sealed key: its magic and the consultant id, so a sealed
 * key copied to another consultant's name does not open. */
static size_t key_ad(unsigned char *ad, size_t size, const char *id)
{
	size_t n = strlen(id);

	if (KEY_MAGIC_LEN + n > size)
		return 0;
	memcpy(ad, KEY_MAGIC, KEY_MAGIC_LEN);
	memcpy(ad + KEY_MAGIC_LEN, id, n);
	return KEY_MAGIC_LEN + n;
}

/* Seals the PKCS#8 DER of key under data_key as STATE/consultants/ID.key.sealed (0600). */
static int key_seal(const char *state_dir, const char *id, EVP_PKEY *key,
		    const unsigned char data_key[CONSULTANT_KEY_BYTES])
{
	unsigned char ad[KEY_MAGIC_LEN + CONSULTANT_ID_MAX], *der = NULL, *buf = NULL;
	PKCS8_PRIV_KEY_INFO *p8 = EVP_PKEY2PKCS8(key);
	char path[4200];
	int n = p8 ? i2d_PKCS8_PRIV_KEY_INFO(p8, &der) : -1, rc = -1;
	size_t total = n > 0 ? KEY_HEAD_LEN + (size_t)n + crypto_aead_xchacha20poly1305_ietf_ABYTES : 0;

	if (n > 0 && total <= KEY_FILE_MAX && (buf = malloc(total)) &&
	    consultant_file(state_dir, id, "key.sealed", path, sizeof(path)) == 0) {
		memcpy(buf, KEY_MAGIC, KEY_MAGIC_LEN);
		randombytes_buf(buf + KEY_MAGIC_LEN, WRAP_NONCE);
		crypto_aead_xchacha20poly1305_ietf_encrypt(buf + KEY_HEAD_LEN, NULL, der,
							   (size_t)n, ad, key_ad(ad, sizeof(ad), id),
							   NULL, buf + KEY_MAGIC_LEN, data_key);
		rc = util_write_file(path, buf, total, 0600);
	} else {
		error("cannot seal the key of consultant %s", id);
	}
	if (der)
		OPENSSL_clear_free(der, (size_t)n);
	PKCS8_PRIV_KEY_INFO_free(p8);   /* wipes the key it holds */
	free(buf);
	return rc;
}

int consultant_key_der(const char *state_dir, const char *id,
		       const unsigned char data_key[CONSULTANT_KEY_BYTES], unsigned char **der,
		       size_t *len)
{
	unsigned char ad[KEY_MAGIC_LEN + CONSULTANT_ID_MAX];
	unsigned long long plen = 0;
	char path[4200], *buf = NULL;
	size_t n = 0;
	int rc = -1;

	*der = NULL;
	*len = 0;
	if (sodium_init() < 0 || consultant_file(state_dir, id, "key.sealed", path, sizeof(path)) < 0)
		return -1;
	if (access(path, F_OK) != 0)
		return 1;
	if (util_read_file(path, KEY_FILE_MAX, &buf, &n) < 0)
		return -1;
	if (n > KEY_HEAD_LEN + crypto_aead_xchacha20poly1305_ietf_ABYTES &&
	    !memcmp(buf, KEY_MAGIC, KEY_MAGIC_LEN) && (*der = malloc(n))) {
		rc = crypto_aead_xchacha20poly1305_ietf_decrypt(
			*der, &plen, NULL, (unsigned char *)buf + KEY_HEAD_LEN, n - KEY_HEAD_LEN, ad,
			key_ad(ad, sizeof(ad), id),
			(unsigned char *)buf + KEY_MAGIC_LEN, data_key) == 0 ? 0 : -1;
	}
	free(buf);
	if (rc < 0) {
		consultant_key_free(*der, n);
		*der = NULL;
		return error("the key of consultant %s does not open: it was changed or belongs to "
			     "another consultant (ICT: consultant request %s)", id, id);
	}
	*len = (size_t)plen;
	return 0;
}

void consultant_key_free(unsigned char *der, size_t len)
{
	if (!der)
		return;
	sodium_memzero(der, len);
	free(der);
}

/* id's private key as an EVP_PKEY (owned by the caller), or a fresh one when it has none
 * yet (then *fresh = 1). */
static int pair_of(const char *state_dir, const char *id,
		   const unsigned char data_key[CONSULTANT_KEY_BYTES], EVP_PKEY **key, int *fresh)
{
	unsigned char *der = NULL;
	const unsigned char *p;
	size_t len = 0;
	int rc = consultant_key_der(state_dir, id, data_key, &der, &len);

	*key = NULL;
	*fresh = rc == 1;
	if (rc == 1)
		return pki_keygen(key);
	if (rc < 0)
		return -1;
	p = der;
	*key = d2i_AutoPrivateKey(NULL, &p, (long)len);
	consultant_key_free(der, len);
	if (!*key || pki_is_p256(*key) < 0) {
		EVP_PKEY_free(*key);
		*key = NULL;
		return error("the sealed key of consultant %s is not a P-256 key", id);
	}
	return 0;
}

int consultant_cert_days(const char *state_dir, const char *id, long long now, int *days, char end[11])
{
	char path[4200];
	time_t t;
	struct tm tm;

	if (!consultant_has_cert(state_dir, id) || consultant_file(state_dir, id, "pem", path, sizeof(path)) < 0 ||
	    pki_cert_not_after(path, &t) < 0 || !gmtime_r(&t, &tm))
		return -1;
	*days = (int)(((long long)t - now) / 86400);
	if ((long long)t < now && ((long long)t - now) % 86400)
		--*days;   /* rounded down: past its end is negative */
	strftime(end, 11, "%Y-%m-%d", &tm);
	return 0;
}

/* A consultant with a certificate may renew only near its end. */
static int renewal_open(const char *state_dir, const char *id)
{
	char end[11];
	int days = 0;

	if (consultant_cert_days(state_dir, id, (long long)time(NULL), &days, end) < 0)
		return error("consultant %s has a certificate that cannot be read; remove and enrol again", id);
	if (days > VISIT_CONSULTANT_RENEW_DAYS)
		return error("consultant %s has a certificate valid until %s (%d days); a renewal request can be "
			     "made from %d days before that", id, end, days, VISIT_CONSULTANT_RENEW_DAYS);
	return 0;
}

int consultant_request(const char *state_dir, const char *id,
		       const unsigned char data_key[CONSULTANT_KEY_BYTES], char *csr_path,
		       size_t size)
{
	char path[4200];
	EVP_PKEY *key = NULL;
	X509_REQ *req = NULL;
	int fresh = 0, rc = -1;

	if (consultant_has_cert(state_dir, id) && renewal_open(state_dir, id) < 0)
		return -1;
	if (consultant_file(state_dir, id, "csr", path, sizeof(path)) < 0 ||
	    pair_of(state_dir, id, data_key, &key, &fresh) < 0)
		return -1;
	if ((!fresh || key_seal(state_dir, id, key, data_key) == 0) &&
	    pki_make_csr(key, id, &req) == 0 && pki_write_csr(path, req) == 0)
		rc = csr_path && util_fmt(csr_path, size, "%s", path) < 0 ? -1 : 0;
	X509_REQ_free(req);
	EVP_PKEY_free(key);
	return rc;
}

/* 0 when cert chains to the CA file ca_path (at the current time), else -1 with why. */
static int chains_to(X509 *cert, const char *ca_path)
{
	X509_STORE *store = X509_STORE_new();
	X509_STORE_CTX *ctx = X509_STORE_CTX_new();
	int ok = 0, err = 0;

	if (store && ctx && X509_STORE_load_file(store, ca_path) == 1 &&
	    X509_STORE_CTX_init(ctx, store, cert, NULL) == 1) {
		ok = X509_verify_cert(ctx) == 1;
		err = X509_STORE_CTX_get_error(ctx);
	}
	X509_STORE_CTX_free(ctx);
	X509_STORE_free(store);
	return ok ? 0 : error("the certificate does not chain to %s (%s)", ca_path,
			       err ? X509_verify_cert_error_string(err) : "cannot read the CA");
}

/* The public key of STATE/consultants/ID.csr; owned by the caller. */
static EVP_PKEY *csr_key(const char *state_dir, const char *id)
{
	char path[4200];
	X509_REQ *req = NULL;
	EVP_PKEY *key = NULL;
	FILE *f;

	if (consultant_file(state_dir, id, "csr", path, sizeof(path)) < 0)
		return NULL;
	if (!(f = fopen(path, "r"))) {
		error("consultant %s has no request %s (consultant request %s)", id, path, id);
		return NULL;
	}
	req = PEM_read_X509_REQ(f, NULL, NULL, NULL);
	fclose(f);
	key = req ? X509_REQ_get_pubkey(req) : NULL;
	X509_REQ_free(req);
	if (!key)
		error("cannot read the request %s", path);
	return key;
}

/* The checks of consultant_install_cert on a parsed certificate. */
static int cert_check(const char *state_dir, const char *id, X509 *cert)
{
	char ca[4200], cn[CONSULTANT_ID_MAX + 1];
	EVP_PKEY *want;
	int same;

	if (util_fmt(ca, sizeof(ca), "%s/" STATE_CA, state_dir) < 0 || chains_to(cert, ca) < 0)
		return -1;
	if (pki_cert_cn(cert, cn, sizeof(cn)) < 0 || strcmp(cn, id))
		return error("the certificate is not for consultant %s", id);
	if (!pki_has_eku(cert, VISIT_OID_KP_CONSULTANT))
		return error("the certificate is not a consultant certificate (no EKU %s)",
			     VISIT_OID_KP_CONSULTANT);
	if (!(X509_get_key_usage(cert) & KU_KEY_AGREEMENT))
		return error("the certificate does not allow key agreement");
	if (!(want = csr_key(state_dir, id)))
		return -1;
	same = EVP_PKEY_eq(X509_get0_pubkey(cert), want) == 1;
	EVP_PKEY_free(want);
	return same ? 0 : error("the certificate carries another key than %s's request", id);
}

int consultant_install_cert(const char *state_dir, const char *id, const char *cert_file)
{
	char path[4200];
	struct cons_file c;
	X509 *cert = NULL;
	int rc;

	if (cons_load(state_dir, id, &c) != 0)
		return error("consultant %s is not enrolled on this device", id);
	if (consultant_file(state_dir, id, "pem", path, sizeof(path)) < 0 ||
	    pki_load_cert(cert_file, &cert) < 0)
		return -1;
	rc = cert_check(state_dir, id, cert);
	if (rc == 0)
		rc = pki_write_cert(path, cert);
	X509_free(cert);
	return rc;
}
