/*
 * Placeholder until the HTML format lands: report_html_write says the
 * format is not built yet (-2, exit 69), so `anfang report --format html`
 * fails clearly instead of writing half a page.  The real writer replaces
 * this whole file.
 */
#include "anfang/i18n.h"
#include "anfang/report.h"
#include "anfang/xmalloc.h"

int
report_html_write(const struct report *r, FILE *fp, char **cause)
{
	(void)r;
	(void)fp;
	*cause = xasprintf(_("--format html is not available yet"));
	return -2;
}
