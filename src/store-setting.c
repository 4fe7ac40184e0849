/* Settings in the meta table, under keys of their own ("ui.…"). */
#include <stdlib.h>

#include "anfang/i18n.h"
#include "anfang/store-setting.h"
#include "anfang/xmalloc.h"
#include "store-int.h"

int
store_setting_get(struct store *s, const char *key, char **value, char **cause)
{
	static const char sql[] = "SELECT value FROM meta WHERE key = ?";
	sqlite3_stmt *st;
	const unsigned char *text;
	int rc;

	if ((st = store_prepare(s, sql, cause)) == NULL)
		return -1;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_DONE) {
		store_release(st);
		return 0;
	}
	if (rc != SQLITE_ROW) {
		store_cause(s, cause, _("reading a setting"));
		store_release(st);
		return -1;
	}
	text = sqlite3_column_text(st, 0);
	*value = xstrdup(text != NULL ? (const char *)text : "");
	store_release(st);
	return 1;
}

int
store_setting_set(
    struct store *s, const char *key, const char *value, char **cause)
{
	sqlite3_stmt *st;

	if (value == NULL) {
		st = store_prepare(s, "DELETE FROM meta WHERE key = ?", cause);
		if (st == NULL)
			return -1;
		sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
		return store_done(s, st, cause);
	}
	st = store_prepare(
	    s, "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", cause);
	if (st == NULL)
		return -1;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, value, -1, SQLITE_STATIC);
	return store_done(s, st, cause);
}
