/*
 * vault.h — the few fields a worklist row shows (name, how to reach the resident), sealed
 * at rest in the office database (issue 11 "Scale and speed"). Opening an envelope costs
 * about a millisecond of public-key work; a page of 50 rows that opened 50 envelopes took
 * 80-240 ms. So the index, which opens each envelope once anyway, keeps these fields as
 * one small blob under a symmetric key the office holds (DIR/office/fields.key, 32 random
 * bytes, 0600, made on first use beside casestore.key, which opens every record anyway).
 * libsodium's XChaCha20-Poly1305 (IETF AEAD), a random nonce per blob, the record id as
 * associated data, so a blob moved to another row does not open. Nothing of it is
 * plaintext on disk; retention erases the blob with the record's contents.
 */
#ifndef INLOOP_OFFICE_VAULT_H
#define INLOOP_OFFICE_VAULT_H

#include <stddef.h>

struct vault;

/* Loads (or, when absent, makes) office_dir/fields.key; *out owned by the caller
 * (vault_free, which wipes the key). 0 ok, -1 with an error (a key file that is not
 * 0600 or not 32 bytes is refused). */
int vault_load(const char *office_dir, struct vault **out);
void vault_free(struct vault *v);   /* NULL ok */

/* Seals plain (n bytes) for the row of id into *blob (malloc'd, *blob_len bytes; caller
 * frees). Safe from several threads with the same v. 0 ok, -1 out of memory. */
int vault_seal(const struct vault *v, const char *id, const void *plain, size_t n,
	       unsigned char **blob, size_t *blob_len);

/* Opens a blob of the row of id into *plain (NUL-terminated, *n bytes; caller wipes and
 * frees with util_clear_free). -1 when it is not a blob of this key and this id. */
int vault_open(const struct vault *v, const char *id, const unsigned char *blob, size_t blob_len,
	       char **plain, size_t *n);

#endif
