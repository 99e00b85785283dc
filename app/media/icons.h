/*
 * icons.h — pictograms by name ("house", "bolt", "speaker", …) for the form's options and
 * the kiosk's buttons, mapped to codepoints of the FontAwesome font. The map is data in
 * assets/icons.json, so a municipality can change an icon without a recompile:
 *   { "font": "/usr/share/fonts/truetype/font-awesome/fontawesome-webfont.ttf",
 *     "icons": { "house": "f015", "bolt": "f0e7", … } }
 * The table is process-wide and read-only after icons_load.
 */
#ifndef INLOOP_ICONS_H
#define INLOOP_ICONS_H

/* Name of the map inside the assets folder. */
#define ICONS_FILE "icons.json"

/*
 * Loads assets_dir/icons.json, replacing any map loaded before. 0 on success; -1 with the
 * file and the reason (bad JSON, a codepoint that is not hex, a name too long, …) and the
 * previous map is kept.
 */
int icons_load(const char *assets_dir);

/* Path of the icon font named by the map (a static string), or NULL before icons_load. */
const char *icons_font_path(void);

/* Codepoint for an icon name, or 0 when unknown or NULL (the UI then shows the label only). */
unsigned int icons_codepoint(const char *name);

/* Number of names in the map, and the i-th name (NULL when out of range): for tests. */
int icons_count(void);
const char *icons_name(int i);

/* Frees the map (for leak-clean exits and tests). */
void icons_unload(void);

#endif
