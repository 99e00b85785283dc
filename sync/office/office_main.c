/*
 * office_main.c — build/inloop-office: the debt-help team's web office (issue 11).
 *   inloop-office --dir DIR [--listen HOST:PORT] [--idle SECS] [--retention-days N] [--static DIR]
 *   inloop-office --dir DIR setup | user add|reset|disable|list ... | audit-verify | reindex [--retry]
 * DIR is the layout root (sync/casestore/layout.h: casestore/store.sqlite, office/casestore.key, ca/); the office keeps its
 * own state in DIR/office/ (office.sqlite, tls.pem/.key, audit.head).
 */
#include "sync/office/web.h"
#include "sync/office/audit.h"
#include "sync/office/auth.h"
#include "sync/office/odb.h"
#include "sync/office/oindex.h"
#include "sync/office/openrec.h"
#include "sync/office/vault.h"
#include "sync/casestore/store.h"
#include "sync/record/pki.h"
#include "platform/util.h"
#include "platform/platform.h"

#include <libgen.h>
#include <string.h>
#include <limits.h>
#include <stdlib.h>
#include <unistd.h>

#define OFFICE_ISSUER "Gemeente Voorbeeld"

static void usage(FILE *f)
{
	fprintf(f, "usage: inloop-office --dir DIR [--listen HOST:PORT] [--idle SECS] [--retention-days N]"
		   " [--static DIR]\n"
		   "       inloop-office --dir DIR setup\n"
		   "       inloop-office --dir DIR user add NAME --role team|coordinator|ict [--password-stdin]\n"
		   "       inloop-office --dir DIR user reset NAME [--password-stdin]\n"
		   "       inloop-office --dir DIR user disable NAME\n"
		   "       inloop-office --dir DIR user list\n"
		   "       inloop-office --dir DIR audit-verify\n"
		   "       inloop-office --dir DIR reindex [--retry]\n"
		   "  --dir DIR            case-store folder (CA, opening key, store.sqlite); office state in DIR/office\n"
		   "  --listen HOST:PORT   HTTPS address (default 127.0.0.1:%d; port 0 picks one)\n"
		   "  --idle SECS          sign out after this long without a request (default 900)\n"
		   "  --retention-days N   erase contents N days after first conversation and hand-over (default 90)\n"
		   "  --static DIR         the built NL Design System files (default: next to the program)\n"
		   "setup makes the office's TLS certificate (DIR/office/tls.pem) from the CA in DIR.\n"
		   "user add/reset print the password and the TOTP secret (and its otpauth URI) once.\n"
		   "reindex indexes what arrived since the office last looked; --retry also opens the\n"
		   "records it refused again (after a key, the form or the holiday table changed).\n",
		WEB_DEFAULT_PORT);
}

/* The office's TLS certificate: a P-256 key and a serverAuth certificate from the CA. */
static int cmd_setup(const char *dir)
{
	char path[4096], folder[4096];
	X509 *ca = NULL, *cert = NULL;
	EVP_PKEY *cakey = NULL, *key = NULL;
	int rc = -1;

	if (odb_path(path, sizeof(path), dir, "tls.pem") < 0 || util_fmt(folder, sizeof(folder), "%s/office", dir) < 0)
		return 1;
	if (access(path, F_OK) == 0)
		return error("%s exists already; remove it to make a new one", path), 1;
	if (util_fmt(path, sizeof(path), "%s/ca/ca.pem", dir) < 0 || pki_load_cert(path, &ca) < 0 ||
	    util_fmt(path, sizeof(path), "%s/ca/ca.key", dir) < 0 || pki_load_key(path, &cakey) < 0)
		goto out;
	if (util_mkdirs(folder, 0700) == 0 && pki_keygen(&key) == 0 &&
	    pki_issue(ca, cakey, key, OFFICE_ISSUER, "localhost", PKI_SERVER, 825, &cert) == 0 &&
	    odb_path(path, sizeof(path), dir, "tls.key") == 0 && pki_write_key(path, key) == 0 &&
	    odb_path(path, sizeof(path), dir, "tls.pem") == 0 && pki_write_cert(path, cert) == 0)
		rc = 0;
out:
	X509_free(ca);
	X509_free(cert);
	EVP_PKEY_free(cakey);
	EVP_PKEY_free(key);
	if (rc == 0)
		printf("office certificate %s (localhost, 127.0.0.1) from %s/ca.pem\n", path, dir);
	return rc == 0 ? 0 : 1;
}

