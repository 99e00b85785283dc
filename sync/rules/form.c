/*
 * form.c — loading the form file (assets/forms/registration.json) into the form model,
 * refusing a malformed or inconsistent one with file, place and reason; the accessors the
 * screens draw from and the conditions that show or hide a question.
 * Validation of answers lives in form_check.c.
 */
#include "sync/rules/form.h"
#include "platform/util.h"

#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define FORM_MAX_BYTES (1024 * 1024)
#define FORM_MAX_QUESTIONS 64
#define FORM_MAX_OPTIONS 32
#define FORM_MAX_ID 32

struct form {
	json_t *root;                          /* owns every string handed out */
	const char *name;
	int version;
	const char *langs[FORM_MAX_LANGS];
	size_t n_langs;
	struct question *qs;
	size_t n_qs;                           /* loaded so far */
	size_t cap_qs;                         /* allocated (each may own options) */
};

/* Where loading stands, for error messages: the file and the place inside it. */
struct loader {
	const char *path;
	struct form *f;
	char place[160];
};

/* Language codes a form may declare: ISO 639 codes of the languages DOMAIN.md §5 names and
 * the other languages heard at Dutch walk-in hours. */
static const char *const known_langs[] = {
	"nl", "en", "ar", "tr", "pl", "uk", "ti", "zgh", "ber", "pap", "ary", "fr", "de", "es",
	"pt", "it", "ro", "bg", "ru", "so", "fa", "prs", "ps", "ku", "zh", "hi", "ur", "am",
	"fy", "srn", NULL
};

static const char *const type_names[] = {
	[Q_SINGLE] = "single", [Q_MULTI] = "multi", [Q_TEXT] = "text", [Q_PHONE] = "phone",
	[Q_EMAIL] = "email", [Q_ADDRESS] = "address", [Q_DATE] = "date", [Q_CONSENT] = "consent",
};

static const char *const text_kinds[QT_COUNT] = { "title", "help", "spoken" };

static const char *const range_names[] = { "any", "past", "near", NULL };

static int fail(struct loader *ld, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int fail(struct loader *ld, const char *fmt, ...)
{
	char reason[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(reason, sizeof(reason), fmt, ap);
	va_end(ap);
	return error("%s: %s: %s", ld->path, ld->place[0] ? ld->place : "top level", reason);
}

static int in_list(const char *const *list, const char *s)
{
	for (size_t i = 0; list[i]; i++)
		if (!strcmp(list[i], s))
			return 1;
	return 0;
}

/* Refuses keys other than those listed: a typo must not silently drop a setting. */
static int only_keys(struct loader *ld, const json_t *obj, const char *const *allowed)
{
	const char *key;
	json_t *v;

	json_object_foreach((json_t *)obj, key, v)
		if (!in_list(allowed, key))
			return fail(ld, "unknown key \"%.40s\"", key);
	return 0;
}

/* An id: 1..32 of [a-z0-9_], starting with a letter. */
static int is_id(const char *s)
{
	size_t n = s ? strlen(s) : 0;

	if (n == 0 || n > FORM_MAX_ID || s[0] < 'a' || s[0] > 'z')
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '_'))
			return 0;
	return 1;
}

static int lang_index(const struct form *f, const char *lang)
{
	for (size_t i = 0; lang && i < f->n_langs; i++)
		if (!strcmp(f->langs[i], lang))
			return (int)i;
	return -1;
}

static int load_langs(struct loader *ld, const json_t *langs)
{
	size_t i;
	json_t *v;

	snprintf(ld->place, sizeof(ld->place), "languages");
	if (!json_is_array(langs) || json_array_size(langs) == 0)
		return fail(ld, "must be a non-empty array of language codes");
	if (json_array_size(langs) > FORM_MAX_LANGS)
		return fail(ld, "more than %d languages", FORM_MAX_LANGS);
	json_array_foreach(langs, i, v) {
		const char *code = json_string_value(v);

		snprintf(ld->place, sizeof(ld->place), "languages[%zu]", i);
		if (!code || !in_list(known_langs, code))
			return fail(ld, "unknown language code \"%.20s\"", code ? code : "(not a string)");
		if (lang_index(ld->f, code) >= 0)
			return fail(ld, "language \"%s\" listed twice", code);
		ld->f->langs[ld->f->n_langs++] = code;
	}
	return 0;
}

