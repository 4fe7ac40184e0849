#!/usr/bin/env bash
# anfang forms check and forms list (issue 2): the shipped forms pass with
# the right summaries and hashes; every error of a bad file is printed as
# "anfang: FILE:LINE:COL: message" and exits 65; hostile input (tabs, an
# unclosed quote, binary garbage, 10 MB) gives one clear line, never a crash;
# forms list lists the good forms and exits 65 beside a broken one; a
# form's control characters are shown as escapes wherever they are printed;
# forms check DIR checks the files forms list reads (*.yaml and *.yml),
# and a DIR without any is exit 66;
# the user's copy of an installed form (same id and version) hides it;
# the top-level usage exits (--help, --version, an unknown command).
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"

FORMS=$T_ROOT/forms
W=$T_TMP/work
mkdir -p "$W"

# form_field FILE KEY: the top-level scalar KEY of a form file.
form_field()
{
	sed -n "s/^$2:[[:space:]]*\([^[:space:]#]*\).*/\1/p" "$1" | head -n 1
}

# form_questions FILE: questions that take an answer (notes do not).
form_questions()
{
	local q n
	q=$(grep -c '^[[:space:]]*- id:' "$1")
	n=$(grep -c '^[[:space:]]*type:[[:space:]]*note[[:space:]]*$' "$1")
	echo $((q - n))
}

# form_units FILE: inline units, or those of the sites file it names.
form_units()
{
	local sites
	sites=$(form_field "$1" units)
	if [ -n "$sites" ]; then
		grep -c '^[[:space:]]*- {id:' "$(dirname "$1")/$sites"
	else
		grep -c '^[[:space:]]*- {id:' "$1"
	fi
}

# assert_one_line NAME TEXT: TEXT is exactly one non-empty line.
assert_one_line()
{
	local n
	n=$(printf '%s' "$2" | grep -c '')
	if [ -n "$2" ] && [ "$n" -eq 1 ]; then
		t_ok "$1"
		return 0
	fi
	t_fail "$1" "$n lines"
	printf '%s\n' "$2" | _t_indent
	return 1
}

# assert_not_crashed NAME: the last t_run ended by exit, not by a signal.
assert_not_crashed()
{
	if [ "$T_STATUS" -lt 128 ]; then
		t_ok "$1"
		return 0
	fi
	t_fail "$1" "exit status $T_STATUS"
	return 1
}

# --- every shipped form passes, with the right summary
shipped=("$FORMS"/*.yaml)
assert_eq "four shipped forms" 4 "${#shipped[@]}"
assert_exit "forms check forms/*.yaml exits 0" 0 \
    "$ANFANG" forms check "${shipped[@]}"
assert_eq "forms check of good forms: no stderr" "" "$T_ERR"
summary=$T_OUT
# a directory named with a slash at its end: each file's path as given
assert_exit "forms check FORMS/ exits 0" 0 "$ANFANG" forms check "$FORMS//"
assert_eq "forms check FORMS/: one slash before each name" "$summary" "$T_OUT"
assert_eq "one summary line per form" "${#shipped[@]}" \
    "$(printf '%s\n' "$summary" | grep -c ': ok: ')"
for f in "${shipped[@]}"; do
	b=$(basename "$f")
	id=$(form_field "$f" form)
	ver=$(form_field "$f" version)
	nq=$(form_questions "$f")
	nu=$(form_units "$f")
	hash=$(b2sum -l 256 "$f" | cut -d ' ' -f 1)
	line=$(printf '%s\n' "$summary" | grep -F "$f: ok: ")
	assert_eq "$b: summary" \
	    "$f: ok: $id version $ver, $nq questions, $nu units, blake2b $hash" \
	    "$line"
	got=${line##* }
	if [[ $got =~ ^[0-9a-f]{64}$ ]] && [ "$got" = "$hash" ]; then
		t_ok "$b: hash is 64 hex digits and equals b2sum -l 256"
	else
		t_fail "$b: hash is 64 hex digits and equals b2sum -l 256" \
		    "'$got' vs '$hash'"
	fi
done

# --- a file with several errors: each one, at its place, exit 65
cat >"$W/bad.yaml" <<'EOF'
form: Bad_Id
version: 1
title: several errors
language: en
units: [a, b]
sections:
  - title: s
    questions:
      - id: q1
        type: yesnoo
        label: Q1
      - id: q2
        type: number
        label: Q2
        show_if: nosuch == 3
      - id: q3
        type: choice
        label: Q3
        choices: [x, y]
        alert_if: . == "z"
        severity: extreme
        alert_message: hi
EOF
bad=$W/bad.yaml
assert_exit "several errors: exit 65" 65 "$ANFANG" forms check "$bad"
errs=$T_ERR
assert_eq "several errors: nothing on stdout" "" "$T_OUT"
assert_contains "error: bad form id at 1:7" \
    "anfang: $bad:1:7: invalid form id \"Bad_Id\"" "$errs"
assert_contains "error: unknown type at 10:15 (exact line)" \
    "
anfang: $bad:10:15: unknown type \"yesnoo\"
" "
$errs
"
assert_contains "error: unknown question at 15:18 (exact line)" \
    "
anfang: $bad:15:18: unknown question \"nosuch\"
" "
$errs
"
assert_contains "error: choice that does not exist at 20:24 (exact line)" \
    "
anfang: $bad:20:24: \"z\" is not a choice of \"q3\"
" "
$errs
"
assert_contains "error: bad severity at 21:19" \
    "anfang: $bad:21:19: severity must be low, medium or high" "$errs"
assert_eq "every error line is anfang: FILE:LINE:COL: message" "" \
    "$(printf '%s\n' "$errs" |
    grep -v "^anfang: $bad:[0-9][0-9]*:[0-9][0-9]*: ..*\$")"
assert_eq "exactly the five errors, no more" 5 \
    "$(printf '%s\n' "$errs" | grep -c '')"
order=$(printf '%s\n' "$errs" | sed -n 's/^anfang: [^:]*:\([0-9]*\):.*/\1/p' |
    tr '\n' ' ')