/* One line from stdin without its newline into buf (a password); -1 when empty. */
static int read_password(char *buf, size_t size)
{
	size_t n;

	if (!fgets(buf, (int)size, stdin))
		return error("no password on stdin");
	n = strcspn(buf, "\r\n");
	buf[n] = '\0';
	return n ? 0 : error("empty password on stdin");
}

/* Prints the enrolment of an account: password (when generated), secret, otpauth URI. */
static void print_enrolment(const char *name, const char *pw, const char *secret)
{
	if (pw && pw[0])
		printf("password: %s\n", pw);
	printf("totp-secret: %s\n", secret);
	printf("otpauth: otpauth://totp/Gemeente%%20Voorbeeld:%s?secret=%s&issuer=Gemeente%%20Voorbeeld"
	       "&algorithm=SHA1&digits=6&period=30\n", name, secret);
}

static int cmd_user(const char *dir, int argc, char **argv)
{
	char pw[256] = "", gen[AUTH_PASSWORD_LEN + 1] = "", secret[AUTH_SECRET_B32];
	const char *verb = argc > 0 ? argv[0] : "", *name = argc > 1 ? argv[1] : NULL;
	int role = 0, from_stdin = 0, rc = -1;
	sqlite3 *db = NULL;

	for (int i = 2; i < argc; i++) {
		if (!strcmp(argv[i], "--role") && i + 1 < argc && (role = auth_role_parse(argv[++i])) != 0)
			continue;
		if (!strcmp(argv[i], "--password-stdin")) {
			from_stdin = 1;
			continue;
		}
		return error("user: unknown option or bad value: %s", argv[i]), 2;
	}
	if (!strcmp(verb, "list"))
		return odb_open(dir, &db) < 0 ? 1 : (rc = auth_user_list(db), sqlite3_close(db), rc < 0);
	if (!name || (strcmp(verb, "add") && strcmp(verb, "reset") && strcmp(verb, "disable")))
		return usage(stderr), 2;
	if (from_stdin && read_password(pw, sizeof(pw)) < 0)
		return 1;
	if (auth_libs_init() < 0 || odb_open(dir, &db) < 0)
		return 1;
	audit_init(dir);
	if (!strcmp(verb, "disable"))
		rc = auth_user_disable(db, name);
	else
		rc = auth_user_set(db, name, role, from_stdin ? pw : NULL, !strcmp(verb, "reset"), gen, secret);
	if (rc == 0)
		rc = audit_add(db, "inloop-office", "cli", !strcmp(verb, "add") ? "user-add" :
			       !strcmp(verb, "reset") ? "user-reset" : "user-disable", name);
	if (rc == 0 && strcmp(verb, "disable"))
		print_enrolment(name, gen, secret);
	else if (rc == 0)
		printf("account %s disabled\n", name);
	util_cleanse(pw, sizeof(pw));
	util_cleanse(gen, sizeof(gen));
	util_cleanse(secret, sizeof(secret));
	sqlite3_close(db);
	return rc == 0 ? 0 : 1;
}

static int cmd_audit_verify(const char *dir)
{
	char why[256] = "";
	long long lines = 0;
	sqlite3 *db = NULL;
	int rc;

	if (odb_open(dir, &db) < 0)
		return 1;
	audit_init(dir);
	rc = audit_verify(db, &lines, why, sizeof(why));
	sqlite3_close(db);
	if (rc < 0)
		return error("audit log broken: %s", why), 1;
	printf("audit log intact: %lld lines\n", lines);
	return 0;
}

/* Prints what reindex did (counts only: never an id's contents). */
static void print_reindex(int retry, long long added, long long tried, long long indexed, long long filled)
{
	printf("indexed %lld new record(s)\n", added);
	if (retry)
		printf("tried %lld refused record(s) again: %lld now indexed, %lld still refused\n",
		       tried, indexed, tried - indexed);
	if (filled)
		printf("sealed the list fields of %lld older row(s)\n", filled);
}

