/*
 * replay.h — scripted input for tests and shots (`inloop --replay FILE`). Each line is
 * one command, driven through the real event path (SDL events pushed at a widget's
 * centre), so a replay exercises what a finger would:
 *   tap <widget-id>          press and release at the widget's centre
 *   tap-if <widget-id>       the same when the widget is shown, else nothing
 *   type <text>              text input, one character per event
 *   key <name>               a key by SDL name (Tab, shift+Tab, Return, Escape, Backspace;
 *                            modifiers shift+ ctrl+ alt+, e.g. ctrl+alt+h)
 *   hold <x> <y> <ms>        press at logical x, y, hold it ms of virtual time, release
 *   wait <ms>                virtual time passes (timers run; nothing sleeps)
 *   expect <screen-id>       fails the replay when another screen is shown
 *   expect-text <text>       fails unless some widget's text contains text
 *   expect-no-text <text>    fails when some widget's text contains text
 *   expect-cached <text>     fails unless the text texture cache holds text
 *   expect-not-cached <text> fails when it does (after a wipe)
 *   expect-measured <text>   fails unless the text measuring buffer holds text
 *   expect-not-measured <text> fails when it does (after a wipe)
 *   shot <file>              the screen as BMP, or PNG (through ImageMagick's convert)
 *   dump <file>              the widget tree (ui_tree_dump) and the cache size
 *   monkey <n> <seed>        n random taps, keys, typing and waits (seed logged)
 * Blank lines and lines starting with # are skipped. A failure names the line.
 */
#ifndef INLOOP_REPLAY_H
#define INLOOP_REPLAY_H

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

#endif