/* Reads {"nl": "...", "en": "..."} into out[]: every declared language, nothing else. */
static int load_texts(struct loader *ld, const json_t *obj, const char *what,
		      const char *out[FORM_MAX_LANGS])
{
	const struct form *f = ld->f;
	const char *key;
	json_t *v;

	if (!json_is_object(obj))
		return fail(ld, "%s must be an object of texts per language", what);
	for (size_t i = 0; i < f->n_langs; i++) {
		out[i] = json_string_value(json_object_get(obj, f->langs[i]));
		if (!out[i] || !*out[i])
			return fail(ld, "%s has no text for language \"%s\"", what, f->langs[i]);
	}
	json_object_foreach((json_t *)obj, key, v)
		if (lang_index(f, key) < 0)
			return fail(ld, "%s has a text for \"%.20s\", a language the form does not "
				    "declare", what, key);
	return 0;
}

static int load_option(struct loader *ld, const struct question *q, size_t i, const json_t *o,
		       struct q_option *opt)
{
	static const char *const keys[] = { "id", "icon", "label", "exclusive", "comment", NULL };
	const json_t *excl = json_object_get(o, "exclusive");

	snprintf(ld->place, sizeof(ld->place), "question \"%s\" options[%zu]", q->id, i);
	if (!json_is_object(o))
		return fail(ld, "an option must be an object");
	if (only_keys(ld, o, keys) < 0)
		return -1;
	opt->id = json_string_value(json_object_get(o, "id"));
	if (!opt->id)
		return fail(ld, "option without an id");
	if (!is_id(opt->id) || !strcmp(opt->id, "unknown"))
		return fail(ld, "option id \"%.40s\" is not a lower-case id (and \"unknown\" is "
			    "reserved for allow_unknown)", opt->id);
	snprintf(ld->place, sizeof(ld->place), "question \"%s\" option \"%s\"", q->id, opt->id);
	for (size_t k = 0; k < i; k++)
		if (!strcmp(q->options[k].id, opt->id))
			return fail(ld, "option id listed twice");
	opt->icon = json_string_value(json_object_get(o, "icon"));
	if (!opt->icon || !*opt->icon)
		return fail(ld, "option without an icon name");
	if (excl && (!json_is_boolean(excl) || q->type != Q_MULTI))
		return fail(ld, "exclusive must be true or false, and only on a multi question");
	opt->exclusive = json_is_true(excl);
	return load_texts(ld, json_object_get(o, "label"), "label", opt->label);
}

static int load_options(struct loader *ld, struct question *q, const json_t *opts)
{
	struct q_option *arr;
	size_t i;
	json_t *o;

	if (q->type != Q_SINGLE && q->type != Q_MULTI)
		return opts ? fail(ld, "options only belong to single or multi questions") : 0;
	if (!json_is_array(opts) || json_array_size(opts) == 0)
		return fail(ld, "a %s question needs a non-empty options list",
			    type_names[q->type]);
	if (json_array_size(opts) > FORM_MAX_OPTIONS)
		return fail(ld, "more than %d options", FORM_MAX_OPTIONS);
	arr = calloc(json_array_size(opts), sizeof(*arr));
	if (!arr)
		return fail(ld, "out of memory");
	q->options = arr;
	q->n_options = json_array_size(opts);
	json_array_foreach(opts, i, o)
		if (load_option(ld, q, i, o, &arr[i]) < 0)
			return -1;
	return 0;
}

static const struct q_option *find_option(const struct question *q, const char *id)
{
	for (size_t i = 0; i < q->n_options; i++)
		if (!strcmp(q->options[i].id, id))
			return &q->options[i];
	return NULL;
}

