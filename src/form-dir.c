/* The forms search path and loading every form in it. */
#include <sys/stat.h>

#include <dirent.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "anfang/form-dir.h"
#include "anfang/form-load.h"
#include "anfang/xmalloc.h"

#ifndef ANFANG_FORMSDIR
#define ANFANG_FORMSDIR "/usr/local/share/anfang/forms"
#endif

static int
dir_exists(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/*
 * Run from the build tree (build/anfang), the installed directory does not
 * exist yet: use the forms beside the sources so `make run` works.
 */
static char *
dir_uninstalled(void)
{
	char exe[PATH_MAX], *slash, *path;
	ssize_t n;

	if ((n = readlink("/proc/self/exe", exe, sizeof exe - 1)) <= 0)
		return NULL;
	exe[n] = '\0';
	for (int up = 0; up < 3; up++) {
		if ((slash = strrchr(exe, '/')) == NULL)
			return NULL;
		*slash = '\0';
		path = xasprintf("%s/forms", exe);
		if (dir_exists(path))
			return path;
		free(path);
	}
	return NULL;
}

char **
form_dir_path(const char *override)
{
	char **v = xcalloc(4, sizeof *v);
	const char *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");
	size_t n = 0;

	if (override != NULL) {
		v[n++] = xstrdup(override);
		return v;
	}
	if (xdg != NULL && *xdg == '/')
		v[n++] = xasprintf("%s/anfang/forms", xdg);
	else if (home != NULL && *home != '\0')
		v[n++] = xasprintf("%s/.config/anfang/forms", home);
	if (dir_exists(ANFANG_FORMSDIR))
		v[n++] = xstrdup(ANFANG_FORMSDIR);
	else if ((v[n] = dir_uninstalled()) != NULL)
		n++;
	return v;
}

int
form_dir_is_form(const char *name)
{
	size_t n = strlen(name);

	return name[0] != '.' &&
	       ((n > 5 && strcmp(name + n - 5, ".yaml") == 0) ||
	           (n > 4 && strcmp(name + n - 4, ".yml") == 0));
}

static int
dir_compare(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Whether the first `before` forms have f's id and version. */
static int
dir_shadowed(const struct form_dir_list *l, size_t before, const struct form *f)
{
	size_t i;

	for (i = 0; i < before; i++) {
		if (l->forms[i]->version == f->version &&
		    strcmp(l->forms[i]->id, f->id) == 0)
			return 1;
	}
	return 0;
}

static void
dir_load_one(const char *dir, struct form_dir_list *l, struct diag_list *diags)
{
	struct dirent *de;
	struct form *f;
	char **names = NULL, *path;
	size_t n = 0, i, before = l->n;
	DIR *d;

	if ((d = opendir(dir)) == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		if (!form_dir_is_form(de->d_name))
			continue;
		names = xreallocarray(names, n + 1, sizeof *names);
		names[n++] = xstrdup(de->d_name);
	}
	closedir(d);
	if (n > 1)
		qsort(names, n, sizeof *names, dir_compare);
	for (i = 0; i < n; i++) {
		path = xpath(dir, names[i]);
		/* A form of an earlier directory (the user's own copy, say)
		 * stands for the same id and version here: listed once, as
		 * --form ID finds it. */
		if ((f = form_load_file(path, diags)) != NULL &&
		    dir_shadowed(l, before, f))
			form_free(f);
		else if (f != NULL) {
			l->forms =
			    xreallocarray(l->forms, l->n + 1, sizeof *l->forms);
			l->forms[l->n++] = f;
		}
		free(path);
		free(names[i]);
	}
	free(names);
}

void
form_dir_load(
    const char *override, struct form_dir_list *l, struct diag_list *diags)
{
	char **path = form_dir_path(override);
	size_t i;

	memset(l, 0, sizeof *l);
	for (i = 0; path[i] != NULL; i++) {
		dir_load_one(path[i], l, diags);
		free(path[i]);
	}
	free(path);
}

void
form_dir_free(struct form_dir_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		form_free(l->forms[i]);
	free(l->forms);
	memset(l, 0, sizeof *l);
}
