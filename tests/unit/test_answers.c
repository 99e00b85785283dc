/*
 * test_answers.c — answers_wipe (app/kiosk/answers.c), the kiosk's "forget everything",
 * clears every copy of what the person gave: a canary name planted as an answer, in an
 * edit buffer, in a copy the submit path would make (json_deep_copy) and in the text
 * measurer's buffer (measured through the real renderer, dummy video driver) is found in
 * the process's writable memory and in the measurer's buffer (text_holds) before the
 * wipe (the twins) and nowhere after it.
 */
#include "app/kiosk/answers.h"
#include "app/ui/render.h"
#include "app/ui/text.h"
#include "platform/util.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define KEY 0x5A   /* the needle is kept XORed, so it never matches itself */

static char enc[64];
static size_t n_enc;

/* Fills buf with a fresh canary name and remembers it, XORed. */
static void plant(char *buf, size_t size)
{
	FILE *r = fopen("/dev/urandom", "re");
	unsigned char b[24];
	size_t n = 2;

	assert_non_null(r);
	assert_int_equal(fread(b, 1, sizeof(b), r), sizeof(b));
	fclose(r);
	buf[0] = 'W', buf[1] = 'x';
	for (size_t i = 0; i < sizeof(b) && n + 1 < size; i++)
		buf[n++] = (char)('a' + b[i] % 26);
	buf[n] = '\0';
	n_enc = n;
	for (size_t i = 0; i < n; i++)
		enc[i] = (char)(buf[i] ^ KEY);
}

/* 1 when the canary occurs in [p, p + len). */
static int found_in(const unsigned char *p, size_t len)
{
	for (size_t i = 0; i + n_enc <= len; i++) {
		size_t j = 0;
		while (j < n_enc && (p[i + j] ^ KEY) == (unsigned char)enc[j])
			j++;
		if (j == n_enc)
			return 1;
	}
	return 0;
}

/* text_holds on the canary, through a probe decoded from its XORed copy and wiped. */
static int measurer_holds_canary(void)
{
	char probe[64];
	int held;

	for (size_t i = 0; i < n_enc; i++)
		probe[i] = (char)(enc[i] ^ KEY);
	probe[n_enc] = '\0';
	held = text_holds(probe);
	util_cleanse(probe, sizeof(probe));
	return held;
}

/* Writable regions holding the canary; -1 when the scan is not possible (ASan). */
static int scan_memory(void)
{
	FILE *maps = fopen("/proc/self/maps", "re");
	char line[512];
	int hits = 0;

	assert_non_null(maps);
#ifdef __SANITIZE_ADDRESS__
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
		if (found_in((const unsigned char *)lo, hi - lo)) {
			print_message("#   canary in %s", line);
			hits++;
		}
	}
	fclose(maps);
	return hits;
}

/* Plants the canary in every place a visit puts it; the caller's copy is wiped. */
static void visit(struct answers *a, struct render *r)
{
	static struct ui_tree t;
	const struct ui_measure *m = render_measure(r, &t);
	char name[64];
	json_t *copy;

	plant(name, sizeof(name));
	json_object_set_new(a->answers, "name", json_string(name));
	snprintf(a->edit[0], sizeof(a->edit[0]), "%s", name);
	assert_true(m->width(m->ctx, name, 30, 0) > 0);   /* as the entry screen measures it */
	copy = json_deep_copy(a->answers);                /* as submit_answers copies them */
	json_decref(copy);
	util_cleanse(name, sizeof(name));
}

static void wipe_forgets_every_copy(void **state)
{
	struct answers a;
	struct render *r = NULL;
	int before;

	(void)state;
	assert_int_equal(render_open("800x600", &r), 0);
	assert_int_equal(answers_init(&a), 0);
	visit(&a, r);
	before = scan_memory();
	assert_true(before != 0);                         /* the twins: the scan finds it, */
	assert_int_equal(measurer_holds_canary(), 1);     /* and the measurer's buffer too */
	answers_wipe(&a);
	assert_int_equal(measurer_holds_canary(), 0);
	assert_non_null(a.answers);
	assert_int_equal(json_object_size(a.answers), 0);
	assert_int_equal(a.edit[0][0], '\0');
	if (before > 0)
		assert_int_equal(scan_memory(), 0);
	answers_release(&a);
	render_close(r);
}

/* The negative twin: the same visit without answers_wipe leaves it in memory (the
 * measurer's buffer and the answers), so the scan above can fail. */
static void no_wipe_keeps_it(void **state)
{
	struct answers a;
	struct render *r = NULL;

	(void)state;
	assert_int_equal(render_open("800x600", &r), 0);
	assert_int_equal(answers_init(&a), 0);
	visit(&a, r);
	json_decref(a.answers);                            /* freed, wiped by jansson ... */
	a.answers = NULL;
	assert_int_equal(measurer_holds_canary(), 1);      /* ... but the measurer keeps it */
	if (scan_memory() >= 0)
		assert_true(scan_memory() > 0);                /* ... and the edit buffer */
	answers_wipe(&a);
	answers_release(&a);
	render_close(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(wipe_forgets_every_copy),
		cmocka_unit_test(no_wipe_keeps_it),
	};

	setenv("SDL_VIDEODRIVER", "dummy", 1);
	util_json_wipe_on_free();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
