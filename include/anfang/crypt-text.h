/*
 * Keys and signatures as text: strict base64 (libsodium 1.0.18's decoder
 * takes bytes >= 0x80 as '/', so the alphabet is checked first) and the
 * two-line key files minisign made familiar.
 */
#ifndef ANFANG_CRYPT_TEXT_H
#define ANFANG_CRYPT_TEXT_H

#include <stddef.h>

/* Standard, padded base64 of bin. Caller frees. */
char *crypt_text_b64(const unsigned char *bin, size_t len);
/* Decode exactly outlen bytes from exactly their encoding; -1 otherwise. */
int crypt_text_unb64(
    unsigned char *out, size_t outlen, const char *b64, size_t len);
/*
 * The base64 line of a key file: "comment\nbase64" (the comment must
 * start with prefix) or "base64" alone, lines ending in "\n", "\r\n" or,
 * the last, nothing.  -1 with *cause when the text is not shaped so.
 */
int crypt_text_keyline(const char *text, size_t len, const char *prefix,
    const char **b64, size_t *b64len, char **cause);

/* An 8-byte key id as minisign prints it: a little-endian number in 16
 * upper-case hex digits. */
void crypt_text_keyid(char out[17], const unsigned char id[8]);

#endif
