/*
 * cmd_print.c — `inloop print-test [--crisis] [--paper 80mm|a4] [--stdout]`: prints a sample
 * receipt (reference TEST-0000, registered now, this device's location and phone) through
 * the same worker and helper as the kiosk, so the host or ICT can check the printer named
 * in config.json; with --stdout the PDF goes to stdout instead (make shots). Exit 0 when
 * printed, 1 with the reason code otherwise. The sample holds no personal data.
 */
#include "app/kiosk/commands.h"
#include "platform/i18n.h"
#include "app/kiosk/kiosk.h"
#include "app/print/print.h"
#include "platform/util.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* The catalogues as the kiosk loads them, the receipt in lang. */
static void sample_lang(struct kiosk *k, const char *lang)
{
	i18n_init();
	i18n_set_lang(lang);
	i18n_set_host_lang(k->cfg.host_lang);
	snprintf(k->lang, sizeof(k->lang), "%s", lang);
	k->rtl = !strcmp(lang, "ar");
}

/* The sample visit: registered now, contact within 3 working days or 4 weeks (roughly:
 * a sample, not a promise), a crisis when asked. */
static void sample_result(struct kiosk *k, int crisis)
{
	time_t now = time(NULL);
	time_t later = now + (crisis ? 3 : 28) * 86400;
	struct tm tm, tl;

	localtime_r(&now, &tm);
	localtime_r(&later, &tl);
	snprintf(k->person.result.ref, sizeof(k->person.result.ref), "TEST-0000");
	strftime(k->person.result.created_at, sizeof(k->person.result.created_at), "%Y-%m-%dT%H:%M:%S", &tm);
	k->person.result.triage.crisis = crisis;
	k->person.result.triage.deadline.legal = (struct ymd){ tl.tm_year + 1900, tl.tm_mon + 1, tl.tm_mday };
}

static int run(struct kiosk *k, int to_stdout)
{
	json_t *doc = print_receipt_doc(k);
	char reason[16];
	int rc;

	if (!doc)
		return error("print-test: out of memory"), 1;
	if (to_stdout) {
		rc = print_pdf_to_stdout(doc) < 0 ? 1 : 0;
		json_decref(doc);
		return rc;
	}
	print_init(&k->print, NULL, NULL);
	print_start(&k->print, k->cfg.printer, doc);
	json_decref(doc);
	print_wait(&k->print, 600000);
	rc = print_status(&k->print, reason);
	printf("print-test: %s%s%s\n", rc == PRINT_DONE ? "printed" : rc == PRINT_OFF ? "off" : "failed",
	       reason[0] ? " " : "", reason);
	print_stop(&k->print);
	return rc == PRINT_DONE ? 0 : 1;
}

int cmd_print_test(const struct inloop_opts *o, int argc, char **argv)
{
	struct kiosk *k = calloc(1, sizeof(*k));
	int crisis = 0, to_stdout = 0, rc;

	if (!k)
		return error("out of memory"), 1;
	signal(SIGPIPE, SIG_IGN);
	if (config_load(o->state, &k->cfg) < 0)
		return free(k), 1;
	for (int i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "--crisis"))
			crisis = 1;
		else if (!strcmp(argv[i], "--stdout"))
			to_stdout = 1;
		else if (i + 1 < argc && !strcmp(argv[i], "--paper") &&
			 (!strcmp(argv[i + 1], "80mm") || !strcmp(argv[i + 1], "a4")))
			snprintf(k->cfg.paper, sizeof(k->cfg.paper), "%s", argv[++i]);
		else
			return free(k), error("print-test: unknown argument %s "
					      "(--crisis, --paper 80mm|a4, --stdout)", argv[i]), 2;
	}
	sample_lang(k, o->lang ? o->lang : "nl");
	sample_result(k, crisis);
	rc = run(k, to_stdout);
	i18n_free();
	free(k);
	return rc;
}