assert_eq "errors in file order" "1 10 15 20 21 " "$order"

assert_exit "good and bad together: exit 65" 65 \
    "$ANFANG" forms check "$FORMS/restaurant-hygiene.yaml" "$bad"
assert_contains "good and bad together: the good one still ok" \
    "restaurant-hygiene.yaml: ok: restaurant-hygiene" "$T_OUT"
assert_contains "good and bad together: the bad one's errors" \
    "anfang: $bad:10:15: unknown type" "$T_ERR"

# --- a missing file
assert_exit "missing file: exit 66" 66 \
    "$ANFANG" forms check "$W/no-such-form.yaml"
assert_one_line "missing file: one line" "$T_ERR"
assert_contains "missing file: names the file" \
    "anfang: $W/no-such-form.yaml" "$T_ERR"

# --- hostile input: one clear line each, exit 65, no crash
# tab indentation
printf 'form: tabbed\nversion: 1\n\ttitle: t\nsections: []\n' >"$W/tab.yaml"
# an unclosed quote
printf 'form: quoted\nversion: 1\ntitle: "never closed\nsections: []\n' \
    >"$W/quote.yaml"
# 4 KiB of binary garbage (a fixed LCG, so the same bytes every run; NULs
# and bytes >= 0x80 included)
LC_ALL=C awk 'BEGIN { x = 1; for (i = 0; i < 5000; i++) {
    x = (x * 75 + 74) % 65537; printf "%c", x % 256 } }' |
    head -c 4096 >"$W/garbage.yaml"
assert_eq "garbage file is 4096 bytes" 4096 "$(wc -c <"$W/garbage.yaml")"
# 10 MiB that starts like a form
{
	printf 'form: huge\nversion: 1\ntitle: huge\nsections:\n'
	LC_ALL=C awk 'BEGIN { for (i = 0; i < 163840; i++)
	    printf "# padding line %048d\n", i }'
} | head -c 10485760 >"$W/huge.yaml"
assert_eq "huge file is 10 MiB" 10485760 "$(wc -c <"$W/huge.yaml")"

declare -A msg
for k in tab quote garbage huge; do
	f=$W/$k.yaml
	assert_exit "$k: exit 65" 65 "$ANFANG" forms check "$f"
	assert_not_crashed "$k: no crash"
	assert_one_line "$k: exactly one error line" "$T_ERR"
	assert_contains "$k: the line is anfang: FILE: ..." "anfang: $f:" \
	    "$T_ERR"
	assert_eq "$k: nothing on stdout" "" "$T_OUT"
	msg[$k]=$T_ERR
