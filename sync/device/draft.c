/*
 * draft.c — sealed drafts of the field intake (draft.h): XChaCha20-Poly1305 under the
 * consultant's data key, written whole and durably on every answer.
 */
#include "sync/device/draft.h"
#include "sync/device/consultant.h"
#include "platform/util.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define MAGIC "INLDRFT1"
#define MAGIC_LEN 8
#define NONCE_LEN crypto_aead_xchacha20poly1305_ietf_NPUBBYTES
#define HEAD_LEN (MAGIC_LEN + 8 + NONCE_LEN)
#define DRAFT_FILE_MAX (1024 * 1024)

void draft_new_id(char id[DRAFT_ID_MAX])
{
	unsigned char r[16];

	randombytes_buf(r, sizeof(r));
	sodium_bin2hex(id, DRAFT_ID_MAX, r, sizeof(r));
}

static int valid_id(const char *id)
{
	size_t n = id ? strlen(id) : 0;

	if (n != DRAFT_ID_MAX - 1)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!((id[i] >= '0' && id[i] <= '9') || (id[i] >= 'a' && id[i] <= 'f')))
			return 0;
	return 1;
}

static int folder(const char *state_dir, const char *consultant, char *buf, size_t size)
{
	if (!visit_consultant_id_ok(consultant))
		return error("not a consultant id");
	return util_fmt(buf, size, "%s/drafts/%s", state_dir, consultant);
}

static int draft_path(const char *state_dir, const char *consultant, const char *id, char *buf,
		      size_t size)
{
	char dir[4200];

	if (!valid_id(id))
		return error("not a draft id");
	if (folder(state_dir, consultant, dir, sizeof(dir)) < 0)
		return -1;
	return util_fmt(buf, size, "%s/%s.draft", dir, id);
}

/* The associated data: the file's head (magic, start time, nonce), consultant, draft id. */
static size_t make_ad(unsigned char *ad, size_t size, const unsigned char *head,
		      const char *consultant, const char *id)
{
	size_t c = strlen(consultant), d = strlen(id);

	if (HEAD_LEN + c + 1 + d > size)
		return 0;
	memcpy(ad, head, HEAD_LEN);
	memcpy(ad + HEAD_LEN, consultant, c + 1);
	memcpy(ad + HEAD_LEN + c + 1, id, d);
	return HEAD_LEN + c + 1 + d;
}

static void put_be64(unsigned char *p, long long v)
{
	for (int i = 7; i >= 0; i--, v >>= 8)
		p[i] = (unsigned char)(v & 0xff);
}

static long long get_be64(const unsigned char *p)
{
	unsigned long long v = 0;

	for (int i = 0; i < 8; i++)
		v = v << 8 | p[i];
	return (long long)v;
}

int draft_save(const char *state_dir, const char *consultant, const unsigned char key[32],
	       const char *id, long long started, const json_t *doc)
{
	char path[4200], dir[4200], *plain;
	unsigned char ad[HEAD_LEN + 80], *buf;
	size_t plen, adlen, total;
	int rc;

	if (sodium_init() < 0 || draft_path(state_dir, consultant, id, path, sizeof(path)) < 0 ||
	    folder(state_dir, consultant, dir, sizeof(dir)) < 0 || util_mkdirs(dir, 0700) < 0)
		return -1;
	plain = json_dumps(doc, JSON_COMPACT);
	if (!plain)
		return error("out of memory sealing a draft");
	plen = strlen(plain);
	total = HEAD_LEN + plen + crypto_aead_xchacha20poly1305_ietf_ABYTES;
	buf = total <= DRAFT_FILE_MAX ? malloc(total) : NULL;
	if (!buf) {
		util_clear_free(plain);
		return error("draft too large or out of memory");
	}
	memcpy(buf, MAGIC, MAGIC_LEN);
	put_be64(buf + MAGIC_LEN, started);
	randombytes_buf(buf + MAGIC_LEN + 8, NONCE_LEN);
	adlen = make_ad(ad, sizeof(ad), buf, consultant, id);
	crypto_aead_xchacha20poly1305_ietf_encrypt(buf + HEAD_LEN, NULL, (unsigned char *)plain,
						   plen, ad, adlen, NULL, buf + MAGIC_LEN + 8, key);
	util_clear_free(plain);
	rc = util_write_file(path, buf, total, 0600);
	free(buf);
	return rc;
}

