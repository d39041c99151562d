# Bad content and templates: every error reported as path:line:col, all
# of them in one run, exit status 1, and the previous output untouched.
. "$TOP/tests/lib.sh"

new_scratch
base=$scratch/base
make_site "$base" "$TOP/tests/golden/basic/content"
"$JICENG" build -C "$base" -o out >/dev/null 2>&1
(cd "$base/out" && find . -type f | sort | xargs md5sum) >"$scratch/before"

# expect_error NAME PATTERN: builds $base after the caller broke it.
expect_error() {
	name=$1
	pattern=$2
	"$JICENG" build -C "$base" -o out >"$scratch/out" 2>"$scratch/err"
	status=$?
	(cd "$base/out" && find . -type f | sort | xargs md5sum) >"$scratch/after"
	if [ $status -ne 1 ]; then
		not_ok "$name: exit status $status, not 1"
	elif ! grep -qE "$pattern" "$scratch/err"; then
		not_ok "$name: no message matching $pattern"
		sed 's/^/# /' "$scratch/err"
	elif ! cmp -s "$scratch/before" "$scratch/after"; then
		not_ok "$name: the previous output changed"
	else
		ok "$name"
	fi
}

# with_file PATH CONTENT: replaces one file, runs the rest, restores it.
art=$base/content/articles
cp -R "$base/content" "$scratch/content.orig"
cp -R "$base/templates" "$scratch/templates.orig"
restore() {
	rm -rf "$base/content" "$base/templates"
	cp -R "$scratch/content.orig" "$base/content"
	cp -R "$scratch/templates.orig" "$base/templates"
}

printf -- '---\ntitle: [broken\n---\nx\n' >"$art/bad.md"
expect_error "malformed YAML" \
    '^content/articles/bad.md:3:1: error: malformed YAML'
restore

printf -- '---\nprovince: 海南省\ncity: 海口市\ndistrict: 美兰区\n---\nx\n' \
    >"$art/bad.md"
expect_error "missing title" \
    '^content/articles/bad.md:1:1: error: missing "title"'
restore

printf -- '---\ntitle: t\nprovince: 海南省\ncity: 海口市\n---\nx\n' >"$art/bad.md"
expect_error "missing district" \
    '^content/articles/bad.md:1:1: error: missing "district"'
restore

printf -- '---\ntitle: t\nprovince: 海南省\ncity: 海口市\ndistrict: 秀英区\nthemes: [gird]\n---\nx\n' \
    >"$art/bad.md"
expect_error "unknown theme" \
    'content/articles/bad.md:6:10: error: unknown theme "gird" \(did you mean "grid"\?\)'
restore

printf -- '---\ntitle: t\nprovince: 海南省\ncity: 海口市\ndistrict: 秀英区\nslug: 海口市美兰区\n---\nx\n' \
    >"$art/bad.md"
expect_error "duplicate slug" \
    'content/articles/bad.md and content/articles/海口市美兰区.md both make'
restore

# The README's first example of a theme was a second 志愿服务.
printf -- '- slug: grid2\n  name: 网格化管理\n  description: d\n  keywords: [网格]\n' \
    >>"$base/content/themes.yaml"
expect_error "duplicate theme name" \
    '^content/themes.yaml:13:1: error: duplicate theme name "网格化管理" \(theme "grid" at line 1 has it\)'
restore

printf -- '---\ntitle: t\377\nprovince: 海南省\ncity: 海口市\ndistrict: 秀英区\n---\nx\n' \
    >"$art/bad.md"
expect_error "invalid UTF-8" \
    '^content/articles/bad.md:2:9: error: invalid UTF-8'
restore

# Two broken files: one run reports both.
printf -- '---\ntitle: [broken\n---\n' >"$art/bad1.md"
printf -- '---\ntitle: t\n---\n' >"$art/bad2.md"
expect_error "all errors at once" 'bad1.md.*'
if grep -q bad1.md "$scratch/err" && grep -q bad2.md "$scratch/err"; then
	ok "both files reported"
else
	not_ok "both files reported"
fi
restore

printf '{{#articles}}unclosed\n' >"$base/templates/theme.mustache"
expect_error "template error" \
    '^templates/theme.mustache:1:1: error: .*unclosed'
