# The whole site: builds the project's own content/ and checks that every
# page kind is there, links are relative and resolve, output is the same
# bytes every time, and a build that changes nothing writes nothing.
. "$TOP/tests/lib.sh"

new_scratch
site=$scratch/site
make_site "$site" "$TOP/content"

if "$JICENG" build -C "$site" -o out >"$scratch/log" 2>&1; then
	ok "content builds (every link resolves)"
else
	not_ok "content builds"
	sed 's/^/# /' "$scratch/log"
fi
out=$site/out

for f in index.html districts/index.html themes/index.html \
    search/index.html 404.html feed.xml sitemap.xml robots.txt \
    assets/style.css; do
	check "page $f exists" test -s "$out/$f"
done
for kind in articles districts provinces themes; do
	n=$(find "$out/$kind" -mindepth 2 -name index.html | wc -l)
	if [ "$n" -gt 0 ]; then ok "$n $kind pages"; else not_ok "no $kind pages"; fi
done
n=$(ls "$TOP"/content/articles/*.md 2>/dev/null | wc -l)
m=$(find "$out/articles" -mindepth 2 -name index.html | wc -l)
if [ "$n" -eq "$m" ]; then ok "one page per article ($n)"; else
	not_ok "$n articles but $m article pages"; fi

# No root-absolute internal link: they break under a sub-path.
if grep -rlE '(href|src)="/[^/]' "$out" --include='*.html' >"$scratch/abs"; then
	not_ok "root-absolute links in $(wc -l <"$scratch/abs") files"
else
	ok "no root-absolute links"
fi
check "html lang is zh-CN" grep -q '<html lang="zh-CN">' "$out/index.html"
check "canonical from base_url" grep -q \
    'rel="canonical" href="https://jiceng.example.org/"' "$out/index.html"

# A build from nothing leaves a cache the next build finds, whether the
# output folder is named by a relative or an absolute path.
for o in public "$site/abs/"; do
	(cd "$site" && "$JICENG" build -o "$o" && "$JICENG" build -o "$o") \
	    >"$scratch/log1" 2>&1
	check "the build after the first renders nothing ($o)" \
	    grep -q ': 0 pages rendered, 0 files' "$scratch/log1"
done

# Deterministic: another build, on one thread, gives the same bytes.
"$JICENG" build -C "$site" -o out2 -j 1 >/dev/null 2>&1
if diff -r "$out" "$site/out2" >/dev/null; then ok "deterministic"; else
	not_ok "two builds differ"; fi

# A build that changes nothing rewrites nothing: mtimes stay.
find "$out" -type f -newer "$scratch/log" >"$scratch/newer0"
touch -d '2001-01-01' $(find "$out" -type f)
"$JICENG" build -C "$site" -o out >"$scratch/log2" 2>&1
if grep -q ' 0 files written' "$scratch/log2" &&
    [ -z "$(find "$out" -type f -newermt '2001-01-02')" ]; then
	ok "an unchanged build writes nothing"
else
	not_ok "an unchanged build rewrote files: $(cat "$scratch/log2")"
fi

# The same site under another base URL: only absolute URLs change.
"$JICENG" build -C "$site" -o out3 --base-url https://host.example/a/b/ \
    >/dev/null 2>&1
check "base-url override reaches the feed" grep -q \
    'https://host.example/a/b/articles/' "$site/out3/feed.xml"
