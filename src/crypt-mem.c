/* Guarded memory and randomness from libsodium. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "anfang/crypt-mem.h"
#include "anfang/xmalloc.h"

struct crypt_mem *
crypt_mem_new(size_t len)
{
	struct crypt_mem *m = xmalloc(sizeof *m);

	/* sodium_malloc guards the pages and locks them out of swap. */
	if ((m->p = sodium_malloc(len ? len : 1)) == NULL) {
		fputs("anfang: out of secure memory\n", stderr);
		abort();
	}
	m->len = len;
	return m;
}

void
crypt_mem_free(struct crypt_mem *m)
{
	if (m == NULL)
		return;
	sodium_free(m->p); /* wipes before freeing */
	free(m);
}

void
crypt_mem_wipe(void *p, size_t len)
{
	sodium_memzero(p, len);
}

int
crypt_mem_equal(const struct crypt_mem *a, const struct crypt_mem *b)
{
	return a->len == b->len && sodium_memcmp(a->p, b->p, a->len) == 0;
}

void
crypt_mem_random(void *p, size_t len)
{
	randombytes_buf(p, len);
}

/* No 0/o, 1/l/i: ids are read aloud and copied by hand. */
static const char crypt_mem_alphabet[] = "23456789abcdefghjkmnpqrstuvwxyz";

int
crypt_mem_id_valid(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		if (s[i] == '\0' || strchr(crypt_mem_alphabet, s[i]) == NULL)
			return 0;
	}
	return s[len] == '\0';
}

void
crypt_mem_random_id(char *out, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		out[i] = crypt_mem_alphabet[randombytes_uniform(
		    sizeof crypt_mem_alphabet - 1)];
	out[len] = '\0';
}
