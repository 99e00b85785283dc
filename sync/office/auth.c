/*
 * auth.c — accounts (Argon2id + TOTP), the sign-in throttle and sessions (auth.h).
 */
#include "sync/office/auth.h"
#include "sync/office/odb.h"
#include "platform/util.h"

#include <liboath/oath.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#define TOTP_KEY_LEN 20
#define TOTP_STEP 30
#define TOTP_DIGITS 6
#define ACCOUNT_FAILS AUTH_ACCOUNT_FAILS   /* failures before an account is locked */
#define ADDRESS_FAILS 20        /* failures before an address is locked */
#define LOCK_SECS AUTH_LOCK_SECS   /* lock and counting window */
#define SESSION_MAX 256
#define SESSION_LIFETIME (10 * 3600)
#define THROTTLE_MAX AUTH_THROTTLE_SLOTS

static char dummy_hash[crypto_pwhash_STRBYTES];

static const struct { int role; const char *name; } roles[] = {
	{ ROLE_TEAM, "team" }, { ROLE_COORD, "coordinator" }, { ROLE_ICT, "ict" },
};

int auth_role_parse(const char *s)
{
	for (size_t i = 0; s && i < sizeof(roles) / sizeof(roles[0]); i++)
		if (!strcmp(s, roles[i].name))
			return roles[i].role;
	return 0;
}

const char *auth_role_name(int role)
{
	for (size_t i = 0; i < sizeof(roles) / sizeof(roles[0]); i++)
		if (roles[i].role == role)
			return roles[i].name;
	return "?";
}

int auth_name_ok(const char *name)
{
	size_t n = strlen(name);

	if (n == 0 || n >= AUTH_NAME_MAX || !strchr("abcdefghijklmnopqrstuvwxyz0123456789", name[0]))
		return -1;
	return strspn(name, "abcdefghijklmnopqrstuvwxyz0123456789._@-") == n ? 0 : -1;
}

static int hash_password(const char *pw, char out[crypto_pwhash_STRBYTES])
{
	if (crypto_pwhash_str_alg(out, pw, strlen(pw), crypto_pwhash_OPSLIMIT_MODERATE,
				  crypto_pwhash_MEMLIMIT_MODERATE, crypto_pwhash_ALG_ARGON2ID13) != 0)
		return error("cannot hash the password (out of memory?)");
	return 0;
}

int auth_libs_init(void)
{
	if (sodium_init() < 0)
		return error("libsodium cannot start");
	if (oath_init() != OATH_OK)
		return error("liboath cannot start");
	return 0;
}

int auth_init(void)
{
	char pw[AUTH_TOKEN_LEN + 1];

	if (auth_libs_init() < 0)
		return -1;
	auth_token(pw);
	return hash_password(pw, dummy_hash);
}

void auth_token(char out[AUTH_TOKEN_LEN + 1])
{
	unsigned char raw[32];

	randombytes_buf(raw, sizeof(raw));
	sodium_bin2base64(out, AUTH_TOKEN_LEN + 1, raw, sizeof(raw), sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	sodium_memzero(raw, sizeof(raw));
}

/* A readable random password: 20 characters without look-alikes (0/O, 1/l/I). */
static void make_password(char out[AUTH_PASSWORD_LEN + 1])
{
	static const char alphabet[] = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";

	for (int i = 0; i < AUTH_PASSWORD_LEN; i++)
		out[i] = alphabet[randombytes_uniform(sizeof(alphabet) - 1)];
	out[AUTH_PASSWORD_LEN] = '\0';
}

static int store_user(sqlite3 *db, const char *name, int role, const char *hash,
		      const unsigned char *key, int reset)
{
	sqlite3_stmt *st = odb_prep(db, reset ?
		"UPDATE users SET pwhash = ?3, totp = ?4, last_step = 0, disabled = 0,"
		" role = coalesce(nullif(?2, ''), role) WHERE name = ?1" :
		"INSERT INTO users(name, role, pwhash, totp, created_at) VALUES(?1, ?2, ?3, ?4, ?5)");
	int rc;

	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, role ? auth_role_name(role) : "", -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, hash, -1, SQLITE_STATIC);
	sqlite3_bind_blob(st, 4, key, TOTP_KEY_LEN, SQLITE_STATIC);
	sqlite3_bind_int64(st, 5, (sqlite3_int64)time(NULL));
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc == SQLITE_CONSTRAINT)
		return error("account %s exists already (use `user reset`)", name);
	if (rc != SQLITE_DONE)
		return error("cannot store account %s: %s", name, sqlite3_errmsg(db));
	if (reset && sqlite3_changes(db) != 1)
		return error("no account %s", name);
	return 0;
}

