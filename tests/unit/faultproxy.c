/*
 * faultproxy.c — a misbehaving network between a device and the case store, for the fault
 * tests (tests/t5*.sh). It terminates the device's mutual TLS with the case store's own
 * server certificate, and forwards each request to the real server over a fresh TLS
 * connection made with the device's certificate (so the server sees the same device).
 * Both sides are libevent evhttp: no hand-written HTTP.
 *
 * Faults, each rolled per request from a fixed seed (xorshift64*); PCT may be fractional:
 *   --503 PCT        answer 503 (with Retry-After: --retry-after S) without forwarding
 *   --drop PCT       cut the device's connection without forwarding
 *   --drop-after PCT forward (the server commits), then cut the connection: the ack is lost
 *   --stall PCT      hold the request or the answer for --stall-ms before going on
 * A server that is down gives 502.
 *
 *   faultproxy --store DIR --device STATE --to HOST:PORT [--listen HOST:PORT] [--seed N] ...
 * Prints "faultproxy: listening on HOST:PORT" and counts of each fault on SIGTERM.
 */
#include "platform/util.h"
#include "sync/record/wire.h"

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/bufferevent_ssl.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/socket.h>

struct proxy {
	struct event_base *base;
	SSL_CTX *sctx, *cctx;
	char to_host[256];
	int to_port;
	uint64_t rng;
	int p503, pdrop, pdrop_after, pstall, stall_ms, retry_after;
	unsigned long n, n503, ndrop, ndrop_after, nstall, n502;
};

/* One forwarded request. */
struct fwd {
	struct proxy *px;
	struct evhttp_request *in;
	int code;
	char retry_after[16];
	struct evbuffer *body;
	int drop;
};

/* 1 with probability permille/1000. */
static int roll(struct proxy *px, int permille)
{
	px->rng ^= px->rng >> 12;
	px->rng ^= px->rng << 25;
	px->rng ^= px->rng >> 27;
	return (int)(((px->rng * 2685821657736338717ULL) >> 33) % 1000) < permille;
}

/* Cuts the device's connection under evhttp: it sees the error and cleans up itself. */
static void cut(struct evhttp_request *in)
{
	struct evhttp_connection *c = evhttp_request_get_connection(in);
	struct bufferevent *bev = c ? evhttp_connection_get_bufferevent(c) : NULL;
	evutil_socket_t fd = bev ? bufferevent_getfd(bev) : -1;

	if (fd >= 0)
		shutdown(fd, SHUT_RDWR);
}

static void send_back(struct fwd *f)
{
	struct evkeyvalq *h = evhttp_request_get_output_headers(f->in);

	if (f->drop)
		cut(f->in);
	if (f->retry_after[0])
		evhttp_add_header(h, "Retry-After", f->retry_after);
	evhttp_send_reply(f->in, f->code, "proxied", f->body);
	if (f->body)
		evbuffer_free(f->body);
	free(f);
}

static void on_stalled(evutil_socket_t fd, short what, void *arg)
{
	(void)fd, (void)what;
	send_back(arg);
}

static void later(struct proxy *px, event_callback_fn fn, void *arg)
{
	struct timeval tv = { px->stall_ms / 1000, (px->stall_ms % 1000) * 1000 };

	px->nstall++;
	event_base_once(px->base, -1, EV_TIMEOUT, fn, arg, &tv);
}

static void on_upstream(struct evhttp_request *out, void *arg)
{
	struct fwd *f = arg;
	struct proxy *px = f->px;
	const char *ra;

	f->code = out ? evhttp_request_get_response_code(out) : 0;
	if (f->code == 0) {
		px->n502++;
		f->code = 502;
	} else {
		ra = evhttp_find_header(evhttp_request_get_input_headers(out), "Retry-After");
		if (ra)
			snprintf(f->retry_after, sizeof(f->retry_after), "%s", ra);
		f->body = evbuffer_new();
		if (f->body)
			evbuffer_add_buffer(f->body, evhttp_request_get_input_buffer(out));
		if (roll(px, px->pdrop_after)) {
			px->ndrop_after++;
			f->drop = 1;
		}
	}
	if (!f->drop && roll(px, px->pstall))
		return later(px, on_stalled, f);
	send_back(f);
}

static struct bufferevent *upstream_bev(struct proxy *px)
{
	SSL *ssl = SSL_new(px->cctx);

	if (!ssl)
		return NULL;
	SSL_set_tlsext_host_name(ssl, "localhost");
	return bufferevent_openssl_socket_new(px->base, -1, ssl, BUFFEREVENT_SSL_CONNECTING,
					      BEV_OPT_CLOSE_ON_FREE | BEV_OPT_DEFER_CALLBACKS);
}

