/*
 * html.c — escaping and the page printf (html.h).
 */
#include "sync/office/html.h"

#include <event2/buffer.h>
#include <stdarg.h>
#include <string.h>

void html_esc(struct evbuffer *out, const char *s)
{
	const char *run = s;

	if (!s)
		return;
	for (; *s; s++) {
		const char *rep = NULL;
		switch (*s) {
		case '&': rep = "&amp;"; break;
		case '<': rep = "&lt;"; break;
		case '>': rep = "&gt;"; break;
		case '"': rep = "&quot;"; break;
		case '\'': rep = "&#39;"; break;
		default: continue;
		}
		evbuffer_add(out, run, (size_t)(s - run));
		evbuffer_add(out, rep, strlen(rep));
		run = s + 1;
	}
	evbuffer_add(out, run, (size_t)(s - run));
}

void html_printf(struct evbuffer *out, const char *fmt, ...)
{
	const char *run = fmt;
	va_list ap;

	va_start(ap, fmt);
	for (; *fmt; fmt++) {
		if (*fmt != '%')
			continue;
		evbuffer_add(out, run, (size_t)(fmt - run));
		switch (*++fmt) {
		case 's': html_esc(out, va_arg(ap, const char *)); break;
		case 'r': {
			const char *r = va_arg(ap, const char *);
			if (r)
				evbuffer_add(out, r, strlen(r));
			break;
		}
		case 'd': evbuffer_add_printf(out, "%d", va_arg(ap, int)); break;
		case 'L': evbuffer_add_printf(out, "%lld", va_arg(ap, long long)); break;
		case '%': evbuffer_add(out, "%", 1); break;
		case '\0': fmt--; evbuffer_add(out, "?", 1); break;
		default: evbuffer_add(out, "?", 1); break;
		}
		run = fmt + 1;
	}
	evbuffer_add(out, run, (size_t)(fmt - run));
	va_end(ap);
}

/* Length of the UTF-8 sequence starting with byte c (0 when c cannot start one). */
static int seq_len(unsigned char c)
{
	if (c < 0x80)
		return 1;
	if (c >= 0xC2 && c <= 0xDF)
		return 2;
	if (c >= 0xE0 && c <= 0xEF)
		return 3;
	if (c >= 0xF0 && c <= 0xF4)
		return 4;
	return 0;
}

int html_text_ok(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s, *end = p + len;

	while (p < end) {
		int n = seq_len(*p);
		unsigned cp;
		if (n == 0 || p + n > end)
			return 0;
		if (n == 1) {
			if (*p < 0x20 && *p != '\t' && *p != '\r' && *p != '\n')
				return 0;
			p++;
			continue;
		}
		cp = *p & (0xFF >> (n + 1));
		for (int i = 1; i < n; i++) {
			if ((p[i] & 0xC0) != 0x80)
				return 0;
			cp = (cp << 6) | (p[i] & 0x3F);
		}
		if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
		    (cp >= 0xD800 && cp <= 0xDFFF))
			return 0;
		p += n;
	}
	return 1;
}
