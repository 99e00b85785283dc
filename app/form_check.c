/*
 * form_check.c — validating answers against the form model and rewriting them into their
 * stored form. Messages are English msgids wrapped in N_() for the kiosk to translate: short,
 * kind, and saying what to do. Nothing here prints: the values are personal data, and every
 * scratch buffer holding one is wiped before it goes out of scope.
 */
#include "app/calendar.h"
#include "app/form.h"
#include "app/form_check.h"
#include "app/i18n.h"
#include "app/util.h"

#include <ctype.h>
#include <fribidi.h>
#include <string.h>

#define NORM_MAX 512   /* longest value we normalise (e-mail is at most 254 bytes) */

static const char msg_answer[] = N_("Please answer this question.");
static const char msg_choose[] = N_("Please choose one of the answers.");
static const char msg_choose_some[] = N_("Please choose at least one answer.");
static const char msg_exclusive[] =
	N_("This answer cannot be combined with the others. Please choose again.");
static const char msg_twice[] = N_("Please choose each answer only once.");
static const char msg_name[] = N_("Please type the name you use.");
static const char msg_text[] = N_("Please type your answer.");
static const char msg_too_long[] = N_("This is too long. Please make it shorter.");
static const char msg_chars[] =
	N_("Please use only letters, numbers and punctuation. Some signs cannot be used.");
static const char msg_phone[] = N_("Please type your phone number, for example 06 12345678.");
static const char msg_email[] =
	N_("Please type your e-mail address, for example name@example.com.");
static const char msg_postcode[] =
	N_("Please type your postcode: 4 numbers and 2 letters, for example 1234 AB.");
static const char msg_house[] = N_("Please type your house number, for example 12 or 12a.");
static const char msg_date[] = N_("Please choose a date: day, month and year.");
static const char msg_future[] = N_("This date is in the future. Please check the date.");
static const char msg_far[] = N_("Please check the year of this date.");
static const char msg_consent[] =
	N_("Please read the information about your privacy, then tap to say you have read it.");
static const char msg_not_form[] = N_("This answer does not belong to this form.");
static const char msg_not_asked[] = N_("This answer belongs to a question that was not asked.");

static int bad(const char **msgid, const char *msg)
{
	if (msgid)
		*msgid = msg;
	return -1;
}

static int is_unknown(const json_t *v)
{
	return json_is_string(v) && !strcmp(json_string_value(v), "unknown");
}

/* The day date ranges are judged by: the clock, or the record's day (form_check_all_on). */
static _Thread_local const struct ymd *check_day;

size_t form_utf8_next(const unsigned char *s, size_t n, unsigned *cp)
{
	static const unsigned min[5] = { 0, 0, 0x80, 0x800, 0x10000 };
	size_t len = s[0] < 0x80 ? 1 : (s[0] & 0xE0) == 0xC0 ? 2 : (s[0] & 0xF0) == 0xE0 ? 3 :
		     (s[0] & 0xF8) == 0xF0 ? 4 : 0;
	unsigned c;

	if (len == 0 || len > n)
		return 0;
	c = len == 1 ? s[0] : (unsigned)(s[0] & (0x7F >> len));
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3F);
	}
	if (c < min[len] || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
		return 0;
	*cp = c;
	return len;
}

/* Ranges of form_cp_refused (UAX #31 / UTS #39: format, default-ignorable, private use). */
static const unsigned refused_ranges[][2] = {
	{ 0x0000, 0x001F }, { 0x007F, 0x009F }, { 0x00AD, 0x00AD }, { 0x034F, 0x034F },
	{ 0x061C, 0x061C }, { 0x115F, 0x1160 }, { 0x17B4, 0x17B5 }, { 0x180B, 0x180F },
	{ 0x200B, 0x200B }, { 0x200E, 0x200F }, { 0x2028, 0x202E }, { 0x2060, 0x206F },
	{ 0x3164, 0x3164 }, { 0xE000, 0xF8FF }, { 0xFDD0, 0xFDEF }, { 0xFE00, 0xFE0F },
	{ 0xFEFF, 0xFEFF }, { 0xFFA0, 0xFFA0 }, { 0xFFF0, 0xFFFD }, { 0x1BCA0, 0x1BCA3 },
	{ 0x1D173, 0x1D17A }, { 0xE0000, 0xE0FFF }, { 0xF0000, 0x10FFFF },
};

