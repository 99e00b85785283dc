/*
 * form.h — the form model: questions loaded from assets/forms/registration.json (jansson),
 * their texts per language, the conditions that show or hide them, and validation with
 * messages a person can act on.
 *
 * Everything a loaded form hands out (questions, options, strings) is owned by the form
 * and valid until form_free(). A form that loaded has every text in every language it
 * declares: the accessors never fall back to another language.
 *
 * Answers are a JSON object: answer id -> value (DESIGN.md "The record's answers"). Most
 * questions store one answer under their own id; Q_ADDRESS stores two, `postcode` and
 * `house_number`. A question with allow_unknown also takes the string "unknown".
 */
#ifndef INLOOP_FORM_H
#define INLOOP_FORM_H

#include <jansson.h>
#include <stddef.h>

#define FORM_MAX_LANGS 16

enum q_type {
	Q_SINGLE,    /* one option id (string) */
	Q_MULTI,     /* array of option ids; an "exclusive" option (none) stands alone */
	Q_TEXT,      /* 1..max_chars characters of UTF-8, trimmed, no control characters */
	Q_PHONE,     /* Dutch number (06.., 0xx.., +31.., 0031..) or +<country>...; see form_normalise */
	Q_EMAIL,     /* local@domain.tld */
	Q_ADDRESS,   /* two answers: postcode "1234AB" and house_number "12", "12a", "12-2" */
	Q_DATE,      /* "YYYY-MM-DD", a real date in the question's range */
	Q_CONSENT,   /* true */
};

/* Which dates a Q_DATE accepts. */
enum q_range {
	RANGE_ANY,     /* any real date from 1900 */
	RANGE_PAST,    /* today or earlier, from 1900 (birth_date) */
	RANGE_NEAR,    /* one year back to two years ahead (crisis_date) */
};

/* Text kinds per question, for form_text(): */
enum q_text_kind { QT_TITLE, QT_HELP, QT_SPOKEN, QT_COUNT };

struct q_option {
	const char *id;                       /* answer value, e.g. "eviction" */
	const char *icon;                     /* pictogram name, e.g. "house" */
	int exclusive;                        /* cannot be combined with other options ("none") */
	const char *label[FORM_MAX_LANGS];    /* index = position in the form's languages */
};

/* Shown only when the answer to `question` (an earlier question's answer id)... */
enum cond_op {
	COND_ALWAYS,   /* no condition */
	COND_IS,       /* ...equals value, or is an array holding value */
	COND_IS_NOT,   /* ...is given and neither equals value nor is an array holding it */
};

struct q_condition {
	enum cond_op op;
	const char *question;   /* answer id; NULL for COND_ALWAYS */
	const char *value;      /* option id compared against */
};

struct form;

struct question {
	const struct form *form;              /* the form this question belongs to */
	const char *id;                       /* question id; for Q_ADDRESS "address" */
	enum q_type type;
	int required;                         /* must be answered when visible */
	int allow_unknown;                    /* offers "don't know" (value "unknown") */
	const char *icon;                     /* pictogram name */
	enum q_range range;                   /* Q_DATE only */
	size_t max_chars;                     /* Q_TEXT only (characters, not bytes) */
	const struct q_option *options;       /* Q_SINGLE / Q_MULTI, else NULL */
	size_t n_options;
	struct q_condition show_if;
	const char *text[QT_COUNT][FORM_MAX_LANGS];   /* help may be NULL in every language */
	int enabled;                          /* "enabled": false: never asked, never stored */
	int same_screen;                      /* asked on the screen of the question before it */
	struct q_condition variant_if;        /* when it holds, the variant texts are used */
	const char *variant[QT_COUNT][FORM_MAX_LANGS];   /* NULL: the kind has no variant */
};

/*
 * Loads and checks a form file. On success *out is set (caller frees with form_free) and 0
 * is returned. A malformed or inconsistent file is refused with -1 and one error line
 * naming the file, the place (line:column for JSON syntax, else the question id or JSON
 * path) and the reason; never a crash.
 */
int form_load(const char *path, struct form **out);

/* Frees a form and everything it handed out; NULL is a no-op. */
void form_free(struct form *f);

/* The form's name and version ("registration", 1), owned by f. */
const char *form_name(const struct form *f);
int form_version(const struct form *f);

/* The questions in order: 0 .. form_count()-1. Borrowed from f. */
size_t form_count(const struct form *f);
const struct question *form_question(const struct form *f, size_t i);

