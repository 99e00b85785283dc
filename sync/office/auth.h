/*
 * auth.h — staff accounts, sign-in and sessions of the office.
 *
 * Passwords are hashed with Argon2id (libsodium crypto_pwhash_str_alg, MODERATE: 3 passes,
 * 256 MiB, 0.42 s on this machine, OFFICE.md §4); the second factor is TOTP (RFC 6238,
 * liboath, 6 digits, 30 s, one step either side, each step accepted once). An unknown
 * account is verified against a dummy hash so timing does not tell who exists.
 * Failed sign-ins are throttled per account and per address. Sessions live in memory
 * (a restart signs everyone out): a random 256-bit id in the __Host-sid cookie, a
 * separate CSRF token, an idle timeout and an absolute lifetime.
 */
#ifndef INLOOP_OFFICE_AUTH_H
#define INLOOP_OFFICE_AUTH_H

#include <sqlite3.h>
#include <stddef.h>
#include <time.h>

enum role {
	ROLE_TEAM = 1,          /* records */
	ROLE_COORD = 2,         /* records, assignment, audit, stats */
	ROLE_ICT = 4,           /* devices and accounts, never a record's contents */
};

#define AUTH_NAME_MAX 64
#define AUTH_TOKEN_LEN 43       /* 32 random bytes, base64url without padding */
#define AUTH_PASSWORD_LEN 20    /* generated passwords */
#define AUTH_SECRET_B32 33      /* 20-byte TOTP key in base32 (32 chars + NUL) */

/* "team" / "coordinator" / "ict" to a role; 0 for anything else. */
int auth_role_parse(const char *s);
const char *auth_role_name(int role);

/* 0 when name is a valid account name ([a-z0-9._@-], 1..63, starting with a letter/digit). */
int auth_name_ok(const char *name);

/* Initialises libsodium and liboath (auth_libs_init), and the dummy hash for the server
 * (auth_init, ~0.4 s); call one of them once before anything else. */
int auth_libs_init(void);
int auth_init(void);

/*
 * Adds (reset = 0) or resets (reset = 1: new password and new TOTP key, enabled again) an
 * account. password NULL generates one. The password used and the TOTP key in base32
 * are written to pw_out (AUTH_PASSWORD_LEN+1 bytes when generated; may be NULL when a
 * password was given) and secret_out (AUTH_SECRET_B32 bytes). 0 ok, -1 with an error.
 */
int auth_user_set(sqlite3 *db, const char *name, int role, const char *password, int reset,
		  char *pw_out, char *secret_out);

/* Disables an account and ends its sessions: 0 done, -1 no such account. */
int auth_user_disable(sqlite3 *db, const char *name);

/* Prints every account (name, role, state) to stdout. */
int auth_user_list(sqlite3 *db);

enum auth_result {
	AUTH_OK = 0,
	AUTH_BAD = 1,           /* wrong name, password or code (one answer for all three) */
	AUTH_THROTTLED = 2,     /* too many failures for this account or address */
	AUTH_ERROR = -1,
};

/*
 * Checks name + password + TOTP code at now, for a client at addr. Counts a failure
 * against both the account and the address; a success clears the account's count. On
 * AUTH_OK *role is set. The password check takes ~0.4 s (run it off the event loop).
 * Thread-safe (the throttle table has a lock; db must be opened FULLMUTEX).
 */
enum auth_result auth_sign_in(sqlite3 *db, const char *name, const char *password,
			      const char *code, const char *addr, time_t now, int *role);

/*
 * The throttle auth_sign_in uses, one table of AUTH_THROTTLE_SLOTS keys ("u:NAME" per
 * account, "a:ADDR" per address; 5 and 20 failures lock for 15 minutes). A locked entry is
 * never evicted to make room; a new key finding every slot locked is answered as throttled.
 * auth_throttled: 1 when acct or addr is locked (or cannot be tracked) at now.
 * auth_throttle_fail: counts one failure against both. Thread-safe.
 */
#define AUTH_THROTTLE_SLOTS 1024
#define AUTH_ACCOUNT_FAILS 5
#define AUTH_LOCK_SECS (15 * 60)
int auth_throttled(const char *acct, const char *addr, time_t now);
void auth_throttle_fail(const char *acct, const char *addr, time_t now);

struct session {
	char id[AUTH_TOKEN_LEN + 1];
	char csrf[AUTH_TOKEN_LEN + 1];
	char user[AUTH_NAME_MAX];
	int role;
	time_t created, seen;
};

/* A new session for user (role); NULL when the table is full. Owned by the table. */
struct session *auth_session_new(const char *user, int role, time_t now);

/* The live session of cookie value id (idle and absolute limits applied at now; a hit
 * refreshes seen), or NULL. */
struct session *auth_session_find(const char *id, time_t now, int idle_secs);

/* Ends one session (NULL ok), or every session of user. */
void auth_session_end(struct session *s);
void auth_session_end_user(const char *user);

/* 1 when token equals the session's CSRF token (constant time). */
int auth_csrf_ok(const struct session *s, const char *token);

/* A fresh random token (AUTH_TOKEN_LEN chars + NUL) into out. */
void auth_token(char out[AUTH_TOKEN_LEN + 1]);

#endif
