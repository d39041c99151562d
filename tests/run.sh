#!/bin/sh
# Runs every test against each build folder given (the plain build and the
# sanitizer build), keeps going after failures, and ends with the line
# "N passed, N failed".  Each suite prints TAP lines ("ok", "not ok").
#
# Usage: tests/run.sh BUILD...
set -u

export TZ=UTC LC_ALL=C.UTF-8
export CMOCKA_MESSAGE_OUTPUT=TAP
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
top=$(cd "$(dirname "$0")/.." && pwd)
# Scratch sites in memory when the machine has it: the suites build
# hundreds of them, and a slow disk would dominate the run.
if [ -z "${TMPDIR:-}" ] && [ -d /dev/shm ] && [ -w /dev/shm ]; then
	export TMPDIR=/dev/shm
fi
log=$(mktemp)
trap 'rm -f "$log"' EXIT
: "${MUSTACHE_SPEC:=$top/../shared/mustache-spec}"
[ -d "$MUSTACHE_SPEC" ] || MUSTACHE_SPEC=$top/tests/mustache-spec
export MUSTACHE_SPEC

# Runs one suite, echoes its output, and records a failure when it exits
# non-zero without printing "not ok" (a crash must never pass silently).
run_suite() {
	name=$1
	shift
	out=$("$@" 2>&1)
	status=$?
	printf '%s\n' "$out" | sed "s|^|[$name] |"
	printf '%s\n' "$out" >> "$log"
	if [ $status -ne 0 ] && ! printf '%s\n' "$out" | grep -q '^not ok'; then
		echo "not ok - $name exited with status $status" | tee -a "$log"
	fi
}

for build in "$@"; do
	build=$(cd "$build" && pwd)
	for t in "$build"/tests/test_*; do
		[ -x "$t" ] || continue
		run_suite "$(basename "$build")/$(basename "$t")" "$t"
	done
	for s in "$top"/tests/*.test.sh; do
		[ -f "$s" ] || continue
		run_suite "$(basename "$build")/$(basename "$s" .test.sh)" \
		    env JICENG="$build/jiceng" TOP="$top" sh "$s"
	done
done

# Suites whose result cannot depend on the build run once, on the first.
first=$(cd "$1" && pwd)
for s in "$top"/tests/*.once.sh; do
	[ -f "$s" ] || continue
	run_suite "$(basename "$s" .once.sh)" \
	    env JICENG="$first/jiceng" TOP="$top" sh "$s"
done

passed=$(grep -c '^ok' "$log")
failed=$(grep -c '^not ok' "$log")
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