restore

printf '{{<base}}{{$content}}{{>nowhere}}{{/content}}{{/base}}\n' \
    >"$base/templates/theme.mustache"
expect_error "missing partial" \
    '^templates/theme.mustache:1:[0-9]+: error: missing partial "nowhere"'
restore

# A broken link in an article is reported where the editor wrote it:
# line and column (in characters) of the Markdown file.
lines=$(wc -l <"$art/海口市美兰区.md")
printf '\n前文 [a link](../../nowhere/index.html)\n' >>"$art/海口市美兰区.md"
expect_error "broken link" \
    "^content/articles/海口市美兰区.md:$((lines + 2)):4: error: broken link \"../../nowhere/index.html\" \\(no nowhere/index.html\\)"
restore

# Pages kept from the last build are checked too: every one of them links
# to the style sheet.
"$JICENG" build -C "$base" -o out >/dev/null 2>&1
mv "$base/assets/style.css" "$scratch/style.css"
expect_error "broken link from kept pages" \
    'error: broken link "[./]*assets/style\.css" \(no assets/style\.css; [0-9]+ links in all\)'
mv "$scratch/style.css" "$base/assets/style.css"

"$JICENG" build -C "$base" -o out --bogus >/dev/null 2>&1
check "usage error exits 2" test $? -eq 2
"$JICENG" build -C "$scratch/nowhere" -o out >/dev/null 2>&1
check "a missing site folder exits 3 (I/O)" test $? -eq 3
# A folder without content/: one message, exit 3, nothing written.
mkdir "$scratch/empty"
(cd "$scratch/empty" && "$JICENG" build) >/dev/null 2>"$scratch/err"
status=$?
if [ $status -eq 3 ] && [ "$(sed -n 1p "$scratch/err")" = \
    'content: error: no such folder: this folder is not a site ("jiceng init" makes one)' ] &&
    [ "$(wc -l <"$scratch/err")" -eq 2 ] && [ -z "$(ls -A "$scratch/empty")" ]; then
	ok "a folder without content/ exits 3 with one error"
else
	not_ok "a folder without content/: status $status"
	sed 's/^/# /' "$scratch/err"
fi

# An output folder that holds something else is left alone.
mkdir "$scratch/other"
echo keep >"$scratch/other/notes.txt"
"$JICENG" build -C "$base" -o "$scratch/other" >/dev/null 2>"$scratch/err"
status=$?
if [ $status -eq 3 ] && grep -q "refusing to write into a folder" \
    "$scratch/err" && [ "$(cat "$scratch/other/notes.txt")" = keep ] &&
    [ ! -e "$scratch/other/index.html" ]; then
	ok "a folder that is not a site is refused"
else
	not_ok "a folder that is not a site: status $status"
	sed 's/^/# /' "$scratch/err"
fi

# A site with many warnings: a build names the first hundred and says how
# many more there are; jiceng check names every one.  Each article here
# stops mid-sentence, one warning each.
restore
for i in $(seq 101 230); do
	printf -- '---\ntitle: 第%s篇\nprovince: 海南省\ncity: 海口市\ndistrict: 美兰区\n---\n社区网格员走街入户，守好\n' \
	    "$i" >"$art/w$i.md"
done
"$JICENG" build -C "$base" -o out >/dev/null 2>"$scratch/err"
status=$?
shown=$(grep -c ': warning: ' "$scratch/err")
if [ $status -eq 0 ] && [ "$shown" -eq 100 ] &&
    grep -q '^jiceng: 30 more warnings not shown; jiceng check lists every one$' \
    "$scratch/err"; then
	ok "a build names a hundred warnings and counts the rest"
else
	not_ok "many warnings: status $status, $shown shown"
	tail -3 "$scratch/err" | sed 's/^/# /'
fi
"$JICENG" check -C "$base" >/dev/null 2>"$scratch/err"
shown=$(grep -c ': warning: ' "$scratch/err")
if [ "$shown" -eq 130 ] && ! grep -q 'not shown' "$scratch/err"; then
	ok "jiceng check names every warning"
else
	not_ok "jiceng check named $shown warnings of 130"
fi
restore
