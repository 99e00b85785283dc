/*
 * draft.h — a consultant's unfinished intakes, sealed at rest (issue 12). One file per
 * draft, STATE/drafts/CONSULTANT/ID.draft (0600, folders 0700):
 *
 *   "INLDRFT1" | started (8 bytes, big-endian Unix seconds) | nonce (24) | ciphertext
 *
 * the ciphertext being the draft's JSON ({"answers": {...}, "follows": REF?}) under
 * XChaCha20-Poly1305 with the consultant's data key (consultant.h); the magic, the start
 * time, the consultant id and the draft id are the associated data, so a file moved to
 * another consultant or renamed does not open. Every save writes the whole draft to a
 * temporary file, fsyncs it, renames it over the old one and fsyncs the folder
 * (util_write_file): a kill or a flat battery leaves the old draft or the new one.
 *
 * A draft that does not open under the right key is refused (DRAFT_TAMPERED) and moved
 * to STATE/drafts/CONSULTANT/aside/, never silently dropped.
 */
#ifndef INLOOP_DRAFT_H
#define INLOOP_DRAFT_H

#include <jansson.h>

#define DRAFT_ID_MAX 33          /* 32 hex characters and the NUL */
#define DRAFT_MAX 64             /* drafts listed per consultant */
#define DRAFT_NAME_MAX 128

enum draft_rc { DRAFT_OK = 0, DRAFT_TAMPERED = 1, DRAFT_MISSING = 2 };

struct draft_info {
	char id[DRAFT_ID_MAX];
	long long started;           /* Unix seconds */
	int crisis;                  /* the answers hold a crisis */
	int days_left;               /* until it is erased (draft_days); <= 1: warn */
	char name[DRAFT_NAME_MAX];   /* the resident's name as typed ("" when none yet) */
	char follows[16];            /* the kiosk registration's reference, or "" */
};

/* A new random draft id (32 hex characters). */
void draft_new_id(char id[DRAFT_ID_MAX]);

/* Seals doc (borrowed) under key and writes it durably as the draft id of consultant.
 * 0, or -1 with an error (the disk; never a value). */
int draft_save(const char *state_dir, const char *consultant, const unsigned char key[32],
	       const char *id, long long started, const json_t *doc);

/* Opens the draft id: DRAFT_OK with *doc (caller json_decref) and *started set;
 * DRAFT_TAMPERED when it does not open (moved aside, a clear message printed);
 * DRAFT_MISSING; -1 on an I/O error. */
int draft_load(const char *state_dir, const char *consultant, const unsigned char key[32],
	       const char *id, json_t **doc, long long *started);

/* The consultant's drafts, newest first, into out (max entries): each opened for its
 * name and crisis flag. Drafts that do not open are moved aside and counted in
 * *tampered (may be NULL). draft_days sets days_left. Returns the count or -1. */
int draft_list(const char *state_dir, const char *consultant, const unsigned char key[32],
	       int draft_days, struct draft_info *out, int max, int *tampered);

/* Erases one draft (overwritten, fsync'd, unlinked). 0 (also when absent) or -1. */
int draft_erase(const char *state_dir, const char *consultant, const char *id);

/* Erases the consultant's drafts started more than days ago (now: Unix seconds). Needs
 * no key: the start time is in the clear (and bound by the seal). Returns how many. */
int draft_expire(const char *state_dir, const char *consultant, int days, long long now);

/* Overwrites a file's bytes with zeros, fsyncs and unlinks it (the plaintext never was
 * there, but the ciphertext goes too; also for visits and keys). 0 (also when absent) or -1. */
int draft_erase_file(const char *path);

/* Calls fn for each DIR/ID.EXT (ID 32 hex characters: a draft's or a visit's) and
 * erases the stale ID.EXT.tmp.* files of a killed write on the way. Returns the number of
 * calls that returned 0, or -1. */
int draft_each_file(const char *dir, const char *ext,
		    int (*fn)(const char *dir, const char *id, void *arg), void *arg);

/* Erases every file of a folder (draft_erase_file), then the folder. 0 (also when absent) or -1. */
int draft_erase_folder(const char *dir);

/* Erases every draft and the aside folder of consultant (consultant_remove). 0 or -1. */
int draft_remove_all(const char *state_dir, const char *consultant);

/* How many drafts lie aside for consultant (tampered, kept for ICT). */
int draft_aside_count(const char *state_dir, const char *consultant);

#endif
