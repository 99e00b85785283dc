/*
 * i18n.h — interface strings through gettext (domain "inloop"). Form texts live in the
 * form file; everything the program itself says goes through _(). Translations are
 * assets/po/LANG.po, compiled by the Makefile into build/locale.
 */
#ifndef INLOOP_I18N_H
#define INLOOP_I18N_H

#include <libintl.h>

#define _(s) dgettext("inloop", s)
#define N_(s) (s)

#endif