done
assert_contains "tab: the message is about the tab at 3:1" \
    "$W/tab.yaml:3:1: tab character" "${msg[tab]}"
assert_contains "quote: the message says quoted scalar" "quoted scalar" \
    "${msg[quote]}"
assert_contains "garbage: the message says invalid UTF-8" "invalid UTF-8" \
    "${msg[garbage]}"
assert_contains "huge: the message says too large" "too large" \
    "${msg[huge]}"

# YAML-shaped junk in valid UTF-8: bad data, not a crash
LC_ALL=C awk 'BEGIN { s = "ab:- \n[]{}\"#&*!|>%@`,?\t01.\\\047"; x = 7;
    for (i = 0; i < 20000; i++) { x = (x * 75 + 74) % 65537;
    printf "%s", substr(s, x % length(s) + 1, 1) } }' >"$W/junk.yaml"
assert_exit "YAML-ish junk: exit 65" 65 "$ANFANG" forms check "$W/junk.yaml"
assert_not_crashed "YAML-ish junk: no crash"
assert_eq "YAML-ish junk: every line is an anfang: message" "" \
    "$(printf '%s\n' "$T_ERR" | grep -v '^anfang: ')"

# --- forms list
assert_exit "forms list --forms forms: exit 0" 0 \
    "$ANFANG" forms list --forms "$FORMS"
list=$T_OUT
assert_eq "forms list: four lines" 4 "$(printf '%s\n' "$list" | grep -c '')"
for f in "${shipped[@]}"; do
	id=$(form_field "$f" form)
	ver=$(form_field "$f" version)
	hash=$(b2sum -l 256 "$f" | cut -d ' ' -f 1)
	got=$(printf '%s\n' "$list" | awk -v id="$id" '$1 == id {
	    print $1, $2, $3, $4, $5 }')
	assert_eq "forms list: $id, version, questions, hash, path" \
	    "$id $ver $(form_questions "$f") ${hash:0:16} $f" "$got"
done

mkdir -p "$W/forms/sites"
cp "${shipped[@]}" "$W/forms/"
cp "$FORMS"/sites/*.yaml "$W/forms/sites/"
cp "$bad" "$W/forms/broken.yaml"
assert_exit "forms list beside a broken form: exit 65" 65 \
    "$ANFANG" forms list --forms "$W/forms"
assert_eq "forms list beside a broken form: the four good ones" \
    "restaurant-hygiene service-window service-window-en service-window-zh-hans" \
    "$(printf '%s\n' "$T_OUT" | awk '{ print $1 }' | sort | tr '\n' ' ' |
    sed 's/ $//')"
assert_contains "forms list beside a broken form: its errors" \
    "anfang: $W/forms/broken.yaml:10:15: unknown type" "$T_ERR"
assert_not_contains "forms list beside a broken form: it is not listed" \
    "broken.yaml" "$T_OUT"

# --- families: the shipped twins agree; a twin with another choice value
# (or without a target) is refused at its first difference
assert_exit "forms check of the forms directory: exit 0" 0 \
    "$ANFANG" forms check "$T_ROOT/forms"
assert_eq "forms check of the directory: each form in it" 4 \
    "$(grep -c ': ok: ' <<<"$T_OUT")"
assert_contains "the shipped Chinese form states its family" \
    "family: service-window" "$(cat "$T_ROOT/forms/service-window.zh.yaml")"
assert_contains "... and the English twin too" "family: service-window" \
    "$(cat "$T_ROOT/forms/service-window.en.yaml")"
assert_contains "... and the Simplified Chinese one" "family: service-window" \
    "$(cat "$T_ROOT/forms/service-window.zh-Hans.yaml")"
# skeleton FILE: the form without its words (comments, labels, hints,
# titles, messages, units, description): what the twins share.
skeleton()
{
	sed -e '/^ *#/d' -e '/^description:/,/^[a-z]/{/^description:/d;/^  /d}' \
	    -e 's/\(label\|hint\|title\|warn_message\|alert_message\|constraint_message\|unit\|labels\|form\|language\|units\): .*/\1: _/' \
	    -e 's/\(value: [a-z_]*\), label: .*}/\1}/' "$1"
}
for f in service-window.zh.yaml service-window.zh-Hans.yaml; do
	assert_eq "$f and the English twin differ only in their words" \
	    "$(skeleton "$T_ROOT/forms/service-window.en.yaml")" \
	    "$(skeleton "$T_ROOT/forms/$f")"
