# jiceng watch: real file operations on a copy of the basic site, the way
# people and editors make them (in place, through a scratch file and a
# rename, half-written, deleted, in new folders), and one line per rebuild.
# Every wait is bounded; the watcher is always stopped at the end.
. "$TOP/tests/lib.sh"

watcher=""
trap '[ -z "$watcher" ] || kill $watcher 2>/dev/null; rm -rf $scratch_dirs' EXIT

# wait_for FILE PATTERN [COUNT] [SECONDS]: waits until FILE has at least
# COUNT lines matching the extended regex PATTERN (default 1, 30 s).
wait_for() {
	tries=$((${4:-30} * 10))
	while :; do
		found=$(grep -cE "$2" "$1" 2>/dev/null) || found=0
		[ "$found" -lt "${3:-1}" ] || return 0
		tries=$((tries - 1))
		[ $tries -gt 0 ] || return 1
		sleep 0.1
	done
}

# stopped PID [SECONDS]: waits until the process has gone.
stopped() {
	tries=$((${2:-10} * 10))
	while kill -0 "$1" 2>/dev/null; do
		tries=$((tries - 1))
		[ $tries -gt 0 ] || return 1
		sleep 0.1
	done
}

new_scratch
site=$scratch/site
log=$scratch/log
make_site "$site" "$TOP/tests/golden/basic/content"
art=$site/content/articles
rebuilds='^(rebuilt after|build failed)'

"$JICENG" watch -C "$site" -o out >"$log" 2>&1 &
watcher=$!
if wait_for "$log" '^watching for changes' 1 60; then
	ok "watch starts and builds"
else
	not_ok "watch starts and builds"
	sed 's/^/# /' "$log"
	exit 1
fi
check "the first build is one line" \
    grep -qE '^built [0-9]+ articles?: [0-9]+ pages? rendered, [0-9]+ files? written, [0-9]+ ms$' "$log"
check "the site is built" test -f "$site/out/articles/海口市美兰区/index.html"

# expect_rebuild NAME PATTERN: the next rebuild line matches PATTERN.
n=0
expect_rebuild() {
	n=$((n + 1))
	if ! wait_for "$log" "$rebuilds" $n; then
		not_ok "$1: no rebuild"
		sed 's/^/# /' "$log"
	elif ! grep -E "$rebuilds" "$log" | sed -n "${n}p" | grep -qE "$2"; then
		not_ok "$1: $(grep -E "$rebuilds" "$log" | sed -n "${n}p")"
	else
		ok "$1"
	fi
}

# quiet NAME: no further rebuild within a second.
quiet() {
	sleep 1
	if [ "$(grep -cE "$rebuilds" "$log")" -eq $n ]; then
		ok "$1"
	else
		not_ok "$1"
		n=$(grep -cE "$rebuilds" "$log")
	fi
}

page=$site/out/articles/海口市美兰区/index.html
printf '\n在原地保存的一段。\n' >>"$art/海口市美兰区.md"
expect_rebuild "a file written in place" \
    '^rebuilt after content/articles/海口市美兰区\.md: [0-9]+ pages? rendered, [1-9][0-9]* files? written, [0-9]+ ms$'
check "the page shows the edit" grep -q '在原地保存的一段' "$page"
quiet "writing the output sets off no rebuild"

# An editor's save: lock and swap files, a backup, the test file vim
# writes, then the new text under a scratch name renamed over the file.
printf 'lock' >"$art/.#海口市美兰区.md"
printf 'swap' >"$art/.海口市美兰区.md.swp"
printf '' >"$art/4913"
rm -f "$art/4913"
cp "$art/海口市美兰区.md" "$art/海口市美兰区.md~"
quiet "scratch files set off no rebuild"
cp "$art/海口市美兰区.md" "$art/.海口市美兰区.md.new"
printf '\n改名保存的一段。\n' >>"$art/.海口市美兰区.md.new"
mv "$art/.海口市美兰区.md.new" "$art/海口市美兰区.md"
rm -f "$art/.#海口市美兰区.md" "$art/.海口市美兰区.md.swp" \
    "$art/海口市美兰区.md~"
