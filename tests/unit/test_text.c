/*
 * test_text.c — the text measuring buffer forgets with the visit: a canary name measured
 * through the renderer's real measure (SDL2_ttf + HarfBuzz over the Noto chain, dummy
 * video driver) is found in the buffer (text_holds, the twin), and after render_forget —
 * what kiosk_wipe calls — it is neither in the buffer nor, as UTF-8 or as code points,
 * anywhere in the process's writable memory.
 */
#include "app/ui/render.h"
#include "app/ui/text.h"
#include "app/util.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <SDL.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define KEY 0x5A   /* the needles are kept XORed, so they never match themselves */

static char enc8[64];                 /* the canary's UTF-8, XORed */
static size_t n8;
static unsigned char enc32[64 * 4];   /* its code points as 32-bit words, XORed */
static size_t n32;

/* Fills buf with a fresh canary name and remembers it, XORed. */
static void plant(char *buf, size_t size)
{
	FILE *r = fopen("/dev/urandom", "re");
	unsigned char b[24];

	assert_non_null(r);
	assert_int_equal(fread(b, 1, sizeof(b), r), sizeof(b));
	fclose(r);
	snprintf(buf, size, "Kq");
	for (size_t i = 0; i < sizeof(b) && strlen(buf) + 1 < size; i++)
		buf[strlen(buf) + 1] = '\0', buf[strlen(buf)] = (char)('a' + b[i] % 26);
	n8 = strlen(buf);
	n32 = n8 * 4;
	for (size_t i = 0; i < n8; i++) {
		uint32_t cp = (unsigned char)buf[i];
		enc8[i] = (char)(buf[i] ^ KEY);
		memcpy(&enc32[i * 4], &cp, 4);
	}
	for (size_t i = 0; i < n32; i++)
		enc32[i] ^= KEY;
}

/* 1 when the XORed needle (n bytes) occurs in [p, p + len). */
static int found_in(const unsigned char *p, size_t len, const unsigned char *enc, size_t n)
{
	for (size_t i = 0; i + n <= len; i++) {
		size_t j = 0;
		while (j < n && (p[i + j] ^ KEY) == enc[j])
			j++;
		if (j == n) {
			print_message("# canary (%zu-byte needle) at %p\n", n, (const void *)(p + i));
			return 1;
		}
	}
	return 0;
}

/* Regions of the process's writable memory holding the canary (UTF-8 or code points). */
static int scan_memory(void)
{
	FILE *maps = fopen("/proc/self/maps", "re");
	char line[512];
	int hits = 0;

	assert_non_null(maps);
#ifdef __SANITIZE_ADDRESS__
	/* Under ASan the shadow and the allocator's reserved regions cannot be read directly
	 * (SIGSEGV): the scan is left to the plain build; buffer_holds_canary still runs. */
	fclose(maps);
	print_message("# memory scan skipped under AddressSanitizer\n");
	return -1;
#endif
	while (fgets(line, sizeof(line), maps)) {
		unsigned long lo, hi;
		char perms[8];
		if (sscanf(line, "%lx-%lx %7s", &lo, &hi, perms) != 3 || perms[0] != 'r' ||
		    perms[1] != 'w' || strstr(line, "[vvar]") || strstr(line, "[vsyscall]"))
			continue;
		if (found_in((const unsigned char *)lo, hi - lo, (const unsigned char *)enc8, n8) ||
		    found_in((const unsigned char *)lo, hi - lo, enc32, n32)) {
			print_message("#   in %s", line);
			hits++;
		}
	}
	fclose(maps);
	return hits;
}

/* text_holds on the canary, through a probe decoded from its XORed copy and wiped. */
static int buffer_holds_canary(void)
{
	char probe[64];
	int held;

	for (size_t i = 0; i < n8; i++)
		probe[i] = (char)(enc8[i] ^ KEY);
	probe[n8] = '\0';
	held = text_holds(probe);
	util_cleanse(probe, sizeof(probe));
	return held;
}

static void forgotten_with_the_visit(void **state)
{
	static struct ui_tree t;
	struct render *r = NULL;
	const struct ui_measure *m;
	char name[64];

	(void)state;
	assert_int_equal(render_open("800x600", &r), 0);
	m = render_measure(r, &t);
	plant(name, sizeof(name));
	assert_true(m->width(m->ctx, name, 30, 0) > 0);   /* as a screen measures a field */
	util_cleanse(name, sizeof(name));                 /* the test's own copy */
	assert_int_equal(buffer_holds_canary(), 1);       /* the twins: the buffer keeps it, */
	int scan = scan_memory();                         /* -1: not possible (ASan build) */
	assert_true(scan != 0);                           /* and the scan finds it there */
	render_forget(r);                                 /* what kiosk_wipe calls */
	assert_int_equal(buffer_holds_canary(), 0);
	if (scan > 0)
		assert_int_equal(scan_memory(), 0);
	render_close(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(forgotten_with_the_visit),
	};

	setenv("SDL_VIDEODRIVER", "dummy", 1);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
