#!/bin/sh
# make bench: jiceng against Hugo and against the floor on synthetic sites,
# and jiceng's incremental builds.
#
#   sh bench/run.sh BUILD/jiceng
#
# BUILD/gensite and BUILD/floor (bench/*.c) sit beside the binary.  For
# every size it makes the same articles twice (jiceng's and Hugo's front
# matter, bench/gensite.c) and times, several times and interleaved, a
# full jiceng build, Hugo with and without related content (bench/hugo/),
# and the floor (bench/floor.c).  At one size it then times jiceng's
# no-change build, one-article edit and template edit.  Progress goes to
# stderr; the tables go to stdout and replace their two sections of
# bench/RESULTS.md.
#
# Environment (defaults in brackets):
#   BENCH_SIZES        articles per site ["1000 10000 100000"]
#   BENCH_RUNS         timed runs of each build [5]
#   BENCH_RUNS_LARGE   runs at 100,000 articles and more [3]
#   BENCH_HUGO_RUNS_LARGE  Hugo's runs there [1]: each takes about half
#                      an hour and 18 GB on two cores
#   BENCH_INCREMENTAL  size of the incremental runs, if among the sizes [10000]
#   BENCH_HUGO_RELATED_MAX  largest site Hugo builds with related content
#                      [10000]; its cost grows with the square of the size
#   BENCH_DIR          where the scratch folder goes [/tmp]; it is removed
#                      at the end unless BENCH_KEEP=1
#   BENCH_QUIET        first wait (up to 30 minutes) for the one-minute
#                      load average to fall below this, e.g. 0.5
#   BENCH_RESULTS      the file whose sections are rewritten
#                      [bench/RESULTS.md]; empty: none
set -eu