int form_cp_refused(unsigned cp)
{
	if ((cp & 0xFFFE) == 0xFFFE)   /* U+FFFE, U+FFFF, U+1FFFE, ... noncharacters */
		return 1;
	for (size_t i = 0; i < sizeof(refused_ranges) / sizeof(refused_ranges[0]); i++)
		if (cp >= refused_ranges[i][0] && cp <= refused_ranges[i][1])
			return 1;
	return 0;
}

/* A letter of some script (strong bidi type: Latin, Arabic, Hebrew, CJK...), not a mark,
 * digit, space or symbol. */
static int is_letter(unsigned cp)
{
	FriBidiCharType t = fribidi_get_bidi_type((FriBidiChar)cp);

	return t == FRIBIDI_TYPE_LTR || t == FRIBIDI_TYPE_RTL || t == FRIBIDI_TYPE_AL;
}

/*
 * Counts the code points of valid UTF-8 with no refused character (form_cp_refused; a
 * ZWNJ/ZWJ only between two letters, as Persian spelling needs); -1 otherwise. *letters
 * gets how many letters it holds.
 */
static long utf8_count_clean(const char *s, size_t n, long *letters)
{
	long count = 0;
	unsigned cp, prev = 0, next;
	const unsigned char *u = (const unsigned char *)s;

	*letters = 0;
	for (size_t i = 0, k; i < n; i += k, count++, prev = cp) {
		k = form_utf8_next(u + i, n - i, &cp);
		if (k == 0 || form_cp_refused(cp))
			return -1;
		if (cp == 0x200C || cp == 0x200D) {
			if (!is_letter(prev) || i + k >= n || !form_utf8_next(u + i + k, n - i - k, &next) ||
			    !is_letter(next))
				return -1;
		}
		*letters += is_letter(cp);
	}
	return count;
}

/* The string v with ASCII white space trimmed: *start and *len. 0, or -1 if no string. */
static int trimmed(const json_t *v, const char **start, size_t *len)
{
	const char *s = json_string_value(v);
	size_t n;

	if (!s)
		return -1;
	n = json_string_length(v);
	while (n && (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')) {
		s++;
		n--;
	}
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\n' || s[n - 1] == '\r'))
		n--;
	*start = s;
	*len = n;
	return 0;
}

static int check_text(const struct question *q, const json_t *v, const char **msgid)
{
	const char *s;
	size_t n;
	long chars, letters;
	int is_name = !strcmp(q->id, "name");

	if (trimmed(v, &s, &n) < 0 || n == 0)
		return bad(msgid, is_name ? msg_name : msg_text);
	chars = utf8_count_clean(s, n, &letters);
	if (chars < 0 || memchr(s, '\0', n))
		return bad(msgid, msg_chars);
	if ((size_t)chars > q->max_chars)
		return bad(msgid, msg_too_long);
	if (is_name && letters == 0)
		return bad(msgid, msg_name);   /* only marks, digits or signs */
	return 0;
}

/* Copies v's trimmed string without the separators in `drop` into out (NUL-terminated);
 * -1 when it is not a string or does not fit. */
static int squeeze(const json_t *v, const char *drop, char *out, size_t size)
{
	const char *s;
	size_t n, k = 0;

	if (trimmed(v, &s, &n) < 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		if (strchr(drop, s[i]))
			continue;
		if (k + 1 >= size)
			return -1;
		out[k++] = s[i];
	}
	out[k] = '\0';
	return 0;
}

static int all_digits(const char *s, size_t min, size_t max)
{
	size_t n = strlen(s);

	if (n < min || n > max)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

/*
 * A phone number into out: Dutch numbers as 10 digits from 0 ("0612345678"; +31 and 0031
 * become 0, a "(0)" after the country code is dropped), other countries as "+<8-15 digits>".
 */
static int phone_norm(const json_t *v, char *out, size_t size)
{
	char raw[NORM_MAX];
	const char *p = raw;
	int rc = -1;

	if (squeeze(v, " -.()/\t", raw, sizeof(raw)) < 0)
		goto out;
	if (!strncmp(p, "+31", 3) || !strncmp(p, "0031", 4)) {
		p += p[0] == '+' ? 3 : 4;
		p += *p == '0';   /* "+31 (0)6 ..." */
		if (all_digits(p, 9, 9) && p[0] != '0')
			rc = util_fmt(out, size, "0%s", p) < 0 ? -1 : 0;
	} else if (p[0] == '+' || !strncmp(p, "00", 2)) {
		p += p[0] == '+' ? 1 : 2;
		if (all_digits(p, 8, 15) && p[0] != '0')
			rc = util_fmt(out, size, "+%s", p) < 0 ? -1 : 0;
	} else if (all_digits(p, 10, 10) && p[0] == '0' && p[1] != '0') {
		rc = util_fmt(out, size, "%s", p) < 0 ? -1 : 0;
	}
out:
	util_cleanse(raw, sizeof(raw));
	return rc;
}

static int email_local_ok(const char *s, size_t n)
{
	if (n == 0 || n > 64 || s[0] == '.' || s[n - 1] == '.')
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!(isalnum((unsigned char)s[i]) || strchr(".!#$%&'*+/=?^_`{|}~-", s[i])) ||
		    (s[i] == '.' && s[i + 1] == '.'))
			return 0;
	return 1;
}

static int email_domain_ok(const char *s, size_t n)
{
	size_t label = 0, labels = 1, tld_alpha = 1;

	if (n == 0 || n > 253 || s[0] == '.' || s[n - 1] == '.' || s[0] == '-')
		return 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '.') {
			if (label == 0 || s[i - 1] == '-')
				return 0;
			labels++;
			label = 0;
			tld_alpha = 1;
			continue;
		}
		if (!isalnum((unsigned char)s[i]) && s[i] != '-')
			return 0;
		if (s[i] == '-' && label == 0)
			return 0;
		tld_alpha &= !!isalpha((unsigned char)s[i]);
		if (++label > 63)
			return 0;
	}
	return labels >= 2 && label >= 2 && tld_alpha && s[n - 1] != '-';
}

