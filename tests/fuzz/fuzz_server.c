/*
 * fuzz_server.c — libFuzzer target: the case-store server's request handling on the bytes
 * of one connection (request heads and bodies, pipelined or cut short), through the real
 * evhttp parser into sync/casestore/server.c's on_request: routing, the id check, the envelope
 * check, store_put with group commit, GET, the visit spool (GET and DELETE of a
 * consultant's visits), and the replies.
 *
 * This file compiles sync/casestore/server.c itself (its functions are static) with one seam: the
 * peer's device id comes from fuzz_peer_device instead of a verified TLS certificate, so
 * inputs need no handshake; they come from FUZZ_DEVICES devices in turn, each in the
 * registry cache as allowed. Everything else is the server as it runs: a plain loopback
 * socket per input, the event loop, and a SQLite store on tmpfs (reset every STORE_RESET
 * inputs so it stays small).
 */
#include "tests/fuzz/fuzz_common.h"

#include <stddef.h>

struct evhttp_request;
static unsigned inputs;
static int fuzz_peer_device(struct evhttp_request *req, char *out, size_t size, char *serial,
			    size_t serial_size);
#define SERVER_PEER_DEVICE fuzz_peer_device
#pragma clang diagnostic ignored "-Wunused-function"
#include "sync/casestore/server.c"

#include <arpa/inet.h>
#include <fcntl.h>
#include <poll.h>

#define FUZZ_DEVICES 4          /* inputs come from these in turn: GETs cross devices */
#define FUZZ_SERIAL "01"
#define STORE_RESET 512

static struct server_opts opts;
static struct server sv;
static struct sockaddr_in addr;
static char store_path[4200];

static int fuzz_peer_device(struct evhttp_request *req, char *out, size_t size, char *serial,
			    size_t serial_size)
{
	(void)req;
	snprintf(out, size, "kiosk-fuzz-%u", inputs % FUZZ_DEVICES);
	snprintf(serial, serial_size, "%s", FUZZ_SERIAL);
	return 0;
}

/* The registry's verdict for the fuzz devices, cached as the server caches it (the stamps
 * of absent registry files are zero, so the entries stay valid). */
static void allow_devices(void)
{
	for (unsigned i = 0; i < FUZZ_DEVICES; i++) {
		snprintf(sv.reg[i].device, sizeof(sv.reg[i].device), "kiosk-fuzz-%u", i);
		snprintf(sv.reg[i].serial, sizeof(sv.reg[i].serial), "%s", FUZZ_SERIAL);
		sv.reg[i].verdict = 0;
	}
}

/* The visit spool and consultant registry (visits.c) for the fuzz devices: "anna" active
 * on kiosk-fuzz-0 with one spooled visit (written again at each reset: a DELETE takes it),
 * "bram" disabled on kiosk-fuzz-1. */
static void visits_reset(void)
{
	static const char *const entry[] = {
		"{\"id\":\"anna\",\"device\":\"kiosk-fuzz-0\",\"state\":\"active\"}",
		"{\"id\":\"bram\",\"device\":\"kiosk-fuzz-1\",\"state\":\"disabled\"}",
	};
	static const unsigned char der[] = { 0x30, 0x03, 0x02, 0x01, 0x00 };
	char path[4300];

	snprintf(path, sizeof(path), "%s/consultants", opts.dir);
	if (util_mkdirs(path, 0700) < 0)
		fuzz_die("mkdir consultants");
	for (size_t i = 0; i < 2; i++) {
		snprintf(path, sizeof(path), "%s/consultants/%s.json", opts.dir, i ? "bram" : "anna");
		if (util_write_file(path, entry[i], strlen(entry[i]), 0644) < 0)
			fuzz_die("registry entry");
	}
	if (visits_write(opts.dir, "anna", "0123456789abcdef0123456789abcdef", der, sizeof(der)) < 0)
		fuzz_die("visit spool");
}

