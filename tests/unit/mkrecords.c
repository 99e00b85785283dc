/*
 * mkrecords.c — fills a device's outbox fast for the sync tests and benches:
 *   mkrecords STATE N [CRISIS_EVERY]
 * Seals N synthetic registrations (record_new, at STATE's location) with the device in STATE
 * (submit_seal_device) and stores them with outbox_seal_store, every CRISIS_EVERY-th (default 10) as an acuut eviction
 * with priority 2. Prints the number stored. The names are synthetic ("Test Persoon N").
 */
#include "platform/util.h"
#include "sync/device/config.h"
#include "sync/device/submit.h"
#include "sync/device/outbox.h"
#include "sync/record/record.h"
#include "sync/record/seal.h"

#include <jansson.h>
#include <stdlib.h>

/* One synthetic registration through record_new, at the device's location. */
static json_t *synthetic(int i, int crisis, const char *location)
{
	char name[64];
	struct record_body b = { .location = location, .language = "nl", .mode = "kiosk" };
	json_t *r;

	snprintf(name, sizeof(name), "Test Persoon %d", i);
	b.answers = json_pack("{s:s, s:s, s:s, s:s, s:o, s:b}", "name", name, "contact", "phone",
			      "phone", "0612345678", "best_time", "morning",
			      "crisis", crisis ? json_pack("[s]", "eviction") : json_pack("[s]", "none"),
			      "privacy_read", 1);
	b.crisis = json_pack("{s:b, s:[s*], s:b, s:s?, s:b, s:i}", "crisis", crisis,
			     "kinds", crisis ? "eviction" : NULL, "unknown", 0,
			     "known_date", crisis ? "2026-06-01" : NULL, "acuut", crisis, "priority", crisis ? 2 : 0);
	b.deadline = json_pack("{s:s, s:s, s:s}", "kind", crisis ? "3_working_days" : "4_weeks",
			       "target", "2026-06-03", "legal", crisis ? "2026-06-03" : "2026-06-29");
	r = b.answers ? record_new(&b) : NULL;
	json_decref(b.answers);
	return r;
}

int main(int argc, char **argv)
{
	struct seal_device *dev = NULL;
	struct outbox *ob = NULL;
	struct device_config cfg;
	char path[4096];
	int n, every, stored = 0;

	util_json_wipe_on_free();
	if (argc < 3)
		return fprintf(stderr, "usage: mkrecords STATE N [CRISIS_EVERY]\n"), 2;
	n = atoi(argv[2]);
	every = argc > 3 ? atoi(argv[3]) : 10;
	snprintf(path, sizeof(path), "%s/outbox.sqlite", argv[1]);
	if (config_load(argv[1], &cfg) < 0 || submit_seal_device(argv[1], &dev) < 0 ||
	    outbox_open(path, &ob) < 0)
		return 1;
	for (int i = 1; i <= n; i++) {
		int crisis = every > 0 && i % every == 0;
		json_t *r = synthetic(i, crisis, cfg.location);
		if (!r || outbox_seal_store(ob, dev, r, crisis ? 2 : 0, NULL, NULL) < 0) {
			json_decref(r);
			break;
		}
		json_decref(r);
		stored++;
	}
	printf("%d\n", stored);
	outbox_close(ob);
	seal_device_free(dev);
	return stored == n ? 0 : 1;
}