/* The question (among the first n) storing answer id `id`, else NULL. */
static const struct question *find_in(const struct form *f, size_t n, const char *id)
{
	const char *ids[2];

	for (size_t i = 0; i < n; i++) {
		size_t k = form_answer_ids(&f->qs[i], ids);

		if (!strcmp(f->qs[i].id, id))
			return &f->qs[i];
		while (k-- > 0)
			if (!strcmp(ids[k], id))
				return &f->qs[i];
	}
	return NULL;
}

/* A condition {"question": ID, "is": OPTION} or {"question": ID, "is_not": OPTION} (what =
 * "show_if" or "variant show_if"); ID must be an earlier single or multi question,
 * OPTION one of its option ids (or "unknown"). */
static int load_cond(struct loader *ld, const struct question *q, size_t index,
		     const json_t *c, const char *what, struct q_condition *out)
{
	static const char *const keys[] = { "question", "is", "is_not", "comment", NULL };
	const json_t *is = json_object_get(c, "is"), *is_not = json_object_get(c, "is_not");
	const struct question *src;

	snprintf(ld->place, sizeof(ld->place), "question \"%s\" %s", q->id, what);
	if (!json_is_object(c) || only_keys(ld, c, keys) < 0)
		return json_is_object(c) ? -1 : fail(ld, "must be an object");
	out->question = json_string_value(json_object_get(c, "question"));
	if (!out->question)
		return fail(ld, "needs \"question\": the id of an earlier question");
	if (!!is == !!is_not || !json_is_string(is ? is : is_not))
		return fail(ld, "needs exactly one of \"is\" or \"is_not\" with an option id");
	out->op = is ? COND_IS : COND_IS_NOT;
	out->value = json_string_value(is ? is : is_not);
	src = find_in(ld->f, ld->f->n_qs, out->question);
	if (!src)
		return fail(ld, "points to \"%.40s\", which is not a question of this form",
			    out->question);
	if ((size_t)(src - ld->f->qs) >= index)
		return fail(ld, "points to \"%s\", which is not asked before this question",
			    src->id);
	if (src->type != Q_SINGLE && src->type != Q_MULTI)
		return fail(ld, "points to \"%s\", which is not a choice question", src->id);
	if (!find_option(src, out->value) &&
	    !(src->allow_unknown && !strcmp(out->value, "unknown")))
		return fail(ld, "\"%.40s\" is not an option of \"%s\"", out->value, src->id);
	return 0;
}

/* same_screen: the question is asked on the screen of the question before it (and of
 * other same_screen questions between), and only when that question's answer calls for
 * it (a phone number after "call me"). */
static int check_same_screen(struct loader *ld, const struct question *q, size_t index)
{
	const struct question *prev = index > 0 ? &ld->f->qs[index - 1] : NULL;

	while (prev && prev->same_screen && prev > ld->f->qs)
		prev--;

	snprintf(ld->place, sizeof(ld->place), "question \"%s\" same_screen", q->id);
	if (!q->same_screen)
		return 0;
	if (q->type == Q_CONSENT || q->type == Q_ADDRESS || q->type == Q_DATE || q->type == Q_MULTI)
		return fail(ld, "only a single choice, text, phone or e-mail question can share a "
			    "screen");
	if (q->type != Q_SINGLE && q->allow_unknown)
		return fail(ld, "a typed answer sharing a screen cannot allow \"unknown\"");
	if (!prev || prev->same_screen || prev->type != Q_SINGLE ||
	    q->show_if.op == COND_ALWAYS || strcmp(q->show_if.question, prev->id))
		return fail(ld, "needs the question before it to be a single choice that leads "
			    "its own screen, and show_if pointing to that question");
	return 0;
}

