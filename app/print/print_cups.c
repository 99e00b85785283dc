/*
 * print_cups.c — one receipt into one CUPS job (see print_cups.h). The job's name is a
 * constant and its only option is the media: CUPS's job history holds no personal data.
 */
#include "app/print/print_cups.h"
#include "app/print/print.h"
#include "platform/util.h"

#include <cups/cups.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define JOB_NAME "inloop receipt"

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void nap_ms(int ms)
{
	struct timespec ts = { 0, ms * 1000000L };

	nanosleep(&ts, NULL);
}

int print_cups_queue_paper(const char *queue, enum print_paper *out)
{
	cups_dest_t *dest = cupsGetNamedDest(CUPS_HTTP_DEFAULT, queue, NULL);
	cups_dinfo_t *info = dest ? cupsCopyDestInfo(CUPS_HTTP_DEFAULT, dest) : NULL;
	cups_size_t size;
	int known = info && cupsGetDestMediaDefault(CUPS_HTTP_DEFAULT, dest, info, 0, &size);

	if (known)
		*out = size.width <= 11000 ? PAPER_ROLL80 : PAPER_A4;   /* hundredths of a mm */
	cupsFreeDestInfo(info);
	cupsFreeDests(dest ? 1 : 0, dest);
	return known;
}

/* 1 when the scheduler (libcups's default server) takes a connection. */
static int service_answers(void)
{
	http_t *http = httpConnect2(cupsServer(), ippPort(), NULL, AF_UNSPEC, cupsEncryption(), 1,
				    5000, NULL);

	httpClose(http);
	return http != NULL;
}

/* Looks the queue up: PRINT_EXIT_OK when it exists, runs and takes jobs. */
static int queue_ready(const char *queue)
{
	cups_dest_t *dest = cupsGetNamedDest(CUPS_HTTP_DEFAULT, queue, NULL);
	const char *state, *accepting;
	int rc = PRINT_EXIT_OK;

	if (!dest) {
		if (!service_answers())
			return error("print: no print service answers at %s", cupsServer()),
			       PRINT_EXIT_NO_SERVICE;
		return error("print: there is no printer queue \"%s\"", queue), PRINT_EXIT_NO_QUEUE;
	}
	state = cupsGetOption("printer-state", dest->num_options, dest->options);
	accepting = cupsGetOption("printer-is-accepting-jobs", dest->num_options, dest->options);
	if ((state && atoi(state) == IPP_PSTATE_STOPPED) || (accepting && strcmp(accepting, "true"))) {
		error("print: the printer queue \"%s\" is stopped or refuses jobs", queue);
		rc = PRINT_EXIT_STOPPED;
	}
	cupsFreeDests(1, dest);
	return rc;
}

/* The job's state (IPP_JSTATE_...), 0 when CUPS does not say. */
static int job_state(int id)
{
	ipp_t *req = ippNewRequest(IPP_OP_GET_JOB_ATTRIBUTES), *resp;
	char uri[HTTP_MAX_URI];
	int state = 0;
	ipp_attribute_t *a;

	httpAssembleURIf(HTTP_URI_CODING_ALL, uri, sizeof(uri), "ipp", NULL, "localhost", 0,
			 "/jobs/%d", id);
	ippAddString(req, IPP_TAG_OPERATION, IPP_TAG_URI, "job-uri", NULL, uri);
	ippAddString(req, IPP_TAG_OPERATION, IPP_TAG_NAME, "requesting-user-name", NULL, cupsUser());
	ippAddString(req, IPP_TAG_OPERATION, IPP_TAG_KEYWORD, "requested-attributes", NULL, "job-state");
	resp = cupsDoRequest(CUPS_HTTP_DEFAULT, req, "/");
	if (resp && (a = ippFindAttribute(resp, "job-state", IPP_TAG_ENUM)))
		state = ippGetInteger(a, 0);
	ippDelete(resp);
	return state;
}

/* Follows job id until it ends; a job waiting on a stopped queue, or still not done at
 * the deadline, is cancelled so it cannot come out for the next person. */
static int follow(const char *queue, int id, int timeout_ms)
{
	long long end = now_ms() + timeout_ms;

	for (;;) {
		int st = job_state(id);
		if (st == IPP_JSTATE_COMPLETED)
			return PRINT_EXIT_OK;
		if (st == IPP_JSTATE_ABORTED || st == IPP_JSTATE_CANCELED)
			return error("print: job %d on \"%s\" failed", id, queue), PRINT_EXIT_JOB;
		if (st == IPP_JSTATE_STOPPED || st == IPP_JSTATE_HELD) {   /* the device failed */
			cupsCancelJob2(CUPS_HTTP_DEFAULT, queue, id, 0);
			return error("print: job %d on \"%s\" stopped (cancelled)", id, queue), PRINT_EXIT_JOB;
		}
		if (st != IPP_JSTATE_PROCESSING && queue_ready(queue) == PRINT_EXIT_STOPPED) {
			cupsCancelJob2(CUPS_HTTP_DEFAULT, queue, id, 0);
			return PRINT_EXIT_STOPPED;
		}
		if (now_ms() >= end) {
			cupsCancelJob2(CUPS_HTTP_DEFAULT, queue, id, 0);
			return error("print: job %d on \"%s\" not printed after %d ms (cancelled)",
				     id, queue, timeout_ms), PRINT_EXIT_TIMEOUT;
		}
		nap_ms(40);
	}
}

/* Streams the PDF as the job's one document. 0 or -1. */
static int send_document(const char *queue, int id, const struct print_pdf *pdf)
{
	size_t off = 0;

	if (cupsStartDocument(CUPS_HTTP_DEFAULT, queue, id, "receipt.pdf", CUPS_FORMAT_PDF, 1) !=
	    HTTP_STATUS_CONTINUE)
		return error("print: job %d: the document was refused (%s)", id, cupsLastErrorString());
	while (off < pdf->len) {
		size_t n = pdf->len - off > 16384 ? 16384 : pdf->len - off;
		if (cupsWriteRequestData(CUPS_HTTP_DEFAULT, (const char *)pdf->data + off, n) !=
		    HTTP_STATUS_CONTINUE)
			break;
		off += n;
	}
	if (cupsFinishDocument(CUPS_HTTP_DEFAULT, queue) != IPP_STATUS_OK || off < pdf->len)
		return error("print: job %d: sending the document failed (%s)", id, cupsLastErrorString());
	return 0;
}

int print_cups_check(const char *queue)
{
	return queue_ready(queue);
}

int print_cups_send(const char *queue, const struct print_pdf *pdf, enum print_paper paper,
		    int timeout_ms)
{
	cups_option_t *opt = NULL;
	int n = 0, id, rc = queue_ready(queue);
	char media[64];

	if (rc != PRINT_EXIT_OK)
		return rc;
	if (paper == PAPER_A4)
		snprintf(media, sizeof(media), "A4");
	else
		snprintf(media, sizeof(media), "Custom.%.0fx%.0fmm", pdf->width_mm, ceil(pdf->height_mm));
	n = cupsAddOption("media", media, n, &opt);
	id = cupsCreateJob(CUPS_HTTP_DEFAULT, queue, JOB_NAME, n, opt);
	cupsFreeOptions(n, opt);
	if (id <= 0)
		return error("print: \"%s\" refused the job (%s)", queue, cupsLastErrorString()),
		       PRINT_EXIT_JOB;
	if (send_document(queue, id, pdf) < 0) {
		cupsCancelJob2(CUPS_HTTP_DEFAULT, queue, id, 0);
		return PRINT_EXIT_JOB;
	}
	return follow(queue, id, timeout_ms);
}
