#!/bin/sh
# The search comparison: jiceng's index against Pagefind's (npm pagefind
# 1.6.0 with @pagefind/linux-x64, pinned in bench/search/package.json),
# the search tool static sites usually add, on the same synthetic site.
#
#   sh bench/search/compare.sh [BUILD]
#
# BUILD (default build) holds jiceng, gensite and libjiceng.a: run
# `make BUILD/jiceng BUILD/gensite` first.  Node, npm and Chromium with
# playwright-core in build/node come from `sh scripts/test-deps.sh`;
# Pagefind is installed into build/bench-node from the pinned lock file
# (npm install, not npm ci: the registry need not hold every platform's
# optional package).  Then, in a scratch folder:
#
#   1. gensite makes the site (COMPARE_SIZE articles) and jiceng builds
#      it from nothing, timed by GNU time (wall seconds, peak RSS);
#   2. bench/search/searchtime.c, built against libjiceng.a, times the
#      search index alone as a build writes it: from nothing, patched
#      with nothing changed, and patched after a one-article edit
#      (both jiceng steps COMPARE_RUNS times, the median reported);
#   3. Pagefind indexes a copy of the output, timed the same way:
#        pagefind_extended --site COPY --force-language zh
#            --glob 'articles/**/*.html' --root-selector article.article
#            --exclude-selectors '.tags, .series, .article-footer,
#            .series-members'
#      (the article pages only, and in them the title, byline, place and
#      body: the text jiceng indexes);
#   4. bench/search/compare.mjs serves the copy, with a page using
#      Pagefind's default UI, and measures both in headless Chromium:
#      bytes per query, then top results and recall for ten queries.
#
# The tables replace the "Search" section of bench/RESULTS.md (other
# sections stay).  Environment (defaults in brackets):
#   COMPARE_SIZE      articles [10000]
#   COMPARE_RUNS      runs of jiceng's timings [3]
#   COMPARE_DIR       where the scratch folder goes [/tmp]; removed at
#                     the end unless COMPARE_KEEP=1
#   COMPARE_PAGEFIND_AS  a cap on Pagefind's address space in bytes
#                     (prlimit --as), so that a machine others share is
#                     not run out of memory; Pagefind then fails rather
#                     than the others [none]
#   COMPARE_RESULTS   the file whose section is rewritten
#                     [bench/RESULTS.md]; empty: print only
set -eu

top=$(cd "$(dirname "$0")/../.." && pwd)
build=$(cd "${1:-$top/build}" && pwd)
size=${COMPARE_SIZE:-10000}
runs=${COMPARE_RUNS:-3}
results=${COMPARE_RESULTS-$top/bench/RESULTS.md}
export LC_ALL=C.UTF-8 TZ=UTC

say() {
	echo "compare: $*" >&2
}

for tool in "$build/jiceng" "$build/gensite" "$build/libjiceng.a"; do
	[ -e "$tool" ] || { say "$tool is missing: make $tool"; exit 2; }
done
[ -x /usr/bin/time ] || { say "GNU time is missing: apt-get install time"; exit 2; }
if [ ! -d "$top/build/node/node_modules/playwright-core" ] ||
    ! command -v chromium >/dev/null 2>&1; then
	sh "$top/scripts/test-deps.sh"
fi

# Pagefind, pinned, into build/bench-node.
node_dir=$top/build/bench-node
if ! cmp -s "$top/bench/search/package-lock.json" "$node_dir/package-lock.json" ||
    [ ! -d "$node_dir/node_modules/@pagefind/linux-x64" ]; then
	say "installing Pagefind into $node_dir"
	rm -rf "$node_dir"
	mkdir -p "$node_dir"
	cp "$top/bench/search/package.json" "$top/bench/search/package-lock.json" \
	    "$node_dir/"
	(cd "$node_dir" && npm install --no-audit --no-fund --loglevel=error) >&2
fi
pagefind=$node_dir/node_modules/@pagefind/linux-x64/bin/pagefind_extended
pagefind_version=$("$pagefind" --version)

work=$(mktemp -d "${COMPARE_DIR:-/tmp}/jiceng-search.XXXXXX")
if [ "${COMPARE_KEEP:-0}" = 1 ]; then
	trap 'say "kept $work"' EXIT
else
	trap 'rm -rf "$work"' EXIT
fi
trap 'exit 130' INT TERM
say "working in $work"

# timed NAME COMMAND...: "seconds peak_kb" of COMMAND into $work/NAME.time,
# its output into $work/NAME.log; "failed" when it fails.
timed() {
	name=$1
	shift
	if /usr/bin/time -f "%e %M" -o "$work/$name.time" "$@" \
	    >"$work/$name.log" 2>&1; then
		return 0
	fi
	say "$name failed:"
	tail -5 "$work/$name.log" >&2
	echo "failed" >>"$work/$name.time"
	return 1
}

say "$size articles: generating"
site=$work/site
mkdir -p "$site/content"
"$build/gensite" "$site" "$top/content/sources" "$top/content/themes.yaml" "$size"
cp "$top/content/site.yaml" "$top/content/themes.yaml" "$site/content/"
cp -R "$top/templates" "$top/assets" "$site/"

cc -std=c11 -O2 -D_DEFAULT_SOURCE -D_GNU_SOURCE -o "$work/searchtime" \
    "$top/bench/search/searchtime.c" "$build/libjiceng.a" \
    $(pkg-config --libs libcmark yaml-0.1 libutf8proc jansson libmicrohttpd \
    libxxhash) -lpthread -lm
