/*
 * casestore_main.c — build/inloop-casestore: the case-store server (issue "3 of 3").
 *   inloop-casestore --dir DIR [--listen HOST:PORT] [--quiet] [limits]
 * DIR is the case store's folder (server.pem/.key, ca.pem, crl.pem, devices/), or a layout
 * root that holds one as DIR/casestore (sync/layout.h); the envelopes go to its
 * store.sqlite. Exits 0 after SIGTERM/SIGINT, 1 on a start error.
 */
#include "sync/layout.h"
#include "sync/server.h"
#include "app/util.h"
#include "platform/platform.h"

#include <stdlib.h>

static void usage(FILE *f)
{
	fprintf(f, "usage: inloop-casestore --dir DIR [--listen HOST:PORT] [--quiet]\n"
		   "  --dir DIR            case-store folder (keys, CA, CRL, devices/, store.sqlite)\n"
		   "  --listen HOST:PORT   address to serve HTTPS on (default %s:%d; port 0 picks one)\n"
		   "  --quiet              log only refusals and errors, not every accepted record\n"
		   "  --handshake-ms N     absolute deadline of a TLS handshake (default %d)\n"
		   "  --request-ms N       absolute deadline of each request (default %d)\n"
		   "  --max-conns N        connection cap (default %d; always 200 below the fd limit)\n"
		   "  --max-conns-per-addr N  (default %d)\n"
		   "  --rate R             PUTs per second per device, sustained; 0 = no limit (default %g)\n"
		   "  --burst N            ... after a burst of N (default %g)\n",
		SERVER_DEFAULT_HOST, SERVER_DEFAULT_PORT, SERVER_HANDSHAKE_MS, SERVER_REQUEST_MS,
		SERVER_MAX_CONNS, SERVER_MAX_CONNS_PER_ADDR, SERVER_RATE_PER_S, SERVER_RATE_BURST);
}

/* A number option's value into *out (min..max); -1 with an error otherwise. */
static int parse_num(const char *opt, const char *text, double min, double max, double *out)
{
	char *end;
	double v = strtod(text, &end);

	if (end == text || *end || v < min || v > max)
		return error("%s wants a number from %g to %g, not %s", opt, min, max, text);
	*out = v;
	return 0;
}

/* The limit options; 1 when argv[i] was one (i advanced), 0 when not, -1 on a bad value. */
static int parse_limit(int argc, char **argv, int *i, struct server_opts *o)
{
	static const struct { const char *name; double min, max; } opts[] = {
		{ "--handshake-ms", 100, 600000 }, { "--request-ms", 100, 3600000 },
		{ "--max-conns", 1, 1000000 }, { "--max-conns-per-addr", 1, 1000000 },
		{ "--rate", 0, 1e6 }, { "--burst", 1, 1e9 },
	};
	double v = 0;

	for (size_t k = 0; k < sizeof(opts) / sizeof(opts[0]); k++) {
		if (*i + 1 >= argc || strcmp(argv[*i], opts[k].name))
			continue;
		if (parse_num(opts[k].name, argv[++*i], opts[k].min, opts[k].max, &v) < 0)
			return -1;
		switch (k) {
		case 0: o->handshake_ms = (int)v; break;
		case 1: o->request_ms = (int)v; break;
		case 2: o->max_conns = (int)v; break;
		case 3: o->max_conns_per_addr = (int)v; break;
		case 4: o->rate_per_s = v; break;
		default: o->rate_burst = v; break;
		}
		return 1;
	}
	return 0;
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
	char dir[4096];
	int lim;

	platform_harden_process();
	platform_use_dutch_time();
	util_json_wipe_on_free();
	setvbuf(stderr, NULL, _IOLBF, 0);
	server_opts_defaults(&o);
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			usage(stdout);
			return 0;
		} else if ((lim = parse_limit(argc, argv, &i, &o)) != 0) {
			if (lim < 0)
				return 2;
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
	if (layout_server_dir(o.dir, dir, sizeof(dir)) < 0)
		return 2;
	o.dir = dir;
	return server_run(&o) < 0 ? 1 : 0;
}
