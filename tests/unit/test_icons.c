/*
 * test_icons.c — the pictogram map: the shipped assets/icons.json loads, every codepoint
 * has a glyph in its font (TTF_GlyphIsProvided32), every icon the registration form names
 * resolves, and malformed maps are refused with a message naming the file and the fault
 * while the map loaded before stays in use. Reads $INLOOP_ASSETS, writes to $TEST_SCRATCH.
 */
#include "app/media/icons.h"
#include "platform/util.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <SDL_ttf.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *assets(void)
{
	const char *d = getenv("INLOOP_ASSETS");
	return d && *d ? d : "assets";
}

static const char *scratch(void)
{
	const char *d = getenv("TEST_SCRATCH");
	return d && *d ? d : "/tmp";
}

static void test_shipped_map(void **state)
{
	(void)state;
	assert_int_equal(icons_load(assets()), 0);
	assert_true(icons_count() > 20);
	assert_int_equal(icons_codepoint("house"), 0xf015);
	assert_int_equal(icons_codepoint("speaker"), 0xf028);
	assert_int_equal(icons_codepoint("no-such-icon"), 0);
	assert_int_equal(icons_codepoint(""), 0);
	assert_int_equal(icons_codepoint(NULL), 0);
	assert_null(icons_name(-1));
	assert_null(icons_name(icons_count()));
}

/* Every codepoint of the map is drawn by the font the map names: no missing-glyph boxes. */
static void test_glyphs(void **state)
{
	(void)state;
	assert_int_equal(icons_load(assets()), 0);
	assert_int_equal(TTF_Init(), 0);
	TTF_Font *f = TTF_OpenFont(icons_font_path(), 48);
	assert_non_null(f);
	int missing = 0;
	for (int i = 0; i < icons_count(); i++) {
		const char *name = icons_name(i);
		if (!TTF_GlyphIsProvided32(f, icons_codepoint(name))) {
			print_message("# icon %s: U+%04X has no glyph in %s\n", name,
			              icons_codepoint(name), icons_font_path());
			missing++;
		}
	}
	/* Negative twin: a codepoint the font lacks is seen as missing. */
	assert_false(TTF_GlyphIsProvided32(f, 0x0627));   /* ARABIC LETTER ALEF */
	TTF_CloseFont(f);
	TTF_Quit();
	assert_int_equal(missing, 0);
}

/* Collects every "icon" string in a JSON tree into names (up to max); returns the count. */
static int collect_icons(json_t *j, const char **names, int n, int max)
{
	const char *key;
	json_t *v;
	size_t i;
	if (json_is_object(j)) {
		json_object_foreach(j, key, v) {
			if (strcmp(key, "icon") == 0 && json_is_string(v) && n < max)
				names[n++] = json_string_value(v);
			else
				n = collect_icons(v, names, n, max);
		}
	} else if (json_is_array(j)) {
		json_array_foreach(j, i, v)
			n = collect_icons(v, names, n, max);
	}
	return n;
}

/* Icon references in form and how many of them the map does not know. */
static int unknown_icons(json_t *form, int *refs)
{
	const char *names[1024];
	int n = collect_icons(form, names, 0, 1024), unknown = 0;
	for (int i = 0; i < n; i++)
		if (!icons_codepoint(names[i])) {
			print_message("# form icon \"%s\" is not in icons.json\n", names[i]);
			unknown++;
		}
	*refs = n;
	return unknown;
}

static void test_form_icons(void **state)
{
	char path[4096];
	json_error_t jerr;
	int refs;
	(void)state;
	snprintf(path, sizeof path, "%s/forms/registration.json", assets());
	json_t *form = json_load_file(path, 0, &jerr);
	if (!form)
		fail_msg("%s: %s", path, jerr.text);
	assert_int_equal(icons_load(assets()), 0);
	assert_int_equal(unknown_icons(form, &refs), 0);
	print_message("# %d icon references in the form, all in icons.json\n", refs);
	assert_true(refs > 0);
	json_decref(form);
	/* Negative twin: a form naming an icon the map lacks is caught. */
	form = json_pack("{s:[{s:s},{s:s}]}", "options", "icon", "house", "icon", "no-such-icon");
	assert_non_null(form);
	assert_int_equal(unknown_icons(form, &refs), 1);
	assert_int_equal(refs, 2);
	json_decref(form);
}