load=$(cut -d' ' -f1-3 /proc/loadavg)
r=1
while [ "$r" -le "$runs" ]; do
	say "jiceng: building, run $r of $runs"
	rm -rf "$site/public" "$site/.jiceng-cache"
	timed jiceng "$build/jiceng" build -C "$site" --timings
	cat "$work/jiceng.time" >>"$work/jiceng.times"
	say "jiceng: the search index alone, run $r of $runs"
	timed searchtime "$work/searchtime" "$site" "$work/searchout"
	cat "$work/searchtime.log" >>"$work/searchtime.all"
	rm -rf "$work/searchout" "$work/searchout.state"
	r=$((r + 1))
done

say "Pagefind: indexing"
copy=$work/copy
cp -R "$site/public" "$copy"
cap=""
[ -n "${COMPARE_PAGEFIND_AS:-}" ] && cap="prlimit --as=$COMPARE_PAGEFIND_AS"
pagefind_ok=1
timed pagefind $cap "$pagefind" --site "$copy" --force-language zh \
    --glob 'articles/**/*.html' --root-selector article.article \
    --exclude-selectors '.tags, .series, .article-footer, .series-members' ||
    pagefind_ok=0
mkdir -p "$copy/pagefind-search"
cat >"$copy/pagefind-search/index.html" <<'HTML'
<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>搜索 (Pagefind)</title>
<link href="../pagefind/pagefind-ui.css" rel="stylesheet">
<script src="../pagefind/pagefind-ui.js"></script>
</head>
<body>
<main><h1>搜索</h1><div id="search"></div></main>
<script>
window.addEventListener("DOMContentLoaded", function () {
	new PagefindUI({ element: "#search", pageSize: 10, showImages: false,
	    showSubResults: false });
});
</script>
</body>
</html>
HTML

index_bytes() {
	find "$@" -type f -printf '%s\n' | awk '{ n++; b += $1 }
	    END { printf "%d files, %.1f MB", n, b / 1048576 }'
}
jiceng_index=$(index_bytes "$site/public/search")
pagefind_index=$( [ "$pagefind_ok" = 1 ] && index_bytes "$copy/pagefind" || echo "-")

# median: the median of the numbers on stdin, one a line.
median() {
	sort -g | awk '{ v[NR] = $1 } END {
		if (NR % 2) print v[(NR + 1) / 2];
		else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
# seconds_mb NAME: "S s | M MB" (medians) from $work/NAME.time(s).
seconds_mb() {
	f=$work/$1.times
	[ -f "$f" ] || f=$work/$1.time
	if grep -q failed "$f"; then
		awk 'NF == 2 { printf "%s s | %.0f MB (failed)", $1, $2 / 1024 }' "$f"
		return
	fi
	printf '%s s | %s MB' "$(awk 'NF == 2 { print $1 }' "$f" | median)" \
	    "$(awk 'NF == 2 { printf "%.0f\n", $2 / 1024 }' "$f" | median)"
}
# search_line WHAT: a line of searchtime's first run.
search_line() {
	grep "^$1 " "$work/searchtime.all" | head -1
}
# search_median WHAT FIELD: the median of a field of searchtime's lines.
search_median() {
	grep "^$1 " "$work/searchtime.all" | awk -v f="$2" '{ print f < 0 ? $(NF + f) : $f }' | median
}

{
	echo "Commands: \`sh bench/search/compare.sh\` (bench/search/compare.sh,"
	echo "compare.mjs, searchtime.c) on a site of $size articles from"
	echo "\`gensite\`, on $(nproc) cores shared with other jobs (load average"
	echo "$load at the start); $pagefind_version (npm \`pagefind\` with"
	echo "\`@pagefind/linux-x64\`).  jiceng's times are medians of $runs runs,"
	echo "Pagefind's of one."
	echo
	echo "| | time | peak memory | index |"
	echo "|---|---:|---:|---:|"
	echo "| jiceng build from nothing (every page and the index) | $(seconds_mb jiceng) | $jiceng_index |"
	echo "| jiceng search index alone, from nothing | $(search_median full 2) ms | $(search_median full -1) MB, $(search_median loaded -1) MB of it the loaded site | |"
	echo "| jiceng search index alone, patched, nothing changed | $(search_median nochange 2) ms | | $(search_line nochange | sed 's/.*files: //; s/;.*//') |"
	echo "| jiceng search index alone, patched, one article edited | $(search_median edit 2) ms | | $(search_line edit | sed 's/.*files: //; s/;.*//') |"
	echo "| Pagefind (\`pagefind_extended\`, article pages only) | $(seconds_mb pagefind) | $pagefind_index |"
	echo
	if [ "$pagefind_ok" = 1 ]; then
		node "$top/bench/search/compare.mjs" "$copy"
	else
		echo "Pagefind did not finish (see the table), so there is no"
		echo "browser comparison at this size."
	fi
} >"$work/search.md"
cat "$work/search.md"

# replace_section FILE TITLE BODY_FILE: as bench/run.sh does.
replace_section() {
	[ -f "$1" ] || printf '# Benchmarks\n' >"$1"
	awk -v title="## $2" -v body="$3" '
		function emit() {
			print title; print "";
			while ((getline l < body) > 0) print l;
			print ""; done = 1 }
		$0 == title { emit(); skip = 1; next }
		skip && /^## / { skip = 0 }
		!skip { print }
		END { if (!done) { print ""; emit() } }' "$1" >"$1.new"
	cat -s "$1.new" >"$1"
	rm -f "$1.new"
}
if [ -n "$results" ]; then
	replace_section "$results" "Search" "$work/search.md"
	say "wrote $results"
fi
