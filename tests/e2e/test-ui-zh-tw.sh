#!/usr/bin/env bash
# e2e: normal build only: the same script as test-ui-zh-cn, which runs sanitized
# The terminal UI in zh_TW.UTF-8: see ui-zh.sh.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source-path=SCRIPTDIR source=ui-lib.sh
. "$(dirname "$0")/ui-lib.sh"
# shellcheck source-path=SCRIPTDIR source=i18n-lib.sh
. "$(dirname "$0")/i18n-lib.sh"

I18N_LANG=zh_TW
# shellcheck source-path=SCRIPTDIR source=ui-zh.sh
. "$(dirname "$0")/ui-zh.sh"
t_done
