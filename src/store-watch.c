/* Changes by other processes, cheaply: one pragma, no table read. */
#include "anfang/store-watch.h"
#include "store-int.h"

int
store_watch_version(struct store *s, long long *version, char **cause)
{
	static const char sql[] = "PRAGMA data_version";
	sqlite3_stmt *st;

	if ((st = store_prepare(s, sql, cause)) == NULL)
		return -1;
	if (sqlite3_step(st) != SQLITE_ROW) {
		store_cause(s, cause, sql);
		store_release(st);
		return -1;
	}
	*version = sqlite3_column_int64(st, 0);
	store_release(st);
	return 0;
}
