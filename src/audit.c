/* Hash chains of audit entries. */
#include <stdlib.h>
#include <string.h>

#include "anfang/audit.h"
#include "anfang/i18n.h"
#include "anfang/xmalloc.h"

/* A growing buffer, first on the caller's stack: most entries fit. */
struct audit_buf {
	unsigned char *p;
	size_t len, cap;
	int heap;
};

static void
audit_put(struct audit_buf *b, const void *s, size_t n)
{
	unsigned char *p;

	if (b->len + n > b->cap) {
		b->cap = (b->len + n) * 2;
		if (b->heap)
			p = xreallocarray(b->p, b->cap, 1);
		else {
			p = xmalloc(b->cap);
			memcpy(p, b->p, b->len);
		}
		b->p = p;
		b->heap = 1;
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
}

static void
audit_put_u64(struct audit_buf *b, uint64_t v)
{
	unsigned char u[8];
	int i;

	for (i = 0; i < 8; i++)
		u[i] = (unsigned char)(v >> (8 * i));
	audit_put(b, u, 8);
}

static void
audit_put_str(struct audit_buf *b, const char *s)
{
	size_t n = s ? strlen(s) : 0;
	unsigned char u[4];
	int i;

	for (i = 0; i < 4; i++)
		u[i] = (unsigned char)(n >> (8 * i));
	audit_put(b, u, 4);
	audit_put(b, s ? s : "", n);
}

void
audit_hash(struct audit_entry *e)
{
	unsigned char stack[512];
	struct audit_buf b = { stack, 0, sizeof stack, 0 };

	audit_put(&b, e->prev, sizeof e->prev);
	audit_put_u64(&b, (uint64_t)e->n);
	audit_put_u64(&b, (uint64_t)e->at);
	audit_put_str(&b, e->visit);
	audit_put_str(&b, e->event);
	audit_put_str(&b, e->detail);
	crypt_hash(e->hash, b.p, b.len);
	if (b.heap)
		free(b.p);
}

int
audit_verify(const struct audit_chain *c, const unsigned char *head,
    int64_t count, char **cause)
{
	static const unsigned char zero[CRYPT_HASH_BYTES];
	const unsigned char *prev = zero;
	struct audit_entry e;
	size_t i;

	for (i = 0; i < c->n; i++) {
		e = c->v[i];
		if (e.n != (int64_t)i + 1) {
			*cause = xasprintf(_("audit trail broken at entry %zu: "
			                     "entry %lld is there instead"),
			    i + 1, (long long)e.n);
			return -1;
		}
		if (memcmp(e.prev, prev, sizeof e.prev) != 0) {
			*cause = xasprintf(_("audit trail broken at entry %zu: "
			                     "it does not follow entry %zu"),
			    i + 1, i);
			return -1;
		}
		audit_hash(&e);
		if (memcmp(e.hash, c->v[i].hash, sizeof e.hash) != 0) {
			*cause = xasprintf(_("audit trail broken at entry %zu: "
			                     "its content was changed"),
			    i + 1);
			return -1;
		}
		prev = c->v[i].hash;
	}
	if ((int64_t)c->n < count) {
		*cause = xasprintf(_("audit trail broken at entry %zu: %lld "
		                     "entries recorded, %zu found"),
		    c->n + 1, (long long)count, c->n);
		return -1;
	}
	if ((int64_t)c->n > count) {
		*cause = xasprintf(_("audit trail broken at entry %lld: it is "
		                     "past the %lld entries recorded"),
		    (long long)count + 1, (long long)count);
		return -1;
	}
	if (head != NULL && memcmp(prev, head, CRYPT_HASH_BYTES) != 0) {
		*cause =
		    xasprintf(_("audit trail broken at entry %zu: it is not "
		                "the last entry recorded"),
		        c->n);
		return -1;
	}
	return 0;
}

void
audit_chain_add(struct audit_chain *c, const struct audit_entry *e)
{
	struct audit_entry *d;

	c->v = xreallocarray(c->v, c->n + 1, sizeof *c->v);
	d = &c->v[c->n++];
	*d = *e;
	d->visit = xstrdup(e->visit ? e->visit : "");
	d->event = xstrdup(e->event ? e->event : "");
	d->detail = xstrdup(e->detail ? e->detail : "");
}

void
audit_chain_free(struct audit_chain *c)
{
	size_t i;

	for (i = 0; i < c->n; i++) {
		free(c->v[i].visit);
		free(c->v[i].event);
		free(c->v[i].detail);
	}
	free(c->v);
	c->v = NULL;
	c->n = 0;
	c->sound = 0;
}
