/*
 * cmd_host.c — `inloop host-pin [--clear]`: sets the staff member's PIN for host mode.
 * The PIN (4 to 12 digits) is read from the first line of stdin, never from the command
 * line (it would show in ps and the shell's history), hashed with Argon2id
 * (libsodium crypto_pwhash_str_alg, the interactive limits: the kiosk checks it on the
 * UI thread) and stored as config.json's "host_pin"; the digits are wiped. Setting or
 * clearing the PIN also ends a wait earned by wrong PINs (status.json). The kiosk reads
 * the new PIN at its next start.
 */
#include "app/kiosk/commands.h"
#include "app/kiosk/host.h"
#include "platform/util.h"
#include "sync/device/config.h"
#include "sync/device/status.h"

#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#define CONFIG_MAX (64 * 1024)

/* Reads one line of digits from stdin into pin. 0, or -1 with a reason (no digits). */
static int read_pin(char pin[HOST_PIN_MAX + 2])
{
	size_t n;

	if (!fgets(pin, HOST_PIN_MAX + 2, stdin))
		return error("host-pin: give the PIN on stdin (4 to %d digits)", HOST_PIN_MAX);
	n = strcspn(pin, "\r\n");
	if (pin[n] != '\n' && pin[n] != '\r' && !feof(stdin) && n > HOST_PIN_MAX)
		return error("host-pin: the PIN is longer than %d digits", HOST_PIN_MAX);
	pin[n] = '\0';
	if (n < HOST_PIN_MIN || n > HOST_PIN_MAX || strspn(pin, "0123456789") != n)
		return error("host-pin: the PIN must be %d to %d digits", HOST_PIN_MIN, HOST_PIN_MAX);
	return 0;
}

/* Sets (hash) or removes (NULL) "host_pin" in STATE/config.json, keeping every other key. */
static int write_config(const char *state, const char *hash)
{
	char path[4096], *text = NULL;
	size_t len;
	json_error_t je;
	json_t *root;
	int rc = -1;

	if (util_fmt(path, sizeof(path), "%s/config.json", state) < 0 ||
	    util_read_file(path, CONFIG_MAX, &text, &len) < 0)
		return -1;
	root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
	free(text);
	text = NULL;
	if (!json_is_object(root))
		error("%s: not a JSON object (%s)", path, je.text);
	else if (hash ? json_object_set_new(root, "host_pin", json_string(hash)) == 0
		      : (json_object_del(root, "host_pin"), 1))
		text = json_dumps(root, JSON_INDENT(2) | JSON_SORT_KEYS);
	if (text)
		rc = util_write_file(path, text, strlen(text), 0600);
	free(text);
	json_decref(root);
	return rc;
}

int cmd_host_pin(const struct inloop_opts *o, int argc, char **argv)
{
	char pin[HOST_PIN_MAX + 2] = "", hash[crypto_pwhash_STRBYTES];
	struct device_config cfg;
	struct device_status st;
	int clear = argc == 1 && !strcmp(argv[0], "--clear"), rc;

	if (argc > 1 || (argc == 1 && !clear))
		return error("usage: inloop host-pin [--clear]   (the PIN on stdin)"), 2;
	if (config_load(o->state, &cfg) < 0)
		return 1;
	if (sodium_init() < 0)
		return error("host-pin: libsodium did not start"), 1;
	if (!clear && read_pin(pin) < 0)
		return util_cleanse(pin, sizeof(pin)), 1;
	rc = !clear && crypto_pwhash_str_alg(hash, pin, strlen(pin), crypto_pwhash_OPSLIMIT_INTERACTIVE,
					      crypto_pwhash_MEMLIMIT_INTERACTIVE,
					      crypto_pwhash_ALG_ARGON2ID13) != 0;
	util_cleanse(pin, sizeof(pin));
	if (rc)
		return error("host-pin: out of memory while hashing"), 1;
	if (write_config(o->state, clear ? NULL : hash) < 0 || config_load(o->state, &cfg) < 0)
		return 1;
	status_load(o->state, &st);   /* a damaged file is replaced: the PIN was just set by ICT */
	st.pin_failures = 0;
	st.pin_wait_until = 0;
	if (status_save(o->state, &st) < 0)
		return 1;
	printf("host-pin: %s\n", clear ? "cleared" : "set");
	return 0;
}

/* `inloop kiosk-may-start`: 0 when the kiosk may start, 1 when the host left it for ICT in
 * this boot (the kiosk unit's ExecCondition: systemd then leaves it stopped). */
int cmd_kiosk_may_start(const struct inloop_opts *o, int argc, char **argv)
{
	struct device_status st;
	char boot[40];

	(void)argv;
	if (argc != 0)
		return error("usage: inloop kiosk-may-start"), 2;
	status_load(o->state, &st);   /* a damaged file: the kiosk starts (defaults) */
	status_boot_id(boot);
	if (st.left_boot[0] && !strcmp(st.left_boot, boot)) {
		fprintf(stderr, "inloop: the kiosk was left for ICT in this boot; it starts again after a"
			" restart of the machine or `inloop host-return`\n");
		return 1;
	}
	return 0;
}

/* `inloop host-return`: the kiosk may start again in this boot (after "leave the kiosk"). */
int cmd_host_return(const struct inloop_opts *o, int argc, char **argv)
{
	struct device_status st;

	(void)argv;
	if (argc != 0)
		return error("usage: inloop host-return"), 2;
	if (status_load(o->state, &st) < 0)
		return 1;
	st.left_boot[0] = '\0';
	if (status_save(o->state, &st) < 0)
		return 1;
	printf("host-return: the kiosk may start again (systemctl start inloop-kiosk)\n");
	return 0;
}
