/*
 * icons.c — the pictogram map: icon names to FontAwesome codepoints, read from
 * assets/icons.json (see icons.h for the shape). Loaded once at start, then read-only.
 * A bad file is refused whole, naming the file and what is wrong, and the map loaded
 * before (if any) stays in use.
 */
#include "app/media/icons.h"
#include "platform/util.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define ICONS_MAX 512                 /* names in one map */
#define ICON_NAME_MAX 32              /* bytes of a name, NUL included */
#define ICONS_FILE_MAX (256 * 1024)

struct icon {
	char name[ICON_NAME_MAX];
	unsigned int cp;
};

struct icon_map {
	char font[4096];
	int n;
	struct icon icons[ICONS_MAX];
};

static struct icon_map *map;

/* A name is 1..31 bytes of a-z, 0-9, '-' and '_'. */
static int name_ok(const char *s)
{
	size_t n = strlen(s);
	if (n == 0 || n >= ICON_NAME_MAX)
		return 0;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '-' || *s == '_'))
			return 0;
	return 1;
}

/* Parses 1..6 hex digits into a Unicode scalar value that can be drawn; 0 if not. */
static unsigned int parse_codepoint(const char *s)
{
	char *end;
	size_t n = strlen(s);
	if (n == 0 || n > 6 || s[0] == '-' || s[0] == '+' || s[0] == ' ')
		return 0;
	unsigned long v = strtoul(s, &end, 16);
	if (*end || v < 0x20 || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
		return 0;
	return (unsigned int)v;
}

/* Fills m->font from the "font" member: absolute, or relative to dir. Must be readable. */
static int read_font(json_t *root, const char *dir, const char *path, struct icon_map *m)
{
	const char *font = json_string_value(json_object_get(root, "font"));
	if (!font || !*font)
		return error("%s: \"font\" (path of the icon font) is missing", path);
	int r = font[0] == '/' ? util_fmt(m->font, sizeof m->font, "%s", font)
	                       : util_fmt(m->font, sizeof m->font, "%s/%s", dir, font);
	if (r < 0)
		return error("%s: the font path is too long", path);
	if (access(m->font, R_OK) != 0)
		return error("%s: icon font %s cannot be read (install fonts-font-awesome)", path,
		             m->font);
	return 0;
}

/* Fills m->icons from the "icons" object; every entry must be a good name and codepoint. */
static int read_icons(json_t *root, const char *path, struct icon_map *m)
{
	json_t *icons = json_object_get(root, "icons");
	const char *name;
	json_t *val;
	if (!json_is_object(icons) || json_object_size(icons) == 0)
		return error("%s: \"icons\" must be an object of name: \"hex codepoint\"", path);
	if (json_object_size(icons) > ICONS_MAX)
		return error("%s: more than %d icons", path, ICONS_MAX);
	json_object_foreach(icons, name, val) {
		if (!name_ok(name))
			return error("%s: icon name \"%.40s\" is not 1-31 of a-z 0-9 - _", path, name);
		const char *hex = json_string_value(val);
		unsigned int cp = hex ? parse_codepoint(hex) : 0;
		if (!cp)
			return error("%s: icon \"%s\": codepoint must be a hex string like \"f015\"",
			             path, name);
		util_fmt(m->icons[m->n].name, ICON_NAME_MAX, "%s", name);
		m->icons[m->n].cp = cp;
		m->n++;
	}
	return 0;
}

/* Loads assets_dir/icons.json; on failure the previous map is kept. */
int icons_load(const char *assets_dir)
{
	char path[4096];
	json_t *root = NULL;
	int r = -1;
	struct icon_map *m = calloc(1, sizeof *m);
	if (!m)
		return error("icons: out of memory");
	if (util_fmt(path, sizeof path, "%s/%s", assets_dir, ICONS_FILE) < 0)
		goto out;
	root = util_json_load_file(path, ICONS_FILE_MAX);
	if (!root)
		goto out;
	if (!json_is_object(root)) {
		error("%s: must hold one JSON object", path);
		goto out;
	}
	if (read_font(root, assets_dir, path, m) < 0 || read_icons(root, path, m) < 0)
		goto out;
	free(map);
	map = m;
	m = NULL;
	r = 0;
out:
	json_decref(root);
	free(m);
	return r;
}

/* Path of the icon font (static), or NULL before a successful icons_load. */
const char *icons_font_path(void)
{
	return map ? map->font : NULL;
}

/* Codepoint for name, 0 when unknown. */
unsigned int icons_codepoint(const char *name)
{
	if (!map || !name)
		return 0;
	for (int i = 0; i < map->n; i++)
		if (strcmp(map->icons[i].name, name) == 0)
			return map->icons[i].cp;
	return 0;
}

/* Number of names in the map. */
int icons_count(void)
{
	return map ? map->n : 0;
}

/* The i-th name (static), NULL when out of range. */
const char *icons_name(int i)
{
	return map && i >= 0 && i < map->n ? map->icons[i].name : NULL;
}

/* Frees the map. */
void icons_unload(void)
{
	free(map);
	map = NULL;
}
