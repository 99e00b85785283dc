/*
 * speech.c — read-aloud: espeak-ng synthesis into a buffer, played through SDL's queued
 * audio, the device paused again once the clip has drained (UI.md "Speech").
 *
 * espeak-ng keeps global state and its synchronous mode is not re-entrant, so every call
 * into it holds espeak_lock. The pause-after-playback timer runs on SDL's timer thread;
 * it never touches a struct speech directly but looks up the one live handle under
 * live_lock by generation number, so a timer that fires after speech_stop or
 * speech_close finds nothing to do.
 */
#include "app/media/speech.h"
#include "platform/util.h"

#include <SDL.h>
#include <espeak-ng/espeak_ng.h>
#include <espeak-ng/speak_lib.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define SPEECH_MAX_TEXT 4096          /* bytes of text per clip */
#define SPEECH_MAX_SECONDS 120        /* a longer clip is refused, never cut */
#define SPEECH_TAIL_MS 150            /* played after the queue drains before pausing */

struct speech {
	SDL_AudioDeviceID dev;
	int rate;
	unsigned gen;                 /* bumped on every say/stop; the timer carries it */
	SDL_TimerID timer;
	int playing;
	int drained;                  /* the queue was seen empty one tail ago */
};

/* Samples collected by the synth callback for one espeak_ng_Synthesize call. */
struct pcmbuf {
	short *pcm;
	size_t n, cap, max;
	int overflow;
};

static pthread_mutex_t espeak_lock = PTHREAD_MUTEX_INITIALIZER;
static int espeak_state;              /* 0 not tried, 1 ready, -1 failed */
static int espeak_rate;

static pthread_mutex_t live_lock = PTHREAD_MUTEX_INITIALIZER;
static struct speech *live;           /* the open handle, for the timer thread */

/* Frees espeak's global state at exit so leak checkers see a clean process. */
static void espeak_shutdown(void)
{
	pthread_mutex_lock(&espeak_lock);
	if (espeak_state == 1)
		espeak_ng_Terminate();
	espeak_state = 0;
	pthread_mutex_unlock(&espeak_lock);
}

/* espeak's synth callback: appends wav to the pcmbuf passed as user_data. 1 aborts. */
static int collect(short *wav, int n, espeak_EVENT *events)
{
	struct pcmbuf *b = events ? events->user_data : NULL;
	if (!b || !wav || n <= 0)
		return 0;
	if (b->n + (size_t)n > b->max) {
		b->overflow = 1;
		return 1;
	}
	if (b->n + (size_t)n > b->cap) {
		size_t cap = b->cap ? b->cap * 2 : 16384;
		while (cap < b->n + (size_t)n)
			cap *= 2;
		short *p = malloc(cap * sizeof *p);
		if (!p) {
			b->overflow = 1;
			return 1;
		}
		if (b->pcm)
			memcpy(p, b->pcm, b->n * sizeof *p);
		util_clear_free(b->pcm);
		b->pcm = p;
		b->cap = cap;
	}
	memcpy(b->pcm + b->n, wav, (size_t)n * sizeof *wav);
	b->n += (size_t)n;
	return 0;
}

/* Initialises espeak-ng once for the process. Call with espeak_lock held. */
static int espeak_ready(void)
{
	if (espeak_state == 1)
		return 0;
	if (espeak_state == -1)
		return error("speech: espeak-ng is not available");
	espeak_state = -1;
	espeak_ng_InitializePath(NULL);
	espeak_ng_ERROR_CONTEXT ctx = NULL;
	espeak_ng_STATUS st = espeak_ng_Initialize(&ctx);
	if (st != ENS_OK) {
		espeak_ng_ClearErrorContext(&ctx);
		return error("speech: espeak-ng data not found (install espeak-ng-data)");
	}
	if (espeak_ng_InitializeOutput(ENOUTPUT_MODE_SYNCHRONOUS, 0, NULL) != ENS_OK) {
		espeak_ng_Terminate();
		return error("speech: espeak-ng output could not be set up");
	}
	espeak_SetSynthCallback(collect);
	espeak_rate = espeak_ng_GetSampleRate();
	espeak_state = 1;
	atexit(espeak_shutdown);
	return 0;
}

/* 1 when one of voice v's languages is exactly lang (case-insensitive). */
static int voice_speaks(const espeak_VOICE *v, const char *lang)
{
	const char *p = v->languages;
	while (p && *p) {
		const char *code = p + 1;     /* skip the priority byte */
		if (strcasecmp(code, lang) == 0)
			return 1;
		p = code + strlen(code) + 1;
	}
	return 0;
}

