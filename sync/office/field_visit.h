/*
 * field_visit.h — a visit for a consultant's laptop when a coordinator assigns a record
 * (issue 12, "Visits from the office"). A user with an active consultant certificate
 * (ROOT/office/consultants/USER.pem, registry entry ROOT/casestore/consultants/USER.json
 * "active") gets the record as a visit: the office opens and re-checks the record (openrec:
 * the office's crisis, acuut and deadline, never the device's), builds the visit JSON,
 * signs and seals it to that consultant (visit_seal) and puts it in the case store's spool
 * (ROOT/casestore/visits/USER/VISITID.cms, visits.h). Reassigning withdraws a visit not yet
 * fetched and recalls one already fetched (a signed recall the laptop acts on at its next
 * sync); so do the first conversation and the hand-over (field_visit_end). The office database's `visits` table remembers which visit went to whom; the
 * audit log gets the reference and the consultant, never a name.
 */
#ifndef INLOOP_OFFICE_FIELD_VISIT_H
#define INLOOP_OFFICE_FIELD_VISIT_H

#include <stddef.h>
#include <time.h>

#include "sync/casestore/visits.h"

struct req;
struct office;

/* A sealed visit waiting to be spooled. */
struct field_visit {
	char visit_id[VISITS_VISIT_ID_LEN + 1];
	char consultant[VISITS_ID_MAX + 1];
	unsigned char *der;       /* ciphertext, OPENSSL_malloc'd; NULL: no visit */
	size_t len;
};

/* Why field_visit_prepare made no visit. */
enum field_visit_result {
	FIELD_VISIT_SEALED = 0,       /* v holds the sealed visit */
	FIELD_VISIT_NONE = 1,         /* user is not an active consultant: nothing to send */
	FIELD_VISIT_NO_SIGNER = -1,   /* the office has no usable visit signer (ICT) */
	FIELD_VISIT_NOT_OPENED = -2,  /* the record does not open or fails the re-check */
	FIELD_VISIT_FAILED = -3,      /* the consultant's certificate or the seal refused it */
};

/*
 * Before an assignment of record_id (reference ref) to user is stored: when user is an
 * active consultant, opens the record and seals its visit into *v (release with
 * field_visit_release). Writes nothing. Errors are logged with ids, never content.
 */
enum field_visit_result field_visit_prepare(struct req *q, const char *record_id, const char *ref,
					    const char *user, struct field_visit *v);

/*
 * After the assignment is stored: withdraws the record's earlier visits still in the
 * spool (audit "visit-withdrawn REF CONSULTANT") and recalls the fetched ones (audit
 * "visit-recalled REF CONSULTANT"), then spools v when it holds a visit
 * (audit "visit-sent REF CONSULTANT" first). 0 ok, -1 when the audit log or the spool
 * could not be written.
 */
int field_visit_commit(struct req *q, const char *record_id, const char *ref,
		       const struct field_visit *v);

/*
 * The record no longer needs a visit (reason: "contacted" after its first conversation,
 * "handed-over"): its visits still in the spool are withdrawn, the ones a laptop already
 * fetched are recalled (a recall signed by the visit signer, spooled for that laptop,
 * audit "visit-recalled REF CONSULTANT"). 0, or -1 logged.
 */
int field_visit_end(struct req *q, const char *record_id, const char *ref, const char *reason);

/* 1 when user has an active consultant certificate (an assignment makes a visit), else 0. */
int field_visit_is_consultant(const struct req *q, const char *user);

/* The Dutch sentence (a msgid for W_) that says why no visit could be made (rc < 0). */
const char *field_visit_refusal(enum field_visit_result rc);

/* Frees v's envelope and zeroes v; a zeroed v is a no-op. */
void field_visit_release(struct field_visit *v);

/* On the record page: the record's current visit, waiting in the spool ("sent to ANNA's
 * laptop at the next sync") or fetched (id "visit", data-visit pending|fetched). */
void field_visit_show(struct req *q, const char *record_id);

/* Removes every visit of consultant id from the spool and marks them withdrawn (a
 * disabled consultant); the number removed or -1. */
int field_visit_withdraw_all(struct req *q, const char *id);

/* Retention (retention.c) erased the record's contents: its visits still in the spool go
 * too (the erase itself is audited), and its open visits are marked erased. 0 or -1. */
int field_visit_erase_record(struct office *of, const char *record_id);

#endif
