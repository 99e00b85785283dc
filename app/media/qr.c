/*
 * qr.c — the receipt's QR code through libqrencode: ECC level M (15 % of the code may be
 * smudged or covered), 8-bit mode so the text is carried byte for byte; and the text it
 * carries (qr_receipt_text).
 */
#include "app/media/qr.h"
#include "platform/util.h"

#include <qrencode.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Encodes text into out (release with qr_free); -1 with a reason, out left empty. */
int qr_make(const char *text, struct qr *out)
{
	out->size = 0;
	out->modules = NULL;
	if (!text || !*text)
		return error("qr: nothing to encode (empty text)");
	size_t len = strlen(text);
	if (len > QR_MAX_TEXT)
		return error("qr: text of %zu bytes is longer than %d", len, QR_MAX_TEXT);
	QRcode *code = QRcode_encodeString8bit(text, 0, QR_ECLEVEL_M);
	if (!code)
		return error("qr: libqrencode could not encode the text");
	size_t n = (size_t)code->width * (size_t)code->width;
	unsigned char *m = malloc(n);
	if (!m) {
		QRcode_free(code);
		return error("qr: out of memory");
	}
	for (size_t i = 0; i < n; i++)
		m[i] = code->data[i] & 1;     /* bit 0 is dark; the others are libqrencode's notes */
	out->size = code->width;
	out->modules = m;
	QRcode_free(code);
	return 0;
}

/* Frees q's modules and empties it; NULL or empty is fine. */
void qr_free(struct qr *q)
{
	if (!q)
		return;
	free(q->modules);
	q->modules = NULL;
	q->size = 0;
}

/* 1 when s is a plausible short reference: A-Z, 0-9 and '-', 1..15 characters. */
static int ref_ok(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n > 15)
		return 0;
	return strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-") == n;
}

/* The receipt's QR text (see qr.h); -1 and "" for a malformed input or no room. */
int qr_receipt_text(const char *ref, const char *created_at, const char *phone, char *buf,
		    size_t size)
{
	int y, mo, d, h, mi, n;

	if (size)
		buf[0] = '\0';
	if (!ref || !ref_ok(ref))
		return error("qr: the reference is not a short code");
	if (!created_at || sscanf(created_at, "%4d-%2d-%2dT%2d:%2d", &y, &mo, &d, &h, &mi) != 5)
		return error("qr: the registration time is not ISO 8601");
	n = snprintf(buf, size, "Aanmelding schuldhulp\nReferentie: %s\nAangemeld: %02d-%02d-%04d %02d:%02d%s%s",
		     ref, d, mo, y, h, mi, phone && *phone ? "\nTelefoon schuldhulp: " : "",
		     phone && *phone ? phone : "");
	if (n < 0 || (size_t)n >= size || n > QR_MAX_TEXT) {
		if (size)
			buf[0] = '\0';
		return error("qr: the receipt text does not fit");
	}
	return 0;
}
