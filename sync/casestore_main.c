/*
 * casestore_main.c — build/inloop-casestore: the case-store server (issue "3 of 3").
 *   inloop-casestore --dir DIR [--listen HOST:PORT] [--quiet]
 * DIR is what `inloopctl init-demo` made (server.pem/.key, ca.pem, crl.pem, devices/);
 * the envelopes go to DIR/store.sqlite. Exits 0 after SIGTERM/SIGINT, 1 on a start error.
 */
#include "sync/server.h"
#include "app/util.h"
#include "platform/platform.h"

#include <stdlib.h>

static void usage(FILE *f)
{
	fprintf(f, "usage: inloop-casestore --dir DIR [--listen HOST:PORT] [--quiet]\n"
		   "  --dir DIR            case-store folder (keys, CA, CRL, devices/, store.sqlite)\n"
		   "  --listen HOST:PORT   address to serve HTTPS on (default %s:%d; port 0 picks one)\n"
		   "  --quiet              log only refusals and errors, not every accepted record\n",
		SERVER_DEFAULT_HOST, SERVER_DEFAULT_PORT);
}

/* Splits "HOST:PORT" (the last colon) into o->host (points into spec) and o->port. */
static int parse_listen(char *spec, struct server_opts *o)
{
	char *colon = strrchr(spec, ':');
	char *end;
	long port;

	if (!colon || colon == spec)
		return error("--listen wants HOST:PORT, not %s", spec);
	port = strtol(colon + 1, &end, 10);
	if (*end || end == colon + 1 || port < 0 || port > 65535)
		return error("--listen: bad port in %s", spec);
	*colon = '\0';
	o->host = spec;
	o->port = (int)port;
	return 0;
}

int main(int argc, char **argv)
{
	struct server_opts o;

	platform_harden_process();
	platform_use_dutch_time();
	util_json_wipe_on_free();
	setvbuf(stderr, NULL, _IOLBF, 0);
	server_opts_defaults(&o);
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			usage(stdout);
			return 0;
		} else if (!strcmp(argv[i], "--quiet")) {
			o.quiet = 1;
		} else if (i + 1 < argc && !strcmp(argv[i], "--dir")) {
			o.dir = argv[++i];
		} else if (i + 1 < argc && !strcmp(argv[i], "--listen")) {
			if (parse_listen(argv[++i], &o) < 0)
				return 2;
		} else {
			fprintf(stderr, "inloop-casestore: unknown option or missing value: %s\n", argv[i]);
			usage(stderr);
			return 2;
		}
	}
	if (!o.dir) {
		usage(stderr);
		return 2;
	}
	return server_run(&o) < 0 ? 1 : 0;
}
