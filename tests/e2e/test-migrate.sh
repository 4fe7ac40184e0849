#!/usr/bin/env bash
# Databases made by earlier versions open, are migrated to the current
# schema, and keep everything: tests/fixtures/schema-1.sqlcipher (an
# inspector's, schema 1) and tests/fixtures/schema-2/ (a supervisor's,
# schema 2, with a received visit kept in rows, a sent batch kept in one
# value, and `show --json` of both visits and the batch files as that
# version wrote them).  Then both kinds of received visit side by side:
# the old one in rows, a new one in the line it came in.  Schema 4 adds
# when each visit took place: its start.  tests/fixtures/schema-6/ (a
# supervisor's, schema 6) has report rows that hold their free texts:
# schema 7 moves them apart, and its reports are those of the same
# batches imported today.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source-path=SCRIPTDIR source=batch-lib.sh
. "$(dirname "$0")/batch-lib.sh"

FX=$T_ROOT/tests/fixtures
printf 'fixture-pass\n' >"$PASS"
s1=$T_TMP/db/schema-1.db
s2=$T_TMP/db/schema-2.db
cp "$FX/schema-1.sqlcipher" "$s1"
cp "$FX/schema-2/supervisor.sqlcipher" "$s2"
chmod 600 "$s1" "$s2"
mkdir -p "$T_TMP/out1" "$T_TMP/again1" "$T_TMP/again2"
received=tft3wj4yer6c # in s2, received in schema 2
own=qhy6cre4wewh      # in s2, its own, exported as batch j53uz95m3h6c
sent=j53uz95m3h6c

# --- schema 1, an inspector's database
assert_exit "schema 1: list" 0 an "$s1" list
assert_eq "schema 1: the draft and the finalized visit" \
    "draft final" "$(awk '{ print $2 }' <<<"$T_OUT" | sort | tr '\n' ' ' |
        sed 's/ $//')"
final=$(awk '$2 == "final" { print $1 }' <<<"$T_OUT")
assert_exit "schema 1: show the finalized visit" 0 an "$s1" show "$final"
assert_contains "schema 1: its amendment" "fee_amount" "$T_OUT"
assert_contains "schema 1: trail intact" "audit trail: intact" "$T_OUT"
assert_exit "schema 1, migrated: export (sent batch kept in parts)" 0 \
    an "$s1" export --out "$T_TMP/out1"
b1=$(sed -n 's|^.*/\([a-z0-9]*\)\.jsonl$|\1|p' <<<"$T_OUT")
assert_exit "schema 1, migrated: export --again" 0 an "$s1" export \
    --again "$b1" --out "$T_TMP/again1"
assert_exit "export --again: the same batch, byte for byte" 0 \
    cmp "$T_TMP/out1/$b1.jsonl" "$T_TMP/again1/$b1.jsonl"
assert_exit "export --again: the same signature" 0 \
    cmp "$T_TMP/out1/$b1.jsonl.minisig" "$T_TMP/again1/$b1.jsonl.minisig"

# --- schema 2, a supervisor's database
assert_exit "schema 2: list" 0 an "$s2" list
assert_contains "schema 2: the received visit" "$received  received" "$T_OUT"
assert_contains "schema 2: its own, exported" "$own  exported" "$T_OUT"
# show --json now gives the answers that count (schema 2 gave the
# original ones under "answers") and marks each amended answer under
# "amended"; all else is as schema 2 showed it.  The one amendment in
# these fixtures: $received's attitude, 3 -> 4.
for v in "$received" "$own"; do
	assert_exit "schema 2: show --json $v" 0 an "$s2" show --json "$v"
	got=$(json_flat <<<"$T_OUT")
	want=$(json_flat <"$FX/schema-2/show-$v.json")
	if [ "$v" = "$received" ]; then
		want=$(sed 's/^\.answers\.attitude=n:3$/.answers.attitude=n:4/' \
		    <<<"$want")
		amended='.amended.attitude.original=n:3
.amended.attitude.at=s:2026-11-27T00:30:30.867Z
.amended.attitude.reason=s:typed 3 by mistake'
	else
		amended='.amended={}'
	fi
	# Each alert now also says what became of it (schema 5): all open.
	assert_eq "schema 2, migrated: $v's alerts all open" "" \
	    "$(grep -E '^\.alerts\[[0-9]+\]\.state=' <<<"$got" |
	        grep -v '=s:open$')"
	assert_eq "schema 2: show --json $v as schema 2 showed it, bar amendments" \
	    "$want" \
	    "$(grep -v -e '^\.amended' -e '^\.took_place=' -E \
	        -e '^\.alerts\[[0-9]+\]\.(state|note|handled_by|handled_at)=' \
	        <<<"$got")"
	# Schema 4: it took place when it started, at this machine's offset.
	assert_eq "schema 2, migrated: $v took place when it started" \
	    "$(grep '^\.started=' <<<"$want" | sed 's/^[^:]*:\(.*\)Z$/\1+00:00/')" \
	    "$(TZ=UTC an "$s2" show --json "$v" | json_flat |
	        sed -n 's/^\.took_place=s://p')"
	assert_eq "schema 2: show --json $v: its amended answers" \
	    "$amended" "$(grep '^\.amended' <<<"$got")"