/* Without it Nagle and delayed ACKs cost 40 ms per request (SYNC.md trap 1). */
static void nodelay(evutil_socket_t fd)
{
	int one = 1;

	if (fd >= 0)
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
}

static void forward(evutil_socket_t fd, short what, void *arg)
{
	struct fwd *f = arg;
	struct proxy *px = f->px;
	struct bufferevent *bev = upstream_bev(px);
	struct evhttp_connection *con = bev ? evhttp_connection_base_bufferevent_new(
		px->base, NULL, bev, px->to_host, (ev_uint16_t)px->to_port) : NULL;
	struct evhttp_request *out = con ? evhttp_request_new(on_upstream, f) : NULL;
	struct evkeyvalq *h;
	char local[32];

	(void)fd, (void)what;
	if (!out) {
		f->code = 502;
		return send_back(f);
	}
	evhttp_connection_set_timeout(con, 10);
	/* each upstream connection from its own loopback address (127.0.0.2-250), as devices
	 * come from their own: one address would meet the server's per-address cap */
	snprintf(local, sizeof(local), "127.0.0.%lu", 2 + px->n % 249);
	if (!strcmp(px->to_host, "127.0.0.1"))
		evhttp_connection_set_local_address(con, local);
	h = evhttp_request_get_output_headers(out);
	evhttp_add_header(h, "Host", "localhost");
	evhttp_add_header(h, "Content-Type", WIRE_CONTENT_TYPE);
	evbuffer_add_buffer(evhttp_request_get_output_buffer(out), evhttp_request_get_input_buffer(f->in));
	evhttp_make_request(con, out, evhttp_request_get_command(f->in), evhttp_request_get_uri(f->in));
	nodelay(bufferevent_getfd(bev));   /* the connect has started: the socket exists */
	evhttp_connection_free_on_completion(con);
}

static void on_request(struct evhttp_request *in, void *arg)
{
	struct proxy *px = arg;
	struct fwd *f;

	px->n++;
	if (roll(px, px->p503)) {
		char ra[16];
		px->n503++;
		snprintf(ra, sizeof(ra), "%d", px->retry_after);
		evhttp_add_header(evhttp_request_get_output_headers(in), "Retry-After", ra);
		return evhttp_send_reply(in, 503, "injected", NULL);
	}
	f = calloc(1, sizeof(*f));
	if (!f)
		return evhttp_send_reply(in, 500, "oom", NULL);
	f->px = px;
	f->in = in;
	if (roll(px, px->pdrop)) {
		px->ndrop++;
		f->drop = 1;
		f->code = 502;
		return send_back(f);
	}
	if (roll(px, px->pstall))
		return later(px, forward, f);
	forward(-1, 0, f);
}

static struct bufferevent *on_accept_bev(struct event_base *base, void *arg)
{
	struct proxy *px = arg;
	SSL *ssl = SSL_new(px->sctx);

	return ssl ? bufferevent_openssl_socket_new(base, -1, ssl, BUFFEREVENT_SSL_ACCEPTING,
						    BEV_OPT_CLOSE_ON_FREE) : NULL;
}

static int tls_setup(struct proxy *px, const char *store, const char *device)
{
	char p[3][4096];

	px->sctx = SSL_CTX_new(TLS_server_method());
	px->cctx = SSL_CTX_new(TLS_client_method());
	if (!px->sctx || !px->cctx)
		return error("TLS contexts");
	snprintf(p[0], sizeof(p[0]), "%s/server.pem", store);
	snprintf(p[1], sizeof(p[1]), "%s/server.key", store);
	snprintf(p[2], sizeof(p[2]), "%s/ca.pem", store);
	if (SSL_CTX_use_certificate_chain_file(px->sctx, p[0]) != 1 ||
	    SSL_CTX_use_PrivateKey_file(px->sctx, p[1], SSL_FILETYPE_PEM) != 1 ||
	    SSL_CTX_load_verify_locations(px->sctx, p[2], NULL) != 1)
		return error("proxy server identity from %s", store);
	SSL_CTX_set_verify(px->sctx, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, NULL);
	SSL_CTX_set_session_id_context(px->sctx, (const unsigned char *)"faultproxy", 10);
	snprintf(p[0], sizeof(p[0]), "%s/device.pem", device);
	snprintf(p[1], sizeof(p[1]), "%s/device.key", device);
	snprintf(p[2], sizeof(p[2]), "%s/ca.pem", device);
	if (SSL_CTX_use_certificate_chain_file(px->cctx, p[0]) != 1 ||
	    SSL_CTX_use_PrivateKey_file(px->cctx, p[1], SSL_FILETYPE_PEM) != 1 ||
	    SSL_CTX_load_verify_locations(px->cctx, p[2], NULL) != 1)
		return error("proxy device identity from %s", device);
	SSL_CTX_set_verify(px->cctx, SSL_VERIFY_PEER, NULL);
	return 0;
}

