/*
 * termsafe.c — visible escapes for what must not reach a terminal raw (termsafe.h).
 */
#include "sync/termsafe.h"
#include "app/form_check.h"
#include "app/util.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* Writes n bytes of s escaped; keep_lf leaves LF as it is. */
static void put_n(FILE *f, const char *s, size_t n, int keep_lf)
{
	const unsigned char *u = (const unsigned char *)s;
	unsigned cp;

	for (size_t i = 0, k; i < n; i += k) {
		k = form_utf8_next(u + i, n - i, &cp);
		if (k == 0) {
			fprintf(f, "\\x%02X", u[i]);
			k = 1;
		} else if (keep_lf && cp == '\n') {
			fputc('\n', f);
		} else if (!form_cp_refused(cp)) {
			fwrite(u + i, 1, k, f);
		} else if (cp > 0xFFFF) {
			cp -= 0x10000;
			fprintf(f, "\\u%04X\\u%04X", 0xD800 + (cp >> 10), 0xDC00 + (cp & 0x3FF));
		} else {
			fprintf(f, "\\u%04X", cp);
		}
	}
}

void termsafe_put(FILE *f, const char *s)
{
	put_n(f, s ? s : "", s ? strlen(s) : 0, 0);
}

void termsafe_put_json(FILE *f, const char *json)
{
	put_n(f, json, strlen(json), 1);
}

void termsafe_printf(FILE *f, const char *fmt, ...)
{
	va_list ap;
	char *s = NULL;
	size_t n, lead = 0, trail = 0;
	int len;

	va_start(ap, fmt);
	len = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (len < 0)
		return;
	n = (size_t)len;
	while (lead < n && s[lead] == '\n')
		lead++;
	while (trail < n - lead && s[n - 1 - trail] == '\n')
		trail++;
	fwrite(s, 1, lead, f);
	put_n(f, s + lead, n - lead - trail, 0);
	fwrite(s + n - trail, 1, trail, f);
	util_clear_free(s);
}

char *termsafe_dup(const char *s)
{
	size_t n = s ? strlen(s) : 0, size = 6 * n + 1;   /* the longest escape per input byte */
	char *out = calloc(1, size);
	FILE *m = out ? fmemopen(out, size, "w") : NULL;   /* writes in place: no stray copies */

	if (!m) {
		free(out);
		return NULL;
	}
	setvbuf(m, NULL, _IONBF, 0);
	termsafe_put(m, s);
	fclose(m);
	return out;
}