expect_rebuild "an atomic rename" \
    '^rebuilt after content/articles/海口市美兰区\.md: '
check "the page shows the renamed text" grep -q '改名保存的一段' "$page"
quiet "one rebuild for the whole save"

# A file opened, half written, and finished later: read once, when closed.
good=$scratch/good.md
cp "$art/海口市美兰区.md" "$good"
exec 3>"$art/海口市美兰区.md"
printf -- '---\ntitle: 半截\n' >&3
sleep 0.5
sed '1,2d' "$good" >&3
printf '\n分两次写完的一段。\n' >&3
exec 3>&-
expect_rebuild "a file written in two goes is read when closed" '^rebuilt after'
check "the page shows the whole file" grep -q '分两次写完的一段' "$page"

# Temporarily invalid: reported, the last good site kept, then recovered.
(cd "$site/out" && find . -type f | sort | xargs md5sum) >"$scratch/before"
printf -- '---\ntitle: [broken\n---\n正文\n' >"$art/海口市美兰区.md"
expect_rebuild "an invalid file fails the build" \
    '^build failed; keeping the last good site$'
check "the error names the file" \
    grep -qE '^content/articles/海口市美兰区\.md:[0-9]+:[0-9]+: error: ' "$log"
(cd "$site/out" && find . -type f | sort | xargs md5sum) >"$scratch/after"
check "the last good site stays" cmp -s "$scratch/before" "$scratch/after"
cp "$good" "$art/海口市美兰区.md"
expect_rebuild "the next save recovers" '^rebuilt after content/articles/'

rm "$art/西安市新城区.md"
expect_rebuild "a deleted file" \
    '^rebuilt after content/articles/西安市新城区\.md: .* [1-9][0-9]* removed, '
check_fails "its page is gone" test -e "$site/out/articles/西安市新城区"

mkdir -p "$site/assets/img/icons"
expect_rebuild "a new folder" '^rebuilt after assets/img( and 1 more)?: '
printf '<svg xmlns="http://www.w3.org/2000/svg"/>\n' \
    >"$site/assets/img/icons/logo.svg"
expect_rebuild "a file in the new folder" \
    '^rebuilt after assets/img/icons/logo\.svg: '
check "the new file is copied" test -f "$site/out/assets/img/icons/logo.svg"

printf '<!-- watched -->\n' >>"$site/templates/base.mustache"
expect_rebuild "a template" '^rebuilt after templates/base\.mustache: '
check "every page changes" grep -q '<!-- watched -->' "$site/out/index.html"

sed 's/^title: 测试站点$/title: 改过的站点/' "$site/content/site.yaml" \
    >"$scratch/site.yaml"
mv "$scratch/site.yaml" "$site/content/site.yaml"
expect_rebuild "the site settings" '^rebuilt after content/site\.yaml: '
check "the new title shows" grep -q '改过的站点' "$site/out/index.html"
quiet "no rebuild after the last one"

# A FIFO among the articles is refused at once (reading it would wait
# for a writer forever), and SIGTERM then stops the watcher as ever.
mkfifo "$art/fifo.md"
expect_rebuild "a FIFO among the articles" '^build failed; keeping'
check "is refused with its name" \
    grep -q '^content/articles/fifo.md: error: not a regular file' "$log"

kill -TERM $watcher
if stopped $watcher; then
	wait $watcher
	status=$?
	watcher=""
	if [ $status -eq 0 ]; then ok "SIGTERM stops it cleanly"
	else not_ok "SIGTERM stops it cleanly: status $status"; fi
else
	not_ok "SIGTERM stops it cleanly: still running"
fi
check_fails "no sanitizer report" grep -qE 'Sanitizer|runtime error' "$log"

