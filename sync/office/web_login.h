/*
 * web_login.h — sign-in and sign-out pages (web_login.c). The password check (Argon2id,
 * ~0.4 s, 256 MiB) runs on at most WEB_LOGIN_WORKERS threads beside the event loop; a
 * sign-in beyond that gets 503 with Retry-After. The sign-in form carries its own CSRF
 * token, double-submitted in the __Host-pre cookie.
 */
#ifndef INLOOP_OFFICE_WEB_LOGIN_H
#define INLOOP_OFFICE_WEB_LOGIN_H

struct req;

#define WEB_LOGIN_WORKERS 2

void page_login(struct req *q);
void page_login_post(struct req *q);
void page_logout_post(struct req *q);

/* Waits until no password check is running (at shutdown). */
void web_login_drain(void);

#endif
