/*
 * A visit and its trail from the store, a received visit's line decoded by
 * the codec: the one place that uses both.
 */
#include <stdlib.h>
#include <string.h>

#include "anfang/batch-json.h"
#include "anfang/load.h"
#include "anfang/store-visit.h"

int
load_visit_find(
    struct store *s, const char *id, struct visit **out, char **cause)
{
	struct visit *v;
	char *line;
	size_t len;
	int rc;

	if ((rc = store_visit_find(s, id, &v, &line, &len, cause)) != 1)
		return rc;
	if (line != NULL) {
		rc = batch_json_visit_fill(line, len, v, v->id, NULL, cause);
		free(line);
		if (rc != 0) {
			visit_free(v);
			return -1;
		}
		visit_changed(v);
	}
	*out = v;
	return 1;
}

int
load_visit(struct store *s, const char *id, struct visit **out, char **cause)
{
	return load_visit_find(s, id, out, cause) == 1 ? 0 : -1;
}

int
load_derive(struct store *s, const char *id, char **cause)
{
	struct visit *v;
	int rc;

	if (load_visit(s, id, &v, cause) != 0)
		return -1;
	rc = store_visit_derive(s, v, cause);
	visit_free(v);
	return rc;
}

int
load_chain(struct store *s, const char *visit, struct audit_chain *c,
    unsigned char head[CRYPT_HASH_BYTES], int64_t *count, char **cause)
{
	struct audit_chain rows;
	char *line;
	size_t len;
	size_t i;
	int rc;

	memset(c, 0, sizeof *c);
	if (store_audit_chain(s, visit, &rows, head, count, cause) != 0)
		return -1;
	/* A received visit's trail starts in the line it came in. */
	if ((rc = store_received_line(s, visit, &line, &len, cause)) < 0)
		goto fail;
	if (rc > 0) {
		rc = batch_json_visit_fill(line, len, NULL, visit, c, cause);
		free(line);
		if (rc != 0)
			goto fail;
	}
	if (c->n == 0) {
		*c = rows;
		return 0;
	}
	for (i = 0; i < rows.n; i++)
		audit_chain_add(c, &rows.v[i]);
	audit_chain_free(&rows);
	return 0;
fail:
	audit_chain_free(c);
	audit_chain_free(&rows);
	return -1;
}