done
assert_exit "schema 2, migrated: export --again of its batch" 0 \
    an "$s2" export --again "$sent" --out "$T_TMP/again2"
assert_exit "export --again: the batch schema 2 wrote, byte for byte" 0 \
    cmp "$FX/schema-2/$sent.jsonl" "$T_TMP/again2/$sent.jsonl"
assert_exit "export --again: its signature, byte for byte" 0 \
    cmp "$FX/schema-2/$sent.jsonl.minisig" "$T_TMP/again2/$sent.jsonl.minisig"

# --- schema 4: each visit took place when it started
for db in "$s1" "$s2"; do
	assert_eq "migrated to schema 8" 8 \
	    "$("$ANFANG_TOOLS/db-sql" "$db" "PRAGMA user_version" <"$PASS")"
	assert_eq "schema 6: the list of one status has its index" \
	    visits_status "$("$ANFANG_TOOLS/db-sql" "$db" "SELECT name FROM
	        sqlite_master WHERE type = 'index' AND tbl_name = 'visits'
	        AND sql LIKE '%status, started DESC%'" <"$PASS")"
	assert_eq "every visit took place when it started, offset unknown" \
	    0 "$("$ANFANG_TOOLS/db-sql" "$db" "SELECT count(*) FROM visits
	        WHERE took IS NOT started OR took_offset IS NOT NULL" <"$PASS")"
	assert_eq "... and there are visits" 1 \
	    "$("$ANFANG_TOOLS/db-sql" "$db" "SELECT count(*) > 0 FROM visits" <"$PASS")"
	# Schema 5: what reports read, for every visit but drafts.
	assert_eq "schema 5: every final visit has its score and rows" \
	    "0|0" "$("$ANFANG_TOOLS/db-sql" "$db" "SELECT
	        sum(score_max IS NULL), sum(NOT EXISTS (SELECT 1 FROM
	            report_visits r WHERE r.id = visits.id
	            AND r.took = visits.took AND r.status = visits.status))
	        FROM visits WHERE status > 0" <"$PASS")"
	assert_eq "schema 5: drafts have none" "0" \
	    "$("$ANFANG_TOOLS/db-sql" "$db" "SELECT count(*) FROM report_visits
	        r JOIN visits v ON v.id = r.id WHERE v.status = 0" <"$PASS")"
	# Schema 7: rows derived today, their free texts apart.
	assert_eq "schema 7: report rows of version 2, texts beside them" \
	    "0|0" "$("$ANFANG_TOOLS/db-sql" "$db" "SELECT
	        (SELECT count(*) FROM report_visits
	            WHERE substr(answers, 1, 1) != X'02'),
	        (SELECT count(*) FROM report_texts t WHERE NOT EXISTS (SELECT
	            1 FROM report_visits r WHERE r.family = t.family
	            AND r.took = t.took AND r.id = t.id))" <"$PASS")"
	assert_eq "schema 7: the finalized visits' free texts" 1 \
	    "$("$ANFANG_TOOLS/db-sql" "$db" "SELECT count(*) > 0
	        FROM report_texts" <"$PASS")"
done
# The received visit kept in rows, amended: its current attitude, 4, as
# a report reads it (the rows pack the answers: the report unpacks them).
assert_exit "schema 5: the report's visits table" 0 \
    an "$s2" report --form service-window --period all --format csv \
    --table visits \
    --out "$T_TMP/visits.csv"
assert_eq "schema 5: the amended answer is the one reports read" "4" \
    "$(python3 -c 'import csv, sys
for r in csv.DictReader(open(sys.argv[1], newline="")):
    if r["visit"] == sys.argv[2]:
        print(r["attitude"])' "$T_TMP/visits.csv" "$received")"

# --- a new received visit beside the old one
bt_key "$s1" "$T_TMP/s1.pub"
assert_exit "schema 2: trust the schema-1 inspector" 0 an "$s2" keyring \
    add "$T_TMP/s1.pub" --label "first inspector"
assert_exit "schema 2: import the schema-1 database's batch" 0 \
    an "$s2" import "$T_TMP/out1/$b1.jsonl"
assert_exit "schema 2: list" 0 an "$s2" list --status received
assert_eq "both received visits listed" \
    "$(printf '%s\n' "$final" "$received" | sort)" \
    "$(awk '{ print $1 }' <<<"$T_OUT" | sort)"
assert_exit "inspector's show --json" 0 an "$s1" show --json "$final"
ins=$(json_flat <<<"$T_OUT")
assert_exit "supervisor's show --json" 0 an "$s2" show --json "$final"
sv=$(json_flat <<<"$T_OUT")
assert_eq "the new received visit: all but status and trail equal" \
    "$(grep -v -e '^\.status=' -e '^\.audit\.entries' <<<"$ins")" \
    "$(grep -v -e '^\.status=' -e '^\.audit\.entries' <<<"$sv")"
