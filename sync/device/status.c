/*
 * status.c — reads and writes the device's status.json (see status.h).
 */
#include "sync/device/status.h"
#include "platform/util.h"

#include <jansson.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define STATUS_MAX_BYTES 4096

void status_defaults(struct device_status *st)
{
	memset(st, 0, sizeof(*st));
}

/* Reads an integer key (absent: keeps *out); refuses another type or a negative value. */
static int get_num(json_t *root, const char *path, const char *key, long long *out)
{
	json_t *v = json_object_get(root, key);

	if (!v)
		return 0;
	if (json_is_boolean(v)) {
		*out = json_is_true(v);
		return 0;
	}
	if (!json_is_integer(v) || json_integer_value(v) < 0)
		return error("%s: \"%s\" must be a whole number, not negative", path, key);
	*out = json_integer_value(v);
	return 0;
}

/* "closed_on": a YYYY-MM-DD string (or absent). */
static int get_date(json_t *root, const char *path, char out[11])
{
	json_t *v = json_object_get(root, "closed_on");
	const char *s = json_string_value(v);

	if (!v || json_is_null(v))
		return 0;
	if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return error("%s: \"closed_on\" must be a date YYYY-MM-DD", path);
	memcpy(out, s, 11);
	return 0;
}

/* "left_boot": a boot id, 36 characters of [0-9a-f-] (or absent). */
static int get_boot(json_t *root, const char *path, char out[40])
{
	json_t *v = json_object_get(root, "left_boot");
	const char *s = json_string_value(v);

	if (!v || json_is_null(v))
		return 0;
	if (!s || strlen(s) != 36 || strspn(s, "0123456789abcdef-") != 36)
		return error("%s: \"left_boot\" must be a boot id", path);
	memcpy(out, s, 37);
	return 0;
}

static int from_json(json_t *root, const char *path, struct device_status *st)
{
	long long alert = 0, alerts = 0, failures = 0;

	if (!json_is_object(root))
		return error("%s: the top level must be a JSON object", path);
	if (get_date(root, path, st->closed_on) < 0 ||
	    get_num(root, path, "crisis_alert", &alert) < 0 ||
	    get_num(root, path, "crisis_alerts", &alerts) < 0 ||
	    get_num(root, path, "acknowledged_at", &st->acknowledged_at) < 0 ||
	    get_num(root, path, "pin_failures", &failures) < 0 ||
	    get_num(root, path, "pin_wait_until", &st->pin_wait_until) < 0 ||
	    get_num(root, path, "last_sync", &st->last_sync) < 0 ||
	    get_boot(root, path, st->left_boot) < 0)
		return -1;
	if (alerts > 1000000 || failures > 1000000)
		return error("%s: a count is out of range", path);
	st->crisis_alert = alert != 0;
	st->crisis_alerts = (int)alerts;
	st->pin_failures = (int)failures;
	return 0;
}

/* The safe side of a damaged file (status.h). */
static int damaged(struct device_status *st)
{
	status_defaults(st);
	st->crisis_alert = 1;
	st->pin_failures = STATUS_DAMAGED_PIN_FAILURES;
	return -1;
}

int status_load(const char *state_dir, struct device_status *st)
{
	char path[4096], *text = NULL;
	size_t len;
	json_error_t je;
	json_t *root;
	int rc;

	status_defaults(st);
	if (util_fmt(path, sizeof(path), "%s/status.json", state_dir) < 0)
		return -1;
	if (access(path, F_OK) != 0)
		return 0;
	if (util_read_file(path, STATUS_MAX_BYTES, &text, &len) < 0)
		return damaged(st);
	root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
	free(text);
	if (!root)
		return error("%s:%d: malformed JSON: %s", path, je.line, je.text), damaged(st);
	rc = from_json(root, path, st);
	json_decref(root);
	return rc < 0 ? damaged(st) : 0;
}

int status_save(const char *state_dir, const struct device_status *st)
{
	char path[4096], *text;
	json_t *root;
	int rc;

	if (util_fmt(path, sizeof(path), "%s/status.json", state_dir) < 0)
		return -1;
	root = json_pack("{s:b, s:i, s:I, s:i, s:I, s:I}", "crisis_alert", st->crisis_alert,
			 "crisis_alerts", st->crisis_alerts, "acknowledged_at",
			 (json_int_t)st->acknowledged_at, "pin_failures", st->pin_failures,
			 "pin_wait_until", (json_int_t)st->pin_wait_until, "last_sync",
			 (json_int_t)st->last_sync);
	if (root && st->closed_on[0])
		json_object_set_new(root, "closed_on", json_string(st->closed_on));
	if (root && st->left_boot[0])
		json_object_set_new(root, "left_boot", json_string(st->left_boot));
	text = root ? json_dumps(root, JSON_INDENT(2) | JSON_SORT_KEYS) : NULL;
	json_decref(root);
	if (!text)
		return error("%s: out of memory", path);
	rc = util_write_file(path, text, strlen(text), 0600);
	free(text);
	return rc;
}

void status_boot_id(char out[40])
{
	FILE *f = fopen("/proc/sys/kernel/random/boot_id", "re");   /* procfs: size 0, read it */
	char line[64] = "";

	out[0] = '\0';
	if (!f)
		return;
	if (fgets(line, sizeof(line), f) && strspn(line, "0123456789abcdef-") == 36) {
		memcpy(out, line, 36);
		out[36] = '\0';
	}
	fclose(f);
}
