/*
 * commands.h — the subcommands of build/inloop. Each takes the state folder and the
 * arguments after the subcommand name, returns the process exit code (0 ok, 1 refused or
 * failed, 2 usage), and prints only ids, counts and reasons — never answers.
 */
#ifndef INLOOP_COMMANDS_H
#define INLOOP_COMMANDS_H

struct inloop_opts {
	const char *state;   /* --state DIR (resolved, never NULL) */
	const char *lang;    /* --lang CODE or NULL */
	const char *windowed;/* --windowed WxH or NULL (fullscreen) */
	const char *replay;  /* --replay FILE or NULL */
	int dump_tree;       /* --dump-tree */
	const char *mode;    /* --mode kiosk|field or NULL (config.json's mode) */
};

typedef int (*inloop_cmd_fn)(const struct inloop_opts *o, int argc, char **argv);

/* Every subcommand, declared once: inloop_main.c lists them, each file defines its own. */
int kiosk_main(const struct inloop_opts *o, int argc, char **argv);           /* kiosk.c */
int cmd_submit(const struct inloop_opts *o, int argc, char **argv);           /* cmd_submit.c */
int cmd_outbox(const struct inloop_opts *o, int argc, char **argv);           /* cmd_submit.c */
int cmd_enroll_request(const struct inloop_opts *o, int argc, char **argv);   /* cmd_enroll.c */
int cmd_enroll(const struct inloop_opts *o, int argc, char **argv);           /* cmd_enroll.c */
int cmd_sync(const struct inloop_opts *o, int argc, char **argv);             /* cmd_sync.c */
int cmd_print_test(const struct inloop_opts *o, int argc, char **argv);       /* cmd_print.c */
int cmd_consultant(const struct inloop_opts *o, int argc, char **argv);       /* cmd_consultant.c */
int cmd_host_pin(const struct inloop_opts *o, int argc, char **argv);         /* cmd_host.c */
int cmd_kiosk_may_start(const struct inloop_opts *o, int argc, char **argv);  /* cmd_host.c */
int cmd_host_return(const struct inloop_opts *o, int argc, char **argv);      /* cmd_host.c */

#endif