/* Moves a draft that does not open to the aside folder, under a name not yet taken. */
static void put_aside(const char *state_dir, const char *consultant, const char *id,
		      const char *path)
{
	char dir[4200], dest[4400];

	if (folder(state_dir, consultant, dir, sizeof(dir)) < 0 ||
	    util_fmt(dir + strlen(dir), sizeof(dir) - strlen(dir), "/aside") < 0 ||
	    util_mkdirs(dir, 0700) < 0)
		return;
	for (int n = 0; n < 1000; n++) {
		if (util_fmt(dest, sizeof(dest), "%s/%s.%d.draft", dir, id, n) < 0)
			return;
		if (access(dest, F_OK) != 0)
			break;
	}
	if (rename(path, dest) < 0)
		warning("cannot move the refused draft %s aside: %s", id, strerror(errno));
}

/* Opens the bytes of a draft file; 0 with *doc, or DRAFT_TAMPERED. */
static int open_bytes(const unsigned char *buf, size_t len, const char *consultant,
		      const char *id, const unsigned char key[32], json_t **doc, long long *started)
{
	unsigned char ad[HEAD_LEN + 80], *plain;
	unsigned long long plen;
	size_t adlen;
	int rc;

	if (len < HEAD_LEN + crypto_aead_xchacha20poly1305_ietf_ABYTES || memcmp(buf, MAGIC, MAGIC_LEN))
		return DRAFT_TAMPERED;
	adlen = make_ad(ad, sizeof(ad), buf, consultant, id);
	plain = malloc(len);
	if (!plain || !adlen) {
		free(plain);
		return error("out of memory opening a draft");
	}
	rc = crypto_aead_xchacha20poly1305_ietf_decrypt(plain, &plen, NULL, buf + HEAD_LEN,
							len - HEAD_LEN, ad, adlen,
							buf + MAGIC_LEN + 8, key);
	*doc = rc == 0 ? json_loadb((char *)plain, (size_t)plen, 0, NULL) : NULL;
	sodium_memzero(plain, len);
	free(plain);
	if (!*doc || !json_is_object(*doc)) {
		json_decref(*doc);
		*doc = NULL;
		return DRAFT_TAMPERED;
	}
	if (started)
		*started = get_be64(buf + MAGIC_LEN);
	return DRAFT_OK;
}

int draft_load(const char *state_dir, const char *consultant, const unsigned char key[32],
	       const char *id, json_t **doc, long long *started)
{
	char path[4200], *buf;
	size_t len;
	int rc;

	*doc = NULL;
	if (sodium_init() < 0 || draft_path(state_dir, consultant, id, path, sizeof(path)) < 0)
		return -1;
	if (access(path, F_OK) != 0)
		return DRAFT_MISSING;
	if (util_read_file(path, DRAFT_FILE_MAX, &buf, &len) < 0)
		return -1;
	rc = open_bytes((unsigned char *)buf, len, consultant, id, key, doc, started);
	free(buf);
	if (rc == DRAFT_TAMPERED) {
		error("draft %s of %s does not open with this key: it was changed or damaged; "
		      "kept aside in drafts/%s/aside/ for ICT", id, consultant, consultant);
		put_aside(state_dir, consultant, id, path);
	}
	return rc;
}

