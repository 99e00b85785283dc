/*
 * test_speech.c — read-aloud: Dutch, English and Arabic give non-silent audio of a
 * plausible length; Tigrinya, an unknown code and empty or oversized text are refused.
 * With SDL's "disk" audio driver (set by the .sh wrapper, file in $TEST_SCRATCH) a clip
 * really plays, lands non-silent in the file, and the device pauses itself afterwards.
 */
#include "app/media/speech.h"
#include "platform/util.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <SDL.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct {
	const char *lang, *text;
} samples[] = {
	{ "nl", "Dreigt er een afsluiting van gas, stroom of water? Kies wat bij u past." },
	{ "en", "Is your gas, electricity or water about to be cut off? Choose what fits you." },
	{ "ar", "هل سيتم قطع الغاز أو الكهرباء أو الماء عنك؟ اختر ما يناسبك." },
};

/* Root mean square of n samples, in sample units (full scale 32767). */
static double rms(const short *pcm, size_t n)
{
	double sum = 0;
	for (size_t i = 0; i < n; i++)
		sum += (double)pcm[i] * pcm[i];
	return n ? sqrt(sum / (double)n) : 0;
}

static size_t utf8_chars(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

static void test_voices(void **state)
{
	(void)state;
	assert_true(speech_has_voice("nl"));
	assert_true(speech_has_voice("en"));
	assert_true(speech_has_voice("ar"));
	assert_false(speech_has_voice("ti"));     /* UI.md: espeak-ng 1.51 has no Tigrinya */
	assert_false(speech_has_voice("xx"));
	assert_false(speech_has_voice(""));
	assert_false(speech_has_voice(NULL));
}

static void test_synthesize(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof samples / sizeof samples[0]; i++) {
		short *pcm = NULL;
		size_t n = 0;
		int rate = 0;
		assert_int_equal(speech_synthesize(samples[i].lang, samples[i].text, &pcm, &n, &rate), 0);
		assert_non_null(pcm);
		assert_true(rate >= 8000 && rate <= 48000);
		double secs = (double)n / rate, level = rms(pcm, n);
		double chars = (double)utf8_chars(samples[i].text);
		print_message("# %s: %.2f s of audio, RMS %.1f dBFS\n", samples[i].lang, secs,
		              20 * log10(level / 32767));
		assert_true(level > 32767 * 0.01);    /* above -40 dBFS: not silence */
		assert_true(secs > chars * 0.02);      /* 50 characters a second at most */
		assert_true(secs < chars * 0.25);      /* 4 characters a second at least */
		util_clear_free(pcm);
	}
}

static void test_refused(void **state)
{
	short *pcm = (short *)1;
	size_t n = 1;
	int rate = 0;
	(void)state;
	assert_int_equal(speech_synthesize("ti", "ሰላም", &pcm, &n, &rate), -1);
	assert_null(pcm);
	assert_int_equal(n, 0);
	assert_int_equal(speech_synthesize("xx", "hello", &pcm, &n, &rate), -1);
	assert_int_equal(speech_synthesize(NULL, "hello", &pcm, &n, &rate), -1);
	assert_int_equal(speech_synthesize("nl", "", &pcm, &n, &rate), -1);
	assert_int_equal(speech_synthesize("nl", NULL, &pcm, &n, &rate), -1);
	char *big = malloc(8192);
	assert_non_null(big);
	memset(big, 'a', 8191);
	big[8191] = '\0';
	assert_int_equal(speech_synthesize("nl", big, &pcm, &n, &rate), -1);
	assert_null(pcm);
	free(big);
}

/* Mean absolute sample of a raw S16 file written by SDL's disk audio driver. */
static double file_level(const char *path, size_t *bytes)
{
	FILE *f = fopen(path, "rb");
	short buf[4096];
	size_t got, n = 0;
	double sum = 0;
	*bytes = 0;
	if (!f)
		return 0;
	while ((got = fread(buf, sizeof buf[0], 4096, f)) > 0) {
		for (size_t i = 0; i < got; i++)
			sum += abs(buf[i]);
		n += got;
	}
	fclose(f);
	*bytes = n * sizeof(short);
	return n ? sum / (double)n : 0;
}

static void test_playback(void **state)
{
	struct speech *s = NULL;
	(void)state;
	const char *out = getenv("SDL_DISKAUDIOFILE");
	if (!out || strcmp(getenv("SDL_AUDIODRIVER") ? getenv("SDL_AUDIODRIVER") : "", "disk")) {
		fail_msg("set SDL_AUDIODRIVER=disk SDL_DISKAUDIOFILE=FILE (the .sh wrapper does)");
	}
	assert_int_equal(speech_open(&s), 0);
	assert_int_equal(speech_is_playing(s), 0);
	assert_int_equal(speech_say(s, "ti", "ሰላም"), -1);      /* refused, nothing plays */
	assert_int_equal(speech_is_playing(s), 0);
	assert_int_equal(speech_say(s, "nl", "Welkom."), 0);
	assert_int_equal(speech_is_playing(s), 1);
	Uint32 t0 = SDL_GetTicks();
	while (speech_is_playing(s) && SDL_GetTicks() - t0 < 10000)
		SDL_Delay(20);
	Uint32 took = SDL_GetTicks() - t0;
	print_message("# played and paused itself after %u ms\n", (unsigned)took);
	assert_int_equal(speech_is_playing(s), 0);   /* the device paused itself */
	assert_true(took >= 300);                     /* "Welkom." is not instant */
	/* A second clip interrupts the first: stop works while playing. */
	assert_int_equal(speech_say(s, "en", "Welcome to the walk-in hour."), 0);
	speech_stop(s);
	assert_int_equal(speech_is_playing(s), 0);
	speech_close(s);
	speech_close(NULL);
	size_t bytes;
	double level = file_level(out, &bytes);
	print_message("# disk audio: %zu bytes, mean level %.0f\n", bytes, level);
	assert_true(bytes > 4096);
	assert_true(level > 50);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_voices),
		cmocka_unit_test(test_synthesize),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_playback),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
