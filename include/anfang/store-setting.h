/*
 * Small settings kept in the encrypted database (its meta table), such as
 * the folder the UI last exported to: they say where an inspector takes
 * visits, so they are not left in a plain file.
 */
#ifndef ANFANG_STORE_SETTING_H
#define ANFANG_STORE_SETTING_H

struct store;

/* 1 with *value (caller frees), 0 when not set, -1 with *cause. */
int store_setting_get(
    struct store *, const char *key, char **value, char **cause);
/* Set (or, with value NULL, remove) a setting; -1 with *cause. */
int store_setting_set(
    struct store *, const char *key, const char *value, char **cause);

#endif
