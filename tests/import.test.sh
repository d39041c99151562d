# jiceng import through the real binary: the five source pages give the
# committed articles byte for byte, a second run changes nothing, a
# missing source exits 3, an edited article is reported and kept (exit
# 1), --force overwrites it, --dry-run shows a diff and writes nothing,
# and the site built from the import has a page for every article,
# district, province and theme.
. "$TOP/tests/lib.sh"

new_scratch
site=$scratch/site
mkdir -p "$site"
cp -R "$TOP/content" "$site/content"
articles=$site/content/articles
manifest=$site/content/.import-manifest
pages=$(ls "$site"/content/sources/*.txt)

# Checksums of everything the importer may write.
snapshot() {
	(cd "$site/content" && find articles .import-manifest -type f |
	    LC_ALL=C sort | xargs md5sum)
}

import() {
	"$JICENG" import -C "$site" "$@" >"$scratch/out" 2>"$scratch/err"
}

# The committed articles are what the importer makes of the pages.
snapshot >"$scratch/committed"
import $pages
status=$?
snapshot >"$scratch/now"
if [ $status -eq 0 ] && cmp -s "$scratch/committed" "$scratch/now" &&
    grep -q "22 articles: 0 written, 22 unchanged, 0 conflicts" \
    "$scratch/out"; then
	ok "re-importing the committed pages changes nothing"
else
	not_ok "re-importing the committed pages changes nothing"
	sed 's/^/# /' "$scratch/out"
fi

rm -rf "$articles" "$manifest"
import $pages
snapshot >"$scratch/fresh"
if cmp -s "$scratch/committed" "$scratch/fresh"; then
	ok "a fresh import writes the committed articles byte for byte"
else
	not_ok "a fresh import writes the committed articles byte for byte"
	diff "$scratch/committed" "$scratch/fresh" | sed 's/^/# /'
fi
# Every seed article's body as read against its raw page: the pinned
# texts in tests/fixtures/import/bodies/ were checked sentence by sentence
# against content/sources/, the gaps marked where the page lost text.
bad=""
for expected in "$TOP"/tests/fixtures/import/bodies/*.md; do
	name=$(basename "$expected")
	awk 'c >= 2 { print; next } /^---$/ { if (++c == 2) getline }' \
	    "$articles/$name" >"$scratch/body" 2>/dev/null
	cmp -s "$expected" "$scratch/body" || bad="$bad $name"
done
if [ -z "$bad" ] && [ "$(ls "$TOP"/tests/fixtures/import/bodies | wc -l)" -eq \
    "$(ls "$articles" | wc -l)" ]; then
	ok "every seed article's body is the text as read against its page"
else
	not_ok "seed article bodies differ:$bad"
fi
check "the summary counts written articles" \
    grep -q "22 articles: 22 written, 0 unchanged" "$scratch/out"
check "the summary counts repairs by kind, a line each" \
    grep -Eq "^  duplicate +7  passages printed twice removed" "$scratch/out"
check "the summary counts the gaps marked" \
    grep -Eq "^  gap +9  gaps in the printed text marked" "$scratch/out"
check "a gap the editors recorded is marked and reported as a note" \
    grep -q "003_66d4d7444e7339cc.txt:21:16: note: marked the gap recorded at .*/003_66d4d7444e7339cc.yaml:9$" \
    "$scratch/err"
check "a short clause no connective is warned of, not marked" \
    test "$(grep -c 'may open inside a clause' "$scratch/err")" -eq 0
check "mechanical repairs are not listed by default" \
    test "$(grep -c 'joined' "$scratch/err")" -eq 0
check "a gap is reported where the page lost text" \
    grep -q "002_5038cfc5f111f975.txt:119:1: warning: marked a gap" \
    "$scratch/err"
check "a headline printed twice differently is reported" \
    grep -q "004_1536b6baea30f6a8.txt:587:1: warning: the headline printed again reads" \
    "$scratch/err"
check "a traditional character converted is reported" \
    grep -q "003_66d4d7444e7339cc.txt:59:101: note: converted the traditional \"書記\"" \
    "$scratch/err"
import --verbose --dry-run $pages
check "--verbose lists every repair" \
    grep -q "000_1cd9cb35f9d270d4.txt:17:1: note: joined a sentence" "$scratch/err"
check "repairs are reported as path:line:col notes" \
    grep -q "004_1536b6baea30f6a8.txt:4:1: note: moved the text printed" \
    "$scratch/err"
check "the headline left without a body is reported" \
    grep -q "004_1536b6baea30f6a8.txt:1:2: warning: headline .* has no text" \
    "$scratch/err"

# A source that cannot be read stops the import before anything is
# written: an I/O error.
snapshot >"$scratch/before"
import $pages "$site/content/sources/nosuch.txt"
status=$?
snapshot >"$scratch/after"
if [ $status -eq 3 ] && cmp -s "$scratch/before" "$scratch/after" &&
    grep -q "sources/nosuch.txt: error: cannot read: No such file" \
    "$scratch/err"; then
	ok "a missing source exits 3 and imports nothing"
else
	not_ok "a missing source: status $status"
	sed 's/^/# /' "$scratch/err"
fi

# An edit survives a re-import, reported as a conflict: the import did
# not bring every article up to date, and exits 1.
edited=$articles/海口市美兰区.md
printf '\n编辑补充的一段。\n' >>"$edited"
cp "$edited" "$scratch/edited"
import $pages
status=$?
if [ $status -eq 1 ] && cmp -s "$edited" "$scratch/edited" &&
    grep -q "1 conflict" "$scratch/out" &&
    grep -q "海口市美兰区.md: warning: edited since it was imported" \
    "$scratch/err"; then
	ok "an edited article is kept and reported as a conflict"
else
	not_ok "an edited article is kept and reported as a conflict"
	sed 's/^/# /' "$scratch/out" "$scratch/err"
fi

import --dry-run $pages
status=$?
if [ $status -eq 1 ] && cmp -s "$edited" "$scratch/edited" &&
    grep -q "^conflict: content/articles/海口市美兰区.md" "$scratch/out"; then
	ok "--dry-run leaves the edit alone, shows the conflict and exits 1"
else
	not_ok "--dry-run with a conflict: status $status"
	sed 's/^/# /' "$scratch/out"
fi

# What --force would do, as a diff: the edit's lines go.
import --dry-run --force $pages
status=$?
sed -n '/^would write/,/^import:/p' "$scratch/out" >"$scratch/diff"
if [ $status -eq 0 ] && cmp -s "$edited" "$scratch/edited" &&
    [ "$(sed -n 1,3p "$scratch/diff")" = "would write content/articles/海口市美兰区.md:
--- a/content/articles/海口市美兰区.md
+++ b/content/articles/海口市美兰区.md" ] &&
    grep -q '^@@ -[0-9,]* +[0-9,]* @@$' "$scratch/diff" &&
    grep -qx -- "-编辑补充的一段。" "$scratch/diff" &&
    [ "$(grep -v -e '^--- ' -e '^+++ ' "$scratch/diff" | grep -c '^[-+]')" -eq 2 ] &&
    grep -q "1 would be written, 21 unchanged, 0 conflicts" "$scratch/out"
then
	ok "--dry-run --force shows a unified diff and writes nothing"
else
	not_ok "--dry-run --force shows a unified diff: status $status"
	sed 's/^/# /' "$scratch/out"
fi

import --force $pages
snapshot >"$scratch/forced"
if cmp -s "$scratch/committed" "$scratch/forced" &&
    grep -q "1 written, 21 unchanged, 0 conflicts" "$scratch/out"; then
	ok "--force overwrites the edited article"
else
	not_ok "--force overwrites the edited article"
fi

rm "$edited"
import $pages
check "a deleted article is written again" cmp -s "$edited" \
    "$TOP/content/articles/海口市美兰区.md"

# --dry-run in an empty site shows the files and writes none.
empty=$scratch/empty
mkdir -p "$empty/content"
cp "$TOP/content/themes.yaml" "$empty/content/"
"$JICENG" import --dry-run -C "$empty" $pages >"$scratch/out" 2>/dev/null
if [ ! -e "$empty/content/articles" ] &&
    [ ! -e "$empty/content/.import-manifest" ] &&
    grep -q "^would write content/articles/海南省澄迈县.md (new, [0-9]* lines)$" \
    "$scratch/out" && ! grep -q "^title:" "$scratch/out" &&
    grep -q "22 would be written" "$scratch/out"; then
	ok "--dry-run shows what it would write and writes nothing"
else
	not_ok "--dry-run shows what it would write and writes nothing"
fi

# Pages of our own: a hard-wrapped page and a series with its note.
"$JICENG" import -C "$empty" "$TOP"/tests/fixtures/import/*.txt \
    >"$scratch/out" 2>"$scratch/err"
check "fixture pages import" grep -q "5 articles: 5 written" "$scratch/out"
check "a wrapped headline over two lines" grep -q \
    "^title: 数字赋能 社区治理再升级" "$empty/content/articles/杭州市西湖区.md"
check "a body without wrap breaks" grep -q \
    "延伸到社区，建设smart city平台，让数据多跑路、群众少跑腿。" \
    "$empty/content/articles/杭州市西湖区.md"
check "a note names its series" grep -q "^series: 社区治理笔谈" \
    "$empty/content/articles/编者按-社区治理笔谈.md"
check "a municipality's district has no city" grep -q "^city: null" \
    "$empty/content/articles/重庆市九龙坡区.md"

# An editor's decision that finds no place on its page is an error at
# its entry, and the page gives no article; a key no gap has is one too.
decided=$scratch/decided
mkdir -p "$decided/content/sources"
cp "$TOP/content/themes.yaml" "$decided/content/"
cp "$TOP"/content/sources/003_66d4d7444e7339cc.txt "$decided/content/sources/"
yaml=$decided/content/sources/003_66d4d7444e7339cc.yaml
printf 'gaps:\n  - line: 22\n    before: 作品质\n' >"$yaml"
"$JICENG" import -C "$decided" "$decided"/content/sources/*.txt \
    >"$scratch/out" 2>"$scratch/err"
status=$?
if [ $status -eq 1 ] && [ ! -e "$decided/content/articles/包头市青山区.md" ] &&
    grep -q "003_66d4d7444e7339cc.yaml:2:5: error: gap: \"作品质\" is not on line 22 of 003_66d4d7444e7339cc.txt" \
    "$scratch/err"; then
	ok "a recorded gap not on its line is a located error, and nothing is written"
else
	not_ok "a recorded gap not on its line: status $status"
	sed 's/^/# /' "$scratch/err"
fi
printf 'gaps:\n  - line: 21\n    befor: 作品质\n' >"$yaml"
"$JICENG" import -C "$decided" "$decided"/content/sources/*.txt \
    >"$scratch/out" 2>"$scratch/err"
check "a gap's unknown key is a located error" \
    grep -q "003_66d4d7444e7339cc.yaml:3:5: error: unknown key \"befor\" in a gap" \
    "$scratch/err"
printf 'gaps:\n  - line: 21\n    before: 作品质\n' >"$yaml"
"$JICENG" import -C "$decided" "$decided"/content/sources/*.txt \
    >"$scratch/out" 2>"$scratch/err"
check "a recorded gap is marked where its text stands" grep -q \
    "提升城市基层党建〔原文缺〕作品质。" "$decided/content/articles/包头市青山区.md"

# The imported site builds, with a page for everything it names.
built=$scratch/built
make_site "$built" "$site/content"
if "$JICENG" build -C "$built" -o out >"$scratch/out" 2>"$scratch/err"; then
	ok "the imported site builds"
else
	not_ok "the imported site builds"
	sed 's/^/# /' "$scratch/err"
fi
missing=0
for f in "$articles"/*.md; do
	stem=$(basename "$f" .md)
	[ -f "$built/out/articles/$stem/index.html" ] || missing=$((missing + 1))
done
for p in $(sed -n 's/^province: //p' "$articles"/*.md | sort -u); do
	[ -f "$built/out/provinces/$p/index.html" ] || missing=$((missing + 1))
done
for t in $(sed -n 's/^- slug: //p' "$site/content/themes.yaml"); do
	[ -f "$built/out/themes/$t/index.html" ] || missing=$((missing + 1))
done
districts=$(find "$built/out/districts" -mindepth 2 -name index.html | wc -l)
check "every article, province and theme has its page" [ $missing -eq 0 ]
check "every district has its page (20 districts)" [ "$districts" -eq 20 ]

# One reader of themes.yaml: the importer takes what check takes, by the
# same rules and with the same messages.  A theme needs no description
# or keywords; a slug given twice is refused by both.
rules=$scratch/rules
make_site "$rules" "$TOP/sample"
rm -rf "$rules/content/articles"
mkdir -p "$rules/content/articles"
cat >"$rules/content/themes.yaml" <<'YAML'
- slug: grid
  name: 网格化管理
  keywords: [网格, 网格员]
- slug: quiet
  name: 无关键词的主题
YAML
"$JICENG" import -C "$rules" "$TOP/tests/fixtures/import/wrapped.txt" \
    >"$scratch/out" 2>"$scratch/err"
status=$?
if [ $status -eq 0 ] &&
    grep -q "^themes: \[grid\]$" "$rules/content/articles/杭州市西湖区.md" &&
    "$JICENG" check -C "$rules" >/dev/null 2>&1; then
	ok "a theme without description or keywords imports as it checks"
else
	not_ok "a theme without description or keywords: import status $status"
	sed 's/^/# /' "$scratch/err"
fi
cat >>"$rules/content/themes.yaml" <<'YAML'
- slug: grid
  name: 又一个网格
YAML
"$JICENG" check -C "$rules" >"$scratch/check" 2>&1
"$JICENG" import -C "$rules" "$TOP/tests/fixtures/import/wrapped.txt" \
    >"$scratch/out" 2>"$scratch/err"
status=$?
grep "themes.yaml" "$scratch/check" >"$scratch/check-themes"
grep "themes.yaml" "$scratch/err" >"$scratch/import-themes"
if [ $status -eq 1 ] && grep -q 'duplicate theme slug "grid"' \
    "$scratch/import-themes" &&
    cmp -s "$scratch/check-themes" "$scratch/import-themes"; then
	ok "a slug given twice is refused by import with check's message"
else
	not_ok "a slug given twice: import status $status"
	sed 's/^/# /' "$scratch/check-themes" "$scratch/import-themes"
fi
