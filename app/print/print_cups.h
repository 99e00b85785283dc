/*
 * print_cups.h — one receipt into one CUPS job (helper side, build/inloop-print): checks
 * that the queue is there and running (a stopped queue would print the receipt later,
 * after the resident has gone: nothing is sent), streams the PDF from memory with
 * cupsStartDocument / cupsWriteRequestData and follows the job until it has completed,
 * failed or the deadline passed (then it is cancelled, for the same reason). The server
 * is libcups's default: CUPS_SERVER, ~/.cups/client.conf, /etc/cups/client.conf.
 */
#ifndef INLOOP_PRINT_CUPS_H
#define INLOOP_PRINT_CUPS_H

#include "app/print/print_render.h"

/* The paper of queue's default media: 1 with *out set, 0 when unknown (no scheduler,
 * no queue, no media); never an error. */
int print_cups_queue_paper(const char *queue, enum print_paper *out);

/* Whether queue exists, runs and takes jobs, sending nothing: an enum print_exit (OK,
 * NO_SERVICE, NO_QUEUE, STOPPED), the reason on stderr. */
int print_cups_check(const char *queue);

/* Prints pdf on queue as one job (media from the page size); returns an enum print_exit
 * (print.h) and prints the reason (never the receipt's content) to stderr. */
int print_cups_send(const char *queue, const struct print_pdf *pdf, enum print_paper paper,
		    int timeout_ms);

#endif