/* An e-mail address into out, the domain in lower case. */
static int email_norm(const json_t *v, char *out, size_t size)
{
	const char *s, *at;
	size_t n;

	if (trimmed(v, &s, &n) < 0 || n > 254 || n + 1 > size || memchr(s, '\0', n))
		return -1;
	at = memchr(s, '@', n);
	if (!at || memchr(at + 1, '@', n - (size_t)(at - s) - 1) ||
	    !email_local_ok(s, (size_t)(at - s)) ||
	    !email_domain_ok(at + 1, n - (size_t)(at - s) - 1))
		return -1;
	memcpy(out, s, n);
	out[n] = '\0';
	for (char *d = out + (at - s); *d; d++)
		*d = (char)tolower((unsigned char)*d);
	return 0;
}

/* A Dutch postcode into out as "1234AB" (letter pairs SA, SD and SS are never issued). */
static int postcode_norm(const json_t *v, char *out, size_t size)
{
	char raw[NORM_MAX];
	int rc = -1;

	if (size < 7 || squeeze(v, " ", raw, sizeof(raw)) < 0 || strlen(raw) != 6)
		goto out;
	for (int i = 0; i < 6; i++)
		raw[i] = (char)toupper((unsigned char)raw[i]);
	if (raw[0] < '1' || raw[0] > '9' || !isdigit((unsigned char)raw[1]) ||
	    !isdigit((unsigned char)raw[2]) || !isdigit((unsigned char)raw[3]) ||
	    raw[4] < 'A' || raw[4] > 'Z' || raw[5] < 'A' || raw[5] > 'Z')
		goto out;
	if (raw[4] == 'S' && (raw[5] == 'A' || raw[5] == 'D' || raw[5] == 'S'))
		goto out;
	memcpy(out, raw, 7);
	rc = 0;
out:
	util_cleanse(raw, sizeof(raw));
	return rc;
}

/* A house number into out: 1-99999 without a leading 0, then an optional addition of up
 * to 6 letters or digits after an optional "-" or space ("12", "12a", "12-2", "12 bis");
 * stored in lower case without spaces. */
