#!/bin/sh
# No data race on the environment: once the uploader thread runs (it calls libcurl, which
# reads the environment), the UI never calls setenv/putenv/unsetenv — a language tap
# switches catalogues, not LANGUAGE. A small LD_PRELOAD shim records every environment
# write made after the first pthread_create; the twin shows the shim catches one.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/replays/kiosk-lib.sh"
make_state
cat >"$T/shim.c" <<'EOC'
#define _GNU_SOURCE
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
static int threads;
static void note(const char *fn, const char *name)
{
	const char *log = getenv("SHIM_LOG");
	FILE *f;
	if (!threads || !log || !(f = fopen(log, "a")))
		return;
	fprintf(f, "%s %.*s after a thread started\n", fn, (int)strcspn(name, "="), name);
	fclose(f);
}
int pthread_create(pthread_t *t, const pthread_attr_t *a, void *(*fn)(void *), void *arg)
{
	int (*real)(pthread_t *, const pthread_attr_t *, void *(*)(void *), void *) =
		(int (*)(pthread_t *, const pthread_attr_t *, void *(*)(void *), void *))dlsym(RTLD_NEXT, "pthread_create");
	threads = 1;
	return real(t, a, fn, arg);
}
int setenv(const char *n, const char *v, int o)
{
	int (*real)(const char *, const char *, int) = (int (*)(const char *, const char *, int))dlsym(RTLD_NEXT, "setenv");
	note("setenv", n);
	return real(n, v, o);
}
int putenv(char *s)
{
	int (*real)(char *) = (int (*)(char *))dlsym(RTLD_NEXT, "putenv");
	note("putenv", s);
	return real(s);
}
int unsetenv(const char *n)
{
	int (*real)(const char *) = (int (*)(const char *))dlsym(RTLD_NEXT, "unsetenv");
	note("unsetenv", n);
	return real(n);
}
EOC
cat >"$T/probe.c" <<'EOC'
#include <pthread.h>
#include <stdlib.h>
static void *idle(void *a) { return a; }
int main(void) { pthread_t t; pthread_create(&t, NULL, idle, NULL); pthread_join(t, NULL); setenv("LANGUAGE", "ar", 1); return 0; }
EOC
check "the shim builds" cc -shared -fPIC -o "$T/shim.so" "$T/shim.c" -ldl
check "the probe builds" cc -pthread -o "$T/probe" "$T/probe.c"
# an ASan build must come first in the library list; the shim is fine behind it
export ASAN_OPTIONS="${ASAN_OPTIONS}:verify_asan_link_order=0"
SHIM_LOG="$T/probe.log" LD_PRELOAD="$T/shim.so" "$T/probe"
check "twin: the shim sees a setenv after a thread started" grep -q '^setenv LANGUAGE' "$T/probe.log"

printf 'sync-start\nexpect welcome\ntap lang-en\ntap lang-ar\ntap start\ntap lang-menu\ntap lang-nl\ntap lang-menu\ntap lang-ar\nexpect q-crisis\nexpect-text %s\n' \
	"$(grep -A1 '^msgid "Next"' "$TOP/assets/po/ar.po" | sed -n 's/^msgstr "\(.*\)"/\1/p')" >"$T/langs.replay"
SHIM_LOG="$T/kiosk.log" LD_PRELOAD="$T/shim.so" kiosk nl 1280x800 "$T/langs.replay" >"$T/kiosk.out" 2>&1
check "language taps with the uploader running (replay passes)" test $? -eq 0
check "... which checked the Arabic Next (the replay is not empty-handed)" grep -q "^expect-text ." "$T/langs.replay"
refuse "no environment write after the uploader started" test -s "$T/kiosk.log"
[ -s "$T/kiosk.log" ] && sed 's/^/# /' "$T/kiosk.log"
done_testing
