#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Checks vfn_tap.sh: tap_run's renumbering, labels, and the failures it
# adds for crashes, bail-outs, short plans and bad exit statuses.
set -u
. "$(dirname "$0")/vfn_tap.sh"

# inner SCRIPT: run tap_run on `sh -c SCRIPT` in a subshell; prints the
# joined stream, then "state N FAILED SKIPPED"
inner() {
	(
		tap_n=5 tap_failed=0 tap_skipped=0
		tap_run lbl sh -c "$1"
		echo "state $tap_n $tap_failed $tap_skipped"
	)
}

# expect NAME OUTPUT PATTERN: the output has a line matching PATTERN
expect() {
	if printf '%s\n' "$2" | grep -qE -- "$3"; then
		tap_ok "$1"
	else
		tap_fail "$1" "no line matching /$3/"
		printf '%s\n' "$2" | sed 's/^/#   /'
	fi
}

out=$(inner 'echo "ok 1 - a"; echo "not ok 2 - b # x.c:3: e"; echo noise; echo "1..2"; exit 1')
expect "renumbered pass" "$out" '^ok 6 - lbl: a$'
expect "renumbered failure keeps its detail" "$out" '^not ok 7 - lbl: b # x.c:3: e$'
expect "other output becomes a diagnostic" "$out" '^# lbl: noise$'
expect "counters follow" "$out" '^state 7 1 0$'

out=$(inner 'echo "ok 1 - a"; kill -SEGV $$')
expect "crash without plan fails" "$out" '^not ok 7 - lbl: no TAP plan'

out=$(inner 'echo "ok 1 - a"; echo "1..3"')
expect "short plan fails" "$out" '^not ok 7 - lbl: ran 1 checks of a plan of 3$'

out=$(inner 'echo "ok 1 - a"; echo "1..1"; exit 3')
expect "bad exit status fails" "$out" '^not ok 7 - lbl: exited with status 3'

out=$(inner 'echo "Bail out! no device"; exit 1')
expect "bail out fails" "$out" '^not ok 6 - lbl: Bail out! no device$'
expect "bail out counted once" "$out" '^state 6 1 0$'

out=$(inner 'exit 77')
expect "exit 77 is a skip" "$out" '^ok 6 - lbl: skipped # SKIP'
expect "skip counted" "$out" '^state 6 0 1$'

out=$(inner 'echo "1..0 # SKIP no NIC"')
expect "skip-all plan is a skip with its reason" "$out" '^ok 6 - lbl: skipped # SKIP no NIC$'

out=$(inner 'echo "ok 1 - m # SKIP why"; echo "1..1"')
expect "a skipped result stays a skip" "$out" '^ok 6 - lbl: m # SKIP why$'
expect "and is counted" "$out" '^state 6 0 1$'

out=$(tap_n=0; tap_check "named" sh -c 'echo hi; exit 2'; echo "rc $?")
expect "tap_check failure" "$out" '^not ok 1 - named # sh -c .* exited with status 2$'
expect "tap_check output as diagnostic" "$out" '^# hi$'
expect "tap_check returns the status" "$out" '^rc 2$'

out=$(tap_diag "first
second")
expect "tap_diag prefixes every line" "$out" '^# second$'

out=$(tap_n=0; tap_fail "multi" "line one
line two")
expect "a failure detail stays on its line" "$out" '^not ok 1 - multi # line one line two$'

tap_done
