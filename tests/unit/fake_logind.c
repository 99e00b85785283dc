/*
 * fake_logind.c — a stand-in for systemd-logind on a private bus, for t4607 (field mode
 * locks before the laptop sleeps). On the bus in DBUS_SYSTEM_BUS_ADDRESS it owns
 * org.freedesktop.login1, answers org.freedesktop.login1.Manager.Inhibit with the write end
 * of a pipe (a delay lock: its hang-up on the read end is the release), and emits
 * PrepareForSleep(true) on SIGUSR1 and PrepareForSleep(false) on SIGUSR2. Only what
 * sleepwatch.c uses; sd-bus as there. One line on stdout per event (flushed):
 *   ready                      the name is ours
 *   inhibit WHAT MODE          an Inhibit call (the lock handed out)
 *   sleep LOCKS                PrepareForSleep(true) sent, LOCKS delay locks held then
 *   released MS                a lock closed MS ms after the last sleep (-1: before any)
 *   wake                       PrepareForSleep(false) sent
 * Ends on SIGTERM.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/signalfd.h>
#include <systemd/sd-bus.h>
#include <time.h>
#include <unistd.h>

#define LOCKS_MAX 16

static int locks[LOCKS_MAX], n_locks;
static int64_t slept_ms = -1;

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int inhibit(sd_bus_message *m, void *arg, sd_bus_error *ret)
{
	const char *what, *who, *why, *mode;
	int p[2], r;

	(void)arg;
	if ((r = sd_bus_message_read(m, "ssss", &what, &who, &why, &mode)) < 0)
		return r;
	if (n_locks == LOCKS_MAX)
		return sd_bus_error_set(ret, "org.freedesktop.login1.TooManyInhibitors", "too many");
	if (pipe2(p, O_CLOEXEC) < 0)
		return -errno;
	r = sd_bus_reply_method_return(m, "h", p[1]);   /* sd-bus sends a duplicate */
	close(p[1]);
	locks[n_locks++] = p[0];
	printf("inhibit %s %s\n", what, mode);
	fflush(stdout);
	return r;
}

static const sd_bus_vtable manager[] = {
	SD_BUS_VTABLE_START(0),
	SD_BUS_METHOD("Inhibit", "ssss", "h", inhibit, SD_BUS_VTABLE_UNPRIVILEGED),
	SD_BUS_SIGNAL("PrepareForSleep", "b", 0),
	SD_BUS_VTABLE_END
};

static void on_signal(sd_bus *bus, int sig)
{
	int going = sig == SIGUSR1;

	if (sd_bus_emit_signal(bus, "/org/freedesktop/login1", "org.freedesktop.login1.Manager",
			       "PrepareForSleep", "b", going) < 0)
		fprintf(stderr, "fake_logind: cannot emit\n");
	sd_bus_flush(bus);
	if (going) {
		slept_ms = now_ms();
		printf("sleep %d\n", n_locks);
	} else {
		printf("wake\n");
	}
	fflush(stdout);
}

/* A lock's read end hung up: the holder released it. */
static void released(int i)
{
	printf("released %lld\n", slept_ms < 0 ? -1LL : (long long)(now_ms() - slept_ms));
	fflush(stdout);
	close(locks[i]);
	locks[i] = locks[--n_locks];
}

int main(void)
{
	sd_bus *bus = NULL;
	sigset_t set;
	int sfd, r;

	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigaddset(&set, SIGUSR2);
	sigaddset(&set, SIGTERM);
	sigprocmask(SIG_BLOCK, &set, NULL);
	sfd = signalfd(-1, &set, SFD_CLOEXEC);
	if (sfd < 0 || (r = sd_bus_open_system(&bus)) < 0 ||
	    (r = sd_bus_add_object_vtable(bus, NULL, "/org/freedesktop/login1",
					  "org.freedesktop.login1.Manager", manager, NULL)) < 0 ||
	    (r = sd_bus_request_name(bus, "org.freedesktop.login1", 0)) < 0) {
		fprintf(stderr, "fake_logind: cannot own org.freedesktop.login1 on the bus\n");
		return 1;
	}
	printf("ready\n");
	fflush(stdout);
	for (;;) {
		while ((r = sd_bus_process(bus, NULL)) > 0)   /* before poll: calls queue messages */
			;
		if (r < 0)
			break;
		struct pollfd p[2 + LOCKS_MAX] = { { .fd = sfd, .events = POLLIN },
			{ .fd = sd_bus_get_fd(bus), .events = (short)sd_bus_get_events(bus) } };
		struct signalfd_siginfo si;
		for (int i = 0; i < n_locks; i++)
			p[2 + i] = (struct pollfd){ .fd = locks[i], .events = POLLIN };
		if (poll(p, (nfds_t)(2 + n_locks), -1) < 0 && errno != EINTR)
			break;
		if ((p[0].revents & POLLIN) && read(sfd, &si, sizeof(si)) == (ssize_t)sizeof(si)) {
			if (si.ssi_signo == SIGTERM)
				break;
			on_signal(bus, (int)si.ssi_signo);
		}
		for (int i = n_locks - 1; i >= 0; i--)
			if (p[2 + i].revents & (POLLHUP | POLLERR | POLLIN))
				released(i);
	}
	sd_bus_flush_close_unref(bus);
	return 0;
}