/* The question with this question id or answer id ("postcode" finds the address); NULL
 * when none. Borrowed from f. */
const struct question *form_find(const struct form *f, const char *id);

/* The languages the form declares, in its order ("nl" first). Borrowed from f. */
size_t form_lang_count(const struct form *f);
const char *form_lang(const struct form *f, size_t i);
int form_has_lang(const struct form *f, const char *lang);   /* 1 or 0 */

/* A question's text of kind "title", "help" or "spoken" in lang. NULL only for a language
 * the form does not declare, an unknown kind, or a help text the question does not have. */
const char *form_text(const struct question *q, const char *kind, const char *lang);

/* As form_text, but the question's variant text when its variant condition holds for
 * answers (borrowed; e.g. the crisis date asked after "don't know" on the crisis). */
const char *form_text_for(const struct question *q, const char *kind, const char *lang,
			  const json_t *answers);

/* An option's label in lang; NULL only for a language the form does not declare. */
const char *form_option_label(const struct question *q, const struct q_option *o,
			      const char *lang);

/* The answer ids a question stores (1, or 2 for Q_ADDRESS) into ids[]. Borrowed. */
size_t form_answer_ids(const struct question *q, const char *ids[2]);

/* "single", "multi", ... (the type names of the form file). */
const char *form_type_name(enum q_type t);

/* 1 when q is shown given the answers so far (borrowed object), else 0. */
int form_is_visible(const struct form *f, const struct question *q, const json_t *answers);

/*
 * Screens. Every enabled question is asked on one screen: its own, or (same_screen) the
 * screen of the question before it; a consent is asked on the review page. A screen is
 * named by the index of its first question (its lead).
 */

/* 1 when question i leads a screen of its own (enabled, not same_screen, not consent). */
int form_is_lead(const struct form *f, size_t i);

/* The lead of the screen that asks question i (i itself when it leads one). */
size_t form_screen_of(const struct form *f, size_t i);

/* The next (dir 1) or previous (dir -1) visible screen from the screen of question i
 * (i = -1 with dir 1: the first): its lead's index, form_count() past the last (review),
 * -1 before the first (Welcome). */
int form_step_screen(const struct form *f, int i, int dir, const json_t *answers);

/*
 * Progress on the screen of question i: *step the screen's number among the visible
 * screens (1, 2, ...); *total that number plus the screens after it that may still be
 * asked (judged by the answers of the screens before this one, never by this screen's).
 * Going forward, step grows by one and step / total always grows.
 */
void form_progress(const struct form *f, int i, const json_t *answers, int *step, int *total);

/*
 * Checks one value for q. For Q_ADDRESS value is an object {"postcode":..,
 * "house_number":..}; for the others the answer itself. "unknown" is accepted where
 * allow_unknown. 0 ok; -1 with *msgid set to an English message (wrapped in N_(): translate
 * with _()) that tells the person what to do. Never prints: values may be personal.
 */
int form_check(const struct question *q, const json_t *value, const char **msgid);

/* Checks one answer by answer id ("postcode", "phone", ...). As form_check. */
int form_check_answer(const struct form *f, const char *answer_id, const json_t *value,
		      const char **msgid);

/* Called by form_check_all once per problem. q is NULL for an answer id the form does not
 * know; answer_id is the id concerned (never a value). */
typedef void (*form_problem_fn)(const struct question *q, const char *answer_id,
				const char *msgid, void *ctx);

/*
 * Checks a whole set of answers (borrowed object): every visible question's answers are
 * valid, required ones present, no answer for an unknown id or a hidden question (so the
 * phone is required when contact is phone, and crisis_date is refused when crisis is
 * ["none"]). Calls fn (may be NULL) per problem; returns the number of problems (0 = all
 * good), or -1 when answers is not an object.
 */
int form_check_all(const struct form *f, const json_t *answers, form_problem_fn fn, void *ctx);

/*
 * Rewrites checked answers (owned by the caller) in place into their stored form: trimmed
 * texts, postcode "1234AB", house number lower-case without spaces, phone as digits
 * ("0612345678"; +31/0031 become 0; other countries "+<digits>"), e-mail domain in lower
 * case. Call after form_check_all returned 0. 0 ok, -1 on OOM.
 */
int form_normalise(const struct form *f, json_t *answers);

/*
 * Writes the path of an asset (rel, e.g. "forms/registration.json") into buf: under
 * $INLOOP_ASSETS when set, else <folder of the running binary>/../assets. 0 or -1.
 */
int form_asset_path(char *buf, size_t size, const char *rel);

#endif