static void on_term(evutil_socket_t sig, short what, void *arg)
{
	struct proxy *px = arg;

	(void)sig, (void)what;
	fprintf(stderr, "faultproxy: %lu requests: %lu 503, %lu dropped, %lu dropped after commit,"
		" %lu stalled, %lu 502 (server down)\n", px->n, px->n503, px->ndrop, px->ndrop_after,
		px->nstall, px->n502);
	event_base_loopbreak(px->base);
}

static int split_hostport(char *s, char **host, int *port)
{
	char *c = strrchr(s, ':');

	if (!c)
		return -1;
	*c = '\0';
	*host = s;
	*port = atoi(c + 1);
	return 0;
}

/* "2.5" (percent) -> 25 (per mille). */
static int permille(const char *v)
{
	return (int)(strtod(v, NULL) * 10.0 + 0.5);
}

static int parse_args(struct proxy *px, int argc, char **argv, char **store, char **device,
		      char **listen)
{
	char *to = NULL;

	for (int i = 1; i + 1 < argc; i += 2) {
		const char *a = argv[i], *v = argv[i + 1];
		if (!strcmp(a, "--store")) *store = argv[i + 1];
		else if (!strcmp(a, "--device")) *device = argv[i + 1];
		else if (!strcmp(a, "--to")) to = argv[i + 1];
		else if (!strcmp(a, "--listen")) *listen = argv[i + 1];
		else if (!strcmp(a, "--seed")) px->rng = strtoull(v, NULL, 10) * 2654435761ULL + 1;
		else if (!strcmp(a, "--503")) px->p503 = permille(v);
		else if (!strcmp(a, "--drop")) px->pdrop = permille(v);
		else if (!strcmp(a, "--drop-after")) px->pdrop_after = permille(v);
		else if (!strcmp(a, "--stall")) px->pstall = permille(v);
		else if (!strcmp(a, "--stall-ms")) px->stall_ms = atoi(v);
		else if (!strcmp(a, "--retry-after")) px->retry_after = atoi(v);
		else return error("faultproxy: unknown option %s", a);
	}
	if (!*store || !*device || !to)
		return error("usage: faultproxy --store DIR --device STATE --to HOST:PORT [--listen H:P]"
			     " [--seed N] [--503 PCT] [--drop PCT] [--drop-after PCT] [--stall PCT]"
			     " [--stall-ms MS] [--retry-after S]");
	{
		char *host;
		if (split_hostport(to, &host, &px->to_port) < 0)
			return error("--to wants HOST:PORT");
		snprintf(px->to_host, sizeof(px->to_host), "%s", host);
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct proxy px = { .rng = 88172645463325252ULL, .stall_ms = 1500 };
	char *store = NULL, *device = NULL, *listen = NULL, lbuf[] = "127.0.0.1:0", *host;
	struct evhttp *http;
	struct evhttp_bound_socket *bs;
	struct sockaddr_in sa;
	socklen_t sl = sizeof(sa);
	struct event *term;
	int port;

	signal(SIGPIPE, SIG_IGN);
	setvbuf(stderr, NULL, _IOLBF, 0);
	if (parse_args(&px, argc, argv, &store, &device, &listen) < 0 || tls_setup(&px, store, device) < 0)
		return 2;
	if (split_hostport(listen ? listen : lbuf, &host, &port) < 0)
		return 2;
	px.base = event_base_new();
	http = evhttp_new(px.base);
	evhttp_set_bevcb(http, on_accept_bev, &px);
	evhttp_set_gencb(http, on_request, &px);
	evhttp_set_allowed_methods(http, EVHTTP_REQ_PUT | EVHTTP_REQ_GET);
	bs = evhttp_bind_socket_with_handle(http, host, (ev_uint16_t)port);
	if (!bs)
		return error("faultproxy: cannot listen on %s:%d", host, port), 1;
	nodelay(evhttp_bound_socket_get_fd(bs));
	getsockname(evhttp_bound_socket_get_fd(bs), (struct sockaddr *)&sa, &sl);
	fprintf(stderr, "faultproxy: listening on %s:%d\n", host, ntohs(sa.sin_port));
	term = evsignal_new(px.base, SIGTERM, on_term, &px);
	event_add(term, NULL);
	event_base_dispatch(px.base);
	event_free(term);
	evhttp_free(http);
	event_base_free(px.base);
	SSL_CTX_free(px.sctx);
	SSL_CTX_free(px.cctx);
	return 0;
}