int auth_user_set(sqlite3 *db, const char *name, int role, const char *password, int reset,
		  char *pw_out, char *secret_out)
{
	char gen[AUTH_PASSWORD_LEN + 1], hash[crypto_pwhash_STRBYTES], *b32 = NULL;
	unsigned char key[TOTP_KEY_LEN];
	size_t b32len = 0;
	int rc = -1;

	if (auth_name_ok(name) < 0)
		return error("account name %s: use a-z 0-9 . _ @ -, at most 63, starting with a letter or digit",
			     name);
	if (!reset && !role)
		return error("an account needs a role: team, coordinator or ict");
	if (password && strlen(password) < 12)
		return error("a password needs at least 12 characters");
	if (!password) {
		make_password(gen);
		password = gen;
	}
	randombytes_buf(key, sizeof(key));
	if (hash_password(password, hash) == 0 &&
	    oath_base32_encode((const char *)key, sizeof(key), &b32, &b32len) == OATH_OK &&
	    b32len < AUTH_SECRET_B32 && store_user(db, name, role, hash, key, reset) == 0) {
		snprintf(secret_out, AUTH_SECRET_B32, "%s", b32);
		if (pw_out && password == gen)
			snprintf(pw_out, AUTH_PASSWORD_LEN + 1, "%s", gen);
		rc = 0;
	}
	if (b32)
		util_clear_free(b32);
	sodium_memzero(key, sizeof(key));
	sodium_memzero(gen, sizeof(gen));
	return rc;
}

int auth_user_disable(sqlite3 *db, const char *name)
{
	sqlite3_stmt *st = odb_prep(db, "UPDATE users SET disabled = 1 WHERE name = ?1");
	int rc;

	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE || sqlite3_changes(db) != 1)
		return error("no account %s", name);
	auth_session_end_user(name);
	return 0;
}

int auth_user_list(sqlite3 *db)
{
	sqlite3_stmt *st = odb_prep(db, "SELECT name, role, disabled FROM users ORDER BY name");

	if (!st)
		return -1;
	while (sqlite3_step(st) == SQLITE_ROW)
		printf("%s %s %s\n", sqlite3_column_text(st, 0), sqlite3_column_text(st, 1),
		       sqlite3_column_int(st, 2) ? "disabled" : "active");
	sqlite3_finalize(st);
	return 0;
}

/* ---- throttle ---- */

struct throttle {
	char key[AUTH_NAME_MAX + 16];
	int fails;
	time_t first, locked_until;
};

static struct throttle throttles[THROTTLE_MAX];
static pthread_mutex_t throttle_lock = PTHREAD_MUTEX_INITIALIZER;

/* 1 when slot t is a better one to reuse than spare: an empty slot beats any other, then
 * the unlocked one with the oldest window; a locked slot never qualifies. */
static int better_spare(const struct throttle *t, const struct throttle *spare, time_t now)
{
	if (!t->key[0])
		return !spare || spare->key[0];
	if (t->locked_until > now)
		return 0;
	return !spare || (spare->key[0] && t->first < spare->first);
}

/* The entry of key, made when absent in an empty slot or else in the unlocked slot with the
 * oldest window; a locked entry is never evicted, so fresh keys cannot clear a lock. NULL
 * when key is absent and every slot holds a locked key. Caller holds the lock. */
static struct throttle *throttle_of(const char *key, time_t now)
{
	struct throttle *spare = NULL;

	for (int i = 0; i < THROTTLE_MAX; i++) {
		struct throttle *t = &throttles[i];
		if (t->key[0] && !strcmp(t->key, key)) {
			if (now - t->first > LOCK_SECS && now >= t->locked_until)
				t->fails = 0, t->first = now;
			return t;
		}
		if (better_spare(t, spare, now))
			spare = t;
	}
	if (!spare)
		return NULL;
	memset(spare, 0, sizeof(*spare));
	snprintf(spare->key, sizeof(spare->key), "%s", key);
	spare->first = now;
	return spare;
}

/* 1 when the entry of key is locked at now, or key cannot be tracked (the table is full of
 * locked keys: refused as throttled, never let through). Caller holds the lock. */
static int key_locked(const char *key, time_t now)
{
	struct throttle *t = throttle_of(key, now);

	return !t || t->locked_until > now;
}

int auth_throttled(const char *acct, const char *addr, time_t now)
{
	int locked;

	pthread_mutex_lock(&throttle_lock);
	locked = key_locked(acct, now) || key_locked(addr, now);
	pthread_mutex_unlock(&throttle_lock);
	return locked;
}

/* Counts one failure against key's entry (when it has one), locking it at limit. */
static void fail_key(const char *key, int limit, time_t now)
{
	struct throttle *t = throttle_of(key, now);

	if (t && ++t->fails >= limit)
		t->locked_until = now + LOCK_SECS;
}

void auth_throttle_fail(const char *acct, const char *addr, time_t now)
{
	pthread_mutex_lock(&throttle_lock);
	fail_key(acct, ACCOUNT_FAILS, now);
	fail_key(addr, ADDRESS_FAILS, now);
	pthread_mutex_unlock(&throttle_lock);
}

static void clear_failures(const char *acct, time_t now)
{
	struct throttle *t;

	pthread_mutex_lock(&throttle_lock);
	if ((t = throttle_of(acct, now)) != NULL)
		t->fails = 0;
	pthread_mutex_unlock(&throttle_lock);
}

