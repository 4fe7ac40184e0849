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
 * A word with two senses in one language and two words in another: an
 * alert "open" (not yet handled) is not the key's "open" (read it).  The
 * context tells the catalogue which (msgctxt); English is s as it is.
 */
#define C_(ctx, s) i18n_pgettext(ctx "\004" s, s)

/* The translation of id (context, EOT, text), or s when there is none. */
const char *i18n_pgettext(const char *id, const char *s);

/*
 * The locale from the environment (LANGUAGE, LC_ALL, LC_MESSAGES, LANG, as
 * gettext reads them) and the catalogues: "locale" beside the executable
 * when there is one (the build tree: build/anfang and build/locale), else
 * the installed ANFANG_LOCALEDIR.
 */
void i18n_init(void);

#endif
