/* Guarded memory for secrets (sodium_malloc): locked, wiped when freed. */
#ifndef ANFANG_CRYPT_MEM_H
#define ANFANG_CRYPT_MEM_H

#include <stddef.h>

/* A secret of len bytes in guarded memory. */
struct crypt_mem {
	unsigned char *p;
	size_t len;
};

/* Exits like xmalloc when no memory can be had. */
struct crypt_mem *crypt_mem_new(size_t len);
void crypt_mem_free(struct crypt_mem *);
void crypt_mem_wipe(void *, size_t);
/* Constant-time comparison of two secrets. */
int crypt_mem_equal(const struct crypt_mem *, const struct crypt_mem *);
/* Random bytes, and a random printable id of len characters. */
void crypt_mem_random(void *, size_t);
void crypt_mem_random_id(char *out, size_t len);
/* Whether s is an id of exactly len characters of that alphabet. */
int crypt_mem_id_valid(const char *s, size_t len);

#endif