int draft_erase_file(const char *path)
{
	struct stat st;
	char zero[4096] = { 0 };
	int fd = open(path, O_WRONLY | O_CLOEXEC);

	if (fd < 0)
		return errno == ENOENT ? 0 : error("cannot erase %s: %s", path, strerror(errno));
	if (fstat(fd, &st) == 0)
		for (off_t off = 0; off < st.st_size; off += (off_t)sizeof(zero))
			if (write(fd, zero, sizeof(zero)) < 0)
				break;
	fsync(fd);
	close(fd);
	return unlink(path) < 0 && errno != ENOENT ? error("cannot remove %s", path) : 0;
}

int draft_erase(const char *state_dir, const char *consultant, const char *id)
{
	char path[4200];

	if (draft_path(state_dir, consultant, id, path, sizeof(path)) < 0)
		return -1;
	return draft_erase_file(path);
}

int draft_each_file(const char *dir, const char *ext,
		    int (*fn)(const char *dir, const char *id, void *arg), void *arg)
{
	char id[DRAFT_ID_MAX], tmp[4400], stale[16];
	size_t el = strlen(ext);
	struct dirent *e;
	DIR *d;
	int n = 0;

	if (util_fmt(stale, sizeof(stale), "%s.tmp.", ext) < 0)
		return -1;
	if (!(d = opendir(dir)))
		return errno == ENOENT ? 0 : error("cannot read %s: %s", dir, strerror(errno));
	while ((e = readdir(d))) {
		size_t len = strlen(e->d_name);
		if (strstr(e->d_name, stale) && util_fmt(tmp, sizeof(tmp), "%s/%s", dir, e->d_name) >= 0) {
			draft_erase_file(tmp);
			continue;
		}
		if (len != DRAFT_ID_MAX - 1 + el || strcmp(e->d_name + DRAFT_ID_MAX - 1, ext))
			continue;
		memcpy(id, e->d_name, DRAFT_ID_MAX - 1);
		id[DRAFT_ID_MAX - 1] = '\0';
		if (valid_id(id) && fn(dir, id, arg) == 0)
			n++;
	}
	closedir(d);
	return n;
}

/* Calls fn for each draft id of consultant (ids only, no key needed). */
static int each_draft(const char *state_dir, const char *consultant,
		      int (*fn)(const char *dir, const char *id, void *arg), void *arg)
{
	char dir[4200];

	if (folder(state_dir, consultant, dir, sizeof(dir)) < 0)
		return -1;
	return draft_each_file(dir, ".draft", fn, arg);
}

