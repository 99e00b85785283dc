/*
 * banned.h — functions inloop does not use, made compile errors (git's banned.h).
 * Included into every translation unit by the Makefile (-include). The system headers
 * that declare them are pulled in first, so their own declarations stay intact.
 */
#ifndef INLOOP_BANNED_H
#define INLOOP_BANNED_H

#include <stdio.h>
#include <string.h>
#include <time.h>

#define BANNED(func) sorry_##func##_is_banned_in_inloop

#undef strcpy
#define strcpy(...) BANNED(strcpy)
#undef strcat
#define strcat(...) BANNED(strcat)
#undef strncpy
#define strncpy(...) BANNED(strncpy)
#undef sprintf
#define sprintf(...) BANNED(sprintf)
#undef vsprintf
#define vsprintf(...) BANNED(vsprintf)
#undef strtok
#define strtok(...) BANNED(strtok)
#undef gmtime
#define gmtime(...) BANNED(gmtime)
#undef localtime
#define localtime(...) BANNED(localtime)
#undef ctime
#define ctime(...) BANNED(ctime)
#undef asctime
#define asctime(...) BANNED(asctime)

#endif
