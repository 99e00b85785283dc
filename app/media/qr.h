/*
 * qr.h — the QR code on the receipt (screen and paper): a short plain text (qr_receipt_text:
 * the reference, the registration date and time, the debt-help phone number) turned into
 * a square matrix of modules with libqrencode (ECC level M, 8-bit mode). The renderers
 * draw the matrix themselves (with a quiet zone of 4 modules); nothing here touches SDL.
 */
#ifndef INLOOP_QR_H
#define INLOOP_QR_H

/* Longest text qr_make accepts, in bytes; a longer text is refused, never cut. */
#define QR_MAX_TEXT 256

struct qr {
	int size;                 /* modules per side (21 for version 1, +4 per version) */
	unsigned char *modules;   /* size * size bytes, row by row, 1 = dark, 0 = light */
};

/*
 * Encodes text (NUL-terminated, 1..QR_MAX_TEXT bytes) into out. On success out->modules
 * is allocated (release with qr_free) and 0 is returned; on failure -1 with a reason and
 * out is left empty (size 0, modules NULL).
 */
int qr_make(const char *text, struct qr *out);

/*
 * Writes the text the receipt's QR code carries into buf: plain lines that a phone camera
 * shows as they are, in Dutch whatever the screen's language (it is proof for Dutch
 * offices, e.g. an energy supplier between 1 October and 1 April):
 *   Aanmelding schuldhulp
 *   Referentie: K7QF-2M9D
 *   Aangemeld: 30-04-2026 10:12
 *   Telefoon schuldhulp: 0800-1234567      (only when phone is not empty)
 * created_at is the record's ISO 8601 time ("2026-04-30T10:12:33+02:00"). -1 with a
 * reason when ref or created_at is malformed or the text does not fit (size or
 * QR_MAX_TEXT); buf then holds "".
 */
int qr_receipt_text(const char *ref, const char *created_at, const char *phone, char *buf,
		    size_t size);

/* Frees q's modules and empties it; NULL or an empty qr is fine. q itself is not freed. */
void qr_free(struct qr *q);

#endif
