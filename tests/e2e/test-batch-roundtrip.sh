#!/usr/bin/env bash
# e2e: normal build only: export, verify and import run sanitized in test-batch-split and test-batch-format1
# A batch from an inspector's database to a supervisor's: visits of every
# question type (restaurant-hygiene with our own answers, the Chinese
# service-window form with tests/bench/answers-zh.json), amended and
# finalized, exported as BATCH.jsonl + BATCH.jsonl.minisig; the stock
# minisign accepts it with the inspector's `key show` and shows the trusted
# comment, and refuses it after one changed byte; verify (keyring) and
# verify --key pass; import gives the supervisor each visit exactly as the
# inspector has it (show --json equal but for the status and the one audit
# entry each side appended: "exported" there, "received" with the signer
# here); importing again changes nothing; export --again writes the same
# bytes; a second batch has sequence 2.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source-path=SCRIPTDIR source=batch-lib.sh
. "$(dirname "$0")/batch-lib.sh"

J=$T_TMP/answers
OUT=$T_TMP/out
AGAIN=$T_TMP/again
mkdir -p "$J" "$OUT" "$AGAIN"
insp=$T_TMP/db/inspector.db
sup=$T_TMP/db/supervisor.db
LABEL="Inspector Wang 王督察"

if ! command -v minisign >/dev/null 2>&1; then
	t_fail "minisign" "not installed (packaging/deps.sh installs it)"
fi

# Every type but note: date, time, timer, yesno, count, choice, number with
# decimals (negative too), multi, text with Chinese, quotes, a backslash
# and a newline, scale; show_if questions shown (hot_temp, sample_expiry,
# pest_kind, revisit_date).
cat >"$J/rh.json" <<'EOF'
{"inspection_date": "2024-03-15", "arrival_time": "09:05", "access_delay": 420,
 "manager_present": "yes", "staff_on_duty": 6, "no_hair_cover": 2,
 "handwash": "missing_supplies", "ill_staff": "no", "fridge_temp": 9.5,
 "freezer_temp": -19.5, "hot_holding": "yes", "hot_temp": 61.5,
 "temp_log": "gaps",
 "storage_problems": ["raw_above_cooked", "no_date_label", "chemicals"],
 "sample_product": "豆腐乳 批號 A-17（冷藏）", "sample_expiry": "2024-03-10",
 "pest_evidence": 3, "pest_kind": ["cockroaches", "rodents"],
 "pest_contract": "no", "cleanliness": 2, "overall": "notice",
 "revisit_date": "2024-03-29", "departure_time": "11:40",
 "notes": "廚房地面有積水；已口頭警告。\nSecond line: \"quoted\" \\ done"}
EOF
# The quiet path: show_if questions hidden, an empty multi, no warnings.
cat >"$J/rh2.json" <<'EOF'
{"inspection_date": "2024-04-02", "arrival_time": "14:30", "access_delay": 35,
 "manager_present": "no", "staff_on_duty": 3, "no_hair_cover": 0,
 "handwash": "ok", "ill_staff": "no", "fridge_temp": 3.5,
 "hot_holding": "no", "temp_log": "complete", "storage_problems": [],
 "pest_evidence": 0, "pest_contract": "yes", "cleanliness": 5,
 "overall": "satisfactory", "departure_time": "15:10",
 "notes": "一切正常 — all in order"}
EOF

bt_init inspector
bt_init supervisor

# --- visits
assert_exit "record restaurant-hygiene (every type)" 0 an "$insp" record \
    --form restaurant-hygiene --unit golden-dragon --division "kitchen 廚房" \
    --answers "$J/rh.json" --reason access_delay="staff moved boxes" \
    --reason no_hair_cover="advised the manager" \
    --reason fridge_temp="door seal broken; 門封損壞" \
    --reason hot_temp="cooked two hours before; 兩小時前煮好" \
    --reason sample_expiry="destroyed in front of me" --finalize
v1=$T_OUT
assert_exit "record service-window (answers-zh.json)" 0 an "$insp" record \
    --form service-window --unit dongcheng-gov-centre \
    --answers "$T_ROOT/tests/bench/answers-zh.json" --finalize
