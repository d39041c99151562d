# Long listings: a district, province or theme with more than 50 articles
# goes on over page/2/, page/3/, ..., each page linking to the others and
# listed in the sitemap; when the listing shrinks, the pages it no longer
# needs leave the output.  The table of contents, a city and the index of
# authors, a line per article or author, take 200 a page.
. "$TOP/tests/lib.sh"

new_scratch
site=$scratch/site
make_site "$site" "$TOP/content"
rm -f "$site"/content/articles/*.md

# write_articles N: articles 1..N, all in one district and theme.
write_articles() {
	rm -f "$site"/content/articles/*.md
	for n in $(seq 1 "$1"); do
		cat >"$site/content/articles/a$(printf %03d "$n").md" <<ARTICLE
---
title: 第${n}篇
province: 海南省
city: 海口市
district: 美兰区
author: 作者${n}
themes: [grid]
---

第${n}篇：网格员走街入户，网格化管理落到实处。
ARTICLE
	done
}

# cards FILE: how many article cards the page lists.
cards() {
	grep -c '<li class="card">' "$1"
}

write_articles 120
if ! "$JICENG" build -C "$site" -o out >"$scratch/log" 2>&1; then
	not_ok "a site of 120 articles builds"
	sed 's/^/# /' "$scratch/log"
	exit 0
fi
out=$site/out
for listing in districts/海口市美兰区 provinces/海南省 themes/grid; do
	d=$out/$listing
	got="$(cards "$d/index.html") $(cards "$d/page/2/index.html") $(cards "$d/page/3/index.html")"
	if [ "$got" = "50 50 20" ] && [ ! -e "$d/page/4" ] && [ ! -e "$d/page/1" ]; then
		ok "$listing: 120 articles on three pages of 50, 50 and 20"
	else
		not_ok "$listing: cards per page $got"
	fi
done

p2=$out/themes/grid/page/2/index.html
check "page 2 links back to page 1" \
    grep -q '<a rel="prev" href="../../index.html">' "$p2"
check "page 2 links on to page 3" \
    grep -q '<a rel="next" href="../3/index.html">' "$p2"
check "page 2 marks itself current" \
    grep -q '<span aria-current="page">2</span>' "$p2"
check "page 2 is titled as such" grep -q '<title>网格化管理（第2页）' "$p2"
check "page 1 links to page 3" \
    grep -q 'href="page/3/index.html"' "$out/themes/grid/index.html"
check_fails "the last page has no next" \
    grep -q 'rel="next"' "$out/themes/grid/page/3/index.html"
check "the sitemap lists page 3" grep -q \
    'https://jiceng.example.org/themes/grid/page/3/' "$out/sitemap.xml"
check "the first article is on page 1" grep -q '>第1篇<' \
    "$out/districts/海口市美兰区/index.html"
check "the 101st article is on page 3" grep -q '>第101篇<' \
    "$out/districts/海口市美兰区/page/3/index.html"

# 450 articles: 200 lines a page in the table of contents, the city and
# the authors; a byline leads to its entry on the page it is on.
write_articles 450
if ! "$JICENG" build -C "$site" -o out >"$scratch/log" 2>&1; then
	not_ok "a site of 450 articles builds"
	sed 's/^/# /' "$scratch/log"
fi
rows() {
	grep -c '<li><a class="toc-title"' "$1"
}
entries() {
	grep -c '<div class="author-entry"' "$1"
}
for listing in articles cities/海南省海口市; do
	d=$out/$listing
	got="$(rows "$d/index.html") $(rows "$d/page/2/index.html") $(rows "$d/page/3/index.html")"
	if [ "$got" = "200 200 50" ] && [ ! -e "$d/page/4" ]; then
		ok "$listing: 450 lines on three pages of 200, 200 and 50"
	else
		not_ok "$listing: lines per page $got"
	fi
done
d=$out/authors
got="$(entries "$d/index.html") $(entries "$d/page/2/index.html") $(entries "$d/page/3/index.html")"
if [ "$got" = "200 200 50" ]; then
	ok "authors: 450 entries on three pages of 200, 200 and 50"
else
	not_ok "authors: entries per page $got"
fi
check "the table of contents' page 3 is titled as such"     grep -q '<title>目录（第3页）' "$out/articles/page/3/index.html"
check "a byline leads to its author's entry on page 3 of the authors"     grep -q 'class="author" href="../../authors/page/3/index.html#%E4%BD%9C%E8%80%85450-%E6%B5%B7%E5%8F%A3%E5%B8%82%E7%BE%8E%E5%85%B0%E5%8C%BA"'     "$out/articles/a450/index.html"
check "the sitemap lists the authors' page 3" grep -q \
    'https://jiceng.example.org/authors/page/3/' "$out/sitemap.xml"

# Shrinking to 60 articles: page 3 goes, incrementally as from nothing.
write_articles 60
"$JICENG" build -C "$site" -o out >"$scratch/log" 2>&1
"$JICENG" build -C "$site" -o clean >"$scratch/log2" 2>&1
if [ ! -e "$out/themes/grid/page/3" ] && [ -e "$out/themes/grid/page/2" ] &&
    diff -r "$out" "$site/clean" >/dev/null; then
	ok "60 articles: page 3 removed, the rest as a clean build"
else
	not_ok "shrinking the listing: $(cat "$scratch/log")"
fi
# A single page has no pagination at all.
write_articles 50
"$JICENG" build -C "$site" -o out >"$scratch/log" 2>&1
if [ ! -e "$out/themes/grid/page" ] &&
    ! grep -q 'class="pagination"' "$out/themes/grid/index.html"; then
	ok "50 articles: one page, no pagination"
else
	not_ok "50 articles still paginated"
fi

# A district names at most 24 others of its province, the nearest in the
# province's order, and links to the province for the rest.
rm -f "$site"/content/articles/*.md
for n in $(seq 10 39); do
	cat >"$site/content/articles/d$n.md" <<ARTICLE
---
title: 第${n}区的文章
province: 海南省
city: 海口市
district: 第${n}区
themes: []
---

正文。
ARTICLE
done
"$JICENG" build -C "$site" -o out >"$scratch/log" 2>&1
page=$out/districts/海口市第20区/index.html
shown=$(sed -n '/id="neighbours-heading"/,/<\/section>/p' "$page" |
    grep -o '<li>' | wc -l)
if [ "$shown" -eq 24 ] &&
    grep -q '海口市</span>第34区<' "$page" &&
    ! grep -q '海口市</span>第35区<' "$page" &&
    grep -q '>海南省的全部区县</a>' "$page"; then
	ok "30 districts: a page names 24 neighbours and links to the rest"
else
	not_ok "30 districts: $shown neighbours shown"
fi
