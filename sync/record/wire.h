/*
 * wire.h — what the device and the municipality agree on outside the record itself
 * (DESIGN.md "The wire"): the paths, the body's content type and size limit, and what
 * each answer means to the device. The uploader (sync/device/upload.c) and the case-store
 * server (sync/casestore/server.c) both take them from here.
 */
#ifndef INLOOP_WIRE_H
#define INLOOP_WIRE_H

/* PUT (and GET) WIRE_RECORDS_PATH{record id}: one DER envelope per record. */
#define WIRE_RECORDS_PATH "/v1/records/"
/* GET: 200 when the server is up and this device is allowed (the crisis probe). */
#define WIRE_HEALTH_PATH "/v1/health"
/* Field mode's visits (issue 12), with the device's client certificate as uploads:
 *   GET    WIRE_CONSULTANTS_PATH{id}/visits           200 application/json
 *          {"consultant": id, "visits": [{"id": HEX32, "envelope": BASE64(DER)}, ...]}
 *          (an entry with "kind": "recall" is a signed recall of fetched visits, visit.h)
 *          (at most WIRE_VISITS_MAX per answer; the oldest first)
 *   DELETE WIRE_CONSULTANTS_PATH{id}/visits/{visit id} 204, also when already gone
 * 404 when id is unknown or registered to another device (one answer for both), 410 when
 * the office disabled the consultant (the device then removes them, their key, drafts
 * and visits). */
#define WIRE_CONSULTANTS_PATH "/v1/consultants/"
#define WIRE_VISITS_MAX 64
#define WIRE_JSON_TYPE "application/json"
/* The body's Content-Type (a CMS envelope); parameters after ';' are allowed. */
#define WIRE_CONTENT_TYPE "application/pkcs7-mime"
/* The largest body the server takes; a larger one is answered 413. */
#define WIRE_MAX_BODY (256 * 1024)

/* The answers, by what they mean. */
enum wire_status {
	WIRE_ALREADY = 200,          /* the store held these bytes under this id already */
	WIRE_CREATED = 201,          /* stored durably (fsync'd) */
	WIRE_NO_CONTENT = 204,       /* DELETE of a visit: gone (or was already) */
	WIRE_BAD_REQUEST = 400,      /* malformed id, body or framing */
	WIRE_UNKNOWN_DEVICE = 401,   /* no client certificate the server knows */
	WIRE_REFUSED_DEVICE = 403,   /* the device is revoked or not registered */
	WIRE_NOT_FOUND = 404,        /* also: a consultant unknown here or of another device */
	WIRE_BAD_METHOD = 405,       /* a known path, another method (Allow: says which) */
	WIRE_CONFLICT = 409,         /* other bytes under this id, or these bytes under another */
	WIRE_GONE = 410,             /* the consultant is disabled: remove them from the device */
	WIRE_TOO_LARGE = 413,        /* body above WIRE_MAX_BODY */
	WIRE_WRONG_TYPE = 415,       /* not WIRE_CONTENT_TYPE */
	WIRE_SLOW_DOWN = 429,        /* above the per-device rate: Retry-After */
	WIRE_UNAVAILABLE = 503,      /* nothing of it is durable: Retry-After, send again */
};

/* What the device does with an answer. */
enum wire_action {
	WIRE_DONE,    /* 200/201: the record is the case store's; the outbox row may go */
	WIRE_HOLD,    /* any other 4xx: the record is kept aside with its reason, never sent again */
	WIRE_RETRY,   /* 408, 429, 5xx (and no answer): send again later, with backoff */
	WIRE_BLOCK,   /* 401/403: the server refuses this device; stop and tell the host */
};

/* The device's action for an HTTP status (the one reading of DESIGN.md "The wire"). */
static inline enum wire_action wire_action_of(long status)
{
	if (status == WIRE_ALREADY || status == WIRE_CREATED)
		return WIRE_DONE;
	if (status == WIRE_UNKNOWN_DEVICE || status == WIRE_REFUSED_DEVICE)
		return WIRE_BLOCK;
	if (status == 408 || status == WIRE_SLOW_DOWN || status >= 500 || status < 400)
		return WIRE_RETRY;
	return WIRE_HOLD;
}

/* The enrolment bundle the CA writes (sync/ca/ca.c) and the device installs
 * (sync/device/enroll.c). */
#define ENROLL_BUNDLE_FORMAT "inloop-enrolment-bundle/1"

#endif
