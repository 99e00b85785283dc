/*
 * util.c — error reporting, bounded and durable file I/O, wiping secrets.
 */
#include "platform/util.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <libgen.h>
#include <malloc.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs("inloop: error: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	return -1;
}

void warning(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs("inloop: warning: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}

void util_log(const char *who, const char *fmt, ...)
{
	char line[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	fprintf(stderr, "%s: %s\n", who, line);
}

void util_cleanse(void *p, size_t n)
{
	if (p && n)
		explicit_bzero(p, n);
}

void util_clear_free(void *p)
{
	if (!p)
		return;
	explicit_bzero(p, malloc_usable_size(p));
	free(p);
}

void util_json_wipe_on_free(void)
{
	json_set_alloc_funcs(malloc, util_clear_free);
}

int util_read_file(const char *path, size_t max, char **out, size_t *len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat st;
	char *buf = NULL;
	size_t got = 0;

	if (fd < 0)
		return error("cannot open %s: %s", path, strerror(errno));
	if (fstat(fd, &st) < 0 || (size_t)st.st_size > max) {
		close(fd);
		return error("%s is larger than %zu bytes", path, max);
	}
	buf = malloc((size_t)st.st_size + 1);
	if (!buf) {
		close(fd);
		return error("out of memory reading %s", path);
	}
	while (got < (size_t)st.st_size) {
		ssize_t n = read(fd, buf + got, (size_t)st.st_size - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			close(fd);
			util_clear_free(buf);
			return error("cannot read %s: %s", path, n ? strerror(errno) : "short read");
		}
		got += (size_t)n;
	}
	close(fd);
	buf[got] = '\0';
	*out = buf;
	*len = got;
	return 0;
}

/* jansson's reason without the token it quotes ("'}' expected near 'Jan'" -> "'}' expected"):
 * the kind of fault stays, the file's text never reaches a message. */
static void json_fault(const json_error_t *e, char *out, size_t size)
{
	const char *near = strstr(e->text, " near ");

	snprintf(out, size, "%.*s", near ? (int)(near - e->text) : (int)strlen(e->text), e->text);
	if (!out[0] || (near && near == e->text))
		snprintf(out, size, "not valid JSON");
}

json_t *util_json_load_file(const char *path, size_t max)
{
	json_error_t jerr;
	char *text = NULL, why[JSON_ERROR_TEXT_LENGTH];
	size_t len = 0;
	json_t *v;

	if (util_read_file(path, max, &text, &len) < 0)
		return NULL;
	v = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
	util_clear_free(text);
	if (!v) {
		json_fault(&jerr, why, sizeof(why));
		error("%s:%d:%d: %s", path, jerr.line, jerr.column, why);
		util_cleanse(&jerr, sizeof(jerr));
	}
	return v;
}

static int fsync_dir_of(const char *path)
{
	char copy[4096];
	int fd, rc;

	if (util_fmt(copy, sizeof(copy), "%s", path) < 0)
		return -1;
	fd = open(dirname(copy), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return error("cannot open folder of %s: %s", path, strerror(errno));
	rc = fsync(fd);
	close(fd);
	return rc < 0 ? error("fsync of folder of %s: %s", path, strerror(errno)) : 0;
}

int util_write_file(const char *path, const void *buf, size_t len, int mode)
{
	char tmp[4096];
	const char *p = buf;
	int fd;

	if (util_fmt(tmp, sizeof(tmp), "%s.tmp.%ld", path, (long)getpid()) < 0)
		return -1;
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
	if (fd < 0)
		return error("cannot create %s: %s", tmp, strerror(errno));
	if (fchmod(fd, (mode_t)mode) < 0)
		goto fail;
	while (len) {
		ssize_t n = write(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			goto fail;
		p += n;
		len -= (size_t)n;
	}
	if (fsync(fd) < 0)
		goto fail;
	if (close(fd) < 0) {
		fd = -1;
		goto fail;
	}
	if (rename(tmp, path) < 0) {
		unlink(tmp);
		return error("cannot rename %s: %s", tmp, strerror(errno));
	}
	return fsync_dir_of(path);
fail:
	error("cannot write %s: %s", path, strerror(errno));
	if (fd >= 0)
		close(fd);
	unlink(tmp);
	return -1;
}

int util_mkdirs(const char *path, int mode)
{
	char buf[4096];
	char *p;

	if (util_fmt(buf, sizeof(buf), "%s", path) < 0)
		return -1;
	for (p = buf + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(buf, (mode_t)mode) < 0 && errno != EEXIST)
			return error("cannot create folder %s: %s", buf, strerror(errno));
		*p = '/';
	}
	if (mkdir(buf, (mode_t)mode) < 0 && errno != EEXIST)
		return error("cannot create folder %s: %s", buf, strerror(errno));
	return 0;
}

int util_fmt(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= size)
		return error("text too long for its buffer (%d bytes, room for %zu)", n, size);
	return n;
}

int util_listen_spec(char *spec, const char **host, int *port)
{
	char *colon = strrchr(spec, ':'), *end;
	long n;

	if (!colon || colon == spec)
		return error("--listen wants HOST:PORT, not %s", spec);
	n = strtol(colon + 1, &end, 10);
	if (*end || end == colon + 1 || n < 0 || n > 65535)
		return error("--listen: bad port in %s", spec);
	*colon = '\0';
	*host = spec;
	*port = (int)n;
	return 0;
}