static int house_norm(const json_t *v, char *out, size_t size)
{
	const char *s;
	size_t n, i = 0, k = 0, add;

	if (trimmed(v, &s, &n) < 0 || n == 0 || n + 1 > size || s[0] < '1' || s[0] > '9')
		return -1;
	while (i < n && i < 5 && isdigit((unsigned char)s[i]))
		out[k++] = s[i++];
	if (i < n && isdigit((unsigned char)s[i]))
		return -1;   /* more than 5 digits */
	if (i < n && (s[i] == '-' || s[i] == ' ')) {
		if (s[i] == '-')
			out[k++] = '-';
		i++;
		if (i == n)
			return -1;
	}
	for (add = 0; i < n; i++, add++) {
		if (!isalnum((unsigned char)s[i]) || add == 6)
			return -1;
		out[k++] = (char)tolower((unsigned char)s[i]);
	}
	out[k] = '\0';
	return 0;
}

static int check_date(const struct question *q, const json_t *v, const char **msgid)
{
	struct ymd d, today;

	if (!json_is_string(v) || ymd_parse(json_string_value(v), &d) < 0)
		return bad(msgid, msg_date);
	if (q->range == RANGE_ANY)
		return 0;
	if (check_day)
		today = *check_day;
	else if (ymd_today(&today) < 0)
		return bad(msgid, msg_date);
	if (q->range == RANGE_PAST)
		return ymd_cmp(d, today) > 0 ? bad(msgid, msg_future) : 0;
	if (ymd_cmp(d, ymd_add_days(today, -366)) < 0 || ymd_cmp(d, ymd_add_days(today, 731)) > 0)
		return bad(msgid, msg_far);
	return 0;
}

static const struct q_option *option_of(const struct question *q, const json_t *v)
{
	const char *s = json_string_value(v);

	for (size_t i = 0; s && i < q->n_options; i++)
		if (!strcmp(q->options[i].id, s))
			return &q->options[i];
	return NULL;
}

static int check_multi(const struct question *q, const json_t *v, const char **msgid)
{
	size_t i, k, n = json_array_size(v);
	const struct q_option *o;
	int exclusive = 0;

	if (!json_is_array(v) || n == 0)
		return bad(msgid, msg_choose_some);
	for (i = 0; i < n; i++) {
		o = option_of(q, json_array_get(v, i));
		if (!o)
			return bad(msgid, msg_choose);
		for (k = 0; k < i; k++)
			if (json_equal(json_array_get(v, k), json_array_get(v, i)))
				return bad(msgid, msg_twice);
		exclusive |= o->exclusive;
	}
	return exclusive && n > 1 ? bad(msgid, msg_exclusive) : 0;
}

/* One answer by answer id: the address parts here, everything else through form_check. */
static int check_value(const struct question *q, const char *answer_id, const json_t *v,
		       const char **msgid)
{
	char out[NORM_MAX];
	int rc;

	if (q->type != Q_ADDRESS)
		return form_check(q, v, msgid);
	if (!v || json_is_null(v))
		return bad(msgid, msg_answer);
	if (q->allow_unknown && is_unknown(v))
		return 0;
	if (!strcmp(answer_id, "postcode"))
		rc = postcode_norm(v, out, sizeof(out)) < 0 ? bad(msgid, msg_postcode) : 0;
	else
		rc = house_norm(v, out, sizeof(out)) < 0 ? bad(msgid, msg_house) : 0;
	util_cleanse(out, sizeof(out));
	return rc;
}

int form_check(const struct question *q, const json_t *value, const char **msgid)
{
	char out[NORM_MAX];
	int rc = 0;

	if (!value || json_is_null(value))
		return bad(msgid, msg_answer);
	if (q->allow_unknown && is_unknown(value))
		return 0;
	switch (q->type) {
	case Q_SINGLE:
		return option_of(q, value) ? 0 : bad(msgid, msg_choose);
	case Q_MULTI:
		return check_multi(q, value, msgid);
	case Q_TEXT:
		return check_text(q, value, msgid);
	case Q_PHONE:
		rc = phone_norm(value, out, sizeof(out)) < 0 ? bad(msgid, msg_phone) : 0;
		break;
	case Q_EMAIL:
		rc = email_norm(value, out, sizeof(out)) < 0 ? bad(msgid, msg_email) : 0;
		break;
	case Q_ADDRESS:
		if (!json_is_object(value))
			return bad(msgid, msg_postcode);
		if (check_value(q, "postcode", json_object_get(value, "postcode"), msgid) < 0)
			return -1;
		return check_value(q, "house_number", json_object_get(value, "house_number"),
				   msgid);
	case Q_DATE:
		return check_date(q, value, msgid);
	case Q_CONSENT:
		return json_is_true(value) ? 0 : bad(msgid, msg_consent);
	}
	util_cleanse(out, sizeof(out));
	return rc;
}

