/*
 * ctl_main.c — build/inloopctl: the back-office and fleet tool. Each subcommand is one
 * row of `commands`; `--dir DIR` names the layout root (sync/casestore/layout.h: casestore/,
 * office/, ca/) for those that need it; each opens only the folders it uses.
 */
#include "platform/util.h"
#include "platform/platform.h"

#include <stdlib.h>

/* Each subcommand: dir may be NULL (no --dir given); returns the exit code. */
typedef int (*ctl_cmd_fn)(const char *dir, int argc, char **argv);

/* Each module that adds a subcommand declares its function here and adds one row below. */
#include "sync/office/backoffice.h"   /* list, show, contacted, export, stats, open */
int ctl_init_demo(const char *dir, int argc, char **argv);
int ctl_enroll(const char *dir, int argc, char **argv);
int ctl_revoke(const char *dir, int argc, char **argv);
int ctl_rotate_recipient(const char *dir, int argc, char **argv);
int ctl_crl(const char *dir, int argc, char **argv);
int ctl_deadline(const char *dir, int argc, char **argv);
int ctl_consultant(const char *dir, int argc, char **argv);
int ctl_office_signer(const char *dir, int argc, char **argv);

static const struct {
	const char *name;
	ctl_cmd_fn fn;
	const char *usage;
} commands[] = {
	{ "init-demo", ctl_init_demo, "DIR [--url URL]  make a demo PKI and an enrolled demo device in DIR" },
	{ "open", ctl_open, "FILE.der  open and verify an envelope; print its record JSON or why it is refused" },
	{ "enroll", ctl_enroll, "CSR [--location L] [--crisis-phone P] [--mode kiosk|field] [--out FILE]  issue a device's enrolment bundle" },
	{ "revoke", ctl_revoke, "NAME  revoke a device (crl.pem is regenerated)" },
	{ "crl", ctl_crl, "renew [--force] [--days N]  re-sign crl.pem when under 60 days are left (run daily)" },
	{ "deadline", ctl_deadline, "YYYY-MM-DD [--crisis]  the Wgs first-conversation deadline (first line: the legal date)" },
	{ "rotate-recipient", ctl_rotate_recipient, "  add casestore-next.pem/.key (new bundles pin both)" },
	{ "consultant", ctl_consultant, "enroll CSR --device DEVICE [--out FILE] | disable ID | list  consultants' certificates (visits)" },
	{ "office-signer", ctl_office_signer, "  make office/visit-signer.key/.pem (the office signs visits) for an existing ROOT" },
	{ "list", ctl_list, "[--today DATE]  the worklist: acuut first, then by deadline; overdue marked" },
	{ "show", ctl_show, "ID|REF  one record, opened" },
	{ "contacted", ctl_contacted, "ID|REF DATE  the first conversation took place on DATE" },
	{ "export", ctl_export, "--format csv|json [--today DATE]  every record, for client tracking" },
	{ "stats", ctl_stats, "[--today DATE]  per location and week, crises, contacted in time" },
	{ NULL, NULL, NULL },
};

static void usage(FILE *f)
{
	fputs("usage: inloopctl [--dir ROOT] <command> [args]\n"
	      "  ROOT holds casestore/, office/ and ca/ (inloopctl init-demo ROOT makes them)\n\ncommands:\n", f);
	for (size_t i = 0; commands[i].name; i++)
		fprintf(f, "  %-12s %s\n", commands[i].name, commands[i].usage);
}

int main(int argc, char **argv)
{
	const char *dir = NULL;
	int i;

	platform_harden_process();
	platform_use_dutch_time();
	util_json_wipe_on_free();
	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			usage(stdout);
			return 0;
		} else if (i + 1 < argc && !strcmp(argv[i], "--dir")) {
			dir = argv[++i];
		} else {
			fprintf(stderr, "inloopctl: unknown option or missing value: %s\n", argv[i]);
			usage(stderr);
			return 2;
		}
	}
	if (i == argc) {
		usage(stderr);
		return 2;
	}
	for (size_t k = 0; commands[k].name; k++)
		if (!strcmp(commands[k].name, argv[i]))
			return commands[k].fn(dir, argc - i - 1, argv + i + 1);
	fprintf(stderr, "inloopctl: unknown command: %s\n", argv[i]);
	usage(stderr);
	return 2;
}
