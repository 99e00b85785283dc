/*
 * assets.c — where the program's read-only data lives (assets.h).
 */
#include "platform/assets.h"
#include "platform/util.h"

#include <libgen.h>
#include <stdlib.h>
#include <unistd.h>

int assets_dir(char *buf, size_t size)
{
	const char *env = getenv("INLOOP_ASSETS");
	char exe[4096];
	ssize_t n;

	if (env && *env)
		return util_fmt(buf, size, "%s", env) < 0 ? -1 : 0;
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n < 0 || (size_t)n >= sizeof(exe) - 1)
		return error("cannot find the running program to locate assets/ (set INLOOP_ASSETS)");
	exe[n] = '\0';
	return util_fmt(buf, size, "%s/../assets", dirname(exe)) < 0 ? -1 : 0;
}
