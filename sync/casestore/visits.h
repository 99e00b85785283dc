/*
 * visits.h — the visit spool and the consultant registry (issue 12, "Visits from the
 * office"). Both are plain files in the case-store folder, like the device registry:
 *
 *   CS/consultants/ID.json       {"id", "device", "state": "active"|"disabled", "changed"}
 *                                (written by the CA: inloopctl consultant enroll/disable)
 *   CS/visits/ID/VISITID.cms     one sealed visit (CMS DER, ciphertext to the consultant's
 *                                certificate), 0640, folders 0750 (written by the office)
 *   CS/visits/ID/RECALLID.recall a recall of visits the laptop already fetched (a CMS
 *                                SignedData by the office's visit signer, ids only:
 *                                sync/record/visit.h), served and deleted like a visit
 *
 * The case store (server.c) serves and deletes the spool for the device a consultant is
 * registered to; the office (sync/office/field_visit.c) writes and withdraws spool files.
 * Neither ever reads a visit's contents: the spool holds ciphertext only.
 *
 * ID is a consultant id: 1..32 of [a-z0-9._-], the first a letter or digit (so never "."
 * or "..", and never a path). VISITID is 32 lower-case hex digits.
 */
#ifndef INLOOP_VISITS_H
#define INLOOP_VISITS_H

#include "sync/record/visit.h"

#include <stddef.h>

#define VISITS_ID_MAX VISIT_CONSULTANT_ID_MAX   /* characters of a consultant id (its rule: visit.h) */
#define VISITS_VISIT_ID_LEN 32           /* hex digits of a visit id */
#define VISITS_MAX_FILE (256 * 1024)     /* a larger spool file is skipped (and logged) */
#define VISITS_MAX_ANSWER (4 * 1024 * 1024)   /* DER bytes in one answer, at most */

/* 1 when s is a visit id (32 lower-case hex digits), else 0. */
int visits_visit_id_ok(const char *s);

/* What the registry says of a consultant for the asking device. */
enum visits_who {
	VISITS_ACTIVE = 0,       /* registered to this device, state "active" */
	VISITS_UNKNOWN = 1,      /* no registry entry, or registered to another device */
	VISITS_DISABLED = 2,     /* registered to this device, state "disabled" */
	VISITS_BROKEN = -1,      /* the entry exists but cannot be read or makes no sense */
};

/*
 * Reads cs_dir/consultants/id.json and judges it for device (NULL: any device, as the
 * office asks). A disabled consultant of another device is VISITS_UNKNOWN, so a device
 * learns nothing about consultants that are not its own.
 */
enum visits_who visits_consultant(const char *cs_dir, const char *id, const char *device);

/*
 * The answer to GET .../ID/visits: {"consultant": id, "visits": [{"id", "envelope":
 * base64 DER}, ...]} (a recall's entry also has "kind": "recall"), the oldest files first, at most WIRE_VISITS_MAX entries and
 * VISITS_MAX_ANSWER DER bytes. Only regular files named VISITID.cms count (a temp file of
 * a write under way does not). *json (caller frees) and *len on 0; -1 with an error.
 * *count (may be NULL) gets the number of visits in the answer.
 */
int visits_answer(const char *cs_dir, const char *id, char **json, size_t *len, int *count);

/* Removes cs_dir/visits/id/visit_id.cms (and a recall of that id, visit_id.recall): 0 when
 * it is gone (also when it was not there),
 * -1 with an error when it could not be removed. */
int visits_remove(const char *cs_dir, const char *id, const char *visit_id);

/*
 * Writes a sealed visit to cs_dir/visits/id/visit_id.cms (0640; the folders 0750),
 * atomically and durably (util_write_file). 0 ok, -1 with an error.
 */
int visits_write(const char *cs_dir, const char *id, const char *visit_id,
		 const unsigned char *der, size_t len);

/* Writes a signed recall to cs_dir/visits/id/recall_id.recall (0640), atomically and
 * durably; the next GET serves it with "kind": "recall". 0 ok, -1 with an error. */
int visits_write_recall(const char *cs_dir, const char *id, const char *recall_id,
			const unsigned char *der, size_t len);

/* 1 when cs_dir/visits/id/visit_id.cms exists (not fetched yet), 0 when not, -1 on error. */
int visits_pending(const char *cs_dir, const char *id, const char *visit_id);

/* The number of visits of id waiting in the spool (0 when it has none; recalls not
 * counted), or -1. */
int visits_count(const char *cs_dir, const char *id);

/* Removes every visit of id from the spool (a disabled consultant); the number removed,
 * or -1 with an error. */
int visits_remove_all(const char *cs_dir, const char *id);

#endif
