/* libsodium set-up, once per process. */
#include <sodium.h>

#include "anfang/crypt.h"
#include "anfang/i18n.h"
#include "anfang/xmalloc.h"

int
crypt_init(char **cause)
{
	if (sodium_init() < 0) {
		*cause = xstrdup(_("cannot initialise libsodium"));
		return -1;
	}
	return 0;
}