/* reindex [--retry]: the index brought up to date by hand, as a start of the office does. */
static int cmd_reindex(const char *dir, int argc, char **argv)
{
	char office[4096], cs[4096], where[4096];
	long long added = 0, tried = 0, indexed = 0, filled = 0;
	int retry = argc == 1 && !strcmp(argv[0], "--retry"), rc = -1;
	struct openrec k = { 0 };
	struct vault *v = NULL;
	struct store *s = NULL;
	sqlite3 *db = NULL;

	if (argc > 1 || (argc == 1 && !retry))
		return usage(stderr), 2;
	if (util_fmt(office, sizeof(office), "%s/office", dir) < 0 ||
	    util_fmt(cs, sizeof(cs), "%s/casestore", dir) < 0 || odb_open(dir, &db) < 0 ||
	    openrec_load(office, &k) < 0 || vault_load(office, &v) < 0 ||
	    store_where(office, cs, where, sizeof(where)) < 0 || store_open(where, STORE_READONLY, &s) < 0)
		goto out;
	if ((!retry || oindex_retry(db, s, &k, v, &tried, &indexed) == 0) &&
	    oindex_fill_person(db, s, &k, v, &filled) == 0 && oindex_sync(db, s, &k, v, &added) == 0)
		rc = 0;
	if (rc == 0)
		print_reindex(retry, added, tried, indexed, filled);
out:
	store_close(s);
	vault_free(v);
	openrec_release(&k);
	sqlite3_close(db);
	return rc == 0 ? 0 : 1;
}

/* The default static folder: <program's folder>/office/static. */
/* A whole number from 0 to max, digits only: "9O", "", "-1" or "x" is refused (atoi would
 * give 9 or 0, and --retention-days 0 erases every handed-over record at once). */
static int count_arg(const char *opt, const char *s, long max, int *out)
{
	char *end = NULL;
	long v;

	if (!*s || strspn(s, "0123456789") != strlen(s) || (v = strtol(s, &end, 10)) > max || *end)
		return error("%s needs a whole number from 0 to %ld, not \"%s\"", opt, max, s), -1;
	*out = (int)v;
	return 0;
}

static int default_static(char *buf, size_t size)
{
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);

	if (n <= 0)
		return error("cannot find the program's folder; pass --static DIR");
	exe[n] = '\0';
	return util_fmt(buf, size, "%s/office/static", dirname(exe));
}

int main(int argc, char **argv)
{
	static char static_dir[PATH_MAX];
	struct web_opts o;
	int i;

	platform_harden_process();
	platform_use_dutch_time();
	util_json_wipe_on_free();
	setvbuf(stderr, NULL, _IOLBF, 0);
	web_opts_defaults(&o);
	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h"))
			return usage(stdout), 0;
		if (i + 1 >= argc)
			return error("%s needs a value", argv[i]), usage(stderr), 2;
		if (!strcmp(argv[i], "--dir"))
			o.dir = argv[++i];
		else if (!strcmp(argv[i], "--listen")) {
			if (util_listen_spec(argv[++i], &o.host, &o.port) < 0)
				return 2;
		} else if (!strcmp(argv[i], "--idle")) {
			if (count_arg("--idle", argv[++i], 7 * 24 * 3600, &o.idle_secs) < 0)
				return 2;
		} else if (!strcmp(argv[i], "--retention-days")) {
			if (count_arg("--retention-days", argv[++i], 100 * 366, &o.retention_days) < 0)
				return 2;
		} else if (!strcmp(argv[i], "--static"))
			o.static_dir = argv[++i];
		else
			return error("unknown option %s", argv[i]), usage(stderr), 2;
	}
	if (!o.dir || o.idle_secs <= 0 || o.retention_days < 0)
		return usage(stderr), 2;
	if (i < argc && !strcmp(argv[i], "setup") && i + 1 == argc)
		return cmd_setup(o.dir);
	if (i < argc && !strcmp(argv[i], "user"))
		return cmd_user(o.dir, argc - i - 1, argv + i + 1);
	if (i < argc && !strcmp(argv[i], "audit-verify") && i + 1 == argc)
		return cmd_audit_verify(o.dir);
	if (i < argc && !strcmp(argv[i], "reindex"))
		return cmd_reindex(o.dir, argc - i - 1, argv + i + 1);
	if (i < argc)
		return error("unknown command %s", argv[i]), usage(stderr), 2;
	if (!o.static_dir) {
		if (default_static(static_dir, sizeof(static_dir)) < 0)
			return 1;
		o.static_dir = static_dir;
	}
	return web_run(&o) < 0 ? 1 : 0;
}
