/*
 * assets.h — the assets folder (forms, holidays, translations, fonts, icons).
 */
#ifndef INLOOP_ASSETS_H
#define INLOOP_ASSETS_H

#include <stddef.h>

/*
 * Writes the assets folder into buf: $INLOOP_ASSETS when set, else
 * <dir of /proc/self/exe>/../assets. -1 (with an error) when it does not fit or cannot be
 * found.
 */
int assets_dir(char *buf, size_t size);

#endif