/*
 * espeak_ListVoices rescans the voices folder on every call (~1 ms), and the kiosk asks on
 * every screen: answers are remembered per language code. Guarded by espeak_lock.
 */
#define VOICE_CACHE 32
static struct {
	char lang[16];
	char id[64];                      /* espeak's voice identifier; "" when none */
} voice_cache[VOICE_CACHE];
static int voice_cached;

/* Looks lang up in espeak's voice list and remembers the answer. Call with espeak_lock. */
static const char *voice_lookup(const char *lang)
{
	const char *id = NULL;
	const espeak_VOICE **all = espeak_ListVoices(NULL);
	for (int i = 0; all && all[i] && !id; i++)
		if (voice_speaks(all[i], lang))
			id = all[i]->identifier;
	if (voice_cached < VOICE_CACHE) {
		int c = voice_cached++;
		snprintf(voice_cache[c].lang, sizeof voice_cache[c].lang, "%s", lang);
		if (snprintf(voice_cache[c].id, sizeof voice_cache[c].id, "%s", id ? id : "") >=
		    (int)sizeof voice_cache[c].id)
			voice_cache[c].id[0] = '\0';
		return voice_cache[c].id[0] ? voice_cache[c].id : NULL;
	}
	return id;
}

/* espeak's identifier of the voice for lang, or NULL. Call with espeak_lock held. */
static const char *voice_for(const char *lang)
{
	if (!lang || !*lang || strlen(lang) >= sizeof voice_cache[0].lang || espeak_ready() < 0)
		return NULL;
	for (int c = 0; c < voice_cached; c++)
		if (strcasecmp(voice_cache[c].lang, lang) == 0)
			return voice_cache[c].id[0] ? voice_cache[c].id : NULL;
	return voice_lookup(lang);
}

/* Returns 1 if espeak-ng has a voice for lang. */
int speech_has_voice(const char *lang)
{
	pthread_mutex_lock(&espeak_lock);
	int yes = voice_for(lang) != NULL;
	pthread_mutex_unlock(&espeak_lock);
	return yes;
}

/* Runs one synthesis into b under espeak_lock; lang and text already checked. */
static int synth_locked(const char *lang, const char *text, struct pcmbuf *b, int *rate)
{
	const char *voice = voice_for(lang);
	if (!voice)
		return error("speech: no voice for language '%.8s'", lang);
	if (espeak_ng_SetVoiceByName(voice) != ENS_OK)
		return error("speech: voice for '%.8s' could not be loaded", lang);
	b->max = (size_t)espeak_rate * SPEECH_MAX_SECONDS;
	espeak_ng_STATUS st = espeak_ng_Synthesize(text, strlen(text) + 1, 0, POS_CHARACTER, 0,
	                                           espeakCHARS_UTF8, NULL, b);
	if (st != ENS_OK && !b->overflow)
		return error("speech: synthesis failed (espeak-ng status %d)", (int)st);
	if (b->overflow)
		return error("speech: text too long to read aloud (over %d s)", SPEECH_MAX_SECONDS);
	if (b->n == 0)
		return error("speech: synthesis gave no audio");
	*rate = espeak_rate;
	return 0;
}

/* Synthesizes text in lang into a malloc'd buffer (caller frees with util_clear_free). */
int speech_synthesize(const char *lang, const char *text, short **pcm, size_t *n_samples,
                      int *rate)
{
	*pcm = NULL;
	*n_samples = 0;
	if (!text || !*text)
		return error("speech: nothing to say (empty text)");
	if (strlen(text) > SPEECH_MAX_TEXT)
		return error("speech: text longer than %d bytes", SPEECH_MAX_TEXT);
	struct pcmbuf b = { 0 };
	pthread_mutex_lock(&espeak_lock);
	int r = synth_locked(lang ? lang : "", text, &b, rate);
	pthread_mutex_unlock(&espeak_lock);
	if (r < 0) {
		util_clear_free(b.pcm);
		return -1;
	}
	*pcm = b.pcm;
	*n_samples = b.n;
	return 0;
}

/*
 * SDL timer callback (timer thread): pauses the device once the queue has drained and the
 * tail has played. param carries the generation the timer was started for.
 */
