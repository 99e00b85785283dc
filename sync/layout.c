/*
 * layout.c — the folder names of layout.h.
 */
#include "sync/layout.h"
#include "app/util.h"

#include <sys/stat.h>

static const char *const part_names[] = {
	[LAYOUT_CASESTORE] = "casestore",
	[LAYOUT_OFFICE] = "office",
	[LAYOUT_CA] = "ca",
};

int layout_dir(const char *root, enum layout_part part, char *buf, size_t size)
{
	return util_fmt(buf, size, "%s/%s", root, part_names[part]) < 0 ? -1 : 0;
}

int layout_path(const char *root, enum layout_part part, const char *name, char *buf,
		size_t size)
{
	return util_fmt(buf, size, "%s/%s/%s", root, part_names[part], name) < 0 ? -1 : 0;
}

int layout_server_dir(const char *dir, char *buf, size_t size)
{
	struct stat st;

	if (layout_dir(dir, LAYOUT_CASESTORE, buf, size) < 0)
		return -1;
	if (stat(buf, &st) == 0 && S_ISDIR(st.st_mode))
		return 0;
	return util_fmt(buf, size, "%s", dir) < 0 ? -1 : 0;
}
