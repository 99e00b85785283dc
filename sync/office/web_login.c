/*
 * web_login.c — sign-in with password and TOTP, sign-out (web_login.h).
 */
#include "sync/office/web_login.h"
#include "sync/office/web.h"
#include "sync/office/audit.h"
#include "sync/office/html.h"

#include <event2/buffer.h>
#include <event2/event.h>
#include <event2/http.h>
#include <sys/queue.h>
#include <event2/keyvalq_struct.h>
#include <pthread.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

struct login_job {
	struct office *of;
	struct evhttp_request *r;        /* NULL once the client went away */
	struct evhttp_connection *conn;
	char name[AUTH_NAME_MAX], pw[256], code[16], addr[64], lang[4];
	enum auth_result res;
	int role;
	time_t now;
};

static pthread_mutex_t workers_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t workers_idle = PTHREAD_COND_INITIALIZER;
static int workers;

/* Sets a cookie with the attributes every office cookie has. */
static void set_cookie(struct evhttp_request *r, const char *name, const char *value, int max_age)
{
	char c[256];

	snprintf(c, sizeof(c), "%s=%s; Path=/; Secure; HttpOnly; SameSite=Strict; Max-Age=%d", name, value, max_age);
	evhttp_add_header(evhttp_request_get_output_headers(r), "Set-Cookie", c);
}

/* The sign-in form; problem (a kind: "bad", "throttled", "busy", "expired") shown above it. */
static void login_form(struct req *q, const char *problem, const char *name, int code)
{
	char pre[AUTH_TOKEN_LEN + 1];
	const char *msg = !problem ? NULL :
		!strcmp(problem, "throttled") ? W_(q, "Te veel mislukte pogingen. Probeer het over een kwartier opnieuw.") :
		!strcmp(problem, "busy") ? W_(q, "Het is even druk. Probeer het over een paar seconden opnieuw.") :
		!strcmp(problem, "expired") ? W_(q, "Het formulier was verlopen. Probeer het opnieuw.") :
		W_(q, "Gebruikersnaam, wachtwoord of code klopt niet.");

	auth_token(pre);
	set_cookie(q->r, "__Host-pre", pre, 3600);
	web_page_begin(q, "Aanmelden");
	html_printf(q->out, "<h1 class=\"utrecht-heading-1\">%s</h1>", W_(q, "Aanmelden"));
	if (msg)
		html_printf(q->out, "<div class=\"utrecht-alert utrecht-alert--error\" role=\"alert\" id=\"login-error\""
			    " data-problem=\"%s\"><div class=\"utrecht-alert__content\"><p class=\"utrecht-alert__message"
			    " utrecht-paragraph\">%s</p></div></div>", problem, msg);
	html_printf(q->out, "<form method=\"post\" action=\"/login\" class=\"office-form\" id=\"login\">"
		"<input type=\"hidden\" name=\"pre\" value=\"%s\">"
		"<div class=\"utrecht-form-field utrecht-form-field--text\"><div class=\"utrecht-form-field__label\">"
		"<label class=\"utrecht-form-label\" for=\"user\">%s</label></div>"
		"<div class=\"utrecht-form-field__input\"><input class=\"utrecht-textbox utrecht-textbox--html-input\""
		" id=\"user\" name=\"user\" autocomplete=\"username\" required value=\"%s\"></div></div>"
		"<div class=\"utrecht-form-field utrecht-form-field--text\"><div class=\"utrecht-form-field__label\">"
		"<label class=\"utrecht-form-label\" for=\"password\">%s</label></div>"
		"<div class=\"utrecht-form-field__input\"><input class=\"utrecht-textbox utrecht-textbox--html-input\""
		" id=\"password\" name=\"password\" type=\"password\" autocomplete=\"current-password\" required></div></div>"
		"<div class=\"utrecht-form-field utrecht-form-field--text\"><div class=\"utrecht-form-field__label\">"
		"<label class=\"utrecht-form-label\" for=\"code\">%s</label></div>"
		"<div class=\"utrecht-form-field__input\"><input class=\"utrecht-textbox utrecht-textbox--html-input\""
		" id=\"code\" name=\"code\" inputmode=\"numeric\" autocomplete=\"one-time-code\" pattern=\"[0-9]{6}\""
		" maxlength=\"6\" required></div></div>"
		"<div class=\"utrecht-button-group\"><button type=\"submit\" id=\"signin\""
		" class=\"utrecht-button utrecht-button--primary-action\">%s</button></div></form>",
		pre, W_(q, "Gebruikersnaam"), name ? name : "", W_(q, "Wachtwoord"),
		W_(q, "Code uit de authenticator-app (6 cijfers)"), W_(q, "Aanmelden"));
	web_page_end(q, code);
}

void page_login(struct req *q)
{
	if (q->s)
		return web_redirect(q, "/");
	login_form(q, NULL, NULL, 200);
}

