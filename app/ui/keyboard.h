/*
 * keyboard.h — on-screen keyboards fitted to what is typed: the Arabic letters as printed
 * on Arabic PC keyboards (ض top left, with ذ أ إ آ ء ة ى لا) with a switch to Latin; the
 * Ukrainian letters as printed on Ukrainian keyboards (й ц у к е н, with ї і є ґ, the
 * apostrophe and a shift key) with a switch to Latin; the Tigrinya consonants in Ge'ez
 * script, each key opening the page of its seven vowel orders, with a switch to Latin; Latin
 * letters for names with a shift key and a page of the accented letters of Dutch,
 * Turkish, Polish, French, Spanish and Czech names; a numeric pad for phone numbers and
 * house numbers, digits and capitals for a postcode, and an e-mail layout. Keys are
 * ROLE_KEY widgets (action ACT_KEY, arg = the code point typed, see keyboard_key_text;
 * ACT_KEYMODE, arg = the layout to switch to). No keyboard is mirrored in a right-to-left
 * screen: keys stay where they are printed, only the block moves. No SDL here.
 */
#ifndef INLOOP_KEYBOARD_H
#define INLOOP_KEYBOARD_H

#include "app/ui/ui.h"

#include <stddef.h>

enum kb_layout {
	KB_LATIN, KB_ARABIC, KB_PHONE, KB_HOUSE, KB_POSTCODE, KB_EMAIL,
	KB_LATIN_SHIFT,     /* capitals for one letter */
	KB_ACCENTS,         /* é ë ï ö ü ç ş ğ ı ł ą ę ó ż ... */
	KB_ACCENTS_SHIFT,   /* É Ë Ï Ö Ü Ç Ş Ğ İ Ł Ą Ę Ó Ż ... for one letter */
	KB_CYRILLIC,        /* Ukrainian: й ц у к е н ... ї і є ґ ' - */
	KB_CYRILLIC_SHIFT,  /* Й Ц У К Е Н ... for one letter */
	KB_GEEZ,            /* Tigrinya: the consonants (ሀ ለ ሐ መ ...), each opens its orders */
	/* a Ge'ez consonant's code point (KB_GEEZ_FIRST..KB_GEEZ_LAST) as a layout: the page of
	 * its seven vowel orders (ለ ሉ ሊ ላ ሌ ል ሎ, and its -wa form where Tigrinya has one) */
	KB_GEEZ_FIRST = 0x1200,
	KB_GEEZ_LAST = 0x137F,
};

#define KB_BACKSPACE 8        /* arg of the backspace key */
#define KB_LAM_ALEF 0xFEFB    /* arg of the لا key: types U+0644 U+0627, never the ligature */

/*
 * Adds the keys of layout into area (logical units). In a right-to-left tree the keys
 * are pre-mirrored inside the area, so the tree's mirror moves the keyboard but keeps
 * every key where it is printed. switch_to is the layout the script key (id "key-mode")
 * switches to (Arabic or Cyrillic <-> Latin), or -1 for none. action_key/action_mode are the screen's action
 * codes. Keys are at least 48 logical px in both directions; the pads lay their keys in
 * two long rows when the area is too short for four. Returns the height used.
 */
int keyboard_build(struct ui_tree *t, enum kb_layout layout, int switch_to, struct ui_rect area,
		   int action_key, int action_mode);

/* The tall keys' bigger letters (portrait) made as small as they must to fit their key at
 * measure m, never below body size: for the keys added at widgets first.. of t. */
void keyboard_fit_labels(struct ui_tree *t, int first, const struct ui_measure *m);

/* The least height and width the layout needs (keys of 48 logical px). */
int keyboard_min_height(enum kb_layout layout);
int keyboard_min_width(enum kb_layout layout);

/* The UTF-8 text a key's arg types into out (size bytes, at least 8): the code point, or
 * lam + alef for KB_LAM_ALEF; "" for backspace or an invalid arg. */
void keyboard_key_text(int arg, char *out, size_t size);

/* The layout after a letter was typed on layout: a shift holds for one letter, a Ge'ez
 * vowel-order page for one syllable (then the consonants again). */
enum kb_layout keyboard_after_key(enum kb_layout layout);

/* The keyboard a name is typed on first in language lang ("ar": Arabic, "uk": Cyrillic,
 * "ti": Ge'ez, else Latin); the script key switches between it and Latin. */
enum kb_layout keyboard_for_lang(const char *lang);

/* The script of a layout's page: KB_ARABIC, KB_CYRILLIC (with its shift), KB_GEEZ (with
 * the vowel-order pages) or KB_LATIN (the Latin pages, and the pads, postcode and e-mail
 * layouts). */
enum kb_layout keyboard_script(enum kb_layout layout);

#endif
