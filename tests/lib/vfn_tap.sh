# SPDX-License-Identifier: BSD-3-Clause
# vfn_tap.sh - TAP reporting for shell test scripts (the guest side of the
# VM tests); the shell twin of vfn_tap.h.  Source it, report each check,
# and end with `tap_done; exit $?`:
#
#   . "$(dirname "$0")/../../lib/vfn_tap.sh"
#   tap_check "module loads" insmod "$ko"
#   tap_run vfnet ./vfio_conformance -d 0000:00:02.0   # a TAP program
#   tap_done; exit $?
#
# tap_run joins the TAP stream of a program (one built on vfn_tap.h) into
# this script's: its results are renumbered to follow ours, its names are
# prefixed with a label, its other output becomes "# " diagnostics, and a
# program that crashes, bails out, exits non-zero without a failing check
# or prints fewer results than its plan adds a failing result of its own.
# Exit status 77 from a program that printed nothing is a skip.
# POSIX sh (dash in the guest, busybox too); no pipefail needed.

tap_n=0 tap_failed=0 tap_skipped=0

# _tap_line "ok"|"not ok" NAME [DIRECTIVE...]
_tap_line() {
	tap_n=$((tap_n + 1))
	_tap_name=$(printf '%s' "$2" | tr '#\n\r' '_  ')
	if [ $# -gt 2 ]; then
		printf '%s %d - %s # %s\n' "$1" "$tap_n" "$_tap_name" \
			"$(printf '%s' "$3" | tr '\n\r' '  ')"
	else
		printf '%s %d - %s\n' "$1" "$tap_n" "$_tap_name"
	fi
}

# tap_ok NAME: record a passed check
tap_ok() { _tap_line ok "$1"; }

# tap_fail NAME [DETAIL]: record a failed check, with what was observed
tap_fail() {
	tap_failed=$((tap_failed + 1))
	_tap_line "not ok" "$1" "${2:-failed}"
}

# tap_skip NAME REASON: record a check that cannot run here, and why
tap_skip() {
	tap_skipped=$((tap_skipped + 1))
	_tap_line ok "$1" "SKIP $2"
}

# tap_diag TEXT...: diagnostic lines, not counted (each line of TEXT gets
# its "# ", so multi-line output cannot break the stream)
tap_diag() { printf '%s\n' "$*" | sed 's/^/# /'; }

# tap_check NAME COMMAND...: pass when COMMAND exits 0 (its output becomes
# diagnostics); a failure shows the command and its exit status
tap_check() {
	_tap_cn=$1
	shift
	_tap_out=$("$@" 2>&1)
	_tap_rc=$?
	[ -n "$_tap_out" ] && printf '%s\n' "$_tap_out" | sed 's/^/# /'
	if [ $_tap_rc -eq 0 ]; then
		tap_ok "$_tap_cn"
	else
		tap_fail "$_tap_cn" "$* exited with status $_tap_rc"
	fi
	return $_tap_rc
}

# tap_run LABEL PROGRAM ARGS...: run a TAP-speaking program and join its
# results into this stream; returns non-zero when any of them failed
tap_run() {
	_tap_label=$1
	shift
	_tap_state=$(mktemp)
	{
		"$@" 2>&1
		echo "vfn_tap_exit $?"
	} | awk -v base="$tap_n" -v label="$_tap_label" -v state="$_tap_state" '
	function emit(ok, text) {
		n++
		printf "%s %d - %s: %s\n", ok ? "ok" : "not ok", base + n, label, text
		if (!ok)
			fails++
	}
	/^vfn_tap_exit [0-9]+$/ { rc = $2; next }
	/^(not )?ok([ \t]|$)/ {
		bad = ($0 ~ /^not ok/)
		rest = $0
		sub(/^(not )?ok[ \t]*[0-9]*[ \t]*-?[ \t]*/, "", rest)
		if (rest ~ /#[ \t]*[Ss][Kk][Ii][Pp]/)
			skips++
		ran++
		emit(!bad, rest)
		next
	}
	/^1\.\.[0-9]+/ {
		plan = 1
		planned = $0
		sub(/^1\.\./, "", planned)
		skip_all = planned ~ /^0[ \t]*#[ \t]*[Ss][Kk][Ii][Pp]/
		reason = $0
		sub(/^[^#]*#[ \t]*[Ss][Kk][Ii][Pp][ \t]*/, "", reason)
		planned += 0
		next
	}
	/^Bail out!/ { emit(0, $0); bailed = 1; next }
	/^#/ { print; next }
	{ print "# " label ": " $0 }
	END {
		if (rc == 77 && ran == 0) {
			skips++
			emit(1, "skipped # SKIP exited with status 77")
		} else if (plan && skip_all && ran == 0) {
			skips++
			emit(1, "skipped # SKIP " reason)
		} else if (!bailed && !plan) {
			emit(0, "no TAP plan: the program crashed or stopped early (exit " rc ")")
		} else if (plan && !bailed && ran != planned) {
			emit(0, "ran " ran " checks of a plan of " planned)
		}
		if (rc != 0 && rc != 77 && fails == 0)
			emit(0, "exited with status " rc " although no check failed")
		printf "%d %d %d\n", n, fails, skips > state
	}'
	read -r _tap_rn _tap_rf _tap_rs <"$_tap_state"
	rm -f "$_tap_state"
	tap_n=$((tap_n + _tap_rn))
	tap_failed=$((tap_failed + _tap_rf))
	tap_skipped=$((tap_skipped + _tap_rs))
	[ "$_tap_rf" -eq 0 ]
}

# tap_done: print the plan and return 0 unless a check failed
tap_done() {
	if [ "$tap_n" -eq 0 ]; then
		echo "1..0 # SKIP no checks ran"
	else
		echo "1..$tap_n"
	fi
	tap_diag "$((tap_n - tap_failed - tap_skipped)) passed, $tap_failed failed, $tap_skipped skipped"
	[ "$tap_failed" -eq 0 ]
}
