/*
 * config.c — loads the device's state folder once and reads and writes its config.json
 * (see config.h). The file is
 * written once at enrolment; a hand-edited file with a wrong key type or an over-long
 * value is refused with the key's name, never silently cut.
 */
#include "sync/device/config.h"
#include "platform/util.h"

#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define CONFIG_MAX_BYTES (64 * 1024)

void config_defaults(struct device_config *c)
{
	memset(c, 0, sizeof(*c));
	memcpy(c->mode, "kiosk", sizeof("kiosk"));
	c->alert_sound = 1;
	c->idle_seconds = 60;
	c->countdown_seconds = 20;
	c->receipt_seconds = 90;
	c->host_wait_seconds = 900;
	c->lock_seconds = 300;
	c->draft_days = 14;
	c->visit_days = 14;
	memcpy(c->host_lang, "nl", sizeof("nl"));
	c->idle_by_type[0] = (struct config_idle){ "address", 180 };   /* look for the letter */
	c->idle_by_type[1] = (struct config_idle){ "date", 180 };       /* (sorted, as saved) */
	c->n_idle_by_type = 2;
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

/* A language code: 2 or 3 lower-case letters. */
static int is_lang_code(const char *s)
{
	size_t n = strlen(s);

	if (n < 2 || n > 3)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (s[i] < 'a' || s[i] > 'z')
			return 0;
	return 1;
}

/* "idle_seconds_by_type": {"date": 180, ...}; replaces the defaults when present. */
static int get_idle_types(json_t *root, const char *path, struct device_config *c)
{
	json_t *o = json_object_get(root, "idle_seconds_by_type"), *v;
	const char *type;

	if (!o)
		return 0;
	if (!json_is_object(o))
		return error("%s: \"idle_seconds_by_type\" must be an object (type -> seconds)", path);
	if (json_object_size(o) > CONFIG_MAX_IDLE_TYPES)
		return error("%s: \"idle_seconds_by_type\" has more than %d types", path,
			     CONFIG_MAX_IDLE_TYPES);
	c->n_idle_by_type = 0;
	json_object_foreach(o, type, v) {
		struct config_idle *e = &c->idle_by_type[c->n_idle_by_type];
		if (strlen(type) >= sizeof(e->type) || !*type)
			return error("%s: \"idle_seconds_by_type\": a type name is empty or too long", path);
		if (!json_is_integer(v) || json_integer_value(v) < 5 || json_integer_value(v) > 3600)
			return error("%s: \"idle_seconds_by_type\" \"%s\" must be a whole number between 5 and 3600",
				     path, type);
		memset(e, 0, sizeof(*e));
		memcpy(e->type, type, strlen(type) + 1);
		e->seconds = (int)json_integer_value(v);
		c->n_idle_by_type++;
	}
	return 0;
}

/* Stores one walk-in text for lang ("" for a plain string). */
static int add_walk_in(const char *path, struct device_config *c, const char *lang, json_t *v)
{
	struct config_walk_in *e = &c->walk_in[c->n_walk_in];

	if (!json_is_string(v))
		return error("%s: \"walk_in_hours\" values must be strings", path);
	if (json_string_length(v) >= sizeof(e->text) || strlen(json_string_value(v)) != json_string_length(v))
		return error("%s: \"walk_in_hours\" is longer than %zu bytes or holds a NUL", path,
			     sizeof(e->text) - 1);
	if (*lang && !is_lang_code(lang))
		return error("%s: \"walk_in_hours\": \"%s\" is not a language code", path, lang);
	memset(e, 0, sizeof(*e));
	memcpy(e->lang, lang, strlen(lang) + 1);
	memcpy(e->text, json_string_value(v), json_string_length(v) + 1);
	c->n_walk_in++;
	return 0;
}

/* "walk_in_hours": "Tue 9-12" or {"nl": "di 9-12 uur", "en": ...}. */
static int get_walk_in(json_t *root, const char *path, struct device_config *c)
{
	json_t *o = json_object_get(root, "walk_in_hours"), *v;
	const char *lang;

	c->n_walk_in = 0;
	if (!o)
		return 0;
	if (!json_is_object(o))
		return add_walk_in(path, c, "", o);
	if (json_object_size(o) > CONFIG_MAX_WALK_IN)
		return error("%s: \"walk_in_hours\" has more than %d languages", path, CONFIG_MAX_WALK_IN);
	json_object_foreach(o, lang, v)
		if (add_walk_in(path, c, lang, v) < 0)
			return -1;
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
	    get_int(root, path, "host_wait_seconds", 60, 86400, &c->host_wait_seconds) < 0 ||
	    get_int(root, path, "lock_seconds", 10, 3600, &c->lock_seconds) < 0 ||
	    get_int(root, path, "draft_days", 1, 90, &c->draft_days) < 0 ||
	    get_int(root, path, "visit_days", 1, 90, &c->visit_days) < 0 ||
	    get_str(root, path, "host_lang", c->host_lang, sizeof(c->host_lang)) < 0 ||
	    get_str(root, path, "host_pin", c->host_pin, sizeof(c->host_pin)) < 0 ||
	    get_idle_types(root, path, c) < 0 || get_walk_in(root, path, c) < 0 ||
	    get_str(root, path, "printer", c->printer, sizeof(c->printer)) < 0 ||
	    get_str(root, path, "paper", c->paper, sizeof(c->paper)) < 0)
		return -1;
	if (!is_lang_code(c->host_lang))
		return error("%s: \"host_lang\" must be a language code such as \"nl\"", path);
	if (c->host_pin[0] && strncmp(c->host_pin, "$argon2id$", 10))
		return error("%s: \"host_pin\" must be an Argon2id hash (set it with `inloop host-pin`)", path);
	if (c->paper[0] && strcmp(c->paper, "80mm") && strcmp(c->paper, "a4"))
		return error("%s: \"paper\" must be \"80mm\" or \"a4\"", path);
	if (strcmp(c->mode, "kiosk") && strcmp(c->mode, "field"))
		return error("%s: \"mode\" must be \"kiosk\" or \"field\"", path);
	return 0;
}