# SIGTERM during a build stops it where it is, publishing nothing.  The
# signal goes a quarter of the way into a build of a site grown until it
# takes a second or more to build, so that it lands in the build.
big=$scratch/big
make_site "$big" "$TOP/tests/golden/basic/content"
# grow FROM TO: articles FROM to TO - 1 more.
grow() {
	awk -v dir="$big/content/articles" -v from="$1" -v to="$2" 'BEGIN {
		for (i = from; i < to; i++) {
			f = dir "/gen" i ".md"
			printf "---\ntitle: 第%d篇\nprovince: 海南省\ncity: 海口市\n", i >f
			printf "district: 美兰区\n---\n", i >f
			for (k = 0; k < 20; k++)
				printf "第%d篇的第%d段，讲网格化管理和红色物业。\n\n", i, k >f
			close(f)
		}
	}'
}
articles=4000
grow 0 $articles
while :; do
	rm -rf "$big/timed" "$big/.timed.back" "$big/.jiceng-cache"
	started=$(date +%s%N)
	"$JICENG" build -C "$big" -o timed >/dev/null 2>&1
	took_ms=$((($(date +%s%N) - started) / 1000000))
	[ $took_ms -ge 1000 ] || [ $articles -ge 64000 ] && break
	grow $articles $((articles * 2))
	articles=$((articles * 2))
done
rm -rf "$big/.jiceng-cache"
if [ $took_ms -lt 1000 ]; then
	not_ok "SIGTERM during a build: $articles articles build in $took_ms ms"
else
	"$JICENG" watch -C "$big" -o out >"$scratch/big.log" 2>&1 &
	watcher=$!
	sleep "$(awk -v ms=$took_ms 'BEGIN { printf "%.2f", ms / 4000 }')"
	started=$(date +%s%N)
	kill -TERM $watcher
	if stopped $watcher 30; then
		wait $watcher
		status=$?
		watcher=""
		stop_ms=$((($(date +%s%N) - started) / 1000000))
		if [ $status -eq 0 ] && [ ! -e "$big/out/index.html" ]; then
			ok "SIGTERM stops a build of $articles articles ($took_ms ms) within $stop_ms ms, publishing nothing"
		else
			not_ok "SIGTERM during a build: status $status"
			sed 's/^/# /' "$scratch/big.log"
		fi
	else
		not_ok "SIGTERM during a build: still running"
	fi
fi

# A build waiting for another build's lock on its output folder stops
# on SIGTERM too.
if command -v flock >/dev/null 2>&1; then
	# The holder writes its pid: the sleep holds the lock, not flock.
	flock "$site/.out.lock" sh -c 'echo $$ >"$1"; exec sleep 60' sh \
	    "$scratch/holder" &
	wait_for "$scratch/holder" '^[0-9]+$' 1 10
	holder=$(cat "$scratch/holder")
	"$JICENG" watch -C "$site" -o out >"$scratch/locked" 2>&1 &
	watcher=$!
	if wait_for "$scratch/locked" 'waiting for another build' 1 10; then
		kill -TERM $watcher
		if stopped $watcher 10; then
			wait $watcher
			watcher=""
			ok "SIGTERM stops a build waiting for the lock"
		else
			not_ok "SIGTERM stops a build waiting for the lock: still running"
		fi
	else
		not_ok "a build waits for the lock"
		sed 's/^/# /' "$scratch/locked"
		# Else it takes the lock once the holder ends, and watches.
		kill -TERM $watcher
	fi
	kill $holder 2>/dev/null
	wait
fi

"$JICENG" watch --port 1 >/dev/null 2>&1
check "--port is for serve only" test $? -eq 2
"$JICENG" watch -C "$scratch/none" >"$scratch/missing" 2>&1
status=$?
if [ $status -eq 3 ] && grep -q 'cannot watch' "$scratch/missing"; then
	ok "a missing site folder"
else
	not_ok "a missing site folder: status $status"
	sed 's/^/# /' "$scratch/missing"
fi