v2=$T_OUT
assert_exit "record a draft" 0 an "$insp" record --form restaurant-hygiene \
    --unit bella-napoli --answers "$J/rh2.json"
draft=$T_OUT
assert_exit "amend a number (decimals) with a Chinese reason" 0 \
    an "$insp" amend "$v1" fridge_temp 4.5 --reason "重新測量：探針未校準"
assert_exit "amend a scale answer" 0 an "$insp" amend "$v2" attitude 4 \
    --reason "typed 3 by mistake"
assert_exit "amend a multi answer" 0 an "$insp" amend "$v1" storage_problems \
    '["uncovered"]' --reason "misread the list"

# --- keys
bt_key "$insp" "$T_TMP/inspector.pub"
kid=$(sed -n 's/^untrusted comment: minisign public key \([0-9A-F]\{16\}\)$/\1/p' \
    "$T_TMP/inspector.pub")
assert_eq "key show: a minisign public key" 16 "${#kid}"
assert_exit "keyring add" 0 an "$sup" keyring add "$T_TMP/inspector.pub" \
    --label "$LABEL"
assert_eq "keyring add says so" "added $kid \"$LABEL\"" "$T_OUT"
assert_exit "keyring list" 0 an "$sup" keyring list
assert_contains "keyring list: the key and its label" "$kid" "$T_OUT"
assert_contains "keyring list: the label" "$LABEL" "$T_OUT"

# --- export
assert_exit "export: exit 0" 0 an "$insp" export --out "$OUT"
paths=$T_OUT
b1=$(printf '%s\n' "$paths" | sed -n 's|^.*/\([a-z0-9]*\)\.jsonl$|\1|p')
B=$OUT/$b1.jsonl
assert_eq "export prints the two files" "$B
$B.minisig" "$paths"
assert_eq "export: nothing else in the directory" "$b1.jsonl
$b1.jsonl.minisig" "$(ls -A "$OUT")"
assert_eq "batch: header, two forms, two visits" 5 "$(grep -c '' "$B")"
head1=$(sed -n 1p "$B" | json_flat)
assert_contains "header: format" ".format=s:anfang-batch" "$head1"
assert_contains "header: version 2" ".version=n:2" "$head1"
assert_contains "header: batch id" ".batch=s:$b1" "$head1"
assert_contains "header: signer" ".signer=s:$kid" "$head1"
assert_contains "header: sequence 1" ".sequence=n:1" "$head1"
assert_contains "header: 2 visits" ".visits=n:2" "$head1"
assert_contains "header: 2 forms" ".forms=n:2" "$head1"
assert_not_contains "the draft is not in the batch" "$draft" "$(cat "$B")"
assert_exit "list (inspector)" 0 an "$insp" list
assert_eq "inspector: the two are exported, the draft stays" \
    "$(printf '%s\n' "$draft draft" "$v1 exported" "$v2 exported" | sort)" \
    "$(printf '%s\n' "$T_OUT" | awk '{ print $1, $2 }' | sort)"
assert_exit "export again: exit 0" 0 an "$insp" export --out "$AGAIN"
assert_eq "export again: nothing left" "no finalized visits to export" \
    "$T_OUT"
assert_eq "export again: no file written" "" "$(ls -A "$AGAIN")"

# --- stock minisign
assert_exit "minisign -Vm accepts it" 0 minisign -Vm "$B" \
    -p "$T_TMP/inspector.pub"
assert_contains "minisign shows the trusted comment" \
    "Trusted comment: anfang batch $b1 sequence 1 visits 2" "$T_OUT"
mkdir -p "$T_TMP/changed"
C=$T_TMP/changed/$b1.jsonl
cp "$B.minisig" "$C.minisig"
middle=$(($(wc -c <"$B") / 2))
flip_each "$B" "$T_TMP/changed/" .jsonl "$middle" $((middle + 1))
mv "$T_TMP/changed/$middle.jsonl" "$C"
assert_eq "one byte changed" 1 "$(cmp -l "$B" "$C" | grep -c '')"
assert_exit "minisign refuses one changed byte" 1 minisign -Vm "$C" \
    -p "$T_TMP/inspector.pub"
