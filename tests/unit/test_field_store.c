/*
 * test_field_store.c — consultants and sealed drafts on a field device (issue 12):
 * enrol, unlock, wrong passphrases counted on disk and slowed down, locked at the limit;
 * drafts sealed under one consultant's key open for that consultant only; a changed byte
 * is refused and the file kept aside; old drafts expire; the office's disabled list
 * removes a consultant with their drafts. Scratch folders under $TEST_SCRATCH.
 *
 * `test_field_store --answer STATE N` (the kill driver of t4602): opens consultant
 * "anna" with the passphrase on stdin and, answer after answer, saves the draft with
 * answers a1..aN and prints "saved K" after each save returned; SIGKILLed at random.
 * `test_field_store --check STATE` prints the number of answers the draft holds.
 */
#include "sync/device/consultant.h"
#include "sync/device/draft.h"
#include "platform/util.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static const char *scratch(void)
{
	const char *d = getenv("TEST_SCRATCH");
	return d && *d ? d : "/tmp";
}

static void fresh(char *dir, size_t size, const char *name)
{
	char cmd[4400];

	snprintf(dir, size, "%s/%s", scratch(), name);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
	assert_int_equal(util_mkdirs(dir, 0700), 0);
}

static int unlock(const char *s, const char *id, const char *pass, unsigned char key[32])
{
	int wait = 0;
	return consultant_unlock(s, id, pass, strlen(pass), key, &wait);
}

static void enrol_and_unlock(void **st)
{
	char s[4096], ids[4][CONSULTANT_ID_MAX];
	unsigned char k1[32], k2[32];

	(void)st;
	fresh(s, sizeof(s), "cons");
	assert_int_equal(consultant_add(s, "anna", "correct horse", 13), 0);
	assert_int_equal(consultant_add(s, "bram", "battery staple", 14), 0);
	assert_int_equal(consultant_add(s, "anna", "another one!", 12), -1);   /* twice */
	assert_int_equal(consultant_add(s, "Bad/Id", "long enough", 11), -1);
	assert_int_equal(consultant_add(s, "cees", "12345", 5), -1);           /* too short */
	assert_int_equal(consultant_list(s, ids, 4), 2);
	assert_string_equal(ids[0], "anna");
	assert_int_equal(unlock(s, "anna", "correct horse", k1), CONSULTANT_OK);
	assert_int_equal(unlock(s, "anna", "correct horse", k2), CONSULTANT_OK);
	assert_memory_equal(k1, k2, 32);
	assert_int_equal(unlock(s, "bram", "battery staple", k2), CONSULTANT_OK);
	assert_memory_not_equal(k1, k2, 32);
	assert_int_equal(unlock(s, "anna", "Correct horse", k2), CONSULTANT_WRONG);
	assert_int_equal(unlock(s, "zoe", "whatever1", k2), CONSULTANT_UNKNOWN);
}

/* The counter is on disk before the check; from 3 failures the next try waits; at 10 the
 * consultant is locked. last_failure is moved back in the file to skip the waits. */
static void wrong_attempts(void **st)
{
	char s[4096], path[4200], cmd[4600];
	unsigned char k[32];
	int wait = 0;

	(void)st;
	fresh(s, sizeof(s), "wrong");
	assert_int_equal(consultant_add(s, "anna", "correct horse", 13), 0);
	snprintf(path, sizeof(path), "%s/consultants/anna.json", s);
	for (int i = 1; i <= 3; i++)
		assert_int_equal(unlock(s, "anna", "wrong pass", k), CONSULTANT_WRONG);
	assert_int_equal(consultant_failures(s, "anna"), 3);
	assert_int_equal(consultant_unlock(s, "anna", "correct horse", 13, k, &wait), CONSULTANT_WAIT);
	assert_true(wait > 0 && wait <= 5);
	assert_int_equal(consultant_failures(s, "anna"), 3);   /* a refused wait is not a try */
	for (int i = 4; i <= CONSULTANT_LOCK_AFTER; i++) {
		snprintf(cmd, sizeof(cmd), "sed -i 's/\"last_failure\": [0-9]*/\"last_failure\": 1/' '%s'", path);
		assert_int_equal(system(cmd), 0);
		assert_int_equal(unlock(s, "anna", "wrong pass", k),
				 i < CONSULTANT_LOCK_AFTER ? CONSULTANT_WRONG : CONSULTANT_LOCKED);
	}
	assert_int_equal(unlock(s, "anna", "correct horse", k), CONSULTANT_LOCKED);
	/* the twin: a good passphrase before the limit resets the count */
	assert_int_equal(consultant_add(s, "bram", "battery staple", 14), 0);
	assert_int_equal(unlock(s, "bram", "nope nope", k), CONSULTANT_WRONG);
	assert_int_equal(unlock(s, "bram", "battery staple", k), CONSULTANT_OK);
	assert_int_equal(consultant_failures(s, "bram"), 0);
}