/* A request of our own for a reply that comes after dispatch returned. */
static void late_reply(struct login_job *j)
{
	struct evkeyvalq none;
	struct req q = { .of = j->of, .r = j->r, .query = &none, .path = "/login", .now = time(NULL) };
	struct session *s;

	TAILQ_INIT(&none);
	snprintf(q.addr, sizeof(q.addr), "%s", j->addr);
	q.lang = j->lang;
	q.out = evbuffer_new();
	if (!q.out)
		return evhttp_send_reply(j->r, 500, "Internal Server Error", NULL);
	if (j->res == AUTH_OK && (s = auth_session_new(j->name, j->role, q.now)) != NULL) {
		q.s = s;
		if (web_audit(&q, "sign-in", j->name) < 0) {
			auth_session_end(s);
			q.s = NULL;
			login_form(&q, "busy", j->name, 503);
		} else {
			set_cookie(j->r, "__Host-sid", s->id, 10 * 3600);
			web_redirect(&q, "/");
		}
	} else {
		audit_add(j->of->db, "-", j->addr, j->res == AUTH_THROTTLED ? "sign-in-throttled" : "sign-in-refused",
			  j->name);
		login_form(&q, j->res == AUTH_THROTTLED ? "throttled" : j->res == AUTH_OK ? "busy" : "bad", j->name,
			   j->res == AUTH_THROTTLED ? 429 : j->res == AUTH_BAD ? 401 : 503);
	}
	evbuffer_free(q.out);
}

static void on_conn_close(struct evhttp_connection *conn, void *arg)
{
	struct login_job *j = arg;

	(void)conn;
	j->r = NULL;
}

static void on_done(evutil_socket_t fd, short what, void *arg)
{
	struct login_job *j = arg;

	(void)fd, (void)what;
	if (j->r) {
		evhttp_connection_set_closecb(j->conn, NULL, NULL);
		late_reply(j);
	}
	sodium_memzero(j, sizeof(*j));
	free(j);
}

static void *worker(void *arg)
{
	struct login_job *j = arg;
	struct timeval now = { 0, 0 };

	j->res = auth_sign_in(j->of->db, j->name, j->pw, j->code, j->addr, j->now, &j->role);
	sodium_memzero(j->pw, sizeof(j->pw));
	if (event_base_once(j->of->base, -1, EV_TIMEOUT, on_done, j, &now) < 0)
		free(j);   /* the loop is gone: nobody waits for the reply */
	pthread_mutex_lock(&workers_lock);
	workers--;
	pthread_cond_broadcast(&workers_idle);
	pthread_mutex_unlock(&workers_lock);
	return NULL;
}

static int take_worker(void)
{
	int ok;

	pthread_mutex_lock(&workers_lock);
	ok = workers < WEB_LOGIN_WORKERS;
	workers += ok;
	pthread_mutex_unlock(&workers_lock);
	return ok;
}

static void give_back_worker(void)
{
	pthread_mutex_lock(&workers_lock);
	workers--;
	pthread_cond_broadcast(&workers_idle);
	pthread_mutex_unlock(&workers_lock);
}

void web_login_drain(void)
{
	pthread_mutex_lock(&workers_lock);
	while (workers > 0)
		pthread_cond_wait(&workers_idle, &workers_lock);
	pthread_mutex_unlock(&workers_lock);
}

/* 1 when the form's pre token equals the __Host-pre cookie (login CSRF). */
static int pre_token_ok(struct req *q)
{
	const char *c = evhttp_find_header(evhttp_request_get_input_headers(q->r), "Cookie");
	const char *field = web_arg(q, "pre"), *p = c ? strstr(c, "__Host-pre=") : NULL;

	if (!field || !p || strlen(field) != AUTH_TOKEN_LEN)
		return 0;
	p += strlen("__Host-pre=");
	return strcspn(p, ";") == AUTH_TOKEN_LEN && sodium_memcmp(p, field, AUTH_TOKEN_LEN) == 0;
}

static struct login_job *make_job(struct req *q, const char *name, const char *pw, const char *code)
{
	struct login_job *j = calloc(1, sizeof(*j));

	if (!j)
		return NULL;
	j->of = q->of;
	j->r = q->r;
	j->conn = evhttp_request_get_connection(q->r);
	j->now = q->now;
	snprintf(j->name, sizeof(j->name), "%s", name);
	snprintf(j->pw, sizeof(j->pw), "%s", pw);
	snprintf(j->code, sizeof(j->code), "%s", code);
	snprintf(j->addr, sizeof(j->addr), "%s", q->addr);
	snprintf(j->lang, sizeof(j->lang), "%s", q->lang);
	return j;
}

void page_login_post(struct req *q)
{
	const char *name = web_arg(q, "user"), *pw = web_arg(q, "password"), *code = web_arg(q, "code");
	struct login_job *j;
	pthread_t t;

	if (!pre_token_ok(q))
		return login_form(q, "expired", NULL, 403);
	if (!name || !pw || !code || strlen(name) >= AUTH_NAME_MAX || strlen(pw) >= 256 || strlen(code) >= 16)
		return login_form(q, "bad", NULL, 401);
	if (!take_worker()) {
		evhttp_add_header(evhttp_request_get_output_headers(q->r), "Retry-After", "2");
		return login_form(q, "busy", name, 503);
	}
	if (!(j = make_job(q, name, pw, code)) || pthread_create(&t, NULL, worker, j) != 0) {
		free(j);
		give_back_worker();
		return login_form(q, "busy", name, 503);
	}
	pthread_detach(t);
	evhttp_connection_set_closecb(j->conn, on_conn_close, j);
}

void page_logout_post(struct req *q)
{
	web_audit(q, "sign-out", q->s->user);
	auth_session_end(q->s);
	q->s = NULL;
	set_cookie(q->r, "__Host-sid", "", 0);
	web_redirect(q, "/login");
}