assert_refused "verify --key refuses it too" 65 \
    "FAILED (signature)" "$ANFANG" verify --key "$T_TMP/inspector.pub" "$C"

# --- verify
assert_exit "verify (keyring): exit 0" 0 an "$sup" verify "$B"
assert_eq "verify (keyring): one line naming batch, signer, sequence" \
    "$B: verified: batch $b1, signer \"$LABEL\" $kid, sequence 1, 2 visits" \
    "$T_OUT"
assert_exit "verify --key, no database: exit 0" 0 "$ANFANG" verify \
    --key "$T_TMP/inspector.pub" "$B"
assert_eq "verify --key: one line" \
    "$B: verified: batch $b1, signer $kid, sequence 1, 2 visits" "$T_OUT"
assert_exit "verify the .minisig's name: exit 0" 0 "$ANFANG" verify \
    --key "$T_TMP/inspector.pub" "$B.minisig"
assert_exit "verify --json: exit 0" 0 an "$sup" verify --json "$B"
assert_contains "verify --json: verified" '"verified":true' "$T_OUT"
assert_contains "verify --json: the batch" "\"batch\":\"$b1\"" "$T_OUT"
assert_exit "verify does not import" 0 an "$sup" list
assert_eq "supervisor: still no visits" "" "$T_OUT"

# --- the inspector's view, then import
assert_exit "import: exit 0" 0 an "$sup" import "$B"
assert_eq "import: its summary first" \
    "$B: imported 2 visits (batch $b1, signer $kid, sequence 1)" \
    "$(head -n 1 <<<"$T_OUT")"
# then the early warning: both visits' high alerts, and nothing else
assert_eq "import: then the high alerts it brought in" \
    "high-severity alerts just brought in (batch $b1):" \
    "$(sed -n 2p <<<"$T_OUT")"
assert_eq "import: no medium or low alert among them" "" \
    "$(grep -E '^(medium|low) ' <<<"$T_OUT")"
# the file is hashed once: the signature's prehash (BLAKE2b-512 of the
# file, what b2sum prints) is the hash recorded with the import
assert_exit "db-sql: the import's record" 0 "$ANFANG_TOOLS/db-sql" "$sup" \
    "SELECT file_hash FROM received WHERE batch = '$b1'" <"$PASS"
assert_eq "the import records the file's BLAKE2b-512" \
    "$(b2sum "$B" | cut -d' ' -f1)" "$T_OUT"
assert_exit "list (supervisor)" 0 an "$sup" list
list_after=$T_OUT
assert_eq "supervisor: the two visits, received" \
    "$(printf '%s\n' "$v1 received" "$v2 received" | sort)" "$(printf '%s\n' "$T_OUT" | awk '{ print $1, $2 }' | sort)"

