/*
 * cmd_submit.c — the subcommands `inloop submit FILE.json` (seal and store one
 * registration through the Send button's path) and `inloop outbox [--dump ID]` (the queue,
 * never its content). They print ids, references, dates and reasons — never an answer.
 */
#include "app/kiosk/commands.h"
#include "platform/i18n.h"
#include "sync/device/submit.h"
#include "platform/util.h"
#include "sync/device/config.h"
#include "sync/device/outbox.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define ANSWERS_MAX_BYTES (64 * 1024)

/* Reads FILE.json into a JSON object; never echoes its content in a message. */
static json_t *read_answers(const char *path)
{
	json_t *v = util_json_load_file(path, ANSWERS_MAX_BYTES);

	if (!v)
		return NULL;
	if (!json_is_object(v)) {
		json_decref(v);
		error("%s: the answers must be a JSON object (question id -> value)", path);
		return NULL;
	}
	return v;
}

static void print_problem(const char *question_id, const char *msgid, void *arg)
{
	int *count = arg;

	(*count)++;
	fprintf(stderr, "inloop: refused: %s: %s\n", question_id && *question_id ? question_id : "(answers)",
		_(msgid));
}

/* The receipt on stdout: id, reference, deadline (legal date), crisis/acuut. */
static void print_receipt(const struct submit_result *r)
{
	char legal[11];

	ymd_format(r->triage.deadline.legal, legal);
	printf("record: %s\nreference: %s\nsequence: %lld\ncreated: %s\n", r->id, r->ref, r->seq,
	       r->created_at);
	printf("deadline: %s (%s)%s%s\n", legal,
	       r->triage.crisis ? "crisis: 3 working days" : "4 weeks",
	       r->triage.acuut ? " ACUUT: call today" : "",
	       r->triage.unknown ? " (crisis unknown: treated as crisis)" : "");
}

int cmd_submit(const struct inloop_opts *o, int argc, char **argv)
{
	struct device_config cfg;
	struct submit_ctx ctx;
	struct submit_result r;
	json_t *answers;
	int problems = 0, rc;

	if (argc != 1) {
		fputs("usage: inloop [--state DIR] [--lang CODE] submit FILE.json\n", stderr);
		return 2;
	}
	answers = read_answers(argv[0]);
	if (!answers)
		return 1;
	if (config_load(o->state, &cfg) < 0 || submit_ctx_open(&cfg, &ctx) < 0) {
		json_decref(answers);
		return 1;
	}
	rc = submit_answers(&ctx, answers, o->lang, NULL, print_problem, &problems, &r);
	json_decref(answers);
	submit_ctx_close(&ctx);
	if (rc == 0) {
		print_receipt(&r);
		return 0;
	}
	if (rc == 1)
		fprintf(stderr, "inloop: nothing stored: %d answer(s) to correct\n", problems);
	else
		fputs("inloop: nothing stored\n", stderr);
	return 1;
}

static int print_row(const struct outbox_row *r, void *arg)
{
	(void)arg;
	printf("%-36s  %5lld  %-25s  %8d  %6zu  %8d  %s%s\n", r->id, r->seq, r->created_at, r->priority,
	       r->size, r->attempts, r->held ? "HELD " : "", r->last_error);
	return 0;
}

/* Writes the envelope of one row to stdout. */
static int dump_envelope(struct outbox *ob, const char *id)
{
	unsigned char *der = NULL;
	size_t len = 0;
	int found = outbox_get(ob, id, &der, &len);

	if (found < 0)
		return 1;
	if (found == 0)
		return error("no record %s in the outbox", id), 1;
	if (fwrite(der, 1, len, stdout) != len || fflush(stdout) != 0) {
		free(der);
		return error("cannot write the envelope: %s", strerror(errno)), 1;
	}
	free(der);
	return 0;
}

/* Opens STATE/outbox.sqlite; the state folder must exist. */
static int open_outbox(const char *state, struct outbox **ob)
{
	char path[4200];
	struct stat st;

	if (stat(state, &st) < 0)
		return error("state folder %s: %s", state, strerror(errno));
	if (!S_ISDIR(st.st_mode))
		return error("state folder %s is not a folder", state);
	if (util_fmt(path, sizeof(path), "%s/" STATE_OUTBOX, state) < 0)
		return -1;
	return outbox_open(path, ob);
}

int cmd_outbox(const struct inloop_opts *o, int argc, char **argv)
{
	struct outbox *ob = NULL;
	struct outbox_counts c;
	int rc = 0;

	if (!(argc == 0 || (argc == 2 && !strcmp(argv[0], "--dump")))) {
		fputs("usage: inloop [--state DIR] outbox [--dump ID]\n", stderr);
		return 2;
	}
	if (open_outbox(o->state, &ob) < 0)
		return 1;
	if (argc == 2) {
		rc = dump_envelope(ob, argv[1]);
		outbox_close(ob);
		return rc;
	}
	printf("%-36s  %5s  %-25s  %8s  %6s  %8s  %s\n", "id", "seq", "created", "priority", "bytes",
	       "attempts", "last error");
	if (outbox_list(ob, print_row, NULL) < 0 || outbox_counts(ob, &c) < 0)
		rc = 1;
	else
		printf("%d pending (%d crisis), %d held\n", c.pending, c.crisis_pending, c.held);
	outbox_close(ob);
	return rc;
}
