/*
 * audit.h — the office's append-only audit log: who, when, what, on which record (by
 * reference, never a name), from which address. Each line carries the SHA-256 of the
 * previous line's hash and its own fields (a hash chain); DIR/office/audit.head holds the
 * last line's number and hash, written durably after each line, so an edited, removed or
 * truncated line is detected by audit_verify.
 */
#ifndef INLOOP_OFFICE_AUDIT_H
#define INLOOP_OFFICE_AUDIT_H

#include <sqlite3.h>
#include <stddef.h>

/* Sets the folder of audit.head (the case-store folder DIR); call once. */
void audit_init(const char *dir);

/* Appends one line; target is a record id, reference, account or device name (or "").
 * 0 ok, -1 with an error (the caller refuses the action it was logging). */
int audit_add(sqlite3 *db, const char *user, const char *addr, const char *action, const char *target);

/* Walks the chain and the head: 0 intact (number of lines into *lines), -1 broken with
 * the first bad line number and why in why. */
int audit_verify(sqlite3 *db, long long *lines, char *why, size_t size);

#endif