assert_contains "its trail intact" ".audit.intact=true" "$sv"
assert_contains "its trail ends with its arrival" ".event=s:received" \
    "$(grep '^\.audit\.entries' <<<"$sv" | tail -n 6)"
assert_exit "the old received visit still shows" 0 an "$s2" show "$received"
assert_contains "... with its trail intact" "audit trail: intact" "$T_OUT"

# --- schema 6: report rows with their free texts among their answers
# (store-pack.h version 1): twelve received visits of two inspectors and
# own6, its own, whose notes were amended.
s6=$T_TMP/db/schema-6.db
own6=mutud8sj57fv
cp "$FX/schema-6/supervisor.sqlcipher" "$s6"
chmod 600 "$s6"
sql6()
{
	"$ANFANG_TOOLS/db-sql" "$1" "$2" <"$PASS"
}
assert_eq "schema 6: thirteen report rows, of version 1" "6
13|13" "$(sql6 "$s6" "PRAGMA user_version; SELECT count(*),
    sum(substr(answers, 1, 1) = X'01') FROM report_visits")"
# A row that cannot be read does not stop the upgrade: the report that
# reaches it says so, as before.
s6d=$T_TMP/db/schema-6-damaged.db
cp "$s6" "$s6d"
sql6 "$s6d" "UPDATE report_visits SET answers = substr(answers, 1, 9)
    WHERE id = '$own6'" >/dev/null
assert_exit "schema 6: upgraded" 0 an "$s6" list
assert_eq "migrated to schema 8" 8 "$(sql6 "$s6" "PRAGMA user_version")"
assert_eq "schema 8: a batch's received visits indexed by the batch" \
    received_visits_batch "$(sql6 "$s6" "SELECT name FROM sqlite_master
	WHERE type = 'index' AND tbl_name = 'received_visits' AND sql LIKE '%(batch)'")"
assert_eq "schema 7: every report row of version 2, none holds a free text" \
    "13|0" "$(sql6 "$s6" "SELECT count(*), sum(substr(answers, 1, 1)
        != X'02' OR instr(answers, CAST('號' AS BLOB)) > 0
        OR instr(answers, CAST('09:15' AS BLOB)) > 0) FROM report_visits")"
assert_eq "schema 7: each visit's texts beside its row (each has some)" \
    "13" "$(sql6 "$s6" "SELECT count(*) FROM report_texts
        JOIN report_visits USING (family, took, id)")"
fresh6=$T_TMP/db/fresh-6.db
assert_exit "init a database for the same batches" 0 "$ANFANG" init \
    --db "$fresh6" --kdf interactive --passphrase-fd 3 3<"$PASS"
for k in 1 2; do
	assert_exit "trust inspector $k" 0 an "$fresh6" keyring add \
	    "$FX/schema-6/inspector-$k.pub" --label "inspector $k"
done
assert_exit "import the same batches" 0 an "$fresh6" import \
    "$FX"/schema-6/*.jsonl
for db in "$s6" "$fresh6"; do
	assert_exit "schema 7: the visits table ($(basename "$db"))" 0 \
	    an "$db" report --period all --format csv --table visits \
	    --out "$db.csv"
done
# The inspectors' labels differ: the column of who signed aside.
assert_eq "schema 7: the received visits, free texts and all, as the same batches imported today" \
    "$(python3 -c 'import csv, sys
for r in csv.DictReader(open(sys.argv[1], newline="")):
    del r["inspector"]
    print(sorted(r.items()))' "$fresh6.csv")" \
    "$(python3 -c 'import csv, sys
for r in csv.DictReader(open(sys.argv[1], newline="")):
    if r["visit"] != sys.argv[2]:
        del r["inspector"]
        print(sorted(r.items()))' "$s6.csv" "$own6")"
assert_eq "schema 7: its own visit's free texts, as amended" \
    '09:15|說下週再來，沒有理由|窗口 5 號，"改"' \
    "$(python3 -c 'import csv, sys
for r in csv.DictReader(open(sys.argv[1], newline="")):
    if r["visit"] == sys.argv[2]:
        print("|".join((r["arrival_time"], r["not_settled_detail"],
            r["notes"])))' "$s6.csv" "$own6")"
assert_exit "schema 7: the text report" 0 an "$s6" report --period all
assert_contains "... counts all thirteen" "13" "$T_OUT"
assert_exit "schema 6, one row damaged: upgraded" 0 an "$s6d" list
assert_eq "... to schema 8" 8 "$(sql6 "$s6d" "PRAGMA user_version")"
assert_eq "... the damaged row left as it was, the others split" "1|12" \
    "$(sql6 "$s6d" "SELECT sum(substr(answers, 1, 1) = X'01'),
        sum(substr(answers, 1, 1) = X'02') FROM report_visits")"
assert_exit "... the report that reaches it fails" 74 an "$s6d" report \
    --period all
assert_contains "... naming the visit" "visit $own6: its report values" "$T_ERR"

t_done
