# The manual pages are valid mdoc: mandoc -Tlint reports no warning or
# error (its STYLE notes, such as cross references to pages that are not
# installed, are left out).
. "$TOP/tests/lib.sh"

if ! command -v mandoc >/dev/null 2>&1; then
	not_ok "mandoc is not installed (scripts/test-deps.sh)"
	exit 0
fi
for page in "$TOP"/man/*.[157]; do
	if out=$(mandoc -Tlint -W warning "$page" 2>&1) && [ -z "$out" ]; then
		ok "mandoc -Tlint $(basename "$page")"
	else
		not_ok "mandoc -Tlint $(basename "$page")"
		printf '%s\n' "$out" | sed 's/^/# /'
	fi
done
