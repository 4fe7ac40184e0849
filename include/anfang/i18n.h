/*
 * Every string a user reads goes through _(): gettext message catalogues,
 * chosen by the locale (domain "anfang").  N_() marks strings in tables,
 * translated with _() where they are shown.
 */
#ifndef ANFANG_I18N_H
#define ANFANG_I18N_H

#include <libintl.h>

#define _(s)  gettext(s)
#define N_(s) (s)

/*
 * The locale from the environment (LANGUAGE, LC_ALL, LC_MESSAGES, LANG, as
 * gettext reads them) and the catalogues: "locale" beside the executable
 * when there is one (the build tree: build/anfang and build/locale), else
 * the installed ANFANG_LOCALEDIR.
 */
void i18n_init(void);

#endif
