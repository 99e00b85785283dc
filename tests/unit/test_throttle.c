/*
 * test_throttle.c — the office's sign-in throttle table (sync/office/auth.h) on its own,
 * without a password check: an account locked after AUTH_ACCOUNT_FAILS failures stays
 * locked while many times AUTH_THROTTLE_SLOTS fresh keys (other accounts, other addresses)
 * pass through the table, since a locked entry is never evicted; when every slot holds a
 * locked key, a new key is answered as throttled (not let through), and once the locks
 * run out (AUTH_LOCK_SECS) the table serves new keys again. Twins: an account with fewer
 * failures is not locked; a fresh key in a table with room is not throttled.
 */
#include "sync/office/auth.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>

#define T0 ((time_t)1800000000)

static void fail_times(const char *acct, const char *addr, int n, time_t now)
{
	for (int i = 0; i < n; i++)
		auth_throttle_fail(acct, addr, now);
}

/* Runs first: the table is empty. */
static void lock_survives_a_flood_of_fresh_keys(void **state)
{
	char acct[32], addr[32];

	(void)state;
	fail_times("u:victim", "a:10.0.0.1", AUTH_ACCOUNT_FAILS - 1, T0);
	assert_int_equal(auth_throttled("u:victim", "a:10.0.0.1", T0), 0);   /* twin: 4 is not yet */
	fail_times("u:victim", "a:10.0.0.1", 1, T0);
	assert_int_equal(auth_throttled("u:victim", "a:10.0.0.2", T0), 1);   /* locked, from anywhere */
	for (int i = 0; i < 4 * AUTH_THROTTLE_SLOTS; i++) {   /* fresh account + fresh address each */
		snprintf(acct, sizeof(acct), "u:guess%d", i);
		snprintf(addr, sizeof(addr), "a:192.0.%d.%d", i / 256, i % 256);
		auth_throttle_fail(acct, addr, T0 + 1 + i % 60);
	}
	assert_int_equal(auth_throttled("u:victim", "a:10.9.9.9", T0 + 61), 1);
	assert_int_equal(auth_throttled("u:fresh", "a:10.9.9.9", T0 + 61), 0);   /* twin: room left */
	assert_int_equal(auth_throttled("u:victim", "a:10.9.9.9", T0 + AUTH_LOCK_SECS + 1), 0);
}

/* Every slot locked: a new key is throttled, the table never lets it through. */
static void full_of_locks_throttles_new_keys(void **state)
{
	const time_t t1 = T0 + 10 * AUTH_LOCK_SECS;
	char acct[32];

	(void)state;
	for (int i = 0; i < AUTH_THROTTLE_SLOTS; i++) {
		snprintf(acct, sizeof(acct), "u:locked%d", i);
		fail_times(acct, acct, AUTH_ACCOUNT_FAILS, t1);   /* acct as its own address key: one slot */
		assert_int_equal(auth_throttled(acct, acct, t1), 1);
	}
	assert_int_equal(auth_throttled("u:newcomer", "a:10.1.1.1", t1), 1);
	auth_throttle_fail("u:newcomer", "a:10.1.1.1", t1);   /* counted nowhere, harmless */
	assert_int_equal(auth_throttled("u:locked0", "u:locked0", t1), 1);   /* still locked */
	assert_int_equal(auth_throttled("u:newcomer", "a:10.1.1.1", t1 + AUTH_LOCK_SECS + 1), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(lock_survives_a_flood_of_fresh_keys),
		cmocka_unit_test(full_of_locks_throttles_new_keys),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