/* The condition and the variant texts, once all ids are known. */
static int load_condition(struct loader *ld, struct question *q, size_t index,
			  const json_t *jq)
{
	static const char *const vkeys[] = { "show_if", "title", "help", "spoken", "comment",
					     NULL };
	const json_t *c = json_object_get(jq, "show_if"), *v = json_object_get(jq, "variant");

	if (c && load_cond(ld, q, index, c, "show_if", &q->show_if) < 0)
		return -1;
	if (check_same_screen(ld, q, index) < 0)
		return -1;
	if (!v)
		return 0;
	snprintf(ld->place, sizeof(ld->place), "question \"%s\" variant", q->id);
	if (!json_is_object(v) || only_keys(ld, v, vkeys) < 0)
		return json_is_object(v) ? -1 : fail(ld, "must be an object");
	if (!json_object_get(v, "show_if"))
		return fail(ld, "needs show_if: when the variant texts are used");
	if (load_cond(ld, q, index, json_object_get(v, "show_if"), "variant show_if",
		      &q->variant_if) < 0)
		return -1;
	snprintf(ld->place, sizeof(ld->place), "question \"%s\" variant", q->id);
	for (int k = 0; k < QT_COUNT; k++)
		if (json_object_get(v, text_kinds[k]) &&
		    load_texts(ld, json_object_get(v, text_kinds[k]), text_kinds[k], q->variant[k]) < 0)
			return -1;
	if (!q->variant[QT_TITLE][0] || !q->variant[QT_SPOKEN][0])
		return fail(ld, "needs a title and a spoken text");
	return 0;
}

static int load_type(struct loader *ld, struct question *q, const json_t *jq)
{
	const char *type = json_string_value(json_object_get(jq, "type"));
	const json_t *range = json_object_get(jq, "range"), *max = json_object_get(jq, "max_chars");
	size_t t;

	for (t = 0; type && t < sizeof(type_names) / sizeof(type_names[0]); t++)
		if (!strcmp(type_names[t], type))
			break;
	if (!type || t == sizeof(type_names) / sizeof(type_names[0]))
		return fail(ld, "unknown type \"%.20s\" (single, multi, text, phone, email, "
			    "address, date, consent)", type ? type : "(missing)");
	q->type = (enum q_type)t;
	if (range) {
		const char *r = json_string_value(range);

		if (q->type != Q_DATE || !r || !in_list(range_names, r))
			return fail(ld, "range belongs to a date question: \"any\", \"past\" "
				    "or \"near\"");
		q->range = !strcmp(r, "past") ? RANGE_PAST : !strcmp(r, "near") ? RANGE_NEAR
										 : RANGE_ANY;
	}
	if (max && (q->type != Q_TEXT || !json_is_integer(max) || json_integer_value(max) < 1 ||
		    json_integer_value(max) > 1000))
		return fail(ld, "max_chars belongs to a text question: 1 to 1000");
	q->max_chars = max ? (size_t)json_integer_value(max) : 100;
	return 0;
}

static int load_flag(struct loader *ld, const json_t *jq, const char *key, int *out)
{
	const json_t *v = json_object_get(jq, key);

	if (v && !json_is_boolean(v))
		return fail(ld, "%s must be true or false", key);
	*out = json_is_true(v);
	return 0;
}

