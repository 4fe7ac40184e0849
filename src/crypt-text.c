/* Base64 and key-file lines, shared by the signing and sealing keys. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "anfang/crypt-text.h"
#include "anfang/i18n.h"
#include "anfang/xmalloc.h"

#define TEXT_B64 sodium_base64_VARIANT_ORIGINAL

char *
crypt_text_b64(const unsigned char *bin, size_t len)
{
	size_t size = sodium_base64_ENCODED_LEN(len, TEXT_B64);
	char *out = xmalloc(size);

	sodium_bin2base64(out, size, bin, len, TEXT_B64);
	return out;
}

static int
crypt_text_is_b64(int c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	       (c >= '0' && c <= '9') || c == '+' || c == '/' || c == '=';
}

int
crypt_text_unb64(unsigned char *out, size_t outlen, const char *b64, size_t len)
{
	size_t binlen, i;

	if (len != sodium_base64_ENCODED_LEN(outlen, TEXT_B64) - 1)
		return -1;
	for (i = 0; i < len; i++) {
		if (!crypt_text_is_b64((unsigned char)b64[i]))
			return -1;
	}
	if (sodium_base642bin(
	        out, outlen, b64, len, NULL, &binlen, NULL, TEXT_B64) != 0 ||
	    binlen != outlen)
		return -1;
	return 0;
}

int
crypt_text_keyline(const char *text, size_t len, const char *prefix,
    const char **b64, size_t *b64len, char **cause)
{
	size_t plen = strlen(prefix);
	const char *nl;

	if (text == NULL || len == 0) {
		*cause = xstrdup(_("empty public key"));
		return -1;
	}
	if (text[len - 1] == '\n')
		len--;
	*b64 = text;
	*b64len = len;
	if ((nl = memchr(text, '\n', len)) != NULL) {
		if ((size_t)(nl - text) < plen ||
		    memcmp(text, prefix, plen) != 0) {
			*cause = xasprintf(_("public key file does not start "
			                     "with \"%s\""),
			    prefix);
			return -1;
		}
		*b64 = nl + 1;
		*b64len = len - (size_t)(*b64 - text);
		if (memchr(*b64, '\n', *b64len) != NULL) {
			*cause = xstrdup(_("public key file has more than two "
			                   "lines"));
			return -1;
		}
	}
	if (*b64len > 0 && (*b64)[*b64len - 1] == '\r')
		(*b64len)--;
	return 0;
}

void
crypt_text_keyid(char out[17], const unsigned char id[8])
{
	unsigned long long n = 0;
	int i;

	for (i = 7; i >= 0; i--)
		n = (n << 8) | id[i];
	snprintf(out, 17, "%016llX", n);
}