# compare_visit V BATCH SEQUENCE: the supervisor's V against the
# inspector's, everything but the status and the last audit entry; SV is
# left holding the supervisor's, flattened.
compare_visit()
{
	local v=$1 batch=$2 seq=$3 ins sv ni ns
	assert_exit "show --json $v (supervisor)" 0 an "$sup" show "$v" --json
	sv=$(printf '%s\n' "$T_OUT" | json_flat)
	assert_exit "show --json $v (inspector)" 0 an "$insp" show "$v" --json
	ins=$(printf '%s\n' "$T_OUT" | json_flat)
	assert_contains "$v: inspector: exported" ".status=s:exported" "$ins"
	assert_contains "$v: supervisor: received" ".status=s:received" "$sv"
	assert_eq "$v: all but status and audit trail equal" \
	    "$(grep -v -e '^\.status=' -e '^\.audit\.entries' <<<"$ins")" \
	    "$(grep -v -e '^\.status=' -e '^\.audit\.entries' <<<"$sv")"
	ni=$(grep -c '^\.audit\.entries\[[0-9]*\]\.n=' <<<"$ins")
	ns=$(grep -c '^\.audit\.entries\[[0-9]*\]\.n=' <<<"$sv")
	assert_eq "$v: as many audit entries on both sides" "$ni" "$ns"
	if [ "$ni" -lt 3 ]; then
		t_fail "$v: an audit trail" "$ni entries"
	fi
	assert_eq "$v: supervisor's trail starts with the inspector's" \
	    "$(awk -F'[][]' -v n="$ni" '/^\.audit\.entries\[/ && $2 < n - 1' \
	    <<<"$ins")" \
	    "$(awk -F'[][]' -v n="$ns" '/^\.audit\.entries\[/ && $2 < n - 1' \
	    <<<"$sv")"
	assert_contains "$v: supervisor's trail intact" ".audit.intact=true" \
	    "$sv"
	assert_contains "$v: inspector's last entry: exported" \
	    ".audit.entries[$((ni - 1))].event=s:exported" "$ins"
	assert_contains "$v: inspector's last entry names the batch" \
	    ".audit.entries[$((ni - 1))].detail=s:batch $batch" "$ins"
	assert_contains "$v: supervisor's last entry: received" \
	    ".audit.entries[$((ns - 1))].event=s:received" "$sv"
	assert_contains "$v: received from the signer, with batch and sequence" \
	    ".audit.entries[$((ns - 1))].detail=s:signer $kid ($LABEL), batch $batch, sequence $seq" \
	    "$sv"
	SV=$sv
}

compare_visit "$v1" "$b1" 1
want=$(json_flat <"$J/rh.json" | sort)
# show --json's answers are the ones that count: as given, as amended
assert_eq "$v1: the answers given, exactly, as amended" \
    "$({ grep -v -e '^\.fridge_temp=' -e '^\.storage_problems\[' <<<"$want"
        printf '%s\n' .fridge_temp=n:4.5 .storage_problems[0]=s:uncovered
    } | sort)" \
    "$(sed -n 's/^\.answers\././p' <<<"$SV" | sort)"
assert_contains "$v1: fridge_temp's original kept" \
    ".amended.fridge_temp.original=n:9.5" "$SV"
assert_contains "$v1: storage_problems' original kept" \
    ".amended.storage_problems.original[2]=s:chemicals" "$SV"
assert_eq "$v1: 24 answers" 24 "$(cut -d = -f 1 <<<"$want" |
    sed 's/\[.*//' | sort -u | grep -c .)"
assert_contains "$v1: unit" ".unit.id=s:golden-dragon" "$SV"
assert_contains "$v1: division" ".division=s:kitchen 廚房" "$SV"
assert_contains "$v1: finalized" ".finalized=s:20" "$SV"
assert_contains "$v1: the decimal amendment" ".amendments[0].value=n:4.5" "$SV"
assert_contains "$v1: its Chinese reason" \
    ".amendments[0].reason=s:重新測量：探針未校準" "$SV"
assert_contains "$v1: the multi amendment" \
    ".amendments[1].value[0]=s:uncovered" "$SV"
assert_contains "$v1: the pests alert" ".question=s:pest_evidence" \
    "$(grep '^\.alerts' <<<"$SV")"
assert_contains "$v1: a warning with its reason" \
    "reason=s:cooked two hours before; 兩小時前煮好" "$(grep '^\.warnings' <<<"$SV")"
compare_visit "$v2" "$b1" 1
want=$(json_flat <"$T_ROOT/tests/bench/answers-zh.json" | sort)
assert_eq "$v2: the answers given, exactly, as amended" \
    "$(sed 's/^\.attitude=n:3$/.attitude=n:4/' <<<"$want" | sort)" \
    "$(sed -n 's/^\.answers\././p' <<<"$SV" | sort)"
assert_contains "$v2: attitude's original kept" \
    ".amended.attitude.original=n:3" "$SV"
assert_contains "$v2: the scale amendment" ".amendments[0].value=n:4" "$SV"
assert_contains "$v2: the high alert" ".severity=s:high" \
    "$(grep '^\.alerts' <<<"$SV")"
