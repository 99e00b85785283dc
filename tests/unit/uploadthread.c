/*
 * uploadthread.c — drives the kiosk's background uploader (upload.h) for t5004:
 *   uploadthread STATE SECONDS
 * Starts it (config.json's url), kicks it, and polls upload_status every 20 ms for up to
 * SECONDS or until the outbox is drained, timing each upload_status call (the UI thread's
 * view: it must never wait on the network); then times upload_stop. Prints one line:
 *   pending=N held=N blocked=N success=0|1 status_max_us=U stop_ms=M error=TEXT
 */
#include "sync/device/upload.h"
#include "platform/util.h"

#include <stdlib.h>
#include <time.h>
#include <unistd.h>

static long long now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

int main(int argc, char **argv)
{
	struct uploader *u = NULL;
	struct upload_status st;
	long long t0, worst = 0, end;

	if (argc != 3)
		return fprintf(stderr, "usage: uploadthread STATE SECONDS\n"), 2;
	if (upload_start(argv[1], &u) < 0)
		return 1;
	upload_kick(u);
	end = now_us() + atoll(argv[2]) * 1000000;
	do {
		usleep(20000);
		t0 = now_us();
		upload_status(u, &st);
		if (now_us() - t0 > worst)
			worst = now_us() - t0;
	} while (now_us() < end && !(st.last_success && st.pending == 0) && !st.blocked);
	t0 = now_us();
	upload_stop(u);
	printf("pending=%d held=%d blocked=%d success=%d status_max_us=%lld stop_ms=%lld error=%s\n",
	       st.pending, st.held, st.blocked, st.last_success != 0, worst, (now_us() - t0) / 1000,
	       st.last_error);
	return 0;
}
