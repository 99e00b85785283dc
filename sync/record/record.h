/*
 * record.h — the record's identity as people see it (see DESIGN.md, the record).
 */
#ifndef INLOOP_RECORD_H
#define INLOOP_RECORD_H

/* Short human reference from a record id, e.g. "K7QF-2M9D" (Crockford base32 of the first
 * 40 bits of the UUID): printed on the receipt and in the back office worklist. An id that
 * is not hex gives "". */
void record_ref_from_id(const char *record_id, char out[12]);

#endif
