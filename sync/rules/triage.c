/*
 * triage.c — crisis triage (DOMAIN.md §4). Rule 1: any statutory crisis kind means the
 * 3-working-day deadline; rule 2: a known eviction or cut-off date on or before it is
 * "acuut"; rule 3: "don't know" counts as a crisis; rule 6: everything else gets 4 weeks.
 * An energy contract-end notice (rule 4) is deliberately not an answer value: it is not a
 * crisis, and an answer set holding it is refused rather than guessed at.
 */
#include "sync/rules/triage.h"
#include "platform/util.h"

#include <string.h>

static const struct {
	const char *name;
	unsigned bit;
} kinds[] = {
	{ "eviction", CRISIS_EVICTION },
	{ "energy", CRISIS_ENERGY },
	{ "water", CRISIS_WATER },
	{ "health_insurance", CRISIS_HEALTH },
};

#define N_KINDS (sizeof(kinds) / sizeof(kinds[0]))

const char *triage_kind_name(unsigned kind)
{
	for (size_t i = 0; i < N_KINDS; i++)
		if (kinds[i].bit == kind)
			return kinds[i].name;
	return NULL;
}

/* Reads `crisis`: "unknown", ["none"] or an array of kinds. Errors name ids, not values. */
static int read_kinds(const json_t *crisis, struct triage *t)
{
	const json_t *v;
	size_t i, k;

	if (json_is_string(crisis) && !strcmp(json_string_value(crisis), "unknown")) {
		t->unknown = 1;
		return 0;
	}
	if (!json_is_array(crisis) || json_array_size(crisis) == 0)
		return error("triage: answer 'crisis' must be \"unknown\" or a non-empty array");
	if (json_array_size(crisis) == 1 && json_is_string(json_array_get(crisis, 0)) &&
	    !strcmp(json_string_value(json_array_get(crisis, 0)), "none"))
		return 0;
	json_array_foreach(crisis, i, v) {
		const char *s = json_string_value(v);

		for (k = 0; s && k < N_KINDS && strcmp(kinds[k].name, s); k++)
			;
		if (!s || k == N_KINDS)
			return error("triage: answer 'crisis' item %zu is not a crisis kind "
				     "(eviction, energy, water, health_insurance)", i);
		t->kinds |= kinds[k].bit;
	}
	return 0;
}

static int read_date(const json_t *date, struct triage *t)
{
	const char *s = json_string_value(date);

	if (!date || (s && !strcmp(s, "unknown")))
		return 0;
	if (ymd_parse(s, &t->crisis_date) < 0)
		return error("triage: answer 'crisis_date' is not YYYY-MM-DD or \"unknown\"");
	t->has_date = 1;
	return 0;
}

int triage_compute(const struct calendar *c, const json_t *answers, struct ymd registered,
		   struct triage *out)
{
	struct triage t;

	memset(&t, 0, sizeof(t));
	memset(out, 0, sizeof(*out));
	if (!json_is_object(answers))
		return error("triage: answers must be a JSON object");
	if (read_kinds(json_object_get(answers, "crisis"), &t) < 0)
		return -1;
	t.crisis = t.unknown || t.kinds != 0;
	if (t.crisis && read_date(json_object_get(answers, "crisis_date"), &t) < 0)
		return -1;
	if (!t.crisis && json_object_get(answers, "crisis_date"))
		return error("triage: answer 'crisis_date' given while crisis is none");
	if (deadline_for(c, registered, t.crisis, &t.deadline) < 0)
		return -1;
	t.acuut = t.crisis && t.has_date && ymd_cmp(t.crisis_date, t.deadline.legal) <= 0;
	t.priority = t.acuut ? 2 : t.crisis;
	*out = t;
	return 0;
}

json_t *triage_crisis_json(const struct triage *t)
{
	json_t *kind_list = json_array();
	char date[11];

	if (!kind_list)
		return NULL;
	for (size_t i = 0; i < N_KINDS; i++)
		if ((t->kinds & kinds[i].bit) &&
		    json_array_append_new(kind_list, json_string(kinds[i].name)) < 0) {
			json_decref(kind_list);
			return NULL;
		}
	ymd_format(t->crisis_date, date);
	return json_pack("{s:b, s:o, s:b, s:s?, s:b, s:i}", "crisis", t->crisis,
			 "kinds", kind_list, "unknown", t->unknown,
			 "known_date", t->has_date ? date : NULL, "acuut", t->acuut,
			 "priority", t->priority);
}

json_t *triage_deadline_json(const struct triage *t, const struct calendar *c)
{
	char target[11], legal[11];

	ymd_format(t->deadline.target, target);
	ymd_format(t->deadline.legal, legal);
	return json_pack("{s:s, s:s, s:s, s:s}",
			 "kind", t->deadline.crisis ? "3_working_days" : "4_weeks",
			 "target", target, "legal", legal,
			 "holidays_version", calendar_version(c));
}
