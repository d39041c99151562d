# Helpers for the shell suites: each check prints one TAP line.
# Sourced by tests/*.test.sh with $JICENG and $TOP set by tests/run.sh.

n_checks=0
scratch_dirs=""
trap 'rm -rf $scratch_dirs' EXIT

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

# Sets $scratch to a fresh folder removed when the suite ends.
new_scratch() {
	scratch=$(mktemp -d "${TMPDIR:-/tmp}/jiceng-test.XXXXXX")
	scratch_dirs="$scratch_dirs $scratch"
}

# make_site DIR CONTENT: a site folder with the project's templates and
# assets and the given content folder.
make_site() {
	mkdir -p "$1"
	cp -R "$2" "$1/content"
	cp -R "$TOP/templates" "$1/templates"
	cp -R "$TOP/assets" "$1/assets"
}
