/*
 * uploadwait.c — drives the kiosk's background uploader (upload.h) for the wake tests
 * (t5102-t5104) and prints how it ended:
 *   uploadwait STATE SECONDS [--wall-step S] [--network-changed-after MS]
 * Starts the uploader (config.json's url), kicks it once, and waits up to SECONDS until the
 * outbox is drained. Prints: pending=N success=0|1 ms=M error=TEXT (M: ms from start).
 *
 * --wall-step S stands in for NTP stepping the wall clock: once the first pass has failed,
 * every CLOCK_REALTIME reading in this process (this file's clock_gettime, which the
 * uploader links against) is S seconds off from the kernel's, exactly as if the clock had
 * been stepped back by S right after the uploader read it. Waits timed on the wall clock
 * then stretch by S; waits on CLOCK_MONOTONIC do not.
 * --network-changed-after MS calls upload_network_changed after MS ms: the wake path of
 * the platform's network watcher, for machines where no network event can be made.
 */
#include "sync/device/upload.h"
#include "platform/util.h"

#include <stdlib.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static long wall_offset_s;   /* atomic */

int clock_gettime(clockid_t clk, struct timespec *ts)
{
	long rc = syscall(SYS_clock_gettime, clk, ts);

	if (rc == 0 && clk == CLOCK_REALTIME)
		ts->tv_sec += __atomic_load_n(&wall_offset_s, __ATOMIC_ACQUIRE);
	return (int)rc;
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int main(int argc, char **argv)
{
	struct uploader *u = NULL;
	struct upload_status st;
	long step = 0, poke_ms = -1;
	long long t0, end;

	if (argc < 3)
		return fprintf(stderr, "usage: uploadwait STATE SECONDS [--wall-step S] [--network-changed-after MS]\n"), 2;
	for (int i = 3; i + 1 < argc; i += 2) {
		if (!strcmp(argv[i], "--wall-step"))
			step = atol(argv[i + 1]);
		else if (!strcmp(argv[i], "--network-changed-after"))
			poke_ms = atol(argv[i + 1]);
		else
			return fprintf(stderr, "uploadwait: unknown option %s\n", argv[i]), 2;
	}
	if (upload_start(argv[1], &u) < 0)
		return 1;
	t0 = now_ms();
	end = t0 + atoll(argv[2]) * 1000;
	upload_kick(u);
	do {
		usleep(10000);
		upload_status(u, &st);
		if (step && st.last_attempt && st.last_error[0]) {
			__atomic_store_n(&wall_offset_s, step, __ATOMIC_RELEASE);
			step = 0;
		}
		if (poke_ms >= 0 && now_ms() - t0 >= poke_ms) {
			upload_network_changed(u);
			poke_ms = -1;
		}
	} while (now_ms() < end && !(st.last_success && st.pending == 0));
	printf("pending=%d success=%d ms=%lld error=%s\n", st.pending, st.last_success != 0,
	       now_ms() - t0, st.last_error);
	upload_stop(u);
	return 0;
}
