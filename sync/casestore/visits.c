/*
 * visits.c — the visit spool and the consultant registry as files (visits.h). The case
 * store reads them on its event loop: a registry entry is a few hundred bytes and a visit
 * a few kilobytes, so a direct read is cheaper than handing them to a thread.
 */
#include "sync/casestore/visits.h"
#include "sync/record/wire.h"
#include "platform/util.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <openssl/evp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define REGISTRY_MAX 4096        /* bytes of one registry entry, at most */
#define SPOOL_NAME_MAX (VISITS_VISIT_ID_LEN + 7)   /* "HEX32.cms" or "HEX32.recall" */

int visits_visit_id_ok(const char *s)
{
	return s && strlen(s) == VISITS_VISIT_ID_LEN && strspn(s, "0123456789abcdef") == VISITS_VISIT_ID_LEN;
}

/* 1 when a spool file's name is a recall's (VISITID.recall), else a visit's. */
static int is_recall(const char *name)
{
	return strlen(name) > VISITS_VISIT_ID_LEN && !strcmp(name + VISITS_VISIT_ID_LEN, ".recall");
}

/* A spool file's name: VISITID.cms or VISITID.recall exactly (temp files of
 * util_write_file end otherwise). */
static int spool_name_ok(const char *name)
{
	char id[VISITS_VISIT_ID_LEN + 1];

	if (strlen(name) <= VISITS_VISIT_ID_LEN ||
	    (strcmp(name + VISITS_VISIT_ID_LEN, ".cms") != 0 && !is_recall(name)))
		return 0;
	memcpy(id, name, VISITS_VISIT_ID_LEN);
	id[VISITS_VISIT_ID_LEN] = '\0';
	return visits_visit_id_ok(id);
}

/* ------------------------------------------------------------------ the registry */

/* Judges a loaded registry entry of id for device (NULL: any). */
static enum visits_who judge_entry(const json_t *e, const char *id, const char *device)
{
	const char *eid = json_string_value(json_object_get(e, "id"));
	const char *dev = json_string_value(json_object_get(e, "device"));
	const char *state = json_string_value(json_object_get(e, "state"));

	if (!eid || strcmp(eid, id) != 0 || !dev || !state ||
	    (strcmp(state, "active") != 0 && strcmp(state, "disabled") != 0)) {
		error("the consultant registry entry of %s is not one the case store accepts"
		      " (id, device, state \"active\" or \"disabled\")", id);
		return VISITS_BROKEN;
	}
	if (device && strcmp(dev, device) != 0)
		return VISITS_UNKNOWN;
	return !strcmp(state, "active") ? VISITS_ACTIVE : VISITS_DISABLED;
}

enum visits_who visits_consultant(const char *cs_dir, const char *id, const char *device)
{
	char path[4096];
	struct stat st;
	enum visits_who who;
	json_t *e;

	if (!visit_consultant_id_ok(id) || util_fmt(path, sizeof(path), "%s/consultants/%s.json", cs_dir, id) < 0)
		return VISITS_UNKNOWN;
	if (lstat(path, &st) < 0)
		return errno == ENOENT ? VISITS_UNKNOWN : (error("%s: %s", path, strerror(errno)), VISITS_BROKEN);
	if (!S_ISREG(st.st_mode))
		return error("%s is not a regular file", path), VISITS_BROKEN;
	if (!(e = util_json_load_file(path, REGISTRY_MAX)))
		return VISITS_BROKEN;
	who = json_is_object(e) ? judge_entry(e, id, device) :
	      (error("%s: not a JSON object", path), VISITS_BROKEN);
	json_decref(e);
	return who;
}

/* ------------------------------------------------------------------ the spool */

struct spool_file {
	char name[SPOOL_NAME_MAX + 1];
	struct timespec mtime;
};

static int older_first(const void *a, const void *b)
{
	const struct spool_file *x = a, *y = b;

	if (x->mtime.tv_sec != y->mtime.tv_sec)
		return x->mtime.tv_sec < y->mtime.tv_sec ? -1 : 1;
	if (x->mtime.tv_nsec != y->mtime.tv_nsec)
		return x->mtime.tv_nsec < y->mtime.tv_nsec ? -1 : 1;
	return strcmp(x->name, y->name);
}

