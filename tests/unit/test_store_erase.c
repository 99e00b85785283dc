/*
 * test_store_erase.c — the store calls the office needs (store.h): store_list_since gives
 * only what arrived after a kept position, also after the newest row was erased (SQLite
 * would hand its rowid to the next row); store_erase leaves a tombstone, so the erased id
 * is no longer got or listed, the same bytes again answer SAME (200), other bytes CONFLICT
 * (409), and nothing is stored again; erasing an absent id answers 1. Needs $TEST_SCRATCH.
 */
#include "sync/casestore/store.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct store *st;

static int fresh(void **state)
{
	static int n;
	char path[4096];
	const char *scratch = getenv("TEST_SCRATCH");

	(void)state;
	snprintf(path, sizeof(path), "%s/store-%d.sqlite", scratch ? scratch : "/tmp", ++n);
	remove(path);
	return store_open(path, STORE_CREATE, &st);
}

static int done(void **state)
{
	(void)state;
	store_close(st);
	st = NULL;
	return 0;
}

static void put(const char *id, const char *bytes, enum store_put_result want)
{
	assert_int_equal(store_put(st, id, "kiosk-1", (const unsigned char *)bytes, strlen(bytes), 1000), want);
}

static int count_row(const struct store_row *row, void *arg)
{
	(void)row;
	++*(int *)arg;
	return 0;
}

static int since_count(long long *since)
{
	int n = 0;

	assert_int_equal(store_list_since(st, since, count_row, &n), 0);
	return n;
}

static void list_since_gives_only_new_rows(void **state)
{
	long long since = 0;

	(void)state;
	put("a", "envelope a", STORE_PUT_CREATED);
	put("b", "envelope b", STORE_PUT_CREATED);
	assert_int_equal(since_count(&since), 2);
	assert_int_equal(since_count(&since), 0);
	put("c", "envelope c", STORE_PUT_CREATED);
	assert_int_equal(since_count(&since), 1);
}

static void a_row_after_an_erased_newest_is_still_new(void **state)
{
	long long since = 0;

	(void)state;
	put("a", "envelope a", STORE_PUT_CREATED);
	put("b", "envelope b", STORE_PUT_CREATED);
	assert_int_equal(since_count(&since), 2);
	assert_int_equal(store_erase(st, "b"), 0);
	put("c", "envelope c", STORE_PUT_CREATED);
	assert_int_equal(since_count(&since), 1);
}

static void erased_id_is_a_tombstone(void **state)
{
	struct store_row row;
	long long since = 0;

	(void)state;
	put("a", "envelope a", STORE_PUT_CREATED);
	put("b", "envelope b", STORE_PUT_CREATED);
	assert_int_equal(store_erase(st, "a"), 0);
	assert_int_equal(store_get(st, "a", &row), 1);
	assert_int_equal(store_count(st), 1);
	assert_int_equal(since_count(&since), 1);
	put("a", "envelope a", STORE_PUT_SAME);
	put("a", "other bytes", STORE_PUT_CONFLICT);
	assert_int_equal(store_get(st, "a", &row), 1);
	assert_int_equal(store_count(st), 1);
	assert_int_equal(store_erase(st, "a"), 1);
	assert_int_equal(store_erase(st, "never"), 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(list_since_gives_only_new_rows, fresh, done),
		cmocka_unit_test_setup_teardown(a_row_after_an_erased_newest_is_still_new, fresh, done),
		cmocka_unit_test_setup_teardown(erased_id_is_a_tombstone, fresh, done),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