done
assert_contains "the Simplified form is in Simplified characters" \
    "title: 政务服务窗口暗访检查表" \
    "$(cat "$T_ROOT/forms/service-window.zh-Hans.yaml")"
assert_contains "... and reads the Simplified sites file" \
    "units: sites/service-centres.zh-Hans.yaml" \
    "$(cat "$T_ROOT/forms/service-window.zh-Hans.yaml")"
# sites_ids FILE: the unit ids of a sites file, in order
sites_ids()
{
	grep -o '{id: [a-z0-9-]*' "$1" | cut -c6-
}
assert_eq "the Simplified sites file: the same units, in the same order" \
    "$(sites_ids "$T_ROOT/forms/sites/service-centres.yaml")" \
    "$(sites_ids "$T_ROOT/forms/sites/service-centres.zh-Hans.yaml")"
assert_contains "... named in Simplified characters" \
    "{id: dongcheng-gov-centre, name: 东城区政务服务中心}" \
    "$(cat "$T_ROOT/forms/sites/service-centres.zh-Hans.yaml")"
assert_contains "the shipped form: 即辦率 at least 70 %" \
    'target: {figure: share, of: "yes", at_least: 70%}' \
    "$(cat "$T_ROOT/forms/service-window.zh.yaml")"
mkdir -p "$W/twins/sites"
cp "$T_ROOT/forms/sites/"* "$W/twins/sites/"
cp "$T_ROOT/forms/service-window.zh.yaml" "$W/twins/"
sed 's/referred/sent_away/g' \
    "$T_ROOT/forms/service-window.en.yaml" >"$W/twins/service-window.en.yaml"
# at_ FILE: the line of not_settled_reason in FILE
at_()
{
	grep -n '      - id: not_settled_reason$' "$1" | cut -d: -f1
}
# A directory's files in name order: the English one is the first.
assert_exit "a twin with another choice value: exit 65" 65 \
    "$ANFANG" forms check "$W/twins"
assert_contains "... each form is well formed on its own" \
    "service-window.en.yaml: ok: " "$T_OUT"
assert_contains "... the difference at its place" \
    "anfang: $W/twins/service-window.zh.yaml:$(at_ "$W/twins/service-window.zh.yaml"):9: family service-window: not_settled_reason's choices are" \
    "$T_ERR"
assert_contains "... naming the other form" \
    "in $W/twins/service-window.en.yaml" "$T_ERR"
assert_one_line "... one line" "$T_ERR"
assert_exit "the two files given, Chinese first: exit 65" 65 \
    "$ANFANG" forms check "$W/twins/service-window.zh.yaml" \
    "$W/twins/service-window.en.yaml"
assert_contains "... the difference in the English one" \
    "anfang: $W/twins/service-window.en.yaml:$(at_ "$W/twins/service-window.en.yaml"):9: family service-window: not_settled_reason's choices are" \
    "$T_ERR"
grep -v 'target: {figure: median' "$T_ROOT/forms/service-window.en.yaml" \
    >"$W/twins/service-window.en.yaml"
assert_exit "a twin without a target: exit 65" 65 \
    "$ANFANG" forms check "$W/twins"
assert_contains "... named" "wait's target is not the one in" "$T_ERR"
# The three together: the Simplified twin is held to the first (English).
cp "$T_ROOT/forms/service-window.en.yaml" "$W/twins/"
sed 's/referred/sent_away/g' "$T_ROOT/forms/service-window.zh-Hans.yaml" \
    >"$W/twins/service-window.zh-Hans.yaml"
assert_exit "three twins, the Simplified one with another choice value: exit 65" \
    65 "$ANFANG" forms check "$W/twins"
assert_contains "... the difference in the Simplified one, named against the first" \
    "anfang: $W/twins/service-window.zh-Hans.yaml:$(at_ "$W/twins/service-window.zh-Hans.yaml"):9: family service-window: not_settled_reason's choices are" \
    "$T_ERR"
assert_contains "... the first being the English one" \
    "in $W/twins/service-window.en.yaml" "$T_ERR"
