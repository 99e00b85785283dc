/*
 * fuzz_form_check.c — libFuzzer target: the record's answers checked against the shipped
 * form (form_check_all, form_check_answer) and rewritten into their stored form
 * (form_normalise), as the Send button and the office re-check do.
 *
 * An input is a record as opened (its "answers" object is checked, and the whole record
 * goes through the office's re-check, recheck_record) or a bare answers object.
 * Properties beyond the sanitizers: answers that pass still pass once normalised;
 * normalising is idempotent (the stored form of a stored form is itself); a refusal says
 * why; and a record the re-check passed passes again unchanged (its triage is the
 * office's own now).
 */
#include "tests/fuzz/fuzz_common.h"
#include "sync/rules/form.h"
#include "sync/office/recheck.h"

static struct form *form;
static struct recheck *office;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *assets = getenv("INLOOP_ASSETS");
	char path[4200];

	(void)argc, (void)argv;
	fuzz_keep_stderr();
	util_json_wipe_on_free();
	snprintf(path, sizeof(path), "%s/forms/registration.json", assets && *assets ? assets : "assets");
	if (form_load(path, &form) < 0)
		fuzz_die("the shipped form (set INLOOP_ASSETS)");
	setenv("INLOOP_ASSETS", assets && *assets ? assets : "assets", 0);
	if (recheck_load(&office) < 0)
		fuzz_die("recheck_load (set INLOOP_ASSETS)");
	return 0;
}

/* The office's re-check of a whole record, twice: the second sees the office's triage. */
static void recheck_twice(const json_t *doc)
{
	json_t *rec = json_deep_copy(doc);
	char why[512] = "";
	enum recheck_result r;

	if (!rec)
		return;
	r = recheck_record(office, rec, why, sizeof(why));
	if (r == RECHECK_REFUSED && !why[0])
		abort();   /* a refusal without a reason */
	if (r == RECHECK_OK || r == RECHECK_CHANGED) {
		why[0] = '\0';
		if (recheck_record(office, rec, why, sizeof(why)) != RECHECK_OK)
			abort();   /* the office's own triage differs from itself */
	}
	json_decref(rec);
}

static void each_answer(const json_t *answers)
{
	const char *key, *msgid;
	json_t *v;

	json_object_foreach((json_t *)answers, key, v) {
		msgid = NULL;
		if (form_check_answer(form, key, v, &msgid) < 0 && !msgid)
			abort();   /* a refusal must say what to do */
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	json_t *doc = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, NULL);
	json_t *answers, *once = NULL, *twice = NULL;

	if (!doc)
		return 0;
	answers = json_object_get(doc, "answers");
	if (json_is_object(answers))
		recheck_twice(doc);
	else
		answers = doc;
	each_answer(answers);
	if (form_check_all(form, answers, NULL, NULL) != 0)
		goto out;
	once = json_deep_copy(answers);
	if (!once || form_normalise(form, once) < 0)
		goto out;
	if (form_check_all(form, once, NULL, NULL) != 0)
		abort();   /* normalising made valid answers invalid */
	twice = json_deep_copy(once);
	if (!twice || form_normalise(form, twice) < 0)
		goto out;
	if (!json_equal(once, twice))
		abort();   /* normalising is not idempotent */
out:
	json_decref(twice);
	json_decref(once);
	json_decref(doc);
	return 0;
}
