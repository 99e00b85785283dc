/*
 * chime.c — two soft sine tones (660 Hz, then 880 Hz) queued on an SDL audio device.
 */
#include "app/ui/chime.h"
#include "platform/util.h"

#include <SDL.h>
#include <math.h>

#define RATE 22050

static SDL_AudioDeviceID dev;

int chime_play(void)
{
	static Sint16 pcm[RATE];   /* 1 s: two tones of 0.4 s and a little silence */
	SDL_AudioSpec want = { .freq = RATE, .format = AUDIO_S16SYS, .channels = 1, .samples = 1024 };

	chime_stop();
	if (!SDL_WasInit(SDL_INIT_AUDIO) && SDL_InitSubSystem(SDL_INIT_AUDIO) < 0)
		return warning("no audio for the host alert: %s", SDL_GetError()), -1;
	dev = SDL_OpenAudioDevice(NULL, 0, &want, NULL, 0);
	if (!dev)
		return warning("no audio device for the host alert: %s", SDL_GetError()), -1;
	for (int i = 0; i < RATE; i++) {
		double t = (double)i / RATE, f = t < 0.4 ? 660 : 880;
		double env = t < 0.8 ? sin(M_PI * fmod(t, 0.4) / 0.4) : 0;
		pcm[i] = (Sint16)(9000 * env * sin(2 * M_PI * f * t));
	}
	SDL_QueueAudio(dev, pcm, sizeof(pcm));
	SDL_PauseAudioDevice(dev, 0);
	return 0;
}

int chime_busy(void)
{
	if (dev && SDL_GetQueuedAudioSize(dev) == 0)
		chime_stop();
	return dev != 0;
}

void chime_stop(void)
{
	if (dev)
		SDL_CloseAudioDevice(dev);
	dev = 0;
}
