/*
 * cmd_enroll.c — build/inloop enroll-request NAME and enroll BUNDLE: the command-line face
 * of the device's side of enrolment (sync/device/enroll.c).
 */
#include "app/kiosk/commands.h"
#include "sync/device/enroll.h"

#include <stdio.h>

int cmd_enroll_request(const struct inloop_opts *o, int argc, char **argv)
{
	char csr[4096];

	if (argc != 1) {
		fputs("usage: inloop [--state DIR] enroll-request NAME\n", stderr);
		return 2;
	}
	if (enroll_request(o->state, argv[0], csr, sizeof(csr)) < 0)
		return 1;
	printf("%s\n", csr);
	return 0;
}

int cmd_enroll(const struct inloop_opts *o, int argc, char **argv)
{
	char id[64];

	if (argc != 1) {
		fputs("usage: inloop [--state DIR] enroll BUNDLE\n", stderr);
		return 2;
	}
	if (enroll_install(o->state, argv[0], id, sizeof(id)) < 0)
		return 1;
	printf("enrolled %s in %s\n", id, o->state);
	return 0;
}
