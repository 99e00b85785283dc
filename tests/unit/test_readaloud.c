/*
 * test_readaloud.c — what each screen reads aloud, in every language with a voice (TAP):
 * the crisis question with its title, every option and "I don't know", every other choice
 * question with its options, the review with each question, the typed answers and the
 * privacy text, the receipt with the reference letter by letter and the crisis phone digit by
 * digit, the idle warning; each text synthesized by espeak-ng into a buffer is non-silent
 * and of a plausible length, and the receipt's audio is longer by at least the time of the
 * spelt reference than the same text without it (it really reads the reference). The
 * twin: Tigrinya has no voice, so the kiosk cannot speak and synthesis is refused.
 * Usage: test_readaloud FORM LANG... (catalogues from $INLOOP_LOCALEDIR).
 */
#include "app/kiosk/kiosk.h"
#include "app/screens/chrome.h"
#include "app/media/speech.h"
#include "sync/rules/form.h"
#include "platform/i18n.h"
#include "platform/util.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define REF "K7QF-2M9D"
#define REF_SPELT "K, 7, Q, F. 2, M, 9, D."
#define PHONE_SPELT "0, 8, 0, 0. 1, 2, 3, 4."

static int n_tests, n_failed;

static void tap(int ok, const char *lang, const char *what)
{
	printf("%s %d - %s: %s\n", ok ? "ok" : "not ok", ++n_tests, lang, what);
	n_failed += !ok;
}

/* Seconds of audio for text in lang (-1 when refused), its RMS level in dBFS in *db. */
static double seconds(const char *lang, const char *text, double *db)
{
	short *pcm = NULL;
	size_t n = 0;
	int rate = 0;
	double sum = 0;

	if (speech_synthesize(lang, text, &pcm, &n, &rate) < 0)
		return -1;
	for (size_t i = 0; i < n; i++)
		sum += (double)pcm[i] * pcm[i];
	*db = 20 * log10(sqrt(sum / (double)n) / 32767 + 1e-9);
	util_clear_free(pcm);
	return (double)n / rate;
}

static int plausible(const char *lang, const char *text)
{
	double db = -99, s = seconds(lang, text, &db);
	size_t chars = 0;

	for (const char *p = text; *p; p++)
		chars += ((unsigned char)*p & 0xC0) != 0x80;
	printf("# %s: %.1f s, %.1f dBFS for %zu characters\n", lang, s, db, chars);
	return s > chars * 0.02 && s < chars * 0.3 && db > -40;
}

static size_t index_of(const struct form *f, const char *id)
{
	for (size_t i = 0; i < form_count(f); i++)
		if (!strcmp(form_question(f, i)->id, id))
			return i;
	return 0;
}

static void crisis_question(struct kiosk *k, const char *lang, char *buf, size_t size)
{
	const struct question *q;
	int all = 1;

	k->qi = (int)index_of(k->sub.form, "crisis");
	q = kiosk_question(k);
	screen_choice.spoken(k, buf, size);
	for (size_t i = 0; i < q->n_options; i++)
		all &= strstr(buf, form_option_label(q, &q->options[i], lang)) != NULL;
	tap(all && strstr(buf, _("I don't know")), lang, "the crisis question reads every option and \"I don't know\"");
	tap(strstr(buf, form_text_for(q, "title", lang, k->person.answers)) != NULL, lang,
	    "... and the question itself");
	tap(plausible(lang, buf), lang, "... as non-silent audio of a plausible length");
}

/* Every choice question of the form, as its screen reads it: the question and every
 * option (the follow-up on the same screen, the interpreter's languages, included). */
static void every_choice(struct kiosk *k, const char *lang, char *buf, size_t size)
{
	const struct form *f = k->sub.form;
	int all = 1, n = 0;

	for (size_t i = 0; i < form_count(f); i++) {
		const struct question *q = form_question(f, i);
		if ((q->type != Q_SINGLE && q->type != Q_MULTI) || !form_is_lead(f, i))
			continue;
		k->qi = (int)i;
		chrome_spoken_question(k, buf, size);
		all &= strstr(buf, form_text_for(q, "title", lang, k->person.answers)) != NULL;
		for (size_t o = 0; o < q->n_options; o++)
			all &= strstr(buf, form_option_label(q, &q->options[o], lang)) != NULL;
		n++;
	}
	tap(all && n >= 3, lang, "every choice question reads its question and every option");
}

