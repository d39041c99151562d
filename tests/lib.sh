# Helpers for the shell suites: each check prints one TAP line.
# Sourced by tests/*.test.sh with $JICENG and $TOP set by tests/run.sh.

n_checks=0

ok() {
	n_checks=$((n_checks + 1))
	echo "ok $n_checks - $*"
}

not_ok() {
	n_checks=$((n_checks + 1))
	echo "not ok $n_checks - $*"
}

# check NAME COMMAND...: passes when COMMAND exits 0.
check() {
	name=$1
	shift
	if "$@" >/dev/null 2>&1; then ok "$name"; else not_ok "$name"; fi
}

# check_fails NAME COMMAND...: passes when COMMAND exits non-zero.
check_fails() {
	name=$1
	shift
	if "$@" >/dev/null 2>&1; then not_ok "$name"; else ok "$name"; fi
}

# A fresh scratch folder removed when the suite ends.
scratch() {
	d=$(mktemp -d "${TMPDIR:-/tmp}/jiceng-test.XXXXXX")
	trap 'rm -rf "$d"' EXIT
	echo "$d"
}
