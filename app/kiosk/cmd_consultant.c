/*
 * cmd_consultant.c — `inloop consultant add|list|remove|disabled`: the consultants of a
 * field laptop (sync/device/consultant.h). The passphrase is read from stdin or from
 * --passphrase-fd N, never from the command line (argv is visible to every user).
 */
#include "app/kiosk/commands.h"
#include "sync/device/consultant.h"
#include "platform/util.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int usage(void)
{
	fputs("usage: inloop [--state DIR] consultant add NAME [--passphrase-fd N]   (passphrase on stdin)\n"
	      "       inloop [--state DIR] consultant list\n"
	      "       inloop [--state DIR] consultant remove NAME\n"
	      "       inloop [--state DIR] consultant disabled FILE.json   (the office's list: removes those)\n",
	      stderr);
	return 2;
}

static int add(const char *state, int argc, char **argv)
{
	char pass[CONSULTANT_PASS_MAX + 2];
	int fd = 0, len, rc;

	if (argc == 3 && !strcmp(argv[1], "--passphrase-fd"))
		fd = atoi(argv[2]);
	else if (argc != 1)
		return usage();
	if (util_mkdirs(state, 0700) < 0)
		return 1;
	len = consultant_read_pass(fd, pass, sizeof(pass));
	rc = len < 0 ? -1 : consultant_add(state, argv[0], pass, (size_t)len);
	sodium_memzero(pass, sizeof(pass));
	if (rc < 0)
		return 1;
	printf("consultant %s enrolled on this device\n", argv[0]);
	return 0;
}

static int list(const char *state)
{
	char ids[CONSULTANT_MAX][CONSULTANT_ID_MAX];
	int n = consultant_list(state, ids, CONSULTANT_MAX);

	for (int i = 0; i < n; i++) {
		int f = consultant_failures(state, ids[i]);
		printf("%s%s\n", ids[i], f >= CONSULTANT_LOCK_AFTER ? " (locked: enrol again from the office)" : "");
	}
	return n < 0;
}

static int disabled(const char *state, const char *file)
{
	json_t *v = util_json_load_file(file, 1024 * 1024);
	int n;

	if (!v)
		return 1;
	n = consultant_apply_disabled(state, v);
	json_decref(v);
	if (n < 0)
		return 1;
	printf("%d consultant(s) removed\n", n);
	return 0;
}

int cmd_consultant(const struct inloop_opts *o, int argc, char **argv)
{
	if (argc >= 2 && !strcmp(argv[0], "add"))
		return add(o->state, argc - 1, argv + 1);
	if (argc == 1 && !strcmp(argv[0], "list"))
		return list(o->state);
	if (argc == 2 && !strcmp(argv[0], "remove"))
		return consultant_remove(o->state, argv[1]) < 0;
	if (argc == 2 && !strcmp(argv[0], "disabled"))
		return disabled(o->state, argv[1]);
	return usage();
}
