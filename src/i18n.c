/* The locale and where the message catalogues are. */
#include <sys/stat.h>

#include <libintl.h>
#include <limits.h>
#include <locale.h>
#include <string.h>
#include <unistd.h>

#include "anfang/i18n.h"

#ifndef ANFANG_LOCALEDIR
#define ANFANG_LOCALEDIR "/usr/local/share/locale"
#endif

const char *
i18n_pgettext(const char *id, const char *s)
{
	const char *t = gettext(id);

	return t == id ? s : t;
}

void
i18n_init(void)
{
	char dir[PATH_MAX];
	const char *use = ANFANG_LOCALEDIR;
	struct stat st;
	ssize_t n;
	char *slash;

	setlocale(LC_ALL, "");
	/* The executable's own directory, not argv[0] (which any caller
	 * chooses): a build tree's catalogues sit beside its binary.  An
	 * installed /usr/bin has no "locale" directory. */
	n = readlink("/proc/self/exe", dir, sizeof dir - sizeof "/locale");
	if (n > 0 && (size_t)n < sizeof dir - sizeof "/locale") {
		dir[n] = '\0';
		if ((slash = strrchr(dir, '/')) != NULL) {
			strcpy(slash, "/locale");
			if (stat(dir, &st) == 0 && S_ISDIR(st.st_mode))
				use = dir;
		}
	}
	bindtextdomain("anfang", use);
	textdomain("anfang");
}
