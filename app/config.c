/*
 * config.c — reads and writes the device's config.json (see config.h). The file is
 * written once at enrolment; a hand-edited file with a wrong key type or an over-long
 * value is refused with the key's name, never silently cut.
 */
#include "app/config.h"
#include "app/util.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#define CONFIG_MAX_BYTES (64 * 1024)

void config_defaults(struct device_config *c)
{
	memset(c, 0, sizeof(*c));
	memcpy(c->mode, "kiosk", sizeof("kiosk"));
	c->alert_sound = 1;
	c->idle_seconds = 60;
	c->countdown_seconds = 20;
	c->receipt_seconds = 90;
}

/* Copies the string value of key (if present) into buf; refuses a non-string or one too long. */
static int get_str(json_t *root, const char *path, const char *key, char *buf, size_t size)
{
	json_t *v = json_object_get(root, key);

	if (!v)
		return 0;
	if (!json_is_string(v))
		return error("%s: \"%s\" must be a string", path, key);
	if (json_string_length(v) >= size || strlen(json_string_value(v)) != json_string_length(v))
		return error("%s: \"%s\" is longer than %zu bytes or holds a NUL", path, key, size - 1);
	memcpy(buf, json_string_value(v), json_string_length(v) + 1);
	return 0;
}

/* Reads the integer value of key (if present) within [lo, hi]; booleans count as 1/0. */
static int get_int(json_t *root, const char *path, const char *key, int lo, int hi, int *out)
{
	json_t *v = json_object_get(root, key);
	json_int_t n;

	if (!v)
		return 0;
	if (json_is_boolean(v)) {
		n = json_is_true(v);
	} else if (json_is_integer(v)) {
		n = json_integer_value(v);
	} else {
		return error("%s: \"%s\" must be a whole number", path, key);
	}
	if (n < lo || n > hi)
		return error("%s: \"%s\" must be between %d and %d", path, key, lo, hi);
	*out = (int)n;
	return 0;
}

static int config_from_json(json_t *root, const char *path, struct device_config *c)
{
	if (!json_is_object(root))
		return error("%s: the top level must be a JSON object", path);
	if (get_str(root, path, "device_id", c->device_id, sizeof(c->device_id)) < 0 ||
	    get_str(root, path, "location", c->location, sizeof(c->location)) < 0 ||
	    get_str(root, path, "url", c->url, sizeof(c->url)) < 0 ||
	    get_str(root, path, "crisis_phone", c->crisis_phone, sizeof(c->crisis_phone)) < 0 ||
	    get_str(root, path, "mode", c->mode, sizeof(c->mode)) < 0 ||
	    get_int(root, path, "alert_sound", 0, 1, &c->alert_sound) < 0 ||
	    get_int(root, path, "idle_seconds", 5, 3600, &c->idle_seconds) < 0 ||
	    get_int(root, path, "countdown_seconds", 1, 600, &c->countdown_seconds) < 0 ||
	    get_int(root, path, "receipt_seconds", 5, 3600, &c->receipt_seconds) < 0 ||
	    get_str(root, path, "printer", c->printer, sizeof(c->printer)) < 0 ||
	    get_str(root, path, "paper", c->paper, sizeof(c->paper)) < 0)
		return -1;
	if (c->paper[0] && strcmp(c->paper, "80mm") && strcmp(c->paper, "a4"))
		return error("%s: \"paper\" must be \"80mm\" or \"a4\"", path);
	if (strcmp(c->mode, "kiosk") && strcmp(c->mode, "field"))
		return error("%s: \"mode\" must be \"kiosk\" or \"field\"", path);
	return 0;
}

int config_load(const char *state_dir, struct device_config *out)
{
	char path[4096];
	char *text = NULL;
	size_t len;
	json_error_t jerr;
	json_t *root;
	int rc;

	config_defaults(out);
	if (util_fmt(path, sizeof(path), "%s/config.json", state_dir) < 0)
		return -1;
	if (util_read_file(path, CONFIG_MAX_BYTES, &text, &len) < 0)
		return -1;
	root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
	util_clear_free(text);
	if (!root)
		return error("%s:%d:%d: malformed JSON: %s", path, jerr.line, jerr.column, jerr.text);
	rc = config_from_json(root, path, out);
	json_decref(root);
	return rc;
}

int config_save(const char *state_dir, const struct device_config *c)
{
	char path[4096];
	char *text;
	json_t *root;
	int rc;

	if (util_fmt(path, sizeof(path), "%s/config.json", state_dir) < 0)
		return -1;
	root = json_pack("{s:s, s:s, s:s, s:s, s:s, s:b, s:i, s:i, s:i}",
			 "device_id", c->device_id, "location", c->location, "url", c->url,
			 "crisis_phone", c->crisis_phone, "mode", c->mode,
			 "alert_sound", c->alert_sound, "idle_seconds", c->idle_seconds,
			 "countdown_seconds", c->countdown_seconds,
			 "receipt_seconds", c->receipt_seconds);
	if (root && c->printer[0])
		json_object_set_new(root, "printer", json_string(c->printer));
	if (root && c->paper[0])
		json_object_set_new(root, "paper", json_string(c->paper));
	if (!root)
		return error("cannot build %s (a value is not valid UTF-8)", path);
	text = json_dumps(root, JSON_INDENT(2) | JSON_SORT_KEYS);
	json_decref(root);
	if (!text)
		return error("out of memory writing %s", path);
	rc = util_write_file(path, text, strlen(text), 0644);
	free(text);
	return rc;
}
