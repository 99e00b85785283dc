/*
 * platform/linux/platform.c — Linux (Debian 12) variant of platform.h.
 */
#include "platform/platform.h"
#include "platform/util.h"

#include <errno.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

int platform_default_state_dir(char *buf, size_t size)
{
	const char *env = getenv("INLOOP_STATE");
	const char *xdg = getenv("XDG_STATE_HOME");
	const char *home = getenv("HOME");

	if (env && *env)
		return util_fmt(buf, size, "%s", env) < 0 ? -1 : 0;
	if (geteuid() == 0)
		return util_fmt(buf, size, "/var/lib/inloop") < 0 ? -1 : 0;
	if (xdg && *xdg)
		return util_fmt(buf, size, "%s/inloop", xdg) < 0 ? -1 : 0;
	if (home && *home)
		return util_fmt(buf, size, "%s/.local/state/inloop", home) < 0 ? -1 : 0;
	return error("no state folder: set --state or INLOOP_STATE");
}

int platform_harden_process(void)
{
	struct rlimit none = { 0, 0 };
	int rc = 0;

	if (setrlimit(RLIMIT_CORE, &none) < 0)
		rc = error("cannot turn off core dumps: %s", strerror(errno));
	if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0)
		rc = error("cannot mark the process undumpable: %s", strerror(errno));
	return rc;
}

int platform_check_key_file(const char *path)
{
	struct stat st;

	if (stat(path, &st) < 0)
		return error("cannot read key file %s: %s", path, strerror(errno));
	if (st.st_mode & 077)
		return error("key file %s is readable by others (mode %03o); it must be 0600",
			     path, (unsigned)(st.st_mode & 0777));
	return 0;
}

void platform_use_dutch_time(void)
{
	setenv("TZ", "Europe/Amsterdam", 1);
	tzset();
}
