/*
 * qr.h — the QR code shown on the receipt: a short text (the reference code) turned into
 * a square matrix of modules with libqrencode (ECC level M, 8-bit mode). The renderer
 * draws the matrix itself (with a quiet zone of 4 modules); nothing here touches SDL.
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

/* Frees q's modules and empties it; NULL or an empty qr is fine. q itself is not freed. */
void qr_free(struct qr *q);

#endif
