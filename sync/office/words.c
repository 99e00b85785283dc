/*
 * words.c — Dutch words for fixed values (words.h).
 */
#include "sync/office/words.h"

#include <stdio.h>
#include <string.h>

const struct word words_kinds[] = {
	{ "eviction", "Ontruiming" }, { "energy", "Afsluiting energie" },
	{ "water", "Afsluiting water" }, { "health_insurance", "Zorgverzekering stopt" }, { NULL, NULL },
};

const struct word words_status[] = {
	{ "open", "Nieuw" }, { "assigned", "Toegewezen" }, { "contacted", "Eerste gesprek gevoerd" },
	{ "handed_over", "Overgedragen" }, { "erased", "Inhoud gewist" }, { NULL, NULL },
};

const struct word words_outcomes[] = {
	{ "reached", "Bereikt" }, { "not_reached", "Niet bereikt" }, { "voicemail", "Voicemail ingesproken" },
	{ "wrong_number", "Verkeerd nummer" }, { NULL, NULL },
};

const struct word words_events[] = {
	{ "assign", "Toegewezen aan" }, { "contact", "Contactpoging" },
	{ "first_conversation", "Eerste gesprek" }, { "note", "Notitie" },
	{ "handover", "Overgedragen aan klantvolgsysteem" }, { "erase", "Inhoud gewist (bewaartermijn)" },
	{ NULL, NULL },
};

const char *words_nl(const struct word *list, const char *id)
{
	for (; id && list->id; list++)
		if (!strcmp(list->id, id))
			return list->nl;
	return NULL;
}

void words_ref(const char *norm, char out[12])
{
	if (strlen(norm) == 8)
		snprintf(out, 12, "%.4s-%.4s", norm, norm + 4);
	else
		snprintf(out, 12, "%s", norm);
}