/* Writes text as scratch/NAME/icons.json and loads that folder; stderr goes to scratch/err. */
static int load_text(const char *name, const char *text, char *err, size_t errsize)
{
	char dir[2048], file[4096], errpath[2048];
	snprintf(dir, sizeof dir, "%s/%s", scratch(), name);
	snprintf(file, sizeof file, "%s/icons.json", dir);
	snprintf(errpath, sizeof errpath, "%s/err", scratch());
	mkdir(dir, 0700);
	FILE *f = fopen(file, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	fflush(stderr);
	int saved = dup(2);
	assert_non_null(freopen(errpath, "w", stderr));
	int r = icons_load(dir);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	f = fopen(errpath, "r");
	size_t got = fread(err, 1, errsize - 1, f);
	err[got] = '\0';
	fclose(f);
	if (*err)
		fprintf(stdout, "# %s", err);
	return r;
}

#define FONT "\"font\": \"/usr/share/fonts/truetype/font-awesome/fontawesome-webfont.ttf\""

static void test_malformed(void **state)
{
	static const struct {
		const char *name, *text, *says;
	} bad[] = {
		{ "notjson", "{ \"icons\": ", "icons.json:" },
		{ "array", "[1, 2]", "one JSON object" },
		{ "nofont", "{ \"icons\": { \"house\": \"f015\" } }", "\"font\"" },
		{ "nosuchfont", "{ \"font\": \"/no/such.ttf\", \"icons\": { \"a\": \"f015\" } }",
		  "cannot be read" },
		{ "noicons", "{ " FONT " }", "\"icons\"" },
		{ "emptyicons", "{ " FONT ", \"icons\": {} }", "\"icons\"" },
		{ "badhex", "{ " FONT ", \"icons\": { \"house\": \"zz15\" } }", "icon \"house\"" },
		{ "number", "{ " FONT ", \"icons\": { \"house\": 61461 } }", "hex string" },
		{ "surrogate", "{ " FONT ", \"icons\": { \"house\": \"d800\" } }", "codepoint" },
		{ "toobig", "{ " FONT ", \"icons\": { \"house\": \"110000\" } }", "codepoint" },
		{ "badname", "{ " FONT ", \"icons\": { \"House!\": \"f015\" } }", "House!" },
		{ "dup", "{ " FONT ", \"icons\": { \"a\": \"f015\", \"a\": \"f0e7\" } }", "duplicate" },
	};
	char err[2048];
	(void)state;
	assert_int_equal(icons_load(assets()), 0);
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		assert_int_equal(load_text(bad[i].name, bad[i].text, err, sizeof err), -1);
		if (!strstr(err, bad[i].says) || !strstr(err, "icons"))
			fail_msg("%s: message \"%s\" does not say \"%s\"", bad[i].name, err, bad[i].says);
		assert_int_equal(icons_codepoint("house"), 0xf015);   /* old map kept */
		assert_int_equal(icons_codepoint("speaker"), 0xf028);
	}
	assert_int_equal(icons_load("/no/such/dir"), -1);
	/* Positive twin: a small good map replaces the old one, and a relative font path works. */
	char dir[2048];
	snprintf(dir, sizeof dir, "%s/good", scratch());
	mkdir(dir, 0700);
	char link[4096];
	snprintf(link, sizeof link, "%s/fa.ttf", dir);
	unlink(link);
	assert_int_equal(symlink("/usr/share/fonts/truetype/font-awesome/fontawesome-webfont.ttf",
	                         link), 0);
	assert_int_equal(load_text("good", "{ \"font\": \"fa.ttf\", \"icons\": { \"house\": \"F0E7\" } }",
	                           err, sizeof err), 0);
	assert_int_equal(icons_codepoint("house"), 0xf0e7);
	assert_int_equal(icons_codepoint("speaker"), 0);
	assert_int_equal(icons_count(), 1);
	assert_string_equal(icons_font_path(), link);
	icons_unload();
	assert_null(icons_font_path());
	assert_int_equal(icons_codepoint("house"), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_shipped_map),
		cmocka_unit_test(test_glyphs),
		cmocka_unit_test(test_form_icons),
		cmocka_unit_test(test_malformed),
	};
	int r = cmocka_run_group_tests(tests, NULL, NULL);
	icons_unload();
	return r;
}
