/*
 * speech.h — read-aloud of screen texts (questions, help) through espeak-ng.
 *
 * Synthesis is synchronous into a buffer (a 15-word sentence takes a few ms), then the
 * samples are queued on an SDL audio device at espeak's rate (S16 mono). The device is
 * paused again once the clip has played, because an unpaused device wakes the process
 * ~22 times a second (UI.md "Speech"). Only interface and form texts are spoken, never
 * a resident's answers; synthesis buffers are still wiped before they are freed.
 * espeak-ng is not re-entrant: every call into it is serialised by one lock.
 */
#ifndef INLOOP_SPEECH_H
#define INLOOP_SPEECH_H

#include <stddef.h>

struct speech;

/*
 * Opens espeak-ng and an SDL audio device (SDL_INIT_AUDIO is initialised here if needed).
 * On success *out is set (caller releases with speech_close) and 0 is returned; -1 with a
 * reason when there is no usable audio or voice data — the kiosk then hides read-aloud.
 */
int speech_open(struct speech **out);

/* Stops playback, closes the audio device and frees s. NULL is a no-op. */
void speech_close(struct speech *s);

/*
 * 1 when espeak-ng has a voice for the language code lang ("nl", "en", "ar"; not "ti"),
 * checked against espeak's own voice list; 0 otherwise (also for NULL or an empty code).
 */
int speech_has_voice(const char *lang);

/*
 * Stops whatever is playing and speaks text (UTF-8) in lang. Returns 0 once the clip is
 * queued (it plays in the background), -1 with a reason for an unknown voice, empty text
 * or an audio failure. text is not kept.
 */
int speech_say(struct speech *s, const char *lang, const char *text);

/* Stops playback now and pauses the device. NULL is a no-op. */
void speech_stop(struct speech *s);

/* 1 while a clip is queued or playing, else 0 (for the speaker button's state). */
int speech_is_playing(struct speech *s);

/*
 * For tests and benches: synthesizes text in lang without any audio device. On success
 * *pcm (S16 mono samples; caller frees with util_clear_free), *n_samples and *rate are
 * set and 0 is returned; -1 with a reason for an unknown voice or empty text.
 */
int speech_synthesize(const char *lang, const char *text, short **pcm, size_t *n_samples,
                      int *rate);

#endif
