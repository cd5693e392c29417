#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# A skip inside a CUnit program reaches meson and tools/test-summary as a
# skip: exit 77 when every test skipped, a "vfn-cunit: N of M tests
# skipped" line otherwise, which test-summary counts as partly skipped.
# test-summary also counts the checks of a TAP test killed before its
# plan, and names each failed test on a line of its own.
# usage: test_cunit_skip.sh PROGRAM TEST_SUMMARY
set -u
. "$(dirname "$0")/vfn_tap.sh"
prog=$1 summary=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# run MODE: the program's exit status, its stdout in $tmp/MODE
run() {
	"$prog" "$1" >"$tmp/$1" 2>&1
	echo $?
}

rc=$(run all)
[ "$rc" -eq 77 ] && tap_ok "every test skipped: exit 77 (meson SKIP)" ||
	tap_fail "every test skipped: exit 77 (meson SKIP)" "exit $rc"
rc=$(run some)
[ "$rc" -eq 0 ] && tap_ok "one of two skipped: exit 0" ||
	tap_fail "one of two skipped: exit 0" "exit $rc"
grep -q '^vfn-cunit: 1 of 2 tests skipped$' "$tmp/some" &&
	tap_ok "one of two skipped: reported" ||
	tap_fail "one of two skipped: reported" "no vfn-cunit line"
rc=$(run fail)
[ "$rc" -eq 1 ] && tap_ok "skip and failure: exit 1" ||
	tap_fail "skip and failure: exit 1" "exit $rc"

# test-summary over a meson log holding the three results as meson
# records them (SKIP for exit 77, OK, FAIL).
python3 - "$tmp" >"$tmp/log.json" <<'PY'
import json, sys
d = sys.argv[1]
for mode, res in (("all", "SKIP"), ("some", "OK"), ("fail", "FAIL")):
    print(json.dumps({"name": mode, "result": res,
                      "stdout": open(f"{d}/{mode}").read()}))
print(json.dumps({"name": "plain", "result": "OK", "stdout": "ok\n"}))
print(json.dumps({"name": "tap", "result": "OK",
                  "stdout": "ok 1 - a\nok 2 - b # SKIP no x\n1..2\n"}))
print(json.dumps({"name": "killed", "result": "TIMEOUT", "duration": 300.2,
                  "stdout": "ok 1 - a\nok 2 - b\n"}))
print(json.dumps({"name": "tapfail", "result": "FAIL", "duration": 1.0,
                  "stdout": "ok 1 - a\nnot ok 2 - b # x.c:3\n1..2\n"}))
PY
out=$("$summary" "$tmp/log.json")
tap_diag "$out"
case $out in
"tests: 1 passed, 3 failed, 1 skipped, 2 partly skipped (2 of 4 cases skipped:"*)
	tap_ok "test-summary counts skips, partial skips and cases" ;;
*)
	tap_fail "test-summary counts skips, partial skips and cases" "$out" ;;
esac
case $out in
*"TAP checks: 4 passed, 1 failed, 1 skipped, in 3 TAP tests"*)
	tap_ok "test-summary counts the checks of TAP tests, planned or not" ;;
*)
	tap_fail "test-summary counts the checks of TAP tests, planned or not" \
		"$out" ;;
esac
# Each failed test is named on a line of its own, with its verdict.
for want in "failed: fail in $tmp/log.json: FAIL" \
	"failed: killed in $tmp/log.json: TIMEOUT after 300 s; no TAP plan: killed or exited before its end" \
	"failed: tapfail in $tmp/log.json: FAIL after 1 s; not ok 2 - b # x.c:3"; do
	name=${want#failed: }
	name=${name%% *}
	printf '%s\n' "$out" | grep -qxF "$want" &&
		tap_ok "test-summary names the failed test $name" ||
		tap_fail "test-summary names the failed test $name" "$out"
done
tap_done
exit $?
