/*
 * qr.c — the receipt's QR code through libqrencode: ECC level M (15 % of the code may be
 * smudged or covered), 8-bit mode so any reference text is carried byte for byte.
 */
#include "app/qr.h"
#include "app/util.h"

#include <qrencode.h>
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
