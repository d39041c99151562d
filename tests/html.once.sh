# The Nu HTML checker on every page of the project's site: no errors, no
# warnings.  Runs once (not per build): the pages are the same bytes.
. "$TOP/tests/lib.sh"

vnu=$TOP/build/node/node_modules/vnu-jar/build/dist/vnu.jar
if [ ! -f "$vnu" ] || ! command -v java >/dev/null 2>&1; then
	not_ok "the Nu HTML checker is not installed (scripts/test-deps.sh)"
	exit 0
fi
new_scratch
make_site "$scratch/site" "$TOP/content"
"$JICENG" build -C "$scratch/site" -o out >/dev/null 2>&1
n=$(find "$scratch/site/out" -name '*.html' | wc -l)
if java -jar "$vnu" --skip-non-html "$scratch/site/out" >"$scratch/vnu" 2>&1; then
	ok "Nu HTML checker: $n pages, no errors or warnings"
else
	not_ok "Nu HTML checker found problems in $n pages"
	head -40 "$scratch/vnu" | sed 's/^/# /'
fi
