#!/bin/sh
# The test runner behind `make test` and `make check-unit`.  Installs
# what the suites need (scripts/test-deps.sh), builds each build folder
# (the first as configured, the second with $SAN_CFLAGS), runs every
# suite against each, keeps going after failures, and prints one line
# per step: what it was, how many checks passed, how long it took.  A
# failing step's output follows its line in full; the output of every
# step goes to FIRST_BUILD/test.log.  The last line is always
# "N passed, N failed".  Each suite prints TAP lines ("ok", "not ok").
#
# Usage: tests/run.sh [--unit] BUILD [SAN_BUILD]
#   --unit   the unit tests of BUILD only, installing nothing
# Environment: MAKE (default make); SAN_CFLAGS, the flags of SAN_BUILD.
set -u

export TZ=UTC LC_ALL=C.UTF-8
export CMOCKA_MESSAGE_OUTPUT=TAP
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
top=$(cd "$(dirname "$0")/.." && pwd)
make=${MAKE:-make}
unit_only=false
if [ "${1:-}" = --unit ]; then
	unit_only=true
	shift
fi
if [ $# -lt 1 ] || [ $# -gt 2 ]; then
	echo "usage: tests/run.sh [--unit] BUILD [SAN_BUILD]" >&2
	exit 2
fi
# Scratch sites in memory when the machine has it: the suites build
# hundreds of them, and a slow disk would dominate the run.
if [ -z "${TMPDIR:-}" ] && [ -d /dev/shm ] && [ -w /dev/shm ]; then
	export TMPDIR=/dev/shm
fi
: "${MUSTACHE_SPEC:=$top/../shared/mustache-spec}"
[ -d "$MUSTACHE_SPEC" ] || MUSTACHE_SPEC=$top/tests/mustache-spec
export MUSTACHE_SPEC

# A build folder as an absolute path; relative ones are below the top.
abs() {
	case $1 in
	/*) echo "$1" ;;
	*) echo "$top/$1" ;;
	esac
}

mkdir -p "$(abs "$1")"
log=$(abs "$1")/test.log
work=$(mktemp -d "${TMPDIR:-/tmp}/jiceng-run.XXXXXX")
out=$work/out
ticker=""
trap 'rm -rf "$work"' EXIT
trap '[ -n "$ticker" ] && kill $ticker 2>/dev/null; exit 130' INT TERM HUP PIPE
: >"$log"
passed=0
failed=0
# A live line while a step runs, on a terminal only.
live=false
[ -t 1 ] && live=true

now_ms() {
	echo $(($(date +%s%N) / 1000000))
}

# Prints "12.3 s" for a time in milliseconds.
seconds() {
	printf '%d.%d s' $(($1 / 1000)) $(($1 % 1000 / 100))
}

# tick NAME START: until the runner exits or is killed, rewrites the
# terminal's last line with the step's time so far and what it has done:
# checks passed, or files compiled.
tick() {
	while kill -0 $$ 2>/dev/null; do
		printf '\r%-14s %5s %-8s %8s ' "$1" \
		    "$(grep -c -e '^ok' -e ' -c -o ' "$out" 2>/dev/null)" \
		    "$(case $1 in make*) echo compiled ;; *) echo passed ;; esac)" \
		    "$(seconds $(($(now_ms) - $2)))"
		sleep 0.2
	done
}

# step NAME COMMAND...: runs COMMAND with its output in $out and the
# log, setting $status and $elapsed; shows progress while it runs.
step() {
	name=$1
	shift
	start=$(now_ms)
	if $live; then
		tick "$name" "$start" &
		ticker=$!
	fi
	"$@" >"$out" 2>&1 </dev/null
	status=$?
	elapsed=$(($(now_ms) - start))
	if [ -n "$ticker" ]; then
		kill $ticker 2>/dev/null
		wait $ticker 2>/dev/null
		ticker=""
		printf '\r\033[K'
	fi
	{
		echo "==== $name: exit $status, $(seconds $elapsed)"
		cat "$out"
	} >>"$log"
}

# report NAME WHAT ok|failed [FILE]: the step's line, then, when it
# failed, FILE (default: its output but for the passing checks).
report() {
	printf '%-14s %-20s %8s\n' "$1" "$2" "$(seconds $elapsed)"
	if [ "$3" = failed ] && [ $# -gt 3 ]; then
		sed 's/^/    /' "$4"
	elif [ "$3" = failed ]; then
		grep -v -e '^ok' -e '^[0-9]*\.\.[0-9]*$' "$out" | sed 's/^/    /'
	fi
}

# The output of a suite, checked: a suite that exits non-zero without a
# "not ok" line gets one (a crash must never pass silently).
suite() {
	name=$1
	shift
	: >"$work/failures"
	step "$name" "$@"
	if [ $status -ne 0 ] && ! grep -q '^not ok' "$out"; then
		echo "not ok - $name exited with status $status" >>"$out"
		echo "not ok - $name exited with status $status" >>"$log"
	fi
	n_ok=$(grep -c '^ok' "$out")
	n_bad=$(grep -c '^not ok' "$out")
	passed=$((passed + n_ok))
	failed=$((failed + n_bad))
	if [ "$n_bad" -gt 0 ] && [ -s "$work/failures" ]; then
		report "$name" "$n_ok passed, $n_bad failed" failed \
		    "$work/failures"
	elif [ "$n_bad" -gt 0 ]; then
		report "$name" "$n_ok passed, $n_bad failed" failed
	else
		report "$name" "$n_ok passed" ok
	fi
}

# Every unit test program of a build folder, one after another.  The
# whole output of each that fails goes to $work/failures too, to be shown.
unit_tests() {
	for t in "$1"/tests/test_*; do
		[ -x "$t" ] || continue
		"$t" >"$work/unit" 2>&1
		s=$?
		if [ $s -ne 0 ] && ! grep -q '^not ok' "$work/unit"; then
			echo "not ok - $(basename "$t") exited with status $s" \
			    >>"$work/unit"
		fi
		if grep -q '^not ok' "$work/unit"; then
			echo "$(basename "$t"):" >>"$work/failures"
			cat "$work/unit" >>"$work/failures"
		fi
		cat "$work/unit"
	done
}

# build DIR [CFLAGS]: builds jiceng and the unit tests into DIR.
build() {
	if [ $# -gt 1 ]; then
		$make --no-print-directory -C "$top" BUILD="$1" CFLAGS="$2" \
		    "$1/jiceng" "$1/unit-bins-stamp"
	else
		$make --no-print-directory -C "$top" BUILD="$1" \
		    "$1/jiceng" "$1/unit-bins-stamp"
	fi
}

if ! $unit_only; then
	step deps sh "$top/scripts/test-deps.sh"
	if [ $status -ne 0 ]; then
		failed=$((failed + 1))
		echo "not ok - deps: cannot install" >>"$log"
		report deps "cannot install" failed
	elif grep -q -e '^test-deps: installing' -e '^added' "$out"; then
		report deps installed ok
	else
		report deps ready ok
	fi
fi

builds=""
first=""
for b in "$@"; do
	if [ "$b" = "${2:-}" ]; then
		step "make $(basename "$b")" build "$b" "${SAN_CFLAGS:-}"
	else
		step "make $(basename "$b")" build "$b"
	fi
	compiled=$(grep -c -e ' -c -o ' "$out")
	if [ $status -ne 0 ]; then
		failed=$((failed + 1))
		echo "not ok - make $(basename "$b") failed" >>"$log"
		report "make $(basename "$b")" "failed" failed
		continue
	fi
	if [ "$compiled" -gt 0 ]; then
		report "make $(basename "$b")" "compiled $compiled" ok
	else
		report "make $(basename "$b")" "up to date" ok
	fi
	dir=$(abs "$b")
	builds="$builds $dir"
	[ -n "$first" ] || first=$dir
done

# The fuzz targets, with clang: run once, by tests/fuzz.once.sh.
if ! $unit_only; then
	step "make fuzz" $make --no-print-directory -C "$top" fuzz
	if [ $status -ne 0 ]; then
		failed=$((failed + 1))
		echo "not ok - make fuzz failed" >>"$log"
		report "make fuzz" "failed" failed
	else
		report "make fuzz" "compiled $(grep -c -e ' -c -o ' "$out")" ok
	fi
fi

for dir in $builds; do
	tag=$(basename "$dir")
	suite "$tag/unit" unit_tests "$dir"
	$unit_only && continue
	for s in "$top"/tests/*.test.sh; do
		[ -f "$s" ] || continue
		suite "$tag/$(basename "$s" .test.sh)" \
		    env JICENG="$dir/jiceng" TOP="$top" sh "$s"
	done
done

# Suites whose result cannot depend on the build run once, on the first.
if ! $unit_only && [ -n "$first" ]; then
	for s in "$top"/tests/*.once.sh; do
		[ -f "$s" ] || continue
		suite "$(basename "$s" .once.sh)" \
		    env JICENG="$first/jiceng" TOP="$top" sh "$s"
	done
fi

echo "the whole output: ${log#$top/}"
echo "$passed passed, $failed failed" | tee -a "$log"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