assert_contains "... the Traditional one agrees" \
    "service-window.zh.yaml: ok: " "$T_OUT"

# --- a form's controls (in its text, or its file's name) are shown as
# escapes, never sent to the terminal
ESC=$(printf '\033')
mkdir -p "$W/controls"
cat >"$W/controls/t${ESC}[2J.yaml" <<'EOF'
form: controls
version: 1
title: "Title \e]0;x\a here"
language: en
units: [u1]
sections:
  - title: S
    questions:
      - id: q1
        type: "yes\e[31mno"
        label: Q
EOF
sed 's/"yes.*no"/yesno/' "$W/controls/t${ESC}[2J.yaml" \
    >"$W/controls/u${ESC}[2J.yaml"
assert_exit "forms check, controls: exit 65" 65 "$ANFANG" forms check \
    "$W/controls"
assert_contains "... the file's name and the type, visible" \
    "t\x1b[2J.yaml:10:15: unknown type \"yes\x1b[31mno\"" "$T_ERR"
assert_contains "... the good one's name, visible" "u\x1b[2J.yaml: ok:" \
    "$T_OUT"
assert_not_contains "... nothing raw on stderr" "$ESC" "$T_ERR"
assert_not_contains "... nothing raw on stdout" "$ESC" "$T_OUT"
t_run "$ANFANG" forms list --forms "$W/controls"
assert_contains "forms list: the title, visible" 'Title \x1b]0;x\x07 here' \
    "$T_OUT"
assert_not_contains "forms list: nothing raw" "$ESC" "$T_OUT$T_ERR"

# --- a directory's forms are those forms list finds: *.yml too
mkdir -p "$W/yml"
cp "$FORMS/restaurant-hygiene.yaml" "$W/yml/hygiene.yml"
assert_exit "forms check DIR with a .yml form: exit 0" 0 "$ANFANG" forms \
    check "$W/yml"
assert_contains "... the .yml form checked" "$W/yml/hygiene.yml: ok: " \
    "$T_OUT"
assert_exit "forms list finds it too" 0 "$ANFANG" forms list --forms "$W/yml"
assert_contains "... the same file" "$W/yml/hygiene.yml" "$T_OUT"

# --- a directory without forms says so (a wrong one would pass silently)
mkdir -p "$W/noforms"
printf 'not a form\n' >"$W/noforms/README"
assert_exit "forms check DIR without forms: exit 66" 66 "$ANFANG" forms \
    check "$W/noforms"
assert_contains "... says so" "$W/noforms: no forms in it" "$T_ERR"

# --- the user's copy of an installed form stands for it: listed once
mkdir -p "$W/cfg/anfang/forms"
t_run env XDG_CONFIG_HOME="$W/cfg" "$ANFANG" forms list
before=$T_OUT
first=$(printf '%s\n' "$before" | awk 'NR == 1 { print $5 }')
cp "$first" "$W/cfg/anfang/forms/"
t_run env XDG_CONFIG_HOME="$W/cfg" "$ANFANG" forms list
assert_eq "forms list with a copy of an installed form: as many lines" \
    "$(printf '%s\n' "$before" | grep -c .)" \
    "$(printf '%s\n' "$T_OUT" | grep -c .)"
assert_contains "... the user's copy is the one listed" \
    "$W/cfg/anfang/forms/$(basename "$first")" "$T_OUT"

# --- top-level usage
assert_exit "--help exits 0" 0 "$ANFANG" --help
assert_contains "--help shows Usage:" "Usage: anfang" "$T_OUT"
assert_exit "--version exits 0" 0 "$ANFANG" --version
if [[ $T_OUT =~ ^anfang\ [0-9]+\.[0-9]+\.[0-9]+$ ]]; then
	t_ok "--version prints anfang X.Y.Z"
else
	t_fail "--version prints anfang X.Y.Z" "'$T_OUT'"
fi
assert_exit "forms --help exits 0" 0 "$ANFANG" forms --help
assert_contains "forms --help shows forms check" "anfang forms check" \
    "$T_OUT"
assert_exit "unknown command exits 64" 64 "$ANFANG" frobnicate
assert_one_line "unknown command: one line" "$T_ERR"
assert_contains "unknown command: named" "frobnicate" "$T_ERR"
assert_exit "unknown forms subcommand exits 64" 64 "$ANFANG" forms frobnicate

t_done
