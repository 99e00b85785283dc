/*
 * backoffice.h — the inloopctl subcommands of the debt-help team (backoffice.c). Each
 * takes the case-store folder (--dir, may be NULL: then it refuses) and the arguments after
 * the subcommand, and returns the exit code (0 ok, 1 refused or failed, 2 usage).
 */
#ifndef INLOOP_BACKOFFICE_H
#define INLOOP_BACKOFFICE_H

int ctl_list(const char *dir, int argc, char **argv);       /* [--today DATE] */
int ctl_show(const char *dir, int argc, char **argv);       /* ID|REF */
int ctl_contacted(const char *dir, int argc, char **argv);  /* ID|REF DATE */
int ctl_export(const char *dir, int argc, char **argv);     /* --format csv|json [--today DATE] */
int ctl_stats(const char *dir, int argc, char **argv);      /* [--today DATE] */

#endif