static json_t *doc_with(const char *name)
{
	return json_pack("{s:{s:s, s:[s], s:s}}", "answers", "name", name, "crisis", "eviction",
			 "debt1_amount", "4321");
}

static void drafts_sealed(void **st)
{
	char s[4096], id[DRAFT_ID_MAX];
	unsigned char ka[32], kb[32];
	struct draft_info list[4];
	json_t *doc = doc_with("Canary Pieterse"), *back = NULL;
	long long started = 0;
	int tampered = -1;

	(void)st;
	fresh(s, sizeof(s), "drafts");
	assert_int_equal(consultant_add(s, "anna", "correct horse", 13), 0);
	assert_int_equal(consultant_add(s, "bram", "battery staple", 14), 0);
	assert_int_equal(unlock(s, "anna", "correct horse", ka), 0);
	assert_int_equal(unlock(s, "bram", "battery staple", kb), 0);
	draft_new_id(id);
	assert_int_equal(draft_save(s, "anna", ka, id, 1000, doc), 0);
	assert_int_equal(draft_load(s, "anna", ka, id, &back, &started), DRAFT_OK);
	assert_true(json_equal(doc, back));
	assert_int_equal(started, 1000);
	json_decref(back);
	assert_int_equal(draft_list(s, "anna", ka, 30, list, 4, &tampered), 1);
	assert_string_equal(list[0].name, "Canary Pieterse");
	assert_int_equal(list[0].crisis, 1);
	assert_int_equal(tampered, 0);
	/* bram's list holds none of anna's; bram's key does not open anna's file */
	assert_int_equal(draft_list(s, "bram", kb, 30, list, 4, &tampered), 0);
	json_decref(doc);
}

static void draft_tampered(void **st)
{
	char s[4096], id[DRAFT_ID_MAX], path[4400];
	unsigned char ka[32];
	json_t *doc = doc_with("Canary"), *back = NULL;
	FILE *f;
	int c, tampered = 0;
	struct draft_info list[4];

	(void)st;
	fresh(s, sizeof(s), "tamper");
	assert_int_equal(consultant_add(s, "anna", "correct horse", 13), 0);
	assert_int_equal(unlock(s, "anna", "correct horse", ka), 0);
	draft_new_id(id);
	assert_int_equal(draft_save(s, "anna", ka, id, (long long)time(NULL), doc), 0);
	snprintf(path, sizeof(path), "%s/drafts/anna/%s.draft", s, id);
	f = fopen(path, "r+b");
	assert_non_null(f);
	fseek(f, 60, SEEK_SET);
	c = fgetc(f);
	fseek(f, 60, SEEK_SET);
	fputc(c ^ 1, f);
	fclose(f);
	assert_int_equal(draft_list(s, "anna", ka, 30, list, 4, &tampered), 0);
	assert_int_equal(tampered, 1);
	assert_int_equal(access(path, F_OK), -1);          /* not in the list any more ... */
	assert_int_equal(draft_aside_count(s, "anna"), 1); /* ... but kept aside */
	assert_int_equal(draft_load(s, "anna", ka, id, &back, NULL), DRAFT_MISSING);
	json_decref(doc);
}