static Uint32 pause_when_drained(Uint32 interval, void *param)
{
	unsigned gen = (unsigned)(uintptr_t)param;
	Uint32 next = 0;
	(void)interval;
	pthread_mutex_lock(&live_lock);
	struct speech *s = live;
	if (s && s->gen == gen && s->playing) {
		if (SDL_GetQueuedAudioSize(s->dev) > 0) {
			s->drained = 0;
			next = 100;
		} else if (!s->drained) {
			s->drained = 1;       /* the device may still hold the last chunk */
			next = SPEECH_TAIL_MS;
		} else {
			SDL_PauseAudioDevice(s->dev, 1);
			s->playing = 0;
			s->timer = 0;
		}
	}
	pthread_mutex_unlock(&live_lock);
	return next;
}

/* Stops playback with live_lock held: new generation, timer cancelled, queue emptied. */
static void stop_locked(struct speech *s)
{
	s->gen++;
	if (s->timer)
		SDL_RemoveTimer(s->timer);
	s->timer = 0;
	SDL_PauseAudioDevice(s->dev, 1);
	SDL_ClearQueuedAudio(s->dev);
	s->playing = 0;
}

/* Opens espeak-ng and an audio device; *out is released with speech_close. */
int speech_open(struct speech **out)
{
	*out = NULL;
	pthread_mutex_lock(&espeak_lock);
	int r = espeak_ready();
	int rate = espeak_rate;
	pthread_mutex_unlock(&espeak_lock);
	if (r < 0)
		return -1;
	if (SDL_InitSubSystem(SDL_INIT_AUDIO | SDL_INIT_TIMER) != 0)
		return error("speech: no audio (%s)", SDL_GetError());
	SDL_AudioSpec want = { .freq = rate, .format = AUDIO_S16SYS, .channels = 1,
	                       .samples = 1024 };
	SDL_AudioSpec have;
	SDL_AudioDeviceID dev = SDL_OpenAudioDevice(NULL, 0, &want, &have, 0);
	if (dev == 0) {
		error("speech: no audio device (%s)", SDL_GetError());
		SDL_QuitSubSystem(SDL_INIT_AUDIO | SDL_INIT_TIMER);
		return -1;
	}
	struct speech *s = calloc(1, sizeof *s);
	if (!s) {
		SDL_CloseAudioDevice(dev);
		SDL_QuitSubSystem(SDL_INIT_AUDIO | SDL_INIT_TIMER);
		return error("speech: out of memory");
	}
	s->dev = dev;
	s->rate = rate;
	pthread_mutex_lock(&live_lock);
	live = s;
	pthread_mutex_unlock(&live_lock);
	*out = s;
	return 0;
}

/* Stops playback and releases s; NULL is a no-op. */
void speech_close(struct speech *s)
{
	if (!s)
		return;
	pthread_mutex_lock(&live_lock);
	stop_locked(s);
	if (live == s)
		live = NULL;
	pthread_mutex_unlock(&live_lock);
	SDL_CloseAudioDevice(s->dev);
	SDL_QuitSubSystem(SDL_INIT_AUDIO | SDL_INIT_TIMER);
	free(s);
}

/* Stops playback now; NULL is a no-op. */
void speech_stop(struct speech *s)
{
	if (!s)
		return;
	pthread_mutex_lock(&live_lock);
	stop_locked(s);
	pthread_mutex_unlock(&live_lock);
}

/* 1 while a clip is queued or still playing. */
int speech_is_playing(struct speech *s)
{
	if (!s)
		return 0;
	pthread_mutex_lock(&live_lock);
	int p = s->playing;
	pthread_mutex_unlock(&live_lock);
	return p;
}

/* Stops what plays, synthesizes text and queues it; the timer pauses the device after. */
int speech_say(struct speech *s, const char *lang, const char *text)
{
	short *pcm;
	size_t n;
	int rate;
	if (!s)
		return error("speech: read-aloud is not available");
	speech_stop(s);
	if (speech_synthesize(lang, text, &pcm, &n, &rate) < 0)
		return -1;
	int r = 0;
	pthread_mutex_lock(&live_lock);
	if (SDL_QueueAudio(s->dev, pcm, (Uint32)(n * sizeof *pcm)) != 0) {
		r = error("speech: audio queue failed (%s)", SDL_GetError());
	} else {
		Uint32 ms = (Uint32)(n * 1000 / (size_t)rate) + SPEECH_TAIL_MS;
		s->playing = 1;
		s->drained = 1;
		s->timer = SDL_AddTimer(ms, pause_when_drained, (void *)(uintptr_t)s->gen);
		SDL_PauseAudioDevice(s->dev, 0);
		if (!s->timer) {
			stop_locked(s);
			r = error("speech: no timer (%s)", SDL_GetError());
		}
	}
	pthread_mutex_unlock(&live_lock);
	util_cleanse(pcm, n * sizeof *pcm);
	free(pcm);
	return r;
}
