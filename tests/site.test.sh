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
# The collation note explains the lacuna mark where the body has one.
check "the collation note explains the mark the article holds" grep -q \
    '标出印刷原文缺失文字之处' "$out/articles/新乡市红旗区/index.html"
check "the collation note explains no mark the article lacks" \
    test "$(grep -c '标出印刷原文缺失文字之处' \
    "$out/articles/海口市美兰区/index.html")" -eq 0
# 龙华区's text was printed under another headline, 195 lines above its own.
check "the footer opens the raw page where the article's text starts" \
    grep -q 'index.html#L4">原始版面 004</a>，第 4 行起' \
    "$out/articles/海口市龙华区/index.html"

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

# A damaged, foreign or stale cache is set aside, whole or one shard at a
# time: the build is then byte for byte the one a build from nothing
# makes.  Each case edits one article and damages the record of another,
# whose title would show the damage if it were trusted.
flip_byte() {	# FILE OFFSET: flips the low bit of one byte
	perl -e 'open(F, "+<", $ARGV[0]) or die; seek(F, $ARGV[1], 0);
	    read(F, $c, 1); seek(F, $ARGV[1], 0); print F chr(ord($c) ^ 1)' \
	    "$1" "$2"
}
edited=$site/content/articles/$(ls "$site/content/articles" | sed -n 1p)
victim=$site/content/articles/$(ls "$site/content/articles" | sed -n 2p)
edit_title() {
	sed "s/^title: .*/title: 第$1次修改的标题/" "$edited" >"$scratch/e"
	cat "$scratch/e" >"$edited"
}
# The shard of out/'s cache that holds the victim's record, and where in
# it its title lies.
title_in_cache() {
	t=$(sed -n 's/^title: //p' "$victim")
	grep -rboaF "$t" "$site/.jiceng-cache" | grep "^$cache_key\.[0-9]*:" |
	    head -1
}
same_as_fresh() {	# NAME
	if ! "$JICENG" build -C "$site" -o out >"$scratch/log4" 2>&1; then
		not_ok "$1: the build fails"
		sed 's/^/# /' "$scratch/log4"
		return
	fi
	rm -rf "$scratch/fresh"
	mkdir "$scratch/fresh"
	cp -R "$site/content" "$site/templates" "$site/assets" "$scratch/fresh/"
	"$JICENG" build -C "$scratch/fresh" -o out >"$scratch/log5" 2>&1
	if diff -r "$site/out" "$scratch/fresh/out" >"$scratch/diff"; then
		ok "$1: the same as a build from nothing"
	else
		not_ok "$1: differs from a build from nothing"
		head -5 "$scratch/diff" | sed 's/^/# /'
	fi
}
damage_case() {	# N NAME: edits, damages as $damage says, builds, compares
	"$JICENG" build -C "$site" -o out >/dev/null 2>&1
	hit=$(title_in_cache)
	if [ -z "$hit" ]; then
		not_ok "$2: no record of $victim in the cache"
		return
	fi
	file=${hit%%:*}
	offset=${hit#*:}
	offset=${offset%%:*}
	main=${file%.*}
	edit_title "$1"
	case $damage in
	record)	flip_byte "$file" $((offset + 1)) ;;
	shard)	head -c $((offset + 3)) "$file" >"$scratch/t"
		cat "$scratch/t" >"$file" ;;
	main)	flip_byte "$main" $(($(wc -c <"$main") / 2)) ;;
	engine)	flip_byte "$file" 9
		flip_byte "$main" 9 ;;
	stale)	# The victim's shard from before the victim changed.
		cp "$file" "$scratch/stale"
		sed "s/^title: .*/title: 改过的标题/" "$victim" >"$scratch/v"
		cat "$scratch/v" >"$victim"
		"$JICENG" build -C "$site" -o out >/dev/null 2>&1
		cp "$scratch/stale" "$file" ;;
	esac
	same_as_fresh "$2"
	# Another binary's cache is trusted for nothing: every page is made.
	if [ "$damage" = engine ]; then
		rendered() { sed -n 's/.*: \([0-9]*\) pages rendered.*/\1/p' "$1"; }
		check "cache: engine: every page rendered" \
		    test "$(rendered "$scratch/log4")" = \
		    "$(rendered "$scratch/log5")"
	fi
}
cache_key=$(cd "$site/.jiceng-cache" && "$JICENG" build -C .. -o out \
    >/dev/null 2>&1 && ls -t | head -1)
cache_key=$site/.jiceng-cache/${cache_key%%.*}
n=0
for damage in record shard main engine stale; do
	n=$((n + 1))
	damage_case "$n" "cache: $damage"
done

# Files removed from the output folder or replaced there are put back by
# the next build: a pack of index shards swapped for another file, a
# page written over in place, then a page and a pack of search documents
# removed.
"$JICENG" build -C "$site" -o out >/dev/null 2>&1
shard=$(ls "$site/out/search/shards" | head -1)
echo junk >"$scratch/junk"
mv "$scratch/junk" "$site/out/search/shards/$shard"
page=$(find "$site/out/articles" -name index.html | head -1)
echo junk >>"$page"
same_as_fresh "output files replaced"
rm "$site/out/404.html" "$site/out/search/docs/0.js"
same_as_fresh "output files removed"

# A #fragment of a page kept is checked against the page: the cache holds
# the ids only of the pages links named a fragment of, and a template that
# starts linking into a page kept finds its ids in the page itself.
new_scratch
frag=$scratch/site
make_site "$frag" "$TOP/content"
t=$frag/templates/article.mustache
cp "$t" "$scratch/article.mustache"
sed 's|href="{{author_href}}"|href="../../index.html"|' "$scratch/article.mustache" >"$t"
"$JICENG" build -C "$frag" -o out >/dev/null 2>&1
cp "$scratch/article.mustache" "$t"
if "$JICENG" build -C "$frag" -o out >"$scratch/log6" 2>&1; then
	ok "links into the authors kept find its ids"
else
	not_ok "links into the authors kept find its ids"
	sed 's/^/# /' "$scratch/log6"
fi
sed 's|href="{{author_href}}"|href="{{author_href}}x"|' "$scratch/article.mustache" >"$t"
if "$JICENG" build -C "$frag" -o out >"$scratch/log7" 2>&1; then
	not_ok "a link to an id the authors page lacks fails the build"
else
	check "a link to an id the authors page lacks fails the build" \
	    grep -q 'broken link ".*authors/index.html#.*x" (no id for' \
	    "$scratch/log7"
fi