/* The question's own fields, except its condition (loaded once all ids are known). */
static int load_question(struct loader *ld, size_t i, const json_t *jq, struct question *q)
{
	static const char *const keys[] = { "id", "type", "required", "allow_unknown", "icon",
					    "title", "help", "spoken", "options", "show_if",
					    "range", "max_chars", "enabled", "same_screen", "variant",
					    "comment", NULL };
	const char *ids[2];
	size_t n;

	snprintf(ld->place, sizeof(ld->place), "questions[%zu]", i);
	q->form = ld->f;
	if (!json_is_object(jq))
		return fail(ld, "a question must be an object");
	q->id = json_string_value(json_object_get(jq, "id"));
	if (!is_id(q->id))
		return fail(ld, "id missing or not a lower-case id of at most %d characters",
			    FORM_MAX_ID);
	snprintf(ld->place, sizeof(ld->place), "question \"%s\"", q->id);
	if (only_keys(ld, jq, keys) < 0 || load_type(ld, q, jq) < 0 || load_flag(ld, jq, "required", &q->required) < 0 ||
	    load_flag(ld, jq, "allow_unknown", &q->allow_unknown) < 0 ||
	    load_flag(ld, jq, "same_screen", &q->same_screen) < 0)
		return -1;
	if (json_object_get(jq, "enabled") && !json_is_boolean(json_object_get(jq, "enabled")))
		return fail(ld, "enabled must be true or false");
	q->enabled = !json_is_false(json_object_get(jq, "enabled"));
	n = form_answer_ids(q, ids);
	if (find_in(ld->f, i, q->id) || (n == 2 && (find_in(ld->f, i, ids[0]) ||
						     find_in(ld->f, i, ids[1]))))
		return fail(ld, "id used twice");
	q->icon = json_string_value(json_object_get(jq, "icon"));
	if (!q->icon || !*q->icon)
		return fail(ld, "needs an icon name");
	if (load_texts(ld, json_object_get(jq, "title"), "title", q->text[QT_TITLE]) < 0 ||
	    load_texts(ld, json_object_get(jq, "spoken"), "spoken", q->text[QT_SPOKEN]) < 0)
		return -1;
	if (json_object_get(jq, "help") &&
	    load_texts(ld, json_object_get(jq, "help"), "help", q->text[QT_HELP]) < 0)
		return -1;
	return load_options(ld, q, json_object_get(jq, "options"));
}

/* ---- the record's fixed answer ids (DESIGN.md) ------------------------------------ */

struct fixed {
	const char *id;              /* question id */
	enum q_type type;
	int must;                    /* must be in the form, required, as below */
	int unknown;                 /* -1 free, else allow_unknown must equal this */
	const char *cond;            /* "question=value" / "question!=value" or NULL */
	const char *const *options;  /* allowed option ids (NULL: free) */
	int all_options;             /* every listed option must be there */
};

static const char *const crisis_opts[] = { "eviction", "energy", "water", "health_insurance",
					   "none", NULL };
static const char *const contact_opts[] = { "phone", "email", "come_back", NULL };
static const char *const time_opts[] = { "morning", "afternoon", "evening", NULL };
static const char *const yes_no[] = { "yes", "no", NULL };

static const struct fixed fixed_ids[] = {
	{ "crisis", Q_MULTI, 1, 1, NULL, crisis_opts, 1 },
	{ "crisis_date", Q_DATE, 1, 1, "crisis!=none", NULL, 0 },
	{ "name", Q_TEXT, 1, -1, NULL, NULL, 0 },
	{ "contact", Q_SINGLE, 1, -1, NULL, contact_opts, 1 },
	{ "phone", Q_PHONE, 1, -1, "contact=phone", NULL, 0 },
	{ "email", Q_EMAIL, 1, -1, "contact=email", NULL, 0 },
	{ "best_time", Q_SINGLE, 0, -1, NULL, time_opts, 0 },
	{ "address", Q_ADDRESS, 1, 1, NULL, NULL, 0 },
	{ "birth_date", Q_DATE, 0, -1, NULL, NULL, 0 },
	{ "topics", Q_MULTI, 0, -1, NULL, NULL, 0 },
	{ "interpreter", Q_SINGLE, 0, -1, NULL, yes_no, 1 },
	{ "interpreter_language", Q_SINGLE, 0, -1, "interpreter=yes", NULL, 0 },
	{ "privacy_read", Q_CONSENT, 1, 0, NULL, NULL, 0 },
	{ NULL, Q_TEXT, 0, 0, NULL, NULL, 0 },
};

