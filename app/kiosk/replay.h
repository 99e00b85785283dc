/*
 * replay.h — scripted input (`inloop --replay FILE`) for make demo, tests and shots. Each
 * line is one command, driven through the real event path (SDL events pushed at a
 * widget's centre), so a replay exercises what a finger would. The kiosk (build/inloop)
 * knows the commands make demo needs (replay.c):
 *   tap <widget-id>          press and release at the widget's centre
 *   tap-if <widget-id>       the same when the widget is shown, else nothing
 *   type <text>              text input, one character per event
 *   key <name>               a key by SDL name (Tab, shift+Tab, Return, Escape, Backspace;
 *                            modifiers shift+ ctrl+ alt+, e.g. ctrl+alt+h)
 *   wait <ms>                virtual time passes (timers run; nothing sleeps)
 *   expect <screen-id>       fails the replay when another screen is shown
 * The test build (build/inloop-test, replay_test.c) adds:
 *   expect-text <text>       fails unless some widget's text contains text
 *   expect-no-text <text>    fails when some widget's text contains text
 *   expect-cached <text>     fails unless the text texture cache holds text
 *   expect-not-cached <text> fails when it does (after a wipe)
 *   expect-measured <text>   fails unless the text measuring buffer holds text
 *   expect-not-measured <text> fails when it does (after a wipe)
 *   shot <file>              the screen as BMP, or PNG (through ImageMagick's convert)
 *   dump <file>              the widget tree (ui_tree_dump) and the cache size
 *   monkey <n> <seed>        n random taps, keys, typing and waits (seed logged)
 *   sync-start, wait-sync <ms>, wait-status <ms>, wait-print <ms>   the uploader, the
 *                            host's line and the printer, in real time
 *   fail-store <step>        the outbox's next stores fail at step (outbox_set_fault)
 *   hold <x> <y> <ms>        press at logical x, y, hold it ms of virtual time, release
 *   wait-screen <id> <ms>    real time, up to ms, until the screen is id (fails after)
 *   wait-real <ms>           real time passes with the loop running (signals from outside)
 *   saved <tag>              field mode: the events so far are handled and the draft is
 *                            sealed; prints "saved <tag>" on stderr (t4608's kill points)
 * Blank lines and lines starting with # are skipped. A failure names the line.
 */
#ifndef INLOOP_REPLAY_H
#define INLOOP_REPLAY_H

#include <stdint.h>

struct kiosk;
struct replay;

/* Opens a replay file. On success *out is set (release with replay_close) and 0 is
 * returned; -1 with a reason. */
int replay_open(const char *path, struct replay **out);

/* Closes r; NULL is a no-op. */
void replay_close(struct replay *r);

/* Runs the next command: 0 to go on, 1 at the end of the file, -1 on a failed command
 * (printed with the file and line). */
int replay_step(struct replay *r, struct kiosk *k);

/* For replay_test.c: prints "FILE:LINE: what arg" and returns -1; pushes a tap at logical
 * (lx, ly); one SDL_TEXTINPUT per UTF-8 character; a key by SDL name (r NULL: quiet). */
int replay_fail(const struct replay *r, const char *what, const char *arg);
void replay_push_tap(struct kiosk *k, int lx, int ly);
void replay_type(const char *text);
int replay_key(struct replay *r, const char *name);

/* The test build's commands (replay_test.c): 0 / -1 as replay_step, 2 when cmd is none
 * of them. replay.c refers to it weakly: in the kiosk people use it is not linked and
 * its address is NULL. */
int replay_test_step(struct replay *r, struct kiosk *k, const char *cmd, char *arg);
int replay_test_shot(struct replay *r, struct kiosk *k, const char *path);
int replay_test_monkey(struct kiosk *k, long n, uint64_t seed);
int replay_test_fail_store(const char *step);

#endif
