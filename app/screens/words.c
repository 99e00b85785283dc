/*
 * words.c — dates and answers written out (see words.h).
 */
#include "app/screens/words.h"
#include "sync/rules/form.h"
#include "platform/i18n.h"

#include <stdio.h>
#include <string.h>

static const char *const months[12] = {
	N_("January"), N_("February"), N_("March"), N_("April"), N_("May"), N_("June"),
	N_("July"), N_("August"), N_("September"), N_("October"), N_("November"), N_("December"),
};
/* Inside a date Polish and Ukrainian name the month in the genitive ("30 kwietnia"). */
static const char *const months_in_date[12] = {
	N_("January (in a date)"), N_("February (in a date)"), N_("March (in a date)"),
	N_("April (in a date)"), N_("May (in a date)"), N_("June (in a date)"),
	N_("July (in a date)"), N_("August (in a date)"), N_("September (in a date)"),
	N_("October (in a date)"), N_("November (in a date)"), N_("December (in a date)"),
};
static const char *const weekdays[7] = {
	N_("Monday"), N_("Tuesday"), N_("Wednesday"), N_("Thursday"), N_("Friday"),
	N_("Saturday"), N_("Sunday"),
};

const char *words_month(int m)
{
	return m >= 1 && m <= 12 ? _(months[m - 1]) : "";
}

const char *words_month_in_date(int m)
{
	return m >= 1 && m <= 12 ? _(months_in_date[m - 1]) : "";
}

void words_date(struct ymd d, char *buf, size_t size)
{
	/* U+2066 LRI and U+2069 PDI keep "30-04-2026" in order inside Arabic. */
	snprintf(buf, size, "%s %d %s %d (\u2066%02d-%02d-%04d\u2069)", _(weekdays[ymd_weekday(d)]),
		 d.d, words_month_in_date(d.m), d.y, d.d, d.m, d.y);
}

void words_date_spoken(struct ymd d, char *buf, size_t size)
{
	snprintf(buf, size, "%s %d %s %d", _(weekdays[ymd_weekday(d)]), d.d, words_month_in_date(d.m), d.y);
}

static void date_in(struct ymd d, int spoken, char *buf, size_t size)
{
	if (spoken)
		words_date_spoken(d, buf, size);
	else
		words_date(d, buf, size);
}

/* Where and when to come back, and what to bring. */
static void walk_in(const struct triage *t, const struct device_config *cfg, const char *lang,
		    int spoken, char *buf, size_t size)
{
	const char *hours = config_walk_in(cfg, lang), *where = cfg->location[0] ? cfg->location : _("this place");
	char date[160];
	int n;

	date_in(t->deadline.legal, spoken, date, sizeof(date));
	if (hours)
		n = snprintf(buf, size, _("Please come back to the walk-in hours at %s, on or before %s. The walk-in hours are: %s."),
			     where, date, hours);
	else
		n = snprintf(buf, size, _("Please come back to the walk-in hours at %s, on or before %s. The staff member can tell you when they are."),
			     where, date);
	if (n >= 0 && (size_t)n < size)
		snprintf(buf + n, size - (size_t)n, " %s",
			 _("Bring the letters about your situation, for example from your landlord or energy company, and your ID."));
}

enum words_callback_kind words_callback(const struct triage *t, const char *contact,
					const struct device_config *cfg, const char *lang,
					int spoken, char *buf, size_t size)
{
	int come_back = contact && !strcmp(contact, "come_back");
	char date[160];

	if (t->acuut) {
		date_in(t->crisis_date, spoken, date, sizeof(date));
		if (come_back) {
			snprintf(buf, size, _("Your situation is urgent. Tell the staff member now: they will help you today, before %s."),
				 date);
			return CALLBACK_COME_TODAY;
		}
		snprintf(buf, size, contact && !strcmp(contact, "phone") ?
			 _("Someone from the debt help team will call you today, before %s.") :
			 _("Someone from the debt help team will contact you today, before %s."),
			 date);
		return CALLBACK_TODAY;
	}
	if (come_back) {
		walk_in(t, cfg, lang, spoken, buf, size);
		return CALLBACK_WALK_IN;
	}
	date_in(t->deadline.legal, spoken, date, sizeof(date));
	snprintf(buf, size, _("The debt help team will contact you on or before %s."), date);
	return CALLBACK_BY_DATE;
}

/* The comma between the items of a list in the language: Arabic's U+060C, Ge'ez's
 * U+1363 (Tigrinya), else the Latin ", ". Each item stays isolated (typed text in FSI ...
 * PDI), so in Arabic "1234AB، 12" keeps both parts whole and in reading order. */
static const char *list_sep(const char *lang)
{
	if (!strcmp(lang, "ar"))
		return "\u060C ";
	if (!strcmp(lang, "ti"))
		return "\u1363 ";
	return ", ";
}

/* Appends s to buf with the language's list comma between items. */
static void append(const struct kiosk *k, char *buf, size_t size, const char *s)
{
	size_t n = strlen(buf);

	if (n < size)
		snprintf(buf + n, size - n, "%s%s", n ? list_sep(k->lang) : "", s);
}

static void option_words(const struct kiosk *k, const struct question *q, const char *id,
			 char *buf, size_t size)
{
	for (size_t i = 0; i < q->n_options; i++)
		if (!strcmp(q->options[i].id, id))
			return append(k, buf, size, form_option_label(q, &q->options[i], k->lang));
	append(k, buf, size, id);
}

void words_answer(const struct kiosk *k, const struct question *q, char *buf, size_t size)
{
	const char *ids[2];
	size_t n = form_answer_ids(q, ids), i;
	json_t *e;

	buf[0] = '\0';
	for (size_t j = 0; j < n; j++) {
		const json_t *v = json_object_get(k->person.answers, ids[j]);
		struct ymd d;
		if (!v)
			continue;
		if (json_is_string(v) && !strcmp(json_string_value(v), "unknown"))
			append(k, buf, size, _("I don't know"));
		else if (json_is_true(v))
			append(k, buf, size, _("Yes"));
		else if (json_is_array(v))
			json_array_foreach(v, i, e)
				option_words(k, q, json_string_value(e) ? json_string_value(e) : "", buf, size);
		else if (q->type == Q_SINGLE && json_is_string(v))
			option_words(k, q, json_string_value(v), buf, size);
		else if (q->type == Q_DATE && ymd_parse(json_string_value(v), &d) == 0) {
			char date[128];
			words_date(d, date, sizeof(date));
			append(k, buf, size, date);
		} else if (json_is_string(v)) {
			/* typed text: isolate it so a Latin name stays whole in Arabic */
			char iso[KIOSK_EDIT_MAX + 8];
			snprintf(iso, sizeof(iso), "\u2068%s\u2069", json_string_value(v));
			append(k, buf, size, iso);
		}
	}
}

void words_spell(const char *s, char *buf, size_t size)
{
	size_t at = 0;

	if (size)
		buf[0] = '\0';
	for (; *s && at + 4 < size; s++) {
		if ((*s >= '0' && *s <= '9') || (*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z')) {
			buf[at++] = *s;
			buf[at++] = ',';
			buf[at++] = ' ';
		} else if (at >= 2 && buf[at - 2] == ',') {
			buf[at - 2] = '.';   /* a dash or space: a longer pause */
		}
		buf[at] = '\0';
	}
	if (at >= 2)
		buf[at - 2] = '.', buf[at - 1] = '\0';
}
