# shellcheck shell=bash
# A supervisor's database of generated visits with known answers, for the
# report and alert tests.  Source it after lib.sh and batch-lib.sh:
#
#   . "$(dirname "$0")/lib.sh"
#   . "$(dirname "$0")/batch-lib.sh"
#   . "$(dirname "$0")/gen-lib.sh"
#   gen_supervisor sup --visits 300 --seed 7
#
#   gen_supervisor NAME [gen-visits options...]
#       tests/tools/gen-visits makes inspectors' databases under
#       $T_TMP/gen/NAME (the service-window twins, hostile names, an empty
#       month, amendments: see the tool's header), each exports its
#       visits as a signed batch, and a new supervisor database
#       $T_TMP/db/NAME.db trusts each inspector (keyring add with the
#       tool's label) and imports them all with the real `anfang import`.
#       Each step is a check; the test ends when the tool is missing.
#       Sets GEN_DIR (the tool's output), GEN_DB (the supervisor's
#       database) and GEN_TRUTH (one JSON line per visit, what it holds:
#       compute expected figures from it, never from the program).
#       With GEN_IMPORT=0 the batches are left for the test to import.
#       Small by default (300 visits, 6 months, 24 units, 3 inspectors,
#       seed 1): a few seconds.
#
# Python run by the test finds report_visible.py (visible(): names and
# answers as the program shows them, controls made visible).

export PYTHONPATH=$T_ROOT/tests/e2e${PYTHONPATH:+:$PYTHONPATH}

gen_supervisor()
{
	local name=$1 k pub label
	shift
	if [ ! -x "$ANFANG_TOOLS/gen-visits" ]; then
		t_fail "gen-visits tool" "not found in '$ANFANG_TOOLS'"
		t_done
	fi
	GEN_DIR=$T_TMP/gen/$name
	GEN_DB=$T_TMP/db/$name.db
	GEN_TRUTH=$GEN_DIR/truth.jsonl
	mkdir -p "$T_TMP/gen"
	assert_exit "$name: generate visits" 0 "$ANFANG_TOOLS/gen-visits" \
	    "$GEN_DIR" "$T_ROOT/forms" "$@" <"$PASS"
	bt_init "$name"
	while IFS=$'\t' read -r k pub label; do
		assert_exit "$name: trust inspector $k" 0 an "$GEN_DB" keyring \
		    add "$pub" --label "$label"
	done <"$GEN_DIR/inspectors.tsv"
	if [ "${GEN_IMPORT:-1}" != 0 ]; then
		assert_exit "$name: import the inspectors' batches" 0 \
		    an "$GEN_DB" import "$GEN_DIR"/batches/*.jsonl
	fi
}