if [ $# -ne 1 ] || [ ! -x "$1" ]; then
	echo "usage: sh bench/run.sh BUILD/jiceng" >&2
	exit 2
fi
top=$(cd "$(dirname "$0")/.." && pwd)
jiceng=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
gensite=$(dirname "$jiceng")/gensite
floor=$(dirname "$jiceng")/floor
sizes=${BENCH_SIZES:-1000 10000 100000}
runs=${BENCH_RUNS:-5}
runs_large=${BENCH_RUNS_LARGE:-3}
hugo_runs_large=${BENCH_HUGO_RUNS_LARGE:-1}
incremental_at=${BENCH_INCREMENTAL:-10000}
related_max=${BENCH_HUGO_RELATED_MAX:-10000}
results=${BENCH_RESULTS-$top/bench/RESULTS.md}
export LC_ALL=C.UTF-8 TZ=UTC

say() {
	echo "bench: $*" >&2
}

# need_package COMMAND PACKAGE: installs PACKAGE with apt-get as root, as
# scripts/deps.sh does; otherwise prints the command and fails.
need_package() {
	command -v "$1" >/dev/null 2>&1 && return 0
	if [ "$(id -u)" = 0 ]; then
		say "installing $2"
		DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2 &&
		    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
		    --no-install-recommends "$2" >&2
	else
		say "$2 is missing; run as root:"
		echo "  apt-get install -y $2" >&2
		return 1
	fi
}

[ -x /usr/bin/time ] || need_package /usr/bin/time time ||
    { say "GNU time is needed to measure"; exit 1; }
if need_package hugo hugo; then
	have_hugo=1
else
	have_hugo=0
	say "skipping Hugo"
fi
for tool in "$gensite" "$floor"; do
	[ -x "$tool" ] || { say "$tool is missing: run make bench"; exit 2; }
done

largest=0
for n in $sizes; do
	[ "$n" -gt "$largest" ] && largest=$n
done
# Content, Hugo's copy of it and one round's outputs (they are deleted
# after each round): about 130 KB an article on disk, measured.
need_kb=$((largest * 160))
parent=${BENCH_DIR:-/tmp}
free_kb=$(df -Pk "$parent" | awk 'NR == 2 { print $4 }')
if [ "$free_kb" -lt "$need_kb" ]; then
	say "$parent has $((free_kb / 1024)) MB free, $((need_kb / 1024)) MB needed"
	exit 3
fi
work=$(mktemp -d "$parent/jiceng-bench.XXXXXX")
if [ "${BENCH_KEEP:-0}" = 1 ]; then
	trap 'say "kept $work"' EXIT
else
	trap 'rm -rf "$work"' EXIT
fi
trap 'exit 130' INT TERM
say "working in $work"

# timed NAME COMMAND...: runs COMMAND under GNU time, its output in
# $work/log; appends "wall cpu rss_kb" to $work/m/NAME.
timed() {
	name=$1
	shift
	/usr/bin/time -f "%e %U %S %M" -o "$work/time" "$@" >"$work/log" 2>&1 || {
		say "$name failed:"
		tail -20 "$work/log" >&2
		exit 1
	}
	awk '{ printf "%s %.2f %s %s %s\n", $1, $2 + $3, $4, $2, $3 }' \
	    "$work/time" \
	    >>"$work/m/$name"
}

# median NAME FIELD: the median of one column of $work/m/NAME.
median() {
	[ -s "$work/m/$1" ] || { echo "-"; return; }
	awk -v f="$2" '{ print $f }' "$work/m/$1" | sort -g |
	    awk '{ v[NR] = $1 } END {
		if (NR % 2) print v[(NR + 1) / 2];
		else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# files_and_bytes DIR: "FILES BYTES" of the regular files under DIR.
files_and_bytes() {
	find "$1" -type f -printf '%s\n' |
	    awk '{ n++; b += $1 } END { printf "%d %.0f\n", n, b }'
}

# A build starts with no output and no cache; the page cache is warm
# (the content read once first) and nothing is left to write back.  Old
# outputs are moved aside, not deleted: ext4 without a journal will not
# reuse an inode freed less than a minute ago, and after a large delete
# every file a build creates pays for a scan past the freed ones.
settle() {
	for dir in "$@"; do
		[ -e "$dir" ] || continue
		trashed=$((trashed + 1))
		mkdir -p "$work/trash"
		mv "$dir" "$work/trash/$trashed"
	done
	sync
}

# Deletes what settle moved aside, then lets the freed inodes age.
empty_trash() {
	[ -d "$work/trash" ] || return 0
	say "deleting old outputs, then waiting a minute"
	rm -rf "$work/trash"
	sync
	sleep 65
}
trashed=0

make_sites() {
	n=$1
	say "$n articles: generating"
	j=$work/$n/jiceng
	h=$work/$n/hugo
	mkdir -p "$j/content" "$h/static"
	"$gensite" "$j" "$top/content/sources" "$top/content/themes.yaml" "$n"
	cp "$top/content/site.yaml" "$top/content/themes.yaml" "$j/content/"
	cp -R "$top/templates" "$top/assets" "$j/"
	"$gensite" "$h" "$top/content/sources" "$top/content/themes.yaml" \
	    "$n" hugo
	cp -R "$top/bench/hugo/hugo.yaml" "$top/bench/hugo/norelated.yaml" \
	    "$top/bench/hugo/layouts" "$h/"
	cp -R "$top/assets" "$h/static/"
}

jiceng_build() {
	timed "$1" "$jiceng" build -C "$j" --timings
	grep '^built ' "$work/log" >>"$work/m/$1.built"
	awk '$3 == "ms" && NF == 3 { print $1, $2 }' "$work/log" \
	    >>"$work/m/$1.phases"
}

hugo_build() {
	name=$1
	config=$h/hugo.yaml
	[ "$2" = related ] || config=$config,$h/norelated.yaml
	timed "$name" hugo --quiet --source "$h" --config "$config" \
	    --destination "$h/public"
}

# output NAME DIR: records the files and bytes of DIR the first time.
output() {
	[ -s "$work/m/$1.out" ] || files_and_bytes "$2" >"$work/m/$1.out"
}

full_builds() {
	n=$1
	rounds=$runs hugo_rounds=$runs
	if [ "$n" -ge 100000 ]; then
		rounds=$runs_large hugo_rounds=$hugo_runs_large
	fi
	with_related=0
	[ "$have_hugo" = 1 ] && [ "$n" -le "$related_max" ] && with_related=1
	say "$n articles: reading the content into the page cache"
	find "$work/$n" -type f -exec cat {} + >/dev/null
	r=1
	while [ "$r" -le "$rounds" ]; do
		say "$n articles: round $r of $rounds"
		jiceng_build "$n.jiceng"
		output "$n.jiceng" "$j/public"
		settle "$j/public" "$j/.jiceng-cache"
		if [ "$have_hugo" = 1 ] && [ "$r" -le "$hugo_rounds" ]; then
			hugo_build "$n.hugo-norel" plain
			output "$n.hugo" "$h/public"
			settle "$h/public" "$h/resources"
			if [ "$with_related" = 1 ]; then
				hugo_build "$n.hugo" related
				settle "$h/public" "$h/resources"
			fi
		fi
		set -- $(cat "$work/m/$n.jiceng.out")
		timed "$n.floor" "$floor" "$j/content/articles" \
		    "$work/$n/floor" "$1" "$2"
		output "$n.floor" "$work/$n/floor"
		settle "$work/$n/floor"
		empty_trash
		r=$((r + 1))
	done
}

# The article edited and the pages that show it: its own and those that
# link to it.
edit_article() {
	f=$j/content/articles/$edited.md
	# The last paragraph gains a sentence: the body and the search index
	# change, the summary does not.
	awk -v r="$1" '{ lines[NR] = $0 } END {
		last = NR; while (last > 0 && lines[last] == "") last--;
		for (i = 1; i <= NR; i++)
			print lines[i] (i == last ? "（第" r "次修订）" : "") }' \
	    "$f" >"$f.new"
	mv "$f.new" "$f"
}

edit_template() {
	t=$j/templates/article.mustache
	sed "s/<div class=\"prose\"[^>]*>/<div class=\"prose\" data-revision=\"$1\">/" \
	    "$t" >"$t.new"
	mv "$t.new" "$t"
}

# written SINCE: the files of public/ changed after the file SINCE.
written() {
	(cd "$j/public" && find . -type f -newer "$1" | sed 's|^\./||' | sort)
}

incremental_builds() {
	n=$1
	edited=a$(printf '%06d' $((n / 2)))
	say "$n articles: incremental builds (edited article $edited)"
	settle "$j/public" "$j/.jiceng-cache"
	empty_trash
	"$jiceng" build -C "$j" >/dev/null
	(cd "$j/public" && grep -rl --include='*.html' "/$edited/" . |
	    sed 's|^\./||' | sort) >"$work/shows"
	echo "articles/$edited/index.html" >>"$work/shows"
	sort -u -o "$work/shows" "$work/shows"
	r=1
	while [ "$r" -le "$runs" ]; do
		say "$n articles: incremental round $r of $runs"
		sync
		jiceng_build "$n.nochange"
		edit_article "$r"
		sync
		touch "$work/stamp"
		sleep 1.1	# past the file system's time granularity
		jiceng_build "$n.article"
		written "$work/stamp" >"$work/written.$r"
		edit_template "$r"
		sync
		jiceng_build "$n.template"
		r=$((r + 1))
	done
	# Pages among the files written that do not show the article.
	grep '\.html$' "$work/written.1" | comm -23 - "$work/shows" \
	    >"$work/stray" || true
	settle "$j/public" "$j/.jiceng-cache"
}

# built_field NAME N: the median of the Nth number of the "built" lines.
built_field() {
	[ -s "$work/m/$1.built" ] || { echo "-"; return; }
	tr -c '0-9\n' ' ' <"$work/m/$1.built" | awk -v f="$2" '{ print $f }' |
	    sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}

ratio() {
	awk -v a="$1" -v b="$2" 'BEGIN {
		if (a == "-" || b == "-" || b == 0) print "-";
		else printf "%.3f", a / b }'
}

