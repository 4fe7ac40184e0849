/*
 * Whether another process changed the database since the last look: the
 * screens that list visits reload when a command recorded or imported some.
 */
#ifndef ANFANG_STORE_WATCH_H
#define ANFANG_STORE_WATCH_H

struct store;

/* A number that moves when another connection commits (PRAGMA
 * data_version; this connection's own commits leave it); -1 with *cause. */
int store_watch_version(struct store *, long long *version, char **cause);

#endif