/* Checks that the state folder exists and is a folder we can use, with a clear message. */
static int check_state_dir(const char *state_dir)
{
	struct stat st;

	if (stat(state_dir, &st) < 0)
		return error("state folder %s: %s (create one with `inloopctl init-demo DIR` "
			     "and use DIR/device)", state_dir, strerror(errno));
	if (!S_ISDIR(st.st_mode))
		return error("state folder %s is not a folder", state_dir);
	if (access(state_dir, R_OK | W_OK | X_OK) < 0)
		return error("state folder %s: %s", state_dir, strerror(errno));
	return 0;
}

int config_path(const struct device_config *c, const char *name, char *buf, size_t size)
{
	return util_fmt(buf, size, "%s/%s", c->dir, name) < 0 ? -1 : 0;
}

int config_load(const char *state_dir, struct device_config *out)
{
	char path[4200];
	json_t *root;
	int rc;

	config_defaults(out);
	if (util_fmt(out->dir, sizeof(out->dir), "%s", state_dir) < 0 || check_state_dir(state_dir) < 0 ||
	    config_path(out, STATE_CONFIG, path, sizeof(path)) < 0)
		return -1;
	root = util_json_load_file(path, CONFIG_MAX_BYTES);
	if (!root)
		return -1;
	rc = config_from_json(root, path, out);
	json_decref(root);
	return rc;
}

int config_idle_for(const struct device_config *c, const char *type_name, int dflt)
{
	for (int i = 0; type_name && i < c->n_idle_by_type; i++)
		if (!strcmp(c->idle_by_type[i].type, type_name))
			return c->idle_by_type[i].seconds;
	return dflt;
}

const char *config_walk_in(const struct device_config *c, const char *lang)
{
	for (int i = 0; lang && i < c->n_walk_in; i++)
		if (!strcmp(c->walk_in[i].lang, lang))
			return c->walk_in[i].text;
	for (int i = 0; i < c->n_walk_in; i++)
		if (!c->walk_in[i].lang[0])
			return c->walk_in[i].text;
	return c->n_walk_in ? c->walk_in[0].text : NULL;
}

/* The keys config_save writes beyond the fixed ones: host language and waits, idle
 * times per type, walk-in hours. 0 or -1 (out of memory). */
static int save_extras(json_t *root, const struct device_config *c)
{
	json_t *idle = json_object(), *walk = c->n_walk_in ? json_object() : NULL;
	int rc = idle ? 0 : -1;

	for (int i = 0; rc == 0 && i < c->n_idle_by_type; i++)
		rc = json_object_set_new(idle, c->idle_by_type[i].type,
					 json_integer(c->idle_by_type[i].seconds));
	for (int i = 0; rc == 0 && walk && i < c->n_walk_in; i++)
		rc = json_object_set_new(walk, c->walk_in[i].lang[0] ? c->walk_in[i].lang : "",
					 json_string(c->walk_in[i].text));
	if (rc == 0 && c->n_walk_in == 1 && !c->walk_in[0].lang[0]) {
		json_decref(walk);
		walk = json_string(c->walk_in[0].text);
	}
	if (rc == 0)
		rc = json_object_set_new(root, "idle_seconds_by_type", idle);
	else
		json_decref(idle);
	if (rc == 0 && walk)
		rc = json_object_set_new(root, "walk_in_hours", walk);
	else
		json_decref(walk);
	if (rc == 0)
		rc = json_object_set_new(root, "host_lang", json_string(c->host_lang));
	if (rc == 0)
		rc = json_object_set_new(root, "host_wait_seconds", json_integer(c->host_wait_seconds));
	if (rc == 0 && c->host_pin[0])
		rc = json_object_set_new(root, "host_pin", json_string(c->host_pin));
	return rc;
}

int config_save(const char *state_dir, const struct device_config *c)
{
	char path[4200];
	char *text;
	json_t *root;
	int rc;

	if (util_fmt(path, sizeof(path), "%s/" STATE_CONFIG, state_dir) < 0)
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
	if (!root || save_extras(root, c) < 0) {
		json_decref(root);
		return error("cannot build %s (a value is not valid UTF-8)", path);
	}
	text = json_dumps(root, JSON_INDENT(2) | JSON_SORT_KEYS);
	json_decref(root);
	if (!text)
		return error("out of memory writing %s", path);
	rc = util_write_file(path, text, strlen(text), 0644);
	free(text);
	return rc;
}
