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
};

typedef int (*inloop_cmd_fn)(const struct inloop_opts *o, int argc, char **argv);

#endif
