# A reader never sees a mixed site: builds killed (SIGKILL) at random
# moments, each while a template change rewrites every page, leave the
# output folder the whole old site or the whole new one, and the next
# build finishes the new one.  KILL_ROUNDS sets how many [200].
. "$TOP/tests/lib.sh"

rounds=${KILL_ROUNDS:-200}
new_scratch
site=$scratch/site
make_site "$site" "$TOP/content"
rm -rf "$site/content/sources"
# Some hundreds of articles: enough files for a commit to take a while.
for i in 1 2 3 4 5 6 7 8 9 10 11 12; do
	for f in "$TOP"/content/articles/*.md; do
		# One editor's note to a series.
		grep -q '^kind: note' "$f" && continue
		cp "$f" "$site/content/articles/$i-$(basename "$f")"
	done
done

tree_sum() {
	(cd "$1" && find . -type f | LC_ALL=C sort | xargs md5sum) | md5sum
}

# The two sites a change goes between, built in full elsewhere: every
# page's template changes, and one has an article the other has not, so
# that a page left over shows too.
version() {
	sed "s|<main id=\"main\" class=\"wrap\">|<main id=\"main\" class=\"wrap v$1\">|" \
	    "$TOP/templates/base.mustache" >"$site/templates/base.mustache"
	if [ "$1" = b ]; then
		cp "$TOP/content/articles/海口市美兰区.md" \
		    "$site/content/articles/zz-extra.md"
	else
		rm -f "$site/content/articles/zz-extra.md"
	fi
}
for v in a b; do
	version $v
	rm -rf "$scratch/ref-$v"
	"$JICENG" build -C "$site" -o "$scratch/ref-$v" >/dev/null 2>&1
	eval "sum_$v=\$(tree_sum \"\$scratch/ref-\$v\")"
done
# How long a build of a template change takes here: the quickest of
# three, as the machine may be busy.
"$JICENG" build -C "$site" -o out >/dev/null 2>&1
ms=100000
for v in a b a; do
	version $v
	start=$(date +%s%N)
	"$JICENG" build -C "$site" -o out >/dev/null 2>&1
	t=$((($(date +%s%N) - start) / 1000000))
	[ $t -lt $ms ] && ms=$t
done

mixed=0
unfinished=0
killed=0
from=a
round=0
while [ $round -lt "$rounds" ]; do
	round=$((round + 1))
	[ $from = a ] && to=b || to=a
	version $to
	"$JICENG" build -C "$site" -o out >/dev/null 2>&1 &
	pid=$!
	# Anywhere in the build, its commit included.
	delay=$(awk -v r="$(od -An -N2 -tu2 /dev/urandom)" -v ms="$ms" \
	    'BEGIN { printf "%.3f", (r % (ms + 1)) / 1000 }')
	sleep "$delay"
	kill -9 $pid 2>/dev/null && killed=$((killed + 1))
	wait $pid 2>/dev/null
	now=$(tree_sum "$site/out")
	eval "old=\$sum_$from; new=\$sum_$to"
	if [ "$now" != "$old" ] && [ "$now" != "$new" ]; then
		mixed=$((mixed + 1))
		echo "# round $round: a mixed site after a kill at ${delay}s"
	fi
	"$JICENG" build -C "$site" -o out >/dev/null 2>&1
	if [ "$(tree_sum "$site/out")" != "$new" ]; then
		unfinished=$((unfinished + 1))
		echo "# round $round: the next build did not make the new site"
	fi
	from=$to
done
echo "# $rounds rounds, $killed builds killed before they ended (a build: ${ms} ms)"
check "$rounds builds killed at random leave the old site or the new" \
    test $mixed -eq 0
check "the build after each makes the new site whole" test $unfinished -eq 0
check "a good share of the builds were killed before they ended" \
    test $killed -gt $((rounds / 4))
