/*
 * ctl_deadline.c — `inloopctl deadline YYYY-MM-DD [--crisis]`: the Wgs first-conversation
 * deadline for a registration date, from the holiday table in the assets folder
 * (<dir of the binary>/../assets, or $INLOOP_ASSETS). The first line is the legal date in
 * ISO form, so scripts can read it; labelled details follow ("provisional: yes" when a
 * day it needed lies past the table).
 */
#include "sync/rules/calendar.h"
#include "sync/rules/form.h"
#include "platform/util.h"

#include <stdio.h>
#include <string.h>

int ctl_deadline(const char *dir, int argc, char **argv);

static int deadline_usage(void)
{
	fputs("usage: inloopctl deadline YYYY-MM-DD [--crisis]\n", stderr);
	return 2;
}

/* The deadline subcommand (see the file comment); dir is unused. Exit code 0, 1 or 2. */
int ctl_deadline(const char *dir, int argc, char **argv)
{
	const char *date = NULL;
	struct calendar *cal = NULL;
	struct deadline dl;
	struct ymd reg;
	char path[4096], target[11], legal[11];
	int crisis = 0;

	(void)dir;
	for (int i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "--crisis"))
			crisis = 1;
		else if (!date && argv[i][0] != '-')
			date = argv[i];
		else
			return deadline_usage();
	}
	if (!date)
		return deadline_usage();
	if (ymd_parse(date, &reg) < 0) {
		error("deadline: \"%.40s\" is not a real date in the form YYYY-MM-DD", date);
		return 1;
	}
	if (form_asset_path(path, sizeof(path), "holidays.json") < 0 ||
	    calendar_load(path, &cal) < 0)
		return 1;
	deadline_for(cal, reg, crisis, &dl);
	ymd_format(dl.target, target);
	ymd_format(dl.legal, legal);
	printf("%s\ntarget: %s\nkind: %s\nholidays: %s\n", legal, target,
	       crisis ? "3_working_days" : "4_weeks", calendar_version(cal));
	if (dl.provisional)
		printf("provisional: yes (past the holiday table %d-%d: days equalled by royal decree"
		       " are not known)\n", calendar_first_year(cal), calendar_last_year(cal));
	calendar_free(cal);
	return 0;
}