/* The start time in the clear head of a draft file; -1 when unreadable. */
static long long started_of(const char *dir, const char *id)
{
	char path[4400];
	unsigned char head[MAGIC_LEN + 8];
	int fd;
	ssize_t r;

	if (util_fmt(path, sizeof(path), "%s/%s.draft", dir, id) < 0 ||
	    (fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return -1;
	r = read(fd, head, sizeof(head));
	close(fd);
	return r == (ssize_t)sizeof(head) && !memcmp(head, MAGIC, MAGIC_LEN) ? get_be64(head + MAGIC_LEN) : -1;
}

struct expire_ctx { long long cutoff; };

static int expire_one(const char *dir, const char *id, void *arg)
{
	struct expire_ctx *x = arg;
	long long s = started_of(dir, id);
	char path[4400];

	if (s < 0 || s > x->cutoff || util_fmt(path, sizeof(path), "%s/%s.draft", dir, id) < 0)
		return 1;
	return draft_erase_file(path) == 0 ? 0 : 1;
}

int draft_expire(const char *state_dir, const char *consultant, int days, long long now)
{
	struct expire_ctx x = { now - (long long)days * 86400 };

	return days > 0 ? each_draft(state_dir, consultant, expire_one, &x) : 0;
}

struct list_ctx {
	const char *state_dir, *consultant;
	const unsigned char *key;
	int days, max, n, tampered;
	long long now;
	struct draft_info *out;
};

/* 1 when the answers hold a crisis: anything but ["none"] (also "unknown"). */
static int doc_crisis(const json_t *answers)
{
	const json_t *c = json_object_get(answers, "crisis"), *e;
	size_t i;

	if (json_is_string(c))
		return strcmp(json_string_value(c), "none") != 0;
	json_array_foreach(c, i, e)
		if (json_is_string(e) && strcmp(json_string_value(e), "none"))
			return 1;
	return 0;
}

static int list_one(const char *dir, const char *id, void *arg)
{
	struct list_ctx *l = arg;
	struct draft_info *d;
	json_t *doc, *answers;
	long long started;
	int rc;

	(void)dir;
	if (l->n >= l->max)
		return 1;
	rc = draft_load(l->state_dir, l->consultant, l->key, id, &doc, &started);
	if (rc != DRAFT_OK) {
		l->tampered += rc == DRAFT_TAMPERED;
		return 1;
	}
	d = &l->out[l->n++];
	memset(d, 0, sizeof(*d));
	snprintf(d->id, sizeof(d->id), "%s", id);
	d->started = started;
	answers = json_object_get(doc, "answers");
	d->crisis = doc_crisis(answers);
	d->days_left = l->days - (int)((l->now - started) / 86400);
	snprintf(d->name, sizeof(d->name), "%s",
		 json_string_value(json_object_get(answers, "name")) ? json_string_value(json_object_get(answers, "name")) : "");
	snprintf(d->follows, sizeof(d->follows), "%s",
		 json_string_value(json_object_get(doc, "follows")) ? json_string_value(json_object_get(doc, "follows")) : "");
	json_decref(doc);
	return 0;
}

static int newest_first(const void *a, const void *b)
{
	const struct draft_info *x = a, *y = b;

	return x->started < y->started ? 1 : x->started > y->started ? -1 : strcmp(x->id, y->id);
}

int draft_list(const char *state_dir, const char *consultant, const unsigned char key[32],
	       int draft_days, struct draft_info *out, int max, int *tampered)
{
	struct list_ctx l = { state_dir, consultant, key, draft_days, max, 0, 0,
			      (long long)time(NULL), out };

	if (each_draft(state_dir, consultant, list_one, &l) < 0)
		return -1;
	qsort(out, (size_t)l.n, sizeof(*out), newest_first);
	if (tampered)
		*tampered = l.tampered;
	return l.n;
}

static int remove_one(const char *dir, const char *id, void *arg)
{
	char path[4400];

	(void)arg;
	return util_fmt(path, sizeof(path), "%s/%s.draft", dir, id) < 0 ? 1 : draft_erase_file(path);
}

int draft_erase_folder(const char *dir)
{
	char path[4400];
	struct dirent *e;
	DIR *d = opendir(dir);

	if (!d)
		return errno == ENOENT ? 0 : error("cannot read %s", dir);
	while ((e = readdir(d)))
		if (e->d_name[0] != '.' && util_fmt(path, sizeof(path), "%s/%s", dir, e->d_name) >= 0)
			draft_erase_file(path);
	closedir(d);
	return rmdir(dir) < 0 && errno != ENOENT ? error("cannot remove %s", dir) : 0;
}

int draft_remove_all(const char *state_dir, const char *consultant)
{
	char dir[4200], aside[4400];

	if (folder(state_dir, consultant, dir, sizeof(dir)) < 0 ||
	    each_draft(state_dir, consultant, remove_one, NULL) < 0 ||
	    util_fmt(aside, sizeof(aside), "%s/aside", dir) < 0 || draft_erase_folder(aside) < 0)
		return -1;
	return draft_erase_folder(dir);
}


int draft_aside_count(const char *state_dir, const char *consultant)
{
	char dir[4200], path[4400];
	struct dirent *e;
	DIR *d;
	int n = 0;

	if (folder(state_dir, consultant, dir, sizeof(dir)) < 0 ||
	    util_fmt(path, sizeof(path), "%s/aside", dir) < 0 || !(d = opendir(path)))
		return 0;
	while ((e = readdir(d)))
		n += e->d_name[0] != '.';
	closedir(d);
	return n;
}
