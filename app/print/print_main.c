/*
 * print_main.c — build/inloop-print, the short-lived helper that prints one receipt. The
 * kiosk (app/kiosk/print.c) starts it per receipt and writes the receipt's texts on its stdin;
 * it lays the receipt out as a PDF in memory and streams it into a CUPS job, then exits
 * with an enum print_exit. It keeps cairo, pango and libcups (and their ~40 libraries)
 * out of the kiosk process, and sees only the receipt, never the answers.
 *   inloop-print --queue Q [--paper 80mm|a4] [--timeout-ms N] < receipt.json
 *   inloop-print --stdout [--paper 80mm|a4] < receipt.json > receipt.pdf   (make shots)
 *   inloop-print --queue Q --check        (exit code only: does Q exist, run, take jobs?)
 */
#include "app/print/print.h"
#include "app/print/print_cups.h"
#include "app/print/print_render.h"
#include "platform/util.h"
#include "platform/platform.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define DOC_MAX (64 * 1024)

struct args {
	const char *queue, *paper;
	int to_stdout, timeout_ms, check;
};

static int usage(void)
{
	fputs("usage: inloop-print --queue QUEUE [--paper 80mm|a4] [--timeout-ms N] < receipt.json\n"
	      "       inloop-print --stdout [--paper 80mm|a4] < receipt.json > receipt.pdf\n"
	      "       inloop-print --queue QUEUE --check\n", stderr);
	return PRINT_EXIT_USAGE;
}

static int parse_args(int argc, char **argv, struct args *a)
{
	a->timeout_ms = 20000;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--stdout"))
			a->to_stdout = 1;
		else if (!strcmp(argv[i], "--check"))
			a->check = 1;
		else if (i + 1 < argc && !strcmp(argv[i], "--queue"))
			a->queue = argv[++i];
		else if (i + 1 < argc && !strcmp(argv[i], "--paper"))
			a->paper = argv[++i];
		else if (i + 1 < argc && !strcmp(argv[i], "--timeout-ms"))
			a->timeout_ms = atoi(argv[++i]);
		else
			return -1;
	}
	if (!a->to_stdout == !a->queue || a->timeout_ms < 100 || a->timeout_ms > 600000 ||
	    (a->check && !a->queue))
		return -1;
	return 0;
}

/* Reads the receipt from stdin (bounded); new reference or NULL with a reason. */
static json_t *read_doc(void)
{
	char *buf = malloc(DOC_MAX + 1);
	size_t len = 0;
	ssize_t n;
	json_error_t je;
	json_t *doc;

	if (!buf)
		return error("print: out of memory"), NULL;
	while (len <= DOC_MAX && (n = read(0, buf + len, DOC_MAX + 1 - len)) > 0)
		len += (size_t)n;
	doc = len <= DOC_MAX ? json_loadb(buf, len, 0, &je) : NULL;
	util_cleanse(buf, DOC_MAX + 1);
	free(buf);
	if (!doc)
		error("print: the receipt on stdin is %s", len > DOC_MAX ? "too long" : "not JSON");
	return doc;
}

/* The paper: --paper, else the receipt's "paper", else the queue's media, else the roll. */
static int pick_paper(const struct args *a, const json_t *doc, enum print_paper *out)
{
	const char *p = a->paper ? a->paper : json_string_value(json_object_get(doc, "paper"));

	if (p && *p)
		return print_paper_parse(p, out) < 0 ? error("print: unknown paper \"%s\"", p) : 0;
	if (!a->queue || !print_cups_queue_paper(a->queue, out))
		*out = PAPER_ROLL80;
	return 0;
}

static int write_all(const unsigned char *p, size_t len)
{
	while (len) {
		ssize_t n = write(1, p, len);
		if (n <= 0)
			return error("print: cannot write the PDF to stdout");
		p += n, len -= (size_t)n;
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct args a = { 0 };
	struct print_pdf pdf;
	enum print_paper paper;
	json_t *doc;
	int rc;

	platform_harden_process();
	util_json_wipe_on_free();
	if (parse_args(argc, argv, &a) < 0)
		return usage();
	if (a.check)
		return print_cups_check(a.queue);
	if (!(doc = read_doc()) || pick_paper(&a, doc, &paper) < 0 ||
	    print_render_pdf(doc, paper, &pdf) < 0)
		return json_decref(doc), PRINT_EXIT_RENDER;
	json_decref(doc);
	if (a.to_stdout)
		rc = write_all(pdf.data, pdf.len) < 0 ? PRINT_EXIT_RENDER : PRINT_EXIT_OK;
	else
		rc = print_cups_send(a.queue, &pdf, paper, a.timeout_ms);
	print_pdf_release(&pdf);
	return rc;
}