static void review(struct kiosk *k, const char *lang, char *buf, size_t size)
{
	const struct form *f = k->sub.form;
	int titles = 1, privacy = 0;

	screen_review.spoken(k, buf, size);
	tap(strstr(buf, "Kanarie Vogelzang") && strstr(buf, "0612345678"), lang,
	    "the review reads the typed answers");
	for (size_t i = 0; i < form_count(f); i++) {
		const struct question *q = form_question(f, i);
		if (!form_is_visible(f, q, k->person.answers) || (q->type != Q_CONSENT && !form_is_lead(f, i)))
			continue;
		titles &= strstr(buf, form_text_for(q, "title", lang, k->person.answers)) != NULL;
		if (q->type == Q_CONSENT && form_text(q, "help", lang))
			privacy = strstr(buf, form_text(q, "help", lang)) != NULL;
	}
	tap(titles, lang, "... each question it shows");
	tap(privacy, lang, "... and the privacy text the person confirms");
	tap(plausible(lang, buf), lang, "... as non-silent audio of a plausible length");
	util_cleanse(buf, size);
}

static void receipt(struct kiosk *k, const char *lang, char *buf, size_t size)
{
	double db, with, without;
	char *at;

	screen_receipt.spoken(k, buf, size);
	tap(strstr(buf, REF_SPELT) && strstr(buf, PHONE_SPELT), lang,
	    "the receipt spells the reference and the crisis phone number");
	tap(plausible(lang, buf), lang, "... as non-silent audio of a plausible length");
	with = seconds(lang, buf, &db);
	if ((at = strstr(buf, REF_SPELT)))
		memmove(at, at + strlen(REF_SPELT), strlen(at + strlen(REF_SPELT)) + 1);
	without = seconds(lang, buf, &db);
	printf("# %s: receipt %.1f s, %.1f s without the reference\n", lang, with, without);
	tap(with - without > 8 * 0.15, lang, "... and the audio holds the reference's 8 characters");
}

static void still_there(struct kiosk *k, const char *lang, char *buf, size_t size)
{
	screen_still_there.spoken(k, buf, size);
	tap(strstr(buf, _("Are you still there?")) && strstr(buf, "20") && plausible(lang, buf), lang,
	    "the idle warning is read (with the 20 seconds left)");
}

static void setup(struct kiosk *k, struct form *f)
{
	memset(k, 0, sizeof(*k));
	k->sub.form = f;
	k->virtual_clock = 1;
	k->deadline_ms = 20000;
	k->person.answers = json_pack("{s:[s], s:s, s:s, s:s, s:s, s:s, s:s, s:b}", "crisis", "eviction",
			       "crisis_date", "2027-06-15", "name", "Kanarie Vogelzang", "contact", "phone",
			       "phone", "0612345678", "postcode", "1234AB", "house_number", "12",
			       "privacy_read", 1);
	snprintf(k->person.result.ref, sizeof(k->person.result.ref), "%s", REF);
	k->person.result.triage.crisis = 1;
	k->person.result.triage.deadline.legal = (struct ymd){ 2026, 12, 4 };
	snprintf(k->cfg.crisis_phone, sizeof(k->cfg.crisis_phone), "0800-1234");
}

int main(int argc, char **argv)
{
	static char buf[4096];
	struct form *f = NULL;
	struct kiosk k;

	if (argc < 3 || form_load(argv[1], &f) < 0 || i18n_init() < 7)
		return fprintf(stderr, "usage: test_readaloud FORM LANG... (with 7 catalogues)\n"), 2;
	for (int a = 2; a < argc; a++) {
		const char *lang = argv[a];
		setup(&k, f);
		kiosk_set_lang(&k, lang);
		if (!kiosk_can_speak(&k)) {   /* the twin: no voice, nothing read in another one */
			double db;
			tap(!speech_has_voice(lang) && seconds(lang, "ሰላም", &db) < 0, lang,
			    "no voice: the kiosk says so and synthesis is refused");
			json_decref(k.person.answers);
			continue;
		}
		crisis_question(&k, lang, buf, sizeof(buf));
		every_choice(&k, lang, buf, sizeof(buf));
		review(&k, lang, buf, sizeof(buf));
		receipt(&k, lang, buf, sizeof(buf));
		still_there(&k, lang, buf, sizeof(buf));
		json_decref(k.person.answers);
	}
	form_free(f);
	i18n_free();
	printf("1..%d\n", n_tests);
	return n_failed ? 1 : 0;
}
