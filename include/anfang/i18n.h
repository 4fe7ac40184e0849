/*
 * Every string a user reads goes through _(): gettext message catalogues,
 * chosen by the locale (domain "anfang").  N_() marks strings in tables.
 */
#ifndef ANFANG_I18N_H
#define ANFANG_I18N_H

#include <libintl.h>

#define _(s)  gettext(s)
#define N_(s) (s)

#endif
