/*
 * cmd_consultant.c — `inloop consultant add|request|cert|list|remove|disabled`: the
 * consultants of a field laptop (sync/device/consultant.h). The passphrase is read from
 * stdin or from --passphrase-fd N, never from the command line (argv is visible to every
 * user). `add` and `request` print `csr: PATH` (the request for the office's CA); `cert`
 * installs the certificate the CA issued for it (visits are sealed to it). Certificates
 * last 2 years: `list` warns from 30 days before the end, and `request` then makes the
 * renewal's CSR (the same key; the CA takes it for the same device).
 */
#include "app/kiosk/commands.h"
#include "sync/device/consultant.h"
#include "platform/util.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static int usage(void)
{
	fputs("usage: inloop [--state DIR] consultant add NAME [--passphrase-fd N]   (passphrase on stdin)\n"
	      "       inloop [--state DIR] consultant request NAME [--passphrase-fd N]   (a key pair and CSR; a renewal's\n"
	      "                                                   CSR from 30 days before the certificate ends)\n"
	      "       inloop [--state DIR] consultant cert NAME FILE.pem   (the office's certificate)\n"
	      "       inloop [--state DIR] consultant list\n"
	      "       inloop [--state DIR] consultant remove NAME\n"
	      "       inloop [--state DIR] consultant disabled FILE.json   (the office's list: removes those)\n",
	      stderr);
	return 2;
}

/* The passphrase's file descriptor from NAME [--passphrase-fd N]; -1 on a usage error. */
static int pass_fd(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "--passphrase-fd"))
		return atoi(argv[2]);
	return argc == 1 ? 0 : -1;
}

static int print_csr(const char *state, const char *id)
{
	char path[4200];

	if (consultant_file(state, id, "csr", path, sizeof(path)) < 0 || access(path, F_OK) != 0)
		return 1;
	printf("csr: %s\n", path);
	return 0;
}

static int add(const char *state, int argc, char **argv)
{
	char pass[CONSULTANT_PASS_MAX + 2];
	int fd = pass_fd(argc, argv), len, rc;

	if (fd < 0)
		return usage();
	if (util_mkdirs(state, 0700) < 0)
		return 1;
	len = consultant_read_pass(fd, pass, sizeof(pass));
	rc = len < 0 ? -1 : consultant_add(state, argv[0], pass, (size_t)len);
	sodium_memzero(pass, sizeof(pass));
	if (rc < 0)
		return 1;
	printf("consultant %s enrolled on this device\n", argv[0]);
	return print_csr(state, argv[0]);
}

/* A key pair and CSR for a consultant enrolled before keys existed (or whose CSR got lost),
 * or the renewal's CSR of a certificate near its end. */
static int request(const char *state, int argc, char **argv)
{
	char pass[CONSULTANT_PASS_MAX + 2];
	unsigned char key[CONSULTANT_KEY_BYTES];
	int fd = pass_fd(argc, argv), len, rc, wait = 0, renew;

	if (fd < 0)
		return usage();
	len = consultant_read_pass(fd, pass, sizeof(pass));
	rc = len < 0 ? -1 : consultant_unlock(state, argv[0], pass, (size_t)len, key, &wait);
	sodium_memzero(pass, sizeof(pass));
	if (rc != CONSULTANT_OK) {
		sodium_memzero(key, sizeof(key));
		if (rc > 0)
			error(rc == CONSULTANT_UNKNOWN ? "consultant %s is not enrolled on this device" :
			      rc == CONSULTANT_WAIT ? "consultant %s: too many wrong attempts, wait and try again" :
			      rc == CONSULTANT_LOCKED ? "consultant %s is locked: enrol again" :
			      "consultant %s: wrong passphrase", argv[0]);
		return 1;
	}
	renew = consultant_has_cert(state, argv[0]);
	rc = consultant_request(state, argv[0], key, NULL, 0);
	sodium_memzero(key, sizeof(key));
	if (rc == 0 && renew)
		printf("renewal of consultant %s: the office's CA issues a new certificate for this request"
		       " (inloopctl consultant enroll CSR --device DEVICE); install it with"
		       " inloop consultant cert %s FILE\n", argv[0], argv[0]);
	return rc < 0 ? 1 : print_csr(state, argv[0]);
}

static int cert(const char *state, const char *id, const char *file)
{
	if (consultant_install_cert(state, id, file) < 0)
		return 1;
	printf("certificate of consultant %s installed: visits for %s reach this laptop\n", id, id);
	return 0;
}

static int list(const char *state)
{
	char ids[CONSULTANT_MAX][CONSULTANT_ID_MAX];
	int n = consultant_list(state, ids, CONSULTANT_MAX);

	for (int i = 0; i < n; i++) {
		int f = consultant_failures(state, ids[i]), days = 0;
		char end[11], renew[200] = "";
		if (consultant_cert_days(state, ids[i], (long long)time(NULL), &days, end) == 0 &&
		    days <= VISIT_CONSULTANT_RENEW_DAYS)
			snprintf(renew, sizeof(renew), days < 0 ? " (certificate expired on %s: renew with inloop consultant request %s)" :
				 " (certificate ends on %s: renew with inloop consultant request %s)", end, ids[i]);
		printf("%s%s%s\n", ids[i], f >= CONSULTANT_LOCK_AFTER ? " (locked: enrol again from the office)" : "", renew);
	}
	return n < 0;
}

static int disabled(const char *state, const char *file)
{
	json_t *v = util_json_load_file(file, 1024 * 1024);
	int n;

	if (!v)
		return 1;
	n = consultant_apply_disabled(state, v);
	json_decref(v);
	if (n < 0)
		return 1;
	printf("%d consultant(s) removed\n", n);
	return 0;
}

int cmd_consultant(const struct inloop_opts *o, int argc, char **argv)
{
	if (argc >= 2 && !strcmp(argv[0], "add"))
		return add(o->state, argc - 1, argv + 1);
	if (argc >= 2 && !strcmp(argv[0], "request"))
		return request(o->state, argc - 1, argv + 1);
	if (argc == 3 && !strcmp(argv[0], "cert"))
		return cert(o->state, argv[1], argv[2]);
	if (argc == 1 && !strcmp(argv[0], "list"))
		return list(o->state);
	if (argc == 2 && !strcmp(argv[0], "remove"))
		return consultant_remove(o->state, argv[1]) < 0;
	if (argc == 2 && !strcmp(argv[0], "disabled"))
		return disabled(o->state, argv[1]);
	return usage();
}
