/*
 * fuzz_form_load.c — libFuzzer target: the form loader (form_load) on any file, then every
 * accessor and check the kiosk runs on a loaded form, with the empty answers object and
 * "unknown". The loader promises "refused with one error line, never a crash"; a form
 * that loads must hand out a text in every language it declares (form.h).
 */
#include "tests/fuzz/fuzz_common.h"
#include "sync/rules/form.h"

static struct fuzz_file file;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc, (void)argv;
	fuzz_keep_stderr();
	util_json_wipe_on_free();
	return 0;
}

/* Runs what the screens run for one question; aborts when a promised text is missing. */
static void walk_question(const struct form *f, const struct question *q, const json_t *answers)
{
	const char *ids[2], *msgid = NULL;
	json_t *unknown = json_string("unknown");

	for (size_t l = 0; l < form_lang_count(f); l++) {
		if (!form_text(q, "title", form_lang(f, l)) || !form_text(q, "spoken", form_lang(f, l)))
			abort();
		for (size_t o = 0; o < q->n_options; o++)
			if (!form_option_label(q, &q->options[o], form_lang(f, l)))
				abort();
	}
	if (form_find(f, q->id) != q && q->type != Q_ADDRESS)
		abort();
	for (size_t i = 0, n = form_answer_ids(q, ids); i < n; i++)
		if (form_find(f, ids[i]) != q)
			abort();
	(void)form_is_visible(f, q, answers);
	(void)form_type_name(q->type);
	(void)form_check(q, unknown, &msgid);
	json_decref(unknown);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct form *f = NULL;
	json_t *answers;

	fuzz_file_put(&file, data, size);
	if (form_load(file.path, &f) < 0) {
		if (f)
			abort();
		return 0;
	}
	answers = json_object();
	if (!form_name(f) || form_lang_count(f) == 0)
		abort();
	for (size_t i = 0; i < form_count(f); i++)
		walk_question(f, form_question(f, i), answers);
	(void)form_check_all(f, answers, NULL, NULL);
	json_decref(answers);
	form_free(f);
	return 0;
}
