/*
 * i18n.h — interface strings in the resident's language and in the host's. Form texts
 * live in the form file; everything the program itself says goes through _(), H_() or
 * P_(). Translations are assets/po/LANG.po, compiled by the Makefile into
 * build/locale/LANG/LC_MESSAGES/inloop.mo.
 *
 * The catalogues are read once, by i18n_init, before any thread starts; switching the
 * language afterwards only moves a pointer owned by the UI thread. Nothing here reads or
 * writes the environment after start-up (setenv("LANGUAGE") raced the uploader's libcurl).
 * The current language is the UI thread's: call _() and friends from that thread only
 * (or from a command-line tool that has no UI thread).
 */
#ifndef INLOOP_I18N_H
#define INLOOP_I18N_H

#include <stddef.h>

/* Resident's language: the text for msgid (msgid itself when there is no translation). */
#define _(s) i18n_text(s)
/* A string to be translated later (static tables); returns s. */
#define N_(s) (s)
/* Host's language (config host_lang): banners, status line, not-ready reason. */
#define H_(s) i18n_host_text(s)
/* Plural: the form for n of (singular, plural) in the resident's language. */
#define P_(s, p, n) i18n_plural(i18n_lang(), s, p, n)

/*
 * Loads every catalogue under the locale folder: $INLOOP_LOCALEDIR when set, else
 * <dir of /proc/self/exe>/locale. Call once at start-up, before threads exist. A
 * damaged catalogue is skipped with a warning (its language shows the English msgids).
 * Returns the number of catalogues loaded (0 is not an error).
 */
int i18n_init(void);

/* Frees the catalogues (end of the program). */
void i18n_free(void);

/* Sets the resident's language and the host's (codes such as "nl"; NULL keeps it). */
void i18n_set_lang(const char *lang);
void i18n_set_host_lang(const char *lang);

/* The resident's and the host's language codes (never NULL; "" before any was set). */
const char *i18n_lang(void);
const char *i18n_host_lang(void);

/* The translation of msgid in lang (msgid when none); the result is borrowed and stays
 * valid until i18n_free. */
const char *i18n_text_in(const char *lang, const char *msgid);
const char *i18n_text(const char *msgid);
const char *i18n_host_text(const char *msgid);

/* ngettext for lang: the catalogue's Plural-Forms rule picks the form for n; without a
 * translation, msgid for n == 1 and msgid_plural otherwise. */
const char *i18n_plural(const char *lang, const char *msgid, const char *msgid_plural,
			unsigned long n);

/* For tests: the plural form index the catalogue of lang gives n (-1: no catalogue). */
int i18n_plural_index(const char *lang, unsigned long n);

/* For tests: 1 when a catalogue for lang is loaded. */
int i18n_has_lang(const char *lang);

/* For tests: loads one catalogue from path for lang (replacing any for lang). 0 or -1
 * with a reason (not a .mo file, offsets outside the file, bad Plural-Forms). */
int i18n_load_file(const char *lang, const char *path);

#endif
