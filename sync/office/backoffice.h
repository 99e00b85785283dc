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
int ctl_open(const char *dir, int argc, char **argv);       /* FILE.der */

#include <stdio.h>
#include <stddef.h>

struct store;
struct openrec;
struct ymd;

/*
 * The records ids[0..n) of store s as `inloopctl export` writes them (format "csv" or
 * "json", the same columns, order and escaping), each with the first-conversation date
 * the caller knows (contacted[i]; NULL or "" for none; contacted itself may be NULL).
 * Ids not in the store are skipped; a record that does not open is listed under
 * not_opened (JSON) or left out (CSV). Each is opened the office's one way (openrec.h);
 * k stays the caller's. 0 ok, -1 error.
 */
int backoffice_export(FILE *f, const char *format, struct store *s, const struct openrec *k,
		      const struct ymd *today, const char *const *ids, const char *const *contacted, size_t n);

#endif
