/*
 * fuzz_seal_open.c — libFuzzer target: the record opener (seal_open_at, SEAL.md's
 * acceptance rules) and the server's cheap envelope check (seal_is_envelope) on any bytes.
 *
 * The opener holds the committed test key (tests/fuzz/pki), so the seeds — envelopes
 * sealed by `inloop submit` — open, and mutations reach every rule, not only the DER
 * parser. Besides the sanitizers, three properties hold for every input: a refusal names
 * a reason, an opened record is NUL-terminated JSON text of the length reported, and
 * nothing opens that the server's structural check would have refused at the door.
 */
#include "tests/fuzz/fuzz_common.h"
#include "sync/record/seal.h"

static struct seal_opener *opener;
static time_t at;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc, (void)argv;
	fuzz_keep_stderr();
	util_json_wipe_on_free();
	if (seal_opener_load(fuzz_pki(), &opener) < 0)
		fuzz_die("seal_opener_load");
	at = fuzz_at();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct seal_info info;
	char why[256] = "", door[256] = "", *json = NULL;
	size_t len = 0;
	int is_env = seal_is_envelope(data, size, door, sizeof(door));

	if (is_env < 0 && !door[0])
		abort();   /* a refusal without a reason */
	if (seal_open_at(opener, data, size, at, &json, &len, &info, why, sizeof(why)) < 0) {
		if (!why[0] || json)
			abort();
		return 0;
	}
	if (!json || json[len] != '\0' || strlen(json) != len || is_env < 0)
		abort();
	if (!memchr(info.record_id, '\0', sizeof(info.record_id)) ||
	    !memchr(info.device_id, '\0', sizeof(info.device_id)))
		abort();
	util_clear_free(json);
	return 0;
}