static void store_reset(void)
{
	char side[4300];

	if (sv.store && store_in_transaction(sv.store))
		flush_pending(&sv);
	store_close(sv.store);
	sv.store = NULL;
	unlink(store_path);
	snprintf(side, sizeof(side), "%s-wal", store_path);
	unlink(side);
	snprintf(side, sizeof(side), "%s-shm", store_path);
	unlink(side);
	if (store_open(store_path, STORE_CREATE, &sv.store) < 0)
		fuzz_die("store_open");
	visits_reset();
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	socklen_t sl = sizeof(addr);
	struct linger nolinger = { 1, 0 };

	(void)argc, (void)argv;
	fuzz_keep_stderr();
	signal(SIGPIPE, SIG_IGN);
	server_opts_defaults(&opts);
	opts.dir = fuzz_scratch();
	opts.port = 0;
	opts.quiet = 1;
#ifdef SERVER_RATE_PER_S
	opts.rate_per_s = 0;   /* no per-device rate limit: inputs come far faster than devices */
#endif
	sv.o = &opts;
	snprintf(store_path, sizeof(store_path), "%s/store.sqlite", opts.dir);
	store_reset();
	if (setup_loop(&sv) < 0 || listen_on(&sv) < 0)
		fuzz_die("the server's loop");
	evhttp_set_bevcb(sv.http, NULL, NULL);   /* plain sockets: no handshake */
	allow_devices();
	if (getsockname(evhttp_bound_socket_get_fd(sv.bound), (struct sockaddr *)&addr, &sl) < 0)
		fuzz_die("getsockname");
	/* Accepted sockets inherit this: when the server closes one it resets instead of
	 * lingering in TIME_WAIT, or a long run would use up the loopback's ports. */
	if (setsockopt(evhttp_bound_socket_get_fd(sv.bound), SOL_SOCKET, SO_LINGER, &nolinger,
		       sizeof(nolinger)) < 0)
		fuzz_die("SO_LINGER");
	return 0;
}

struct client {
	int fd;
	int closed;
};

/* Reads (and drops) the server's replies until it closes the connection. */
static void on_client(evutil_socket_t fd, short what, void *arg)
{
	struct client *c = arg;
	char buf[8192];
	ssize_t n;

	if (what & EV_TIMEOUT) {
		fprintf(stderr, "fuzz: the server kept the connection open 10 s after the input ended\n");
		abort();
	}
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		;
	if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) {
		c->closed = 1;
		event_base_loopbreak(sv.base);
	}
}

/* connect() that a timer signal (libFuzzer's SIGALRM) does not break: an interrupted
 * connect goes on in the background, so wait for it and read its outcome. */
static int connect_to_server(int fd)
{
	struct pollfd p = { fd, POLLOUT, 0 };
	socklen_t sl = sizeof(int);
	int err = 0;

	if (connect(fd, (struct sockaddr *)&addr, sizeof(addr)) == 0)
		return 0;
	if (errno != EINTR && errno != EINPROGRESS)
		return -1;
	while (poll(&p, 1, -1) < 0)
		if (errno != EINTR)
			return -1;
	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &sl) < 0 || err)
		return -1;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct client c = { socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0), 0 };
	struct timeval limit = { 10, 0 };
	struct event *ev;

	if (++inputs % STORE_RESET == 0)
		store_reset();
	if (c.fd < 0 || connect_to_server(c.fd) < 0)
		fuzz_die("connect");
	/* Loopback buffers hold far more than an input (max_len): this write never waits for
	 * the server to read. libFuzzer's timer signals may cut it into parts. */
	for (size_t off = 0; off < size;) {
		ssize_t n = write(c.fd, data + off, size - off);
		if (n < 0 && errno != EINTR)
			fuzz_die("write");
		off += n > 0 ? (size_t)n : 0;
	}
	shutdown(c.fd, SHUT_WR);
	fcntl(c.fd, F_SETFL, O_NONBLOCK);
	ev = event_new(sv.base, c.fd, EV_READ | EV_PERSIST | EV_TIMEOUT, on_client, &c);
	if (!ev || event_add(ev, &limit) < 0)
		fuzz_die("event_add");
	while (!c.closed)
		event_base_loop(sv.base, EVLOOP_ONCE);
	event_free(ev);
	close(c.fd);
	return 0;
}
