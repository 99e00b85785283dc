/*
 * test_qr.c — the receipt's QR code: references are encoded, drawn as a PGM (8 pixels a
 * module, a quiet zone of 4 modules) and decoded back with zbarimg (zbar-tools) to the same
 * text; a code with a smashed finder pattern no longer decodes to it; empty and oversized
 * texts are refused cleanly. Scratch files go to $TEST_SCRATCH.
 * `test_qr --pgm TEXT FILE` writes TEXT's code one pixel a module, no quiet zone, for
 * t4704 to compare with the receipt on screen (which must not be mirrored in Arabic).
 */
#include "app/media/qr.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SCALE 8
#define QUIET 4

static const char *scratch(void)
{
	const char *d = getenv("TEST_SCRATCH");
	return d && *d ? d : "/tmp";
}

/* Writes q as a binary PGM: black modules on white, SCALE px each, QUIET modules around. */
static void write_pgm(const struct qr *q, const char *path)
{
	int side = (q->size + 2 * QUIET) * SCALE;
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	fprintf(f, "P5\n%d %d\n255\n", side, side);
	for (int y = 0; y < side; y++)
		for (int x = 0; x < side; x++) {
			int mx = x / SCALE - QUIET, my = y / SCALE - QUIET;
			int dark = mx >= 0 && my >= 0 && mx < q->size && my < q->size &&
			           q->modules[my * q->size + mx];
			fputc(dark ? 0 : 255, f);
		}
	assert_int_equal(fclose(f), 0);
}

/* Runs zbarimg on path; returns what it decoded (static buffer, "" for nothing). */
static const char *zbar(const char *path)
{
	static char out[1024];
	char cmd[1200];
	snprintf(cmd, sizeof cmd, "zbarimg -q --raw '%s' 2>/dev/null", path);
	FILE *p = popen(cmd, "r");
	assert_non_null(p);
	size_t n = fread(out, 1, sizeof out - 1, p);
	out[n] = '\0';
	pclose(p);
	while (n > 0 && (out[n - 1] == '\n' || out[n - 1] == '\r'))
		out[--n] = '\0';
	return out;
}

static void test_roundtrip(void **state)
{
	const char *refs[] = { "K7QM-3XPA", "INL-2026-000042-7F3A", "ab12-cd34-ef56",
	                       "Ref 9: 30/04/2026" };
	char path[512];
	(void)state;
	snprintf(path, sizeof path, "%s/qr.pgm", scratch());
	for (size_t i = 0; i < sizeof refs / sizeof refs[0]; i++) {
		struct qr q;
		assert_int_equal(qr_make(refs[i], &q), 0);
		assert_true(q.size >= 21 && (q.size - 21) % 4 == 0);
		/* The top-left finder pattern: a dark 7x7 ring around a dark 3x3 core. */
		assert_int_equal(q.modules[0], 1);
		assert_int_equal(q.modules[1 * q.size + 1], 0);
		assert_int_equal(q.modules[3 * q.size + 3], 1);
		write_pgm(&q, path);
		assert_string_equal(zbar(path), refs[i]);
		qr_free(&q);
		assert_null(q.modules);
		assert_int_equal(q.size, 0);
	}
}

/* Negative twin: invert the three finder patterns and the code no longer reads. */
static void test_broken_finder(void **state)
{
	char path[512];
	struct qr q;
	(void)state;
	snprintf(path, sizeof path, "%s/broken.pgm", scratch());
	assert_int_equal(qr_make("K7QM-3XPA", &q), 0);
	int n = q.size;
	for (int y = 0; y < 7; y++)
		for (int x = 0; x < 7; x++) {
			q.modules[y * n + x] ^= 1;
			q.modules[y * n + (n - 7 + x)] ^= 1;
			q.modules[(n - 7 + y) * n + x] ^= 1;
		}
	write_pgm(&q, path);
	assert_string_not_equal(zbar(path), "K7QM-3XPA");
	qr_free(&q);
}

static void test_refused(void **state)
{
	struct qr q = { 99, (unsigned char *)&q };
	char big[QR_MAX_TEXT + 2];
	(void)state;
	assert_int_equal(qr_make("", &q), -1);
	assert_int_equal(q.size, 0);
	assert_null(q.modules);
	assert_int_equal(qr_make(NULL, &q), -1);
	memset(big, 'A', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	assert_int_equal(qr_make(big, &q), -1);
	assert_null(q.modules);
	big[QR_MAX_TEXT] = '\0';                   /* exactly the limit still encodes */
	assert_int_equal(qr_make(big, &q), 0);
	qr_free(&q);
	qr_free(&q);                               /* twice is fine */
	qr_free(NULL);
}

/* The receipt's QR text: reference, date and time, phone; it encodes and reads back. */
static void test_receipt_text(void **state)
{
	char buf[QR_MAX_TEXT + 1], path[512];
	struct qr q;
	(void)state;
	assert_int_equal(qr_receipt_text("K7QF-2M9D", "2026-04-30T10:12:33+02:00", "0800-1234567",
					 buf, sizeof buf), 0);
	assert_string_equal(buf, "Aanmelding schuldhulp\nReferentie: K7QF-2M9D\n"
				 "Aangemeld: 30-04-2026 10:12\nTelefoon schuldhulp: 0800-1234567");
	snprintf(path, sizeof path, "%s/receipt.pgm", scratch());
	assert_int_equal(qr_make(buf, &q), 0);
	write_pgm(&q, path);
	assert_string_equal(zbar(path), buf);
	qr_free(&q);
	/* no phone configured: no phone line */
	assert_int_equal(qr_receipt_text("K7QF-2M9D", "2026-04-30T10:12:33+02:00", "", buf, sizeof buf), 0);
	assert_null(strstr(buf, "Telefoon"));
}

/* Negative twins: a malformed reference or time, or no room, gives -1 and "". */
static void test_receipt_text_refused(void **state)
{
	char buf[QR_MAX_TEXT + 1], small[40];
	(void)state;
	assert_int_equal(qr_receipt_text("k7qf 2m9d\nX", "2026-04-30T10:12:33+02:00", "", buf, sizeof buf), -1);
	assert_string_equal(buf, "");
	assert_int_equal(qr_receipt_text("", "2026-04-30T10:12:33+02:00", "", buf, sizeof buf), -1);
	assert_int_equal(qr_receipt_text("K7QF-2M9D", "30 april", "", buf, sizeof buf), -1);
	assert_string_equal(buf, "");
	assert_int_equal(qr_receipt_text("K7QF-2M9D", NULL, "", buf, sizeof buf), -1);
	assert_int_equal(qr_receipt_text("K7QF-2M9D", "2026-04-30T10:12:33+02:00", "0800", small, sizeof small), -1);
	assert_string_equal(small, "");
}

/* The helper mode: TEXT's modules as a PGM, 1 px each, no quiet zone. */
static int write_plain(const char *text, const char *path)
{
	struct qr q;
	if (qr_make(text, &q) < 0)
		return 1;
	FILE *f = fopen(path, "wb");
	if (!f)
		return 1;
	fprintf(f, "P5\n%d %d\n255\n", q.size, q.size);
	for (int i = 0; i < q.size * q.size; i++)
		fputc(q.modules[i] ? 0 : 255, f);
	qr_free(&q);
	return fclose(f) != 0;
}

int main(int argc, char **argv)
{
	if (argc == 4 && strcmp(argv[1], "--pgm") == 0)
		return write_plain(argv[2], argv[3]);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_roundtrip),
		cmocka_unit_test(test_broken_finder),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_receipt_text),
		cmocka_unit_test(test_receipt_text_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
