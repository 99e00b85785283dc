/*
 * host_ui.h — what the host screens (host_pin.c, host_menu.c, closed.c) share.
 */
#ifndef INLOOP_HOST_UI_H
#define INLOOP_HOST_UI_H

#include "app/kiosk/kiosk.h"

/* The host screens' top bar across the full width: title (the host's language) and a
 * button back_label (id "back", ACT_HOST HA_BACK, so Escape works too). Returns the
 * bar's height. */
int host_top_bar(struct ui_tree *t, const struct ui_measure *m, const char *title,
		 const char *back_label);

/* The crisis alert banner in the host's language while status.json holds one (with the
 * count): one small line across the full width at y; nothing otherwise. Returns the y
 * below it (y when none). */
int host_alert_banner(struct kiosk *k, struct ui_tree *t, const struct ui_measure *m, int y);

#endif