static int check_fixed_options(struct loader *ld, const struct question *q,
			       const struct fixed *fx)
{
	for (size_t k = 0; fx->options && k < q->n_options; k++)
		if (!in_list(fx->options, q->options[k].id))
			return fail(ld, "option \"%s\" is not one of the record's values",
				    q->options[k].id);
	for (size_t k = 0; fx->all_options && fx->options[k]; k++)
		if (!find_option(q, fx->options[k]))
			return fail(ld, "option \"%s\" is missing", fx->options[k]);
	return 0;
}

static int check_fixed_condition(struct loader *ld, const struct question *q,
				 const struct fixed *fx)
{
	char want[64];

	if (!fx->cond)
		return q->show_if.op == COND_ALWAYS ? 0 : fail(ld, "must always be shown");
	snprintf(want, sizeof(want), "%s%s%s", q->show_if.question ? q->show_if.question : "",
		 q->show_if.op == COND_IS ? "=" : "!=", q->show_if.value ? q->show_if.value : "");
	if (q->show_if.op == COND_ALWAYS || strcmp(want, fx->cond))
		return fail(ld, "needs show_if %s", fx->cond);
	return 0;
}

static int check_one_fixed(struct loader *ld, const struct fixed *fx)
{
	const struct question *q = form_find(ld->f, fx->id);

	snprintf(ld->place, sizeof(ld->place), "question \"%s\"", fx->id);
	if (!q)   /* the intake (field mode) asks more and may leave out what the kiosk asked */
		return fx->must && !strcmp(ld->f->name, "registration") ?
		       fail(ld, "missing: the record needs this answer (DESIGN.md, the record's answers)") : 0;
	if (strcmp(q->id, fx->id))
		return fail(ld, "must be asked by the question with id \"%s\"", fx->id);
	if (q->type != fx->type)
		return fail(ld, "must be of type %s", type_names[fx->type]);
	if (fx->must && !q->required)
		return fail(ld, "must be required");
	if (fx->must && !q->enabled)
		return fail(ld, "cannot be switched off (\"enabled\": false): the record needs it");
	if (fx->unknown >= 0 && q->allow_unknown != fx->unknown)
		return fail(ld, fx->unknown ? "must allow \"unknown\"" : "cannot allow \"unknown\"");
	if (check_fixed_options(ld, q, fx) < 0)
		return -1;
	return check_fixed_condition(ld, q, fx);
}

static int check_fixed(struct loader *ld)
{
	const struct fixed *fx;

	for (size_t i = 0; i < ld->f->n_qs; i++) {
		for (fx = fixed_ids; fx->id && strcmp(fx->id, ld->f->qs[i].id); fx++)
			;
		snprintf(ld->place, sizeof(ld->place), "question \"%s\"", ld->f->qs[i].id);
		if (!fx->id && !strcmp(ld->f->name, "registration"))
			return fail(ld, "not one of the record's answer ids (DESIGN.md); the kiosk "
				    "asks nothing else");
	}
	for (fx = fixed_ids; fx->id; fx++)
		if (check_one_fixed(ld, fx) < 0)
			return -1;
	snprintf(ld->place, sizeof(ld->place), "questions[0]");
	if (strcmp(ld->f->qs[0].id, "crisis"))
		return fail(ld, "the crisis question must come first");
	return 0;
}

/* ---- loading ------------------------------------------------------------------------ */

static int load_questions(struct loader *ld, const json_t *qs)
{
	size_t i;
	json_t *jq;

	snprintf(ld->place, sizeof(ld->place), "questions");
	if (!json_is_array(qs) || json_array_size(qs) == 0)
		return fail(ld, "must be a non-empty array");
	if (json_array_size(qs) > FORM_MAX_QUESTIONS)
		return fail(ld, "more than %d questions", FORM_MAX_QUESTIONS);
	ld->f->qs = calloc(json_array_size(qs), sizeof(struct question));
	if (!ld->f->qs)
		return fail(ld, "out of memory");
	ld->f->cap_qs = json_array_size(qs);
	json_array_foreach(qs, i, jq) {
		if (load_question(ld, i, jq, &ld->f->qs[i]) < 0)
			return -1;
		ld->f->n_qs = i + 1;
	}
	json_array_foreach(qs, i, jq)
		if (load_condition(ld, &ld->f->qs[i], i, jq) < 0)
			return -1;
	return check_fixed(ld);
}

