/*
 * util.h — small shared helpers: error reporting, bounded file I/O, wiping secrets.
 * Used by app/, sync/ and the tools. Nothing here ever prints personal data: callers pass
 * only ids, paths and reasons.
 */
#ifndef INLOOP_UTIL_H
#define INLOOP_UTIL_H

#include <jansson.h>
#include <stddef.h>

/* Prints "inloop: error: <message>" to stderr and returns -1 (git's error()). */
int error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Prints "inloop: warning: <message>" to stderr. */
void warning(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Prints one log line "<who>: <message>" to stderr, formatted first so that threads'
 * lines never interleave (servers: ids and codes only, never content). */
void util_log(const char *who, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Overwrites n bytes at p with zeros in a way the compiler cannot drop. */
void util_cleanse(void *p, size_t n);

/* Frees p after wiping its whole allocation (malloc_usable_size). free(NULL) safe. */
void util_clear_free(void *p);

/*
 * Makes jansson wipe every allocation before freeing it, so answers held in json_t
 * values never linger in freed heap memory. Call once at start, before any json_t exists.
 */
void util_json_wipe_on_free(void);

/*
 * Reads a whole file of at most max bytes into a NUL-terminated buffer. On success
 * *out (caller frees with util_clear_free or free) and *len are set and 0 is returned;
 * a larger file is an error, never silently truncated.
 */
int util_read_file(const char *path, size_t max, char **out, size_t *len);

/*
 * The one way to read a JSON file: at most max bytes, UTF-8, duplicate keys refused. Returns
 * the value (caller frees with json_decref) or NULL after an error "PATH:LINE:COL: reason"
 * whose reason names the kind of fault, never the text near it (a file of answers holds
 * personal data). The file's bytes are wiped before they are freed.
 */
json_t *util_json_load_file(const char *path, size_t max);

/*
 * Writes buf to path atomically and durably: temp file in the same folder, fsync,
 * rename, fsync of the folder. mode is the file mode (0600 for keys).
 */
int util_write_file(const char *path, const void *buf, size_t len, int mode);

/* Creates a directory (and parents) with the given mode; existing is fine. */
int util_mkdirs(const char *path, int mode);

/* snprintf into a fixed buffer; returns -1 (and an error()) when it would not fit. */
int util_fmt(char *buf, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Splits a --listen "HOST:PORT" (at the last colon) in place: *host points into spec, the
 * port is 0..65535 (0 picks a free one). -1 with error() when it is not that. */
int util_listen_spec(char *spec, const char **host, int *port);

#endif
