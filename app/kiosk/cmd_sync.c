/*
 * cmd_sync.c — `inloop [--state DIR] sync [--url URL] [--timeout SECONDS]`: one upload
 * pass from the command line (a laptop back at the office). Prints what it sent, kept
 * aside and left; counts and reasons only, never content.
 */
#include "app/kiosk/commands.h"
#include "platform/util.h"
#include "sync/device/upload.h"

#include <stdlib.h>

static void print_report(const struct upload_report *r)
{
	printf("sent: %d (%d new, %d already stored)\n", r->created + r->already, r->created, r->already);
	printf("kept aside: %d now, %d in total\n", r->held, r->held_total);
	printf("left: %d\n", r->left);
	if (r->visits || r->consultants_removed)
		printf("visits: %d received, %d consultant(s) removed by the office\n", r->visits,
		       r->consultants_removed);
	if (r->retries)
		printf("retries: %d\n", r->retries);
	if (r->error[0])
		printf("%s: %s\n", r->blocked ? "stopped" : "last error", r->error);
}

/* Runs one pass; exit 0 when the outbox is empty, 1 when rows were left or kept aside or
 * the server refused the device, 2 on a usage error. */
int cmd_sync(const struct inloop_opts *o, int argc, char **argv)
{
	const char *url = NULL;
	struct upload_report rep;
	int timeout = 0, rc;

	for (int i = 0; i < argc; i++) {
		if (i + 1 < argc && !strcmp(argv[i], "--url")) {
			url = argv[++i];
		} else if (i + 1 < argc && !strcmp(argv[i], "--timeout")) {
			timeout = atoi(argv[++i]);
			if (timeout <= 0 || timeout > 600)
				return error("--timeout wants 1..600 seconds"), 2;
		} else {
			fprintf(stderr, "usage: inloop [--state DIR] sync [--url URL] [--timeout SECONDS]\n");
			return 2;
		}
	}
	rc = upload_run_once_timeout(o->state, url, timeout, &rep);
	if (rc < 0)
		return 1;
	print_report(&rep);
	return rc == 0 ? 0 : 1;
}
