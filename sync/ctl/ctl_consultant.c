/*
 * ctl_consultant.c — inloopctl consultant enroll|disable|list and inloopctl office-signer
 * (issue 12: visits from the office). The work is sync/ca/ca_consultant.c's, which the
 * office's ICT page calls too; this file only parses arguments and prints results.
 */
#include "sync/ca/ca.h"
#include "sync/casestore/layout.h"
#include "sync/record/visit.h"
#include "platform/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CONSULTANT_USAGE \
	"usage: inloopctl --dir ROOT consultant enroll CSR --device DEVICE [--out FILE]\n" \
	"       inloopctl --dir ROOT consultant disable ID\n" \
	"       inloopctl --dir ROOT consultant list\n" \
	"  enroll   issue a consultant certificate (visits are sealed to it) from the CSR the\n" \
	"           laptop made (inloop consultant add ID); prints certificate: PATH\n" \
	"  disable  no more visits for ID; the laptop forgets the consultant at its next sync\n" \
	"  list     id, device, state and when it changed, one consultant a line\n"

int ctl_consultant(const char *dir, int argc, char **argv);
int ctl_office_signer(const char *dir, int argc, char **argv);

/* 1 when argv holds --help or -h. */
static int wants_help(int argc, char **argv)
{
	for (int i = 0; i < argc; i++)
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h"))
			return 1;
	return 0;
}

/* consultant enroll CSR --device DEVICE [--out FILE] */
static int cmd_enroll(const char *dir, int argc, char **argv)
{
	const char *csr = NULL, *device = NULL, *out = NULL;
	char written[4096];

	for (int i = 0; i < argc; i++) {
		if (i + 1 < argc && !strcmp(argv[i], "--device"))
			device = argv[++i];
		else if (i + 1 < argc && !strcmp(argv[i], "--out"))
			out = argv[++i];
		else if (argv[i][0] != '-' && !csr)
			csr = argv[i];
		else
			return fputs(CONSULTANT_USAGE, stderr), 2;
	}
	if (!csr || !device)
		return fputs(CONSULTANT_USAGE, stderr), 2;
	if (ca_consultant_enroll(dir, csr, device, out, written, sizeof(written)) < 0)
		return 1;
	printf("certificate: %s\n", written);
	return 0;
}

/* consultant disable ID */
static int cmd_disable(const char *dir, int argc, char **argv)
{
	if (argc != 1)
		return fputs(CONSULTANT_USAGE, stderr), 2;
	if (ca_consultant_disable(dir, argv[0]) < 0)
		return 1;
	printf("disabled %s: no more visits are sealed to it; the laptop removes the consultant "
	       "at its next sync\n", argv[0]);
	return 0;
}

/* consultant list */
static int cmd_list(const char *dir, int argc)
{
	struct ca_consultant *all;
	int n;

	if (argc != 0)
		return fputs(CONSULTANT_USAGE, stderr), 2;
	all = calloc(CA_CONSULTANTS_MAX, sizeof(*all));
	if (!all)
		return error("out of memory"), 1;
	n = ca_consultant_list(dir, all, CA_CONSULTANTS_MAX);
	for (int i = 0; i < n; i++)
		printf("%-32s %-24s %-8s %s\n", all[i].id, all[i].device, all[i].state, all[i].changed);
	free(all);
	return n < 0 ? 1 : 0;
}

int ctl_consultant(const char *dir, int argc, char **argv)
{
	if (wants_help(argc, argv))
		return fputs(CONSULTANT_USAGE, stdout), 0;
	if (!dir || argc < 1)
		return fputs(CONSULTANT_USAGE, stderr), 2;
	if (!strcmp(argv[0], "enroll"))
		return cmd_enroll(dir, argc - 1, argv + 1);
	if (!strcmp(argv[0], "disable"))
		return cmd_disable(dir, argc - 1, argv + 1);
	if (!strcmp(argv[0], "list"))
		return cmd_list(dir, argc - 1);
	return fputs(CONSULTANT_USAGE, stderr), 2;
}

int ctl_office_signer(const char *dir, int argc, char **argv)
{
	struct visit_signer *s = NULL;
	char office[4096];

	if (wants_help(argc, argv) || !dir || argc != 0) {
		fputs("usage: inloopctl --dir ROOT office-signer\n"
		      "  makes ROOT/office/visit-signer.key + .pem (the office signs visits with it)\n",
		      argc && wants_help(argc, argv) ? stdout : stderr);
		return wants_help(argc, argv) ? 0 : 2;
	}
	if (ca_make_visit_signer(dir) < 0 || layout_dir(dir, LAYOUT_OFFICE, office, sizeof(office)) < 0)
		return 1;
	if (visit_signer_load(office, &s) < 0)   /* the office can use what was made */
		return 1;
	visit_signer_free(s);
	printf("visit signer: %s/%s\n", office, VISIT_SIGNER_PEM);
	return 0;
}