/* The spool folder of id, opened (no symlink); -1 when absent (errno ENOENT) or on error. */
static int open_spool(const char *cs_dir, const char *id)
{
	char path[4096];

	if (!visit_consultant_id_ok(id) || util_fmt(path, sizeof(path), "%s/visits/%s", cs_dir, id) < 0) {
		errno = EINVAL;
		return -1;
	}
	return open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
}

/* The spool's visit files (regular, well named), the oldest first; caller frees *out.
 * The number found, or -1 with an error. */
static int list_spool(int dfd, struct spool_file **out)
{
	struct spool_file *v = NULL, *p;
	size_t n = 0, cap = 0;
	struct dirent *e;
	struct stat st;
	DIR *d = fdopendir(dup(dfd));

	*out = NULL;
	if (!d)
		return error("cannot read the visit spool: %s", strerror(errno));
	while ((e = readdir(d)) != NULL) {
		if (!spool_name_ok(e->d_name) || fstatat(dfd, e->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0 ||
		    !S_ISREG(st.st_mode))
			continue;
		if (n == cap) {
			if (!(p = realloc(v, (cap = cap ? cap * 2 : 16) * sizeof(*v)))) {
				closedir(d);
				free(v);
				return error("out of memory");
			}
			v = p;
		}
		snprintf(v[n].name, sizeof(v[n].name), "%s", e->d_name);
		v[n++].mtime = st.st_mtim;
	}
	closedir(d);
	if (n)
		qsort(v, n, sizeof(*v), older_first);
	*out = v;
	return (int)n;
}

/* Reads the spool file name below dfd (regular, at most VISITS_MAX_FILE) into *der
 * (caller frees). 0 ok, 1 skipped (gone meanwhile, or too large: logged), -1 error. */
static int read_spool_file(int dfd, const char *name, unsigned char **der, size_t *len)
{
	int fd = openat(dfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	unsigned char *buf;
	struct stat st;
	size_t got = 0;

	*der = NULL;
	if (fd < 0)
		return errno == ENOENT ? 1 : error("cannot open visit %s: %s", name, strerror(errno));
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_size <= 0 || st.st_size > VISITS_MAX_FILE) {
		close(fd);
		return warning("visit %s skipped: not a regular file of 1..%d bytes", name, VISITS_MAX_FILE), 1;
	}
	if (!(buf = malloc((size_t)st.st_size))) {
		close(fd);
		return error("out of memory");
	}
	while (got < (size_t)st.st_size) {
		ssize_t r = read(fd, buf + got, (size_t)st.st_size - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		got += (size_t)r;
	}
	close(fd);
	if (got != (size_t)st.st_size) {
		free(buf);
		return error("cannot read visit %s", name);
	}
	*der = buf;
	*len = got;
	return 0;
}

/* {"id": the name without ".cms", "envelope": base64 of der} appended to list; a recall
 * also has "kind": "recall" (a hint for the device, which verifies the signature anyway). */
static int add_visit(json_t *list, const char *name, const unsigned char *der, size_t len)
{
	char *b64 = malloc(4 * ((len + 2) / 3) + 1);
	int rc;

	if (!b64)
		return error("out of memory");
	EVP_EncodeBlock((unsigned char *)b64, der, (int)len);
	rc = is_recall(name) ?
	     json_array_append_new(list, json_pack("{s:s%, s:s, s:s}", "id", name, (size_t)VISITS_VISIT_ID_LEN,
						   "kind", "recall", "envelope", b64)) :
	     json_array_append_new(list, json_pack("{s:s%, s:s}", "id", name, (size_t)VISITS_VISIT_ID_LEN,
						   "envelope", b64));
	free(b64);
	return rc < 0 ? error("out of memory") : 0;
}

/* Adds the spool's visits (the oldest first, within the caps) to list; their number or -1. */
static int add_visits(json_t *list, int dfd)
{
	struct spool_file *files = NULL;
	int n = list_spool(dfd, &files), added = 0, rc = 0;
	size_t total = 0;

	for (int i = 0; i < n && added < WIRE_VISITS_MAX; i++) {
		unsigned char *der = NULL;
		size_t len = 0;
		if ((rc = read_spool_file(dfd, files[i].name, &der, &len)) > 0)
			continue;
		if (rc < 0 || total + len > VISITS_MAX_ANSWER) {
			free(der);
			break;   /* the rest comes in the next answer, once these are deleted */
		}
		total += len;
		rc = add_visit(list, files[i].name, der, len);
		free(der);
		if (rc < 0)
			break;
		added++;
	}
	free(files);
	return n < 0 || rc < 0 ? -1 : added;
}

int visits_answer(const char *cs_dir, const char *id, char **json, size_t *len, int *count)
{
	json_t *list = json_array(), *top = NULL;
	int dfd = open_spool(cs_dir, id), n = 0;

	*json = NULL;
	if (dfd < 0 && errno != ENOENT) {
		json_decref(list);
		return error("cannot open the visit spool of %s: %s", id, strerror(errno));
	}
	if (list && dfd >= 0)
		n = add_visits(list, dfd);
	if (dfd >= 0)
		close(dfd);
	if (n >= 0 && list)
		top = json_pack("{s:s, s:o}", "consultant", id, "visits", list);
	else
		json_decref(list);
	if (top)
		*json = json_dumps(top, JSON_COMPACT);
	json_decref(top);
	if (!*json)
		return n < 0 ? -1 : error("out of memory");
	*len = strlen(*json);
	if (count)
		*count = n;
	return 0;
}

int visits_remove(const char *cs_dir, const char *id, const char *visit_id)
{
	char path[4096];

	if (!visit_consultant_id_ok(id) || !visits_visit_id_ok(visit_id))
		return error("not a consultant and visit id");
	for (int recall = 0; recall < 2; recall++) {   /* the visit, or a recall of that id */
		if (util_fmt(path, sizeof(path), "%s/visits/%s/%s%s", cs_dir, id, visit_id,
			     recall ? ".recall" : ".cms") < 0)
			return -1;
		if (unlink(path) < 0 && errno != ENOENT)
			return error("cannot remove visit %s of %s: %s", visit_id, id, strerror(errno));
	}
	return 0;
}

int visits_pending(const char *cs_dir, const char *id, const char *visit_id)
{
	char path[4096];
	struct stat st;

	if (!visit_consultant_id_ok(id) || !visits_visit_id_ok(visit_id) ||
	    util_fmt(path, sizeof(path), "%s/visits/%s/%s.cms", cs_dir, id, visit_id) < 0)
		return -1;
	if (lstat(path, &st) == 0)
		return S_ISREG(st.st_mode);
	return errno == ENOENT ? 0 : -1;
}

/* Writes der as cs_dir/visits/id/visit_id + ext, durably. */
static int write_spool(const char *cs_dir, const char *id, const char *visit_id, const char *ext,
		       const unsigned char *der, size_t len)
{
	char dir[4096], path[4096];

	if (!visit_consultant_id_ok(id) || !visits_visit_id_ok(visit_id))
		return error("not a consultant and visit id");
	if (!len || len > VISITS_MAX_FILE)
		return error("a sealed visit of %zu bytes is not 1..%d", len, VISITS_MAX_FILE);
	if (util_fmt(dir, sizeof(dir), "%s/visits/%s", cs_dir, id) < 0 ||
	    util_fmt(path, sizeof(path), "%s/%s%s", dir, visit_id, ext) < 0)
		return -1;
	if (util_mkdirs(dir, 0750) < 0)
		return -1;
	return util_write_file(path, der, len, 0640);
}

int visits_write(const char *cs_dir, const char *id, const char *visit_id,
		 const unsigned char *der, size_t len)
{
	return write_spool(cs_dir, id, visit_id, ".cms", der, len);
}

int visits_write_recall(const char *cs_dir, const char *id, const char *recall_id,
			const unsigned char *der, size_t len)
{
	return write_spool(cs_dir, id, recall_id, ".recall", der, len);
}

int visits_remove_all(const char *cs_dir, const char *id)
{
	struct spool_file *files = NULL;
	int dfd = open_spool(cs_dir, id), n, removed = 0;

	if (dfd < 0)
		return errno == ENOENT ? 0 : error("cannot open the visit spool of %s: %s", id, strerror(errno));
	n = list_spool(dfd, &files);
	for (int i = 0; i < n; i++)
		if (unlinkat(dfd, files[i].name, 0) == 0)
			removed++;
	free(files);
	close(dfd);
	return n < 0 ? -1 : removed;
}

int visits_count(const char *cs_dir, const char *id)
{
	struct spool_file *files = NULL;
	int dfd = open_spool(cs_dir, id), n;

	if (dfd < 0)
		return errno == ENOENT ? 0 : -1;
	n = list_spool(dfd, &files);
	for (int i = 0, all = n; i < all; i++)
		n -= is_recall(files[i].name);   /* a recall is not a visit waiting */
	free(files);
	close(dfd);
	return n;
}