static void expire_and_disable(void **st)
{
	char s[4096], old[DRAFT_ID_MAX], young[DRAFT_ID_MAX], path[4400];
	unsigned char ka[32];
	json_t *doc = doc_with("Canary"), *disabled = json_pack("[s, s]", "anna", "nobody");
	long long now = (long long)time(NULL);
	struct draft_info list[4];

	(void)st;
	fresh(s, sizeof(s), "expire");
	assert_int_equal(consultant_add(s, "anna", "correct horse", 13), 0);
	assert_int_equal(unlock(s, "anna", "correct horse", ka), 0);
	draft_new_id(old);
	draft_new_id(young);
	assert_int_equal(draft_save(s, "anna", ka, old, now - 29 * 86400 - 60, doc), 0);
	assert_int_equal(draft_save(s, "anna", ka, young, now - 3600, doc), 0);
	assert_int_equal(draft_list(s, "anna", ka, 30, list, 4, NULL), 2);
	assert_int_equal(list[1].days_left, 1);             /* the warning comes first */
	assert_int_equal(draft_expire(s, "anna", 30, now), 0);
	assert_int_equal(draft_expire(s, "anna", 30, now + 86400), 1);
	assert_int_equal(draft_list(s, "anna", ka, 30, list, 4, NULL), 1);
	assert_string_equal(list[0].id, young);
	assert_int_equal(consultant_apply_disabled(s, disabled), 1);
	snprintf(path, sizeof(path), "%s/drafts/anna", s);
	assert_int_equal(access(path, F_OK), -1);
	snprintf(path, sizeof(path), "%s/consultants/anna.json", s);
	assert_int_equal(access(path, F_OK), -1);
	assert_int_equal(unlock(s, "anna", "correct horse", ka), CONSULTANT_UNKNOWN);
	json_decref(disabled);
	disabled = json_pack("[i]", 5);
	assert_int_equal(consultant_apply_disabled(s, disabled), -1);
	json_decref(disabled);
	json_decref(doc);
}

/* The kill driver: one fixed draft id, N answers, a save after each. */
static int answer_loop(const char *s, int n)
{
	static const char id[] = "0123456789abcdef0123456789abcdef";
	unsigned char key[32];
	char pass[256], name[16], val[32];
	json_t *doc = json_pack("{s:{}}", "answers");
	int len = consultant_read_pass(0, pass, sizeof(pass));

	if (len < 0 || consultant_unlock(s, "anna", pass, (size_t)len, key, NULL) != 0)
		return 1;
	setvbuf(stdout, NULL, _IONBF, 0);
	for (int i = 1; i <= n; i++) {
		snprintf(name, sizeof(name), "a%d", i);
		snprintf(val, sizeof(val), "value %d", i);
		json_object_set_new(json_object_get(doc, "answers"), name, json_string(val));
		if (draft_save(s, "anna", key, id, 1000, doc) < 0)
			return 1;
		printf("saved %d\n", i);
	}
	json_decref(doc);
	return 0;
}

static int check_draft(const char *s)
{
	static const char id[] = "0123456789abcdef0123456789abcdef";
	unsigned char key[32];
	char pass[256];
	json_t *doc = NULL;
	int len = consultant_read_pass(0, pass, sizeof(pass)), rc;

	if (len < 0 || consultant_unlock(s, "anna", pass, (size_t)len, key, NULL) != 0)
		return 1;
	rc = draft_load(s, "anna", key, id, &doc, NULL);
	if (rc == DRAFT_MISSING)
		return printf("0\n"), 0;
	if (rc != DRAFT_OK)
		return 1;
	printf("%zu\n", json_object_size(json_object_get(doc, "answers")));
	json_decref(doc);
	return 0;
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(enrol_and_unlock),
		cmocka_unit_test(wrong_attempts),
		cmocka_unit_test(drafts_sealed),
		cmocka_unit_test(draft_tampered),
		cmocka_unit_test(expire_and_disable),
	};

	util_json_wipe_on_free();
	if (argc == 4 && !strcmp(argv[1], "--answer"))
		return answer_loop(argv[2], atoi(argv[3]));
	if (argc == 3 && !strcmp(argv[1], "--check"))
		return check_draft(argv[2]);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