int form_check_answer(const struct form *f, const char *answer_id, const json_t *value,
		      const char **msgid)
{
	const struct question *q = form_find(f, answer_id);

	if (!q || (q->type == Q_ADDRESS && !strcmp(answer_id, q->id)))
		return bad(msgid, msg_not_form);
	return check_value(q, answer_id, value, msgid);
}

/* Answers for ids the form does not ask, or for questions hidden by their condition. */
static int check_extra(const struct form *f, const json_t *answers, form_problem_fn fn,
		       void *ctx)
{
	const struct question *q;
	const char *key;
	json_t *v;
	int problems = 0;

	json_object_foreach((json_t *)answers, key, v) {
		q = form_find(f, key);
		if (!q || (q->type == Q_ADDRESS && !strcmp(key, q->id))) {
			if (fn)
				fn(NULL, key, msg_not_form, ctx);
			problems++;
		} else if (q->enabled && !form_is_visible(f, q, answers)) {
			/* a switched-off question may have been on when the record was made: its
			 * answer is checked below like any other, not refused as never asked */
			if (fn)
				fn(q, key, msg_not_asked, ctx);
			problems++;
		}
	}
	return problems;
}

int form_check_all(const struct form *f, const json_t *answers, form_problem_fn fn, void *ctx)
{
	const char *ids[2], *msgid;
	int problems;

	if (!json_is_object(answers))
		return -1;
	problems = check_extra(f, answers, fn, ctx);
	for (size_t i = 0; i < form_count(f); i++) {
		const struct question *q = form_question(f, i);
		size_t n = form_answer_ids(q, ids);

		if (q->enabled && !form_is_visible(f, q, answers))
			continue;
		for (size_t k = 0; k < n; k++) {
			const json_t *v = json_object_get(answers, ids[k]);

			if ((!v || json_is_null(v)) && !q->required)
				continue;
			if (check_value(q, ids[k], v, &msgid) < 0) {
				if (fn)
					fn(q, ids[k], msgid, ctx);
				problems++;
			}
		}
	}
	return problems;
}

int form_check_all_on(const struct form *f, const json_t *answers, struct ymd today,
		      form_problem_fn fn, void *ctx)
{
	int n;

	check_day = &today;
	n = form_check_all(f, answers, fn, ctx);
	check_day = NULL;
	return n;
}

/* Replaces answers[id] with the normalised string; -1 on OOM. */
static int put(json_t *answers, const char *id, const char *s)
{
	json_t *v = json_string(s);

	return v && json_object_set_new(answers, id, v) == 0 ? 0 : -1;
}

static int normalise_one(const struct question *q, const char *id, json_t *answers)
{
	const json_t *v = json_object_get(answers, id);
	char out[NORM_MAX];
	const char *s;
	size_t n;
	int rc = 0, ok = -1;

	if (!json_is_string(v) || (q->allow_unknown && is_unknown(v)))
		return 0;
	if (q->type == Q_TEXT) {
		json_t *t;

		if (trimmed(v, &s, &n) < 0 || !(t = json_stringn(s, n)))
			return -1;
		return json_object_set_new(answers, id, t);
	}
	if (q->type == Q_PHONE) {
		ok = phone_norm(v, out, sizeof(out));
	} else if (q->type == Q_EMAIL) {
		ok = email_norm(v, out, sizeof(out));
	} else if (q->type == Q_ADDRESS) {
		ok = !strcmp(id, "postcode") ? postcode_norm(v, out, sizeof(out))
					     : house_norm(v, out, sizeof(out));
	}
	if (ok == 0)
		rc = put(answers, id, out);
	util_cleanse(out, sizeof(out));
	return rc;
}

int form_normalise(const struct form *f, json_t *answers)
{
	const char *ids[2];

	for (size_t i = 0; i < form_count(f); i++) {
		const struct question *q = form_question(f, i);
		size_t n = form_answer_ids(q, ids);

		for (size_t k = 0; k < n; k++)
			if (normalise_one(q, ids[k], answers) < 0)
				return error("out of memory normalising answers");
	}
	return 0;
}
