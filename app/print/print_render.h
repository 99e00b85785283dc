/*
 * print_render.h — the printed receipt as a PDF in memory (helper side, build/inloop-print):
 * cairo for the page, pango for the text (HarfBuzz shaping, Arabic joined and right to
 * left, Noto fonts through fontconfig), the QR code from app/media/qr.h as one filled path. Two
 * papers: an 80 mm roll (the page as long as the receipt) and A4. Nothing touches the disk.
 */
#ifndef INLOOP_PRINT_RENDER_H
#define INLOOP_PRINT_RENDER_H

#include <jansson.h>
#include <stddef.h>

enum print_paper { PAPER_ROLL80 = 1, PAPER_A4 };

#define PRINT_PDF_MAX (4u << 20)   /* a receipt is ~40 kB; more is an error, never cut */

struct print_pdf {
	unsigned char *data;
	size_t len, cap;
	int too_big;               /* the PDF passed PRINT_PDF_MAX */
	double width_mm, height_mm;/* the page */
};

/* "80mm" / "a4" (also "A4", "roll") into *out; -1 for anything else. */
int print_paper_parse(const char *s, enum print_paper *out);

/*
 * Lays out doc (print.h's print_receipt_doc shape; borrowed) on paper and writes the PDF
 * into *out (release with print_pdf_release). -1 with a reason (a block without text, an
 * unknown style, a QR text libqrencode refuses, cairo's error); *out is then empty.
 */
int print_render_pdf(const json_t *doc, enum print_paper paper, struct print_pdf *out);

/* Wipes and frees the PDF (it holds the receipt's personal data); NULL-safe. */
void print_pdf_release(struct print_pdf *b);

#endif