speedup() {
	awk -v a="$1" -v b="$2" 'BEGIN {
		if (a == "-" || b == "-" || a == 0) print "-";
		else printf "%.1f×", b / a }'
}

mb() {
	awk -v k="$1" 'BEGIN { if (k == "-") print "-"; else printf "%.0f", k / 1024 }'
}

out_row() {
	label=$1 key=$2 outfile=$3
	if [ ! -s "$work/m/$key" ]; then
		return
	fi
	set -- $(cat "$outfile" 2>/dev/null || echo "- -")
	echo "| $n | $label | $(wc -l <"$work/m/$key") | $(median "$key" 1) |" \
	    "$(median "$key" 2) | $(median "$key" 4) | $(median "$key" 5) |" \
	    "$(mb "$(median "$key" 3)") | $1 |" \
	    "$(awk -v b="$2" 'BEGIN { if (b == "-") print "-"; else printf "%.0f", b / 1048576 }') |"
}

full_table() {
	echo "Medians of the runs; CPU is user plus system time (each a median of"
	echo "its own); MB are 2^20 bytes."
	echo "Hugo builds with related content up to $related_max articles: for each"
	echo "article its related search scores every article sharing a theme or a"
	echo "keyword with it, so the cost grows with the square of the articles."
	echo
	echo "| articles | build | runs | wall s | CPU s | user s | system s | peak RSS MB | files | MB written |"
	echo "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|"
	for n in $sizes; do
		out_row jiceng "$n.jiceng" "$work/m/$n.jiceng.out"
		out_row "Hugo, related content" "$n.hugo" "$work/m/$n.hugo.out"
		out_row "Hugo, no related content" "$n.hugo-norel" \
		    "$work/m/$n.hugo.out"
		out_row "floor" "$n.floor" "$work/m/$n.floor.out"
	done
	echo
	echo "Ratios of the medians above (jiceng ÷ other; the speed-up in brackets):"
	echo
	echo "| articles | wall vs Hugo, related | wall vs Hugo, no related | CPU vs Hugo, no related | peak RSS vs Hugo, related | peak RSS vs Hugo, no related | wall vs floor | user CPU vs floor |"
	echo "|---:|---:|---:|---:|---:|---:|---:|---:|"
	for n in $sizes; do
		jw=$(median "$n.jiceng" 1) jc=$(median "$n.jiceng" 2)
		jm=$(median "$n.jiceng" 3)
		hw=$(median "$n.hugo" 1) hm=$(median "$n.hugo" 3)
		nw=$(median "$n.hugo-norel" 1) nc=$(median "$n.hugo-norel" 2)
		nm=$(median "$n.hugo-norel" 3) fw=$(median "$n.floor" 1)
		echo "| $n | $(ratio "$jw" "$hw") ($(speedup "$jw" "$hw")) |" \
		    "$(ratio "$jw" "$nw") ($(speedup "$jw" "$nw")) |" \
		    "$(ratio "$jc" "$nc") ($(speedup "$jc" "$nc")) |" \
		    "$(ratio "$jm" "$hm") | $(ratio "$jm" "$nm") |" \
		    "$(ratio "$jw" "$fw") |" \
		    "$(ratio "$(median "$n.jiceng" 4)" "$(median "$n.floor" 4)") |"
	done
	echo
	echo "jiceng's phases (median ms of the timed runs, \`--timings\`):"
	echo
	echo "| articles | load | model | pages | search | links | commit |"
	echo "|---:|---:|---:|---:|---:|---:|---:|"
	for n in $sizes; do
		[ -s "$work/m/$n.jiceng.phases" ] || continue
		row="| $n |"
		for phase in load model pages search links commit; do
			v=$(awk -v p="$phase" '$1 == p { print $2 }' \
			    "$work/m/$n.jiceng.phases" | sort -g |
			    awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }')
			row="$row $v |"
		done
		echo "$row"
	done
	prev_n="" prev_w=""
	for n in $sizes; do
		w=$(median "$n.jiceng" 1)
		if [ -n "$prev_n" ] && [ "$w" != "-" ]; then
			echo
			echo "jiceng, $n articles against $prev_n: $(ratio "$w" "$prev_w") times the wall time."
		fi
		prev_n=$n prev_w=$w
	done
}