/* ---- sign-in ---- */

struct account {
	char hash[crypto_pwhash_STRBYTES];
	unsigned char key[TOTP_KEY_LEN];
	long long last_step;
	int role, found;
};

static int load_account(sqlite3 *db, const char *name, struct account *a)
{
	sqlite3_stmt *st = odb_prep(db, "SELECT pwhash, totp, last_step, role FROM users"
				    " WHERE name = ?1 AND disabled = 0");
	int rc;

	memset(a, 0, sizeof(*a));
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW && sqlite3_column_bytes(st, 1) == TOTP_KEY_LEN) {
		snprintf(a->hash, sizeof(a->hash), "%s", (const char *)sqlite3_column_text(st, 0));
		memcpy(a->key, sqlite3_column_blob(st, 1), TOTP_KEY_LEN);
		a->last_step = sqlite3_column_int64(st, 2);
		a->role = auth_role_parse((const char *)sqlite3_column_text(st, 3));
		a->found = a->role != 0;
	}
	sqlite3_finalize(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : -1;
}

/* Accepts code once: its time step must be newer than the last one used (no replay). */
static int totp_ok(sqlite3 *db, const char *name, struct account *a, const char *code, time_t now)
{
	sqlite3_stmt *st;
	uint64_t step = 0;
	int pos, rc;

	if (strlen(code) != TOTP_DIGITS || strspn(code, "0123456789") != TOTP_DIGITS)
		return 0;
	rc = oath_totp_validate3((const char *)a->key, TOTP_KEY_LEN, now, TOTP_STEP, 0, 1, &pos, &step, code);
	if (rc < 0 || (long long)step <= a->last_step)
		return 0;
	st = odb_prep(db, "UPDATE users SET last_step = ?2 WHERE name = ?1 AND last_step < ?2");
	if (!st)
		return 0;
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)step);
	rc = sqlite3_step(st) == SQLITE_DONE && sqlite3_changes(db) == 1;
	sqlite3_finalize(st);
	return rc;
}

enum auth_result auth_sign_in(sqlite3 *db, const char *name, const char *password,
			      const char *code, const char *addr, time_t now, int *role)
{
	char acct[AUTH_NAME_MAX + 16], where[AUTH_NAME_MAX + 16];
	struct account a;
	int pw_ok, ok;

	snprintf(acct, sizeof(acct), "u:%.63s", name);
	snprintf(where, sizeof(where), "a:%.63s", addr);
	if (auth_throttled(acct, where, now))
		return AUTH_THROTTLED;
	if (load_account(db, name, &a) < 0)
		return AUTH_ERROR;
	pw_ok = crypto_pwhash_str_verify(a.found ? a.hash : dummy_hash, password, strlen(password)) == 0;
	ok = a.found && pw_ok && totp_ok(db, name, &a, code, now);
	*role = a.role;
	sodium_memzero(&a, sizeof(a));
	if (!ok) {
		auth_throttle_fail(acct, where, now);
		return AUTH_BAD;
	}
	clear_failures(acct, now);
	return AUTH_OK;
}

/* ---- sessions (touched only by the event loop's thread) ---- */

static struct session sessions[SESSION_MAX];

struct session *auth_session_new(const char *user, int role, time_t now)
{
	struct session *s = NULL;

	for (int i = 0; i < SESSION_MAX && !s; i++)
		if (!sessions[i].id[0] || now - sessions[i].created > SESSION_LIFETIME)
			s = &sessions[i];
	if (!s)
		return NULL;
	auth_token(s->id);
	auth_token(s->csrf);
	snprintf(s->user, sizeof(s->user), "%s", user);
	s->role = role;
	s->created = s->seen = now;
	return s;
}

struct session *auth_session_find(const char *id, time_t now, int idle_secs)
{
	if (!id || strlen(id) != AUTH_TOKEN_LEN)
		return NULL;
	for (int i = 0; i < SESSION_MAX; i++) {
		struct session *s = &sessions[i];
		if (!s->id[0] || sodium_memcmp(s->id, id, AUTH_TOKEN_LEN) != 0)
			continue;
		if (now - s->seen > idle_secs || now - s->created > SESSION_LIFETIME) {
			auth_session_end(s);
			return NULL;
		}
		s->seen = now;
		return s;
	}
	return NULL;
}

void auth_session_end(struct session *s)
{
	if (s)
		sodium_memzero(s, sizeof(*s));
}

void auth_session_end_user(const char *user)
{
	for (int i = 0; i < SESSION_MAX; i++)
		if (sessions[i].id[0] && !strcmp(sessions[i].user, user))
			auth_session_end(&sessions[i]);
}

int auth_csrf_ok(const struct session *s, const char *token)
{
	return s && token && strlen(token) == AUTH_TOKEN_LEN &&
	       sodium_memcmp(s->csrf, token, AUTH_TOKEN_LEN) == 0;
}
