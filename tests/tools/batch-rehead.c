/*
 * batch-rehead: give each visit line of a batch of format 2 the head hash
 * of the audit trail it holds, so that tests can craft a batch whose trail
 * was cut or changed yet chains (as a trusted signer could) and see the
 * import checks, not the head, refuse it.
 *
 *   batch-rehead < IN > OUT
 *
 * Lines without "audit_head" pass unchanged.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "anfang/audit.h"
#include "anfang/batch-json.h"
#include "anfang/visit.h"

#define HEAD_KEY "\"audit_head\":\""

int
main(void)
{
	struct audit_chain c;
	struct audit_entry e;
	char *line = NULL, *head, *cause = NULL, id[VISIT_ID_LEN + 1];
	const char *v;
	size_t cap = 0, k;
	ssize_t len;

	while ((len = getline(&line, &cap, stdin)) > 0) {
		head = strstr(line, HEAD_KEY);
		v = strstr(line, "{\"visit\":\"");
		if (head == NULL || v != line) {
			fputs(line, stdout);
			continue;
		}
		memcpy(id, v + 10, VISIT_ID_LEN);
		id[VISIT_ID_LEN] = '\0';
		memset(&c, 0, sizeof c);
		if (batch_json_visit_fill(
		        line, (size_t)len, NULL, id, &c, &cause) != 0) {
			fprintf(stderr, "batch-rehead: %s\n", cause);
			return 1;
		}
		/* the line's head stands as the last hash: recompute it */
		memset(&e, 0, sizeof e);
		if (c.n > 0) {
			e = c.v[c.n - 1];
			audit_hash(&e);
		}
		head += strlen(HEAD_KEY);
		for (k = 0; k < CRYPT_HASH_BYTES; k++)
			sprintf(head + 2 * k, "%02x", e.hash[k]);
		head[2 * CRYPT_HASH_BYTES] = '"';
		audit_chain_free(&c);
		fputs(line, stdout);
	}
	free(line);
	return 0;
}