# by_folder: counts paths by folder; the pages of one kind (a/NAME/index.html)
# count as one.
by_folder() {
	awk -F/ '{
		if (NF == 3 && $3 == "index.html") key = $1 "/*/index.html";
		else if (NF == 1) key = $0;
		else { key = $0; sub(/\/[^\/]*$/, "/*", key) }
		n[key]++ }
	END { for (k in n) printf "| %d | `%s` |\n", n[k], k }' | sort -t'`' -k2
}

incremental_table() {
	n=$incremental_at
	full=$(median "$n.jiceng" 1)
	echo "At $n articles; the edited article is $edited. Medians of $runs runs."
	echo
	echo "| build | wall s | CPU s | system s | peak RSS MB | pages rendered | files written | share of a full build |"
	echo "|---|---:|---:|---:|---:|---:|---:|---:|"
	for kind in jiceng:"full (no output, no cache)" \
	    nochange:"no change" article:"one-article edit" \
	    template:"template edit (article.mustache)"; do
		key=$n.${kind%%:*}
		echo "| ${kind#*:} | $(median "$key" 1) | $(median "$key" 2) |" \
		    "$(median "$key" 5) |" \
		    "$(mb "$(median "$key" 3)") | $(built_field "$key" 2) |" \
		    "$(built_field "$key" 3) |" \
		    "$(awk -v a="$(median "$key" 1)" -v b="$full" 'BEGIN {
			if (b == "-" || b == 0) print "-";
			else printf "%.1f%%", 100 * a / b }') |"
	done
	echo
	echo "Files the first one-article edit wrote, by folder:"
	echo
	echo "| files | where |"
	echo "|---:|---|"
	by_folder <"$work/written.1"
	echo
	echo "Pages that show the article (its own, and those linking to it):" \
	    "$(wc -l <"$work/shows"). HTML pages written that do not show it:" \
	    "$(wc -l <"$work/stray")."
	sed 's/^/    /' "$work/stray"
}

# goal LABEL VALUE OP TARGET SHOWN_TARGET: a row of the milestone table;
# VALUE "-" when not measured.
goal() {
	awk -v l="$1" -v v="$2" -v op="$3" -v t="$4" -v shown="$5" 'BEGIN {
		if (v == "-") { printf "| %s | - | %s | not measured |\n", l, shown; exit }
		met = op == "<=" ? v + 0 <= t + 0 : v + 0 >= t + 0;
		printf "| %s | %s | %s | %s |\n", l, v, shown, met ? "met" : "not met" }'
}

# per A B FORMAT: A / B printed with FORMAT, or "-".
per() {
	awk -v a="$1" -v b="$2" -v f="$3" 'BEGIN {
		if (a == "-" || b == "-" || b == 0) print "-";
		else printf f, a / b }'
}

# The figures the second speed milestone names, each against its target.
milestone_table() {
	n=$incremental_at
	big=100000
	jw=$(median "$n.jiceng" 1) js=$(median "$n.jiceng" 5)
	jm=$(median "$n.jiceng" 3)
	echo "Each figure at $n articles unless said; ratios of the medians above."
	echo
	echo "| figure | measured | target | |"
	echo "|---|---:|---:|---|"
	goal "full build vs Hugo without related content (times faster)" \
	    "$(per "$(median "$n.hugo-norel" 1)" "$jw" %.1f)" ">=" 12 "≥ 12"
	goal "full build vs Hugo with related content (times faster)" \
	    "$(per "$(median "$n.hugo" 1)" "$jw" %.1f)" ">=" 150 "≥ 150"
	goal "full build vs the floor (times slower)" \
	    "$(per "$jw" "$(median "$n.floor" 1)" %.2f)" "<=" 2 "≤ 2"
	goal "system time vs the floor's" \
	    "$(per "$js" "$(median "$n.floor" 5)" %.2f)" "<=" 1.5 "≤ 1.5"
	goal "files written" "$(built_field "$n.jiceng" 3)" "<=" 14000 "≤ 14000"
	goal "template edit, % of a full build" \
	    "$(per "$(median "$n.template" 1)" "$(per "$jw" 100 %.6f)" %.1f)" \
	    "<=" 40 "≤ 40"
	goal "one-article edit, % of a full build" \
	    "$(per "$(median "$n.article" 1)" "$(per "$jw" 100 %.6f)" %.1f)" \
	    "<=" 2 "≤ 2"
	goal "peak memory vs Hugo without related content" \
	    "$(per "$jm" "$(median "$n.hugo-norel" 3)" %.3f)" "<=" 0.0625 "≤ 0.0625 (1/16)"
	goal "$big articles: wall vs $n" \
	    "$(per "$(median "$big.jiceng" 1)" "$jw" %.2f)" "<=" 10 "≤ 10"
	goal "$big articles: peak memory, MB" \
	    "$(mb "$(median "$big.jiceng" 3)")" "<=" 1024 "≤ 1024"
}

# replace_section FILE TITLE BODY_FILE: puts "## TITLE" and the body in
# place of the section of that title, or at the end; other sections keep
# their bytes.
replace_section() {
	[ -f "$1" ] || printf '# Benchmark results\n' >"$1"
	awk -v title="## $2" -v body="$3" '
		function emit(line) {
			print title; print "";
			while ((getline line < body) > 0) print line;
			close(body); done = 1 }
		$0 == title { emit(); skip = 1; next }
		skip && /^## / { skip = 0; print "" }
		!skip { print; last = $0 }
		END { if (!done) { if (last != "") print ""; emit() } }' \
	    "$1" >"$1.new"
	mv "$1.new" "$1"
}

machine() {
	cpu=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)
	mem=$(awk '/^MemTotal/ { printf "%.1f GB", $2 / 1048576 }' /proc/meminfo)
	# The source tree the binary was built in (BUILD/jiceng), if a work tree.
	src=$(git -C "$(dirname "$jiceng")" rev-parse --show-toplevel \
	    2>/dev/null || echo "$top")
	commit=$(git -C "$src" rev-parse --short HEAD 2>/dev/null || echo "?")
	if ! git -C "$src" diff --quiet HEAD -- generator templates \
	    2>/dev/null; then
		commit="$commit (with uncommitted changes)"
	fi
	hv=$(hugo version 2>/dev/null | awk '{ print $2 }' || true)
	echo "- machine: $(nproc) cores ($cpu), $mem memory," \
	    "Linux $(uname -r), $(. /etc/os-release && echo "$PRETTY_NAME")"
	echo "- jiceng $commit, built by make with \`$(cc --version | head -1)\`;" \
	    "cmark $(pkg-config --modversion libcmark 2>/dev/null || echo "?");" \
	    "Hugo ${hv:-not installed}"
	echo "- load average before: $load_before; after: $(cut -d' ' -f1-3 /proc/loadavg)"
	echo "- file system of the sites and outputs: $(df -PT "$work" | awk 'NR == 2 { print $2 }')," \
	    "content in the page cache, outputs removed and \`sync\` before every run"
	echo "- command: \`BENCH_SIZES=\"$sizes\" BENCH_RUNS=$runs" \
	    "BENCH_RUNS_LARGE=$runs_large BENCH_HUGO_RUNS_LARGE=$hugo_runs_large" \
	    "BENCH_HUGO_RELATED_MAX=$related_max make bench\`; runs interleaved" \
	    "(jiceng, Hugo without and with related content, floor, again)"
}

method() {
	cat <<'EOF'
The sites: `bench/gensite` makes the same articles for both tools from
the paragraphs of `content/sources/` (6 to 13 paragraphs, a heading every
third, 2 to 5 of the themes of `content/themes.yaml`, one district per
five articles over the 31 provinces). jiceng builds them with the
project's own templates: every page (articles with related articles,
districts, provinces, themes, the home page with its map and chart),
feeds, sitemap and search index. Hugo builds them with `bench/hugo/`: the
same page kinds and the same markup for articles (taxonomy links,
breadcrumb, related articles through `.Site.RegularPages.Related` on
themes and keywords, previous and next), district, province and theme
term pages listing their articles as cards with `.Summary`, a district's
neighbours and themes, the home page's lists and theme × province
counts, RSS for the home page and each theme, sitemap, and a JSON search
index of every article's plain text; `relativeURLs`, as jiceng's links
are relative. "No related content" is the same site without the related
list (`norelated.yaml`). The floor (`bench/floor.c`) reads every
article, converts its body with `cmark_markdown_to_html` on every core,
writes each result to its own folder, and then writes filler files until
it has written as many files and bytes as jiceng did: reading, Markdown
and writing, and nothing else.
EOF
}

# wait_for_quiet LIMIT: polls every 30 s, for up to 30 minutes, until the
# one-minute load average is below LIMIT.
wait_for_quiet() {
	waited=0
	while awk -v l="$1" '{ exit !($1 >= l) }' /proc/loadavg &&
	    [ "$waited" -lt 1800 ]; do
		say "load $(cut -d' ' -f1 /proc/loadavg), waiting for below $1"
		sleep 30
		waited=$((waited + 30))
	done
}

[ -n "${BENCH_QUIET:-}" ] && wait_for_quiet "$BENCH_QUIET"
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
mkdir -p "$work/m"
for n in $sizes; do
	make_sites "$n"
	full_builds "$n"
	if [ "$n" = "$incremental_at" ]; then
		incremental_builds "$n"
	fi
	settle "$work/$n"
	empty_trash
done

machine >"$work/machine"
{
	cat "$work/machine"
	echo
	method
	echo
	full_table
} >"$work/full.md"
cat "$work/full.md"
if [ -s "$work/m/$incremental_at.nochange" ]; then
	incremental_table >"$work/incremental.md"
	echo
	cat "$work/incremental.md"
	milestone_table >"$work/milestone.md"
	echo
	cat "$work/milestone.md"
fi
if [ -n "$results" ]; then
	replace_section "$results" "Full builds: jiceng, Hugo and the floor" \
	    "$work/full.md"
	[ -s "$work/incremental.md" ] &&
	    replace_section "$results" "Incremental builds" \
	    "$work/incremental.md"
	[ -s "$work/milestone.md" ] &&
	    replace_section "$results" "The second speed milestone" \
	    "$work/milestone.md"
	say "wrote $results"
fi
