/*
 * visit.c — what the office's side (visit_seal.c) and the device's side (visit_open.c) of
 * a visit agree on beyond the CMS profile: the checks on the visit's JSON (the office
 * refuses to seal what the device would refuse to open) and the consultant id's rule,
 * which the CA, the case store, the office and the laptop share.
 */
#include "sync/record/visit.h"
#include "sync/record/seal_int.h"
#include "sync/record/pki.h"

#include <jansson.h>
#include <string.h>

_Static_assert(PKI_CONSULTANT_MAX == VISIT_CONSULTANT_ID_MAX, "pki.h sizes CN buffers by the id rule");

int visit_consultant_id_ok(const char *id)
{
	size_t n = id ? strlen(id) : 0;

	if (n < 1 || n > VISIT_CONSULTANT_ID_MAX || !strchr("abcdefghijklmnopqrstuvwxyz0123456789", id[0]))
		return 0;
	return strspn(id, "abcdefghijklmnopqrstuvwxyz0123456789._-") == n;
}

/* 1 when s is 32 hexadecimal digits. */
static int is_hex32(const char *s)
{
	return s && strlen(s) == 32 && strspn(s, "0123456789abcdefABCDEF") == 32;
}

int seal_visit_check_json(const char *json, size_t len, const char *consultant, char *why,
			  size_t ws)
{
	json_t *root = json_loadb(json, len, JSON_REJECT_DUPLICATES, NULL);
	json_t *ver = json_object_get(root, VISIT_F_VERSION);
	const char *schema = json_string_value(json_object_get(root, VISIT_F_SCHEMA));
	const char *who = json_string_value(json_object_get(root, VISIT_F_CONSULTANT));
	int rc = 0;

	if (!json_is_object(root))
		rc = seal_refuse(why, ws, "visit: the content is not a JSON object");
	else if (!schema || strcmp(schema, VISIT_SCHEMA) || !json_is_integer(ver) ||
		 json_integer_value(ver) != VISIT_VERSION)
		rc = seal_refuse(why, ws, "visit: not schema %s version %d", VISIT_SCHEMA, VISIT_VERSION);
	else if (!is_hex32(json_string_value(json_object_get(root, VISIT_F_ID))))
		rc = seal_refuse(why, ws, "visit: \"visit_id\" is not 32 hexadecimal digits");
	else if (!who || strcmp(who, consultant))
		rc = seal_refuse(why, ws, "visit: addressed to another consultant (\"consultant\" differs)");
	json_decref(root);
	return rc;
}
