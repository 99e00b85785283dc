/*
 * inloop_main.c — build/inloop: the kiosk / field program and its subcommands.
 * Without a subcommand it starts the kiosk; each subcommand is one row of `commands`.
 */
#include "app/kiosk/commands.h"
#include "platform/util.h"
#include "platform/platform.h"

#include <stdlib.h>

static const struct {
	const char *name;
	inloop_cmd_fn fn;
	const char *usage;
} commands[] = {
	{ "submit", cmd_submit, "FILE.json  seal and store one registration (answers: question id -> value)" },
	{ "outbox", cmd_outbox, "[--dump ID]  list the queue (never content), or write one envelope to stdout" },
	{ "enroll-request", cmd_enroll_request, "NAME  make this device's key and certificate request" },
	{ "enroll", cmd_enroll, "BUNDLE  install the enrolment bundle from the case store" },
	{ "sync", cmd_sync, "[--url URL] [--timeout S]  upload the outbox once; prints sent, kept aside, left" },
	{ "print-test", cmd_print_test, "[--crisis] [--paper 80mm|a4] [--stdout]  print a sample receipt on the config's printer" },
	{ "consultant", cmd_consultant, "add NAME [--passphrase-fd N] | list | remove NAME | disabled FILE  consultants of a field laptop" },
	{ "host-pin", cmd_host_pin, "[--clear]  set the staff PIN for host mode (digits on stdin; Argon2id in config.json)" },
	{ "kiosk-may-start", cmd_kiosk_may_start, "  exit 1 when the host left the kiosk for ICT in this boot (the unit's ExecCondition)" },
	{ "host-return", cmd_host_return, "  let the kiosk start again in this boot after \"leave the kiosk\"" },
	{ "kiosk", kiosk_main, "the kiosk screens (also without a command): --lang, --windowed, --replay, --dump-tree" },
	{ NULL, NULL, NULL },
};

static void usage(FILE *f)
{
	fputs("usage: inloop [--state DIR] [--lang CODE] [--mode kiosk|field] [--windowed WxH] [--replay FILE] [--dump-tree]\n"
	      "       inloop [--state DIR] <command> [args]\n\ncommands:\n", f);
	for (size_t i = 0; commands[i].name; i++)
		fprintf(f, "  %-16s %s\n", commands[i].name, commands[i].usage);
}

int main(int argc, char **argv)
{
	struct inloop_opts o = { 0 };
	char state[4096];
	int i;

	platform_harden_process();
	platform_use_dutch_time();
	util_json_wipe_on_free();
	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			usage(stdout);
			return 0;
		} else if (!strcmp(a, "--dump-tree")) {
			o.dump_tree = 1;
		} else if (i + 1 < argc && !strcmp(a, "--state")) {
			o.state = argv[++i];
		} else if (i + 1 < argc && !strcmp(a, "--lang")) {
			o.lang = argv[++i];
		} else if (i + 1 < argc && !strcmp(a, "--windowed")) {
			o.windowed = argv[++i];
		} else if (i + 1 < argc && !strcmp(a, "--mode")) {
			o.mode = argv[++i];
		} else if (i + 1 < argc && !strcmp(a, "--replay")) {
			o.replay = argv[++i];
		} else {
			fprintf(stderr, "inloop: unknown option or missing value: %s\n", a);
			usage(stderr);
			return 2;
		}
	}
	if (!o.state) {
		if (platform_default_state_dir(state, sizeof(state)) < 0)
			return 1;
		o.state = state;
	}
	if (i == argc)
		return kiosk_main(&o, 0, argv + i);
	for (size_t k = 0; commands[k].name; k++)
		if (!strcmp(commands[k].name, argv[i]))
			return commands[k].fn(&o, argc - i - 1, argv + i + 1);
	fprintf(stderr, "inloop: unknown command: %s\n", argv[i]);
	usage(stderr);
	return 2;
}