assert_exit "show (supervisor): exit 0" 0 an "$sup" show "$v1"
assert_contains "show: audit trail intact" "audit trail: intact" "$T_OUT"
assert_contains "show: received, with the signer" \
    "received: signer $kid ($LABEL), batch $b1, sequence 1" "$T_OUT"

# --- import again: nothing changes
for v in "$v1" "$v2"; do
	an "$sup" show "$v" --json >"$T_TMP/shown-$v.json" 2>&1
done
assert_exit "import again: exit 0" 0 an "$sup" import "$B"
assert_eq "import again: nothing changed" \
    "$B: batch $b1 was imported before: nothing changed" "$T_OUT"
assert_exit "list after the second import" 0 an "$sup" list
assert_eq "list identical" "$list_after" "$T_OUT"
for v in "$v1" "$v2"; do
	assert_exit "show --json $v after the second import" 0 an "$sup" show \
	    "$v" --json
	assert_eq "$v: unchanged by the second import" \
	    "$(cat "$T_TMP/shown-$v.json")" "$T_OUT"
done
assert_refused "verify after import: duplicate" 65 \
    "FAILED (duplicate): batch $b1 was received before" an "$sup" verify "$B"
assert_exit "the supervisor has nothing of its own to export" 0 an "$sup" \
    export --out "$AGAIN"
assert_eq "supervisor export: says so" "no finalized visits to export" \
    "$T_OUT"

# --- export --again
assert_exit "export --again: exit 0" 0 an "$insp" export --again "$b1" \
    --out "$AGAIN"
t_check "export --again: the same .jsonl, byte for byte" cmp "$B" \
    "$AGAIN/$b1.jsonl"
t_check "export --again: the same .minisig, byte for byte" cmp \
    "$B.minisig" "$AGAIN/$b1.jsonl.minisig"
assert_refused "export --again of an unknown batch" fail \
    "no batch zzzzzzzzzzzz was sent" an "$insp" export --again zzzzzzzzzzzz \
    --out "$AGAIN"
assert_exit "list (inspector) after --again" 0 an "$insp" list --status \
    exported
assert_eq "--again changes no status" 2 "$(grep -c . <<<"$T_OUT")"

# --- a second batch: sequence 2
assert_exit "record a third visit" 0 an "$insp" record \
    --form restaurant-hygiene --unit green-leaf-cafe --answers "$J/rh2.json" \
    --finalize
v3=$T_OUT
assert_exit "export the second batch" 0 an "$insp" export --out "$OUT"
b2=$(printf '%s\n' "$T_OUT" | sed -n 's|^.*/\([a-z0-9]*\)\.jsonl$|\1|p')
assert_exit "minisign accepts batch 2" 0 minisign -Vm "$OUT/$b2.jsonl" \
    -p "$T_TMP/inspector.pub"
assert_contains "minisign: sequence 2, 1 visit" \
    "Trusted comment: anfang batch $b2 sequence 2 visits 1" "$T_OUT"
assert_exit "import batch 2" 0 an "$sup" import "$OUT/$b2.jsonl"
assert_eq "import batch 2: one visit, sequence 2" \
    "$OUT/$b2.jsonl: imported 1 visit (batch $b2, signer $kid, sequence 2)" \
    "$T_OUT"
compare_visit "$v3" "$b2" 2
assert_eq "$v3: the answers given, exactly" "$(json_flat <"$J/rh2.json" |
    sort)" "$(sed -n 's/^\.answers\././p' <<<"$SV" | sort)"
assert_contains "$v3: no alerts" ".alerts=[]" "$SV"
assert_exit "export --again of batch 1 after batch 2" 0 an "$insp" export \
    --again "$b1" --out "$AGAIN"
t_check "batch 1 again: still the same bytes" cmp "$B" "$AGAIN/$b1.jsonl"
assert_exit "list (supervisor) at the end" 0 an "$sup" list
assert_eq "supervisor: three received" 3 "$(grep -c ' received ' <<<"$T_OUT")"

t_done