static int load_root(struct loader *ld)
{
	static const char *const keys[] = { "form", "version", "languages", "questions",
					    "comment", NULL };
	const json_t *root = ld->f->root, *ver = json_object_get(root, "version");

	if (!json_is_object(root))
		return fail(ld, "must be a JSON object");
	if (only_keys(ld, root, keys) < 0)
		return -1;
	ld->f->name = json_string_value(json_object_get(root, "form"));
	if (!ld->f->name || !is_id(ld->f->name))
		return fail(ld, "\"form\" must name the form with a lower-case id");
	if (!json_is_integer(ver) || json_integer_value(ver) < 1 ||
	    json_integer_value(ver) > INT_MAX)
		return fail(ld, "\"version\" must be a whole number from 1");
	ld->f->version = (int)json_integer_value(ver);
	if (load_langs(ld, json_object_get(root, "languages")) < 0)
		return -1;
	return load_questions(ld, json_object_get(root, "questions"));
}

int form_load(const char *path, struct form **out)
{
	struct loader ld = { .path = path };

	*out = NULL;
	ld.f = calloc(1, sizeof(*ld.f));
	if (!ld.f)
		return error("out of memory loading %s", path);
	ld.f->root = util_json_load_file(path, FORM_MAX_BYTES);
	if (!ld.f->root) {
		form_free(ld.f);
		return -1;
	}
	if (load_root(&ld) < 0) {
		form_free(ld.f);
		return -1;
	}
	*out = ld.f;
	return 0;
}

void form_free(struct form *f)
{
	if (!f)
		return;
	for (size_t i = 0; f->qs && i < f->cap_qs; i++)
		free((void *)f->qs[i].options);
	free(f->qs);
	json_decref(f->root);
	free(f);
}

/* ---- accessors ---------------------------------------------------------------------- */

const char *form_name(const struct form *f)
{
	return f->name;
}

int form_version(const struct form *f)
{
	return f->version;
}

size_t form_count(const struct form *f)
{
	return f->n_qs;
}

const struct question *form_question(const struct form *f, size_t i)
{
	return i < f->n_qs ? &f->qs[i] : NULL;
}

const struct question *form_find(const struct form *f, const char *id)
{
	return id ? find_in(f, f->n_qs, id) : NULL;
}

size_t form_lang_count(const struct form *f)
{
	return f->n_langs;
}

const char *form_lang(const struct form *f, size_t i)
{
	return i < f->n_langs ? f->langs[i] : NULL;
}

int form_has_lang(const struct form *f, const char *lang)
{
	return lang_index(f, lang) >= 0;
}

const char *form_text(const struct question *q, const char *kind, const char *lang)
{
	int li = lang_index(q->form, lang);

	for (int k = 0; li >= 0 && kind && k < QT_COUNT; k++)
		if (!strcmp(text_kinds[k], kind))
			return q->text[k][li];
	return NULL;
}

const char *form_option_label(const struct question *q, const struct q_option *o,
			      const char *lang)
{
	int li = lang_index(q->form, lang);

	return li >= 0 ? o->label[li] : NULL;
}

size_t form_answer_ids(const struct question *q, const char *ids[2])
{
	if (q->type == Q_ADDRESS) {
		ids[0] = "postcode";
		ids[1] = "house_number";
		return 2;
	}
	ids[0] = q->id;
	return 1;
}

const char *form_type_name(enum q_type t)
{
	return (size_t)t < sizeof(type_names) / sizeof(type_names[0]) ? type_names[t] : "?";
}

static int value_holds(const json_t *v, const char *option)
{
	size_t i;
	json_t *e;

	if (json_is_string(v))
		return !strcmp(json_string_value(v), option);
	json_array_foreach(v, i, e)
		if (json_is_string(e) && !strcmp(json_string_value(e), option))
			return 1;
	return 0;
}

/* 1 when the condition holds for answers; src_visible: the source question is shown. */
static int cond_holds(const struct form *f, const struct q_condition *c, const json_t *answers)
{
	const struct question *src;
	const json_t *v;

	if (c->op == COND_ALWAYS)
		return 1;
	src = form_find(f, c->question);
	if (!src || !form_is_visible(f, src, answers))   /* earlier only: this terminates */
		return 0;
	v = json_object_get(answers, c->question);
	if (!v || json_is_null(v))
		return 0;
	return c->op == COND_IS ? value_holds(v, c->value) : !value_holds(v, c->value);
}

int form_is_visible(const struct form *f, const struct question *q, const json_t *answers)
{
	return q->enabled && cond_holds(f, &q->show_if, answers);
}

const char *form_text_for(const struct question *q, const char *kind, const char *lang,
			  const json_t *answers)
{
	int li = lang_index(q->form, lang);

	if (li >= 0 && q->variant_if.op != COND_ALWAYS && cond_holds(q->form, &q->variant_if, answers))
		for (int k = 0; kind && k < QT_COUNT; k++)
			if (!strcmp(text_kinds[k], kind) && q->variant[k][li])
				return q->variant[k][li];
	return form_text(q, kind, lang);
}

/* ---- screens ------------------------------------------------------------------------ */

int form_is_lead(const struct form *f, size_t i)
{
	const struct question *q = form_question(f, i);

	return q && q->enabled && !q->same_screen && q->type != Q_CONSENT;
}

size_t form_screen_of(const struct form *f, size_t i)
{
	while (i > 0 && i < f->n_qs && f->qs[i].same_screen)
		i--;
	return i;
}

int form_step_screen(const struct form *f, int i, int dir, const json_t *answers)
{
	int n = (int)f->n_qs;

	if (i >= 0 && i < n)
		i = (int)form_screen_of(f, (size_t)i);
	for (i += dir; i >= 0 && i < n; i += dir)
		if (form_is_lead(f, (size_t)i) && form_is_visible(f, &f->qs[i], answers))
			return i;
	return i < 0 ? -1 : n;
}

/* 1 when question j (after the screen `at`) may still be asked: its condition is judged
 * only when it rests on an answer given on a screen before `at`. */
static int may_come(const struct form *f, size_t at, size_t j, const json_t *answers)
{
	const struct question *q = &f->qs[j], *src;

	if (!q->enabled)
		return 0;
	if (q->show_if.op == COND_ALWAYS)
		return 1;
	src = form_find(f, q->show_if.question);
	if (src && form_screen_of(f, (size_t)(src - f->qs)) >= at)
		return 1;
	return form_is_visible(f, q, answers);
}

void form_progress(const struct form *f, int i, const json_t *answers, int *step, int *total)
{
	size_t at = i >= 0 && (size_t)i < f->n_qs ? form_screen_of(f, (size_t)i) : f->n_qs;

	*step = *total = 0;
	for (size_t j = 0; j < f->n_qs; j++) {
		if (!form_is_lead(f, j))
			continue;
		if (j <= at && form_is_visible(f, &f->qs[j], answers))
			++*step;
		else if (j > at && may_come(f, at, j, answers))
			++*total;
	}
	*total += *step;
}

int form_asset_path(char *buf, size_t size, const char *rel)
{
	const char *env = getenv("INLOOP_ASSETS");
	char exe[PATH_MAX];
	ssize_t n;

	if (env && *env)
		return util_fmt(buf, size, "%s/%s", env, rel) < 0 ? -1 : 0;
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n <= 0)
		return error("cannot find the program's folder; set INLOOP_ASSETS");
	exe[n] = '\0';
	if (strrchr(exe, '/'))
		*strrchr(exe, '/') = '\0';
	return util_fmt(buf, size, "%s/../assets/%s", exe, rel) < 0 ? -1 : 0;
}
