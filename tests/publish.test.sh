# What a build may touch and when: nothing outside the output folder,
# whatever the content says, and one build of a site at a time.
. "$TOP/tests/lib.sh"

new_scratch
site=$scratch/site
make_site "$site" "$TOP/tests/golden/basic/content"
art=$site/content/articles

# tree_sum DIR: one line per file below DIR with its checksum.
tree_sum() {
	(cd "$1" && find . -type f | LC_ALL=C sort | xargs md5sum)
}

# A place name or source file that reads as a path is refused where it
# is written, and no file appears outside the output folder.
for field in 'district: "/../../../../victim"' 'city: ../../victim' \
    'district: ..' 'province: ../海南省' 'district: "a\tb"'; do
	key=${field%%:*}
	{
		printf -- '---\ntitle: t\nauthor: a\nauthor_title: r\n'
		case $key in province) ;; *) printf 'province: 海南省\n' ;; esac
		case $key in city) ;; *) printf 'city: 海口市\n' ;; esac
		case $key in district) ;; *) printf 'district: 秀英区\n' ;; esac
		printf '%s\n---\nx\n' "$field"
	} >"$art/evil.md"
	"$JICENG" build -C "$site" -o out >"$scratch/out" 2>"$scratch/err"
	status=$?
	if [ $status -ne 1 ]; then
		not_ok "$field: exit status $status, not 1"
	elif ! grep -qE "^content/articles/evil.md:[0-9]+:[0-9]+: error: \"$key\"" \
	    "$scratch/err"; then
		not_ok "$field: no located error"
		sed 's/^/# /' "$scratch/err"
	elif [ -e "$scratch/victim" ] || [ -e "$site/victim" ] ||
	    [ -e "$scratch/../victim" ]; then
		not_ok "$field: a file was written outside the output"
	else
		ok "$field is refused"
	fi
done
printf -- '---\ntitle: t\nprovince: 海南省\ncity: 海口市\ndistrict: 秀英区\nsource: {file: ../../etc/passwd, line: 1}\n---\nx\n' \
    >"$art/evil.md"
"$JICENG" build -C "$site" -o out >/dev/null 2>"$scratch/err"
check "a source file that is a path is refused" grep -q \
    '^content/articles/evil.md:6:16: error: "source.file" must be a file name' \
    "$scratch/err"
rm "$art/evil.md"

# Two builds at once: the second waits for the first, both succeed, and
# the site is the one a single build makes.
"$JICENG" build -C "$site" -o ref >/dev/null 2>&1
tree_sum "$site/ref" >"$scratch/ref.sum"
# race ROUNDS A B: builds into output folders A and B of the site at
# once, ROUNDS times from nothing; $failures counts the rounds that did
# not both succeed with the whole site in out.
race() {
	failures=0
	round=0
	while [ $round -lt "$1" ]; do
		round=$((round + 1))
		rm -rf "$site/out" "$site/.out.back" "$site/.jiceng-cache"
		mkdir "$site/out"
		"$JICENG" build -C "$site" -o "$2" >"$scratch/a.out" 2>&1 &
		a=$!
		"$JICENG" build -C "$site" -o "$3" >"$scratch/b.out" 2>&1 &
		b=$!
		wait $a; sa=$?
		wait $b; sb=$?
		tree_sum "$site/out" >"$scratch/out.sum"
		if [ $sa -ne 0 ] || [ $sb -ne 0 ] ||
		    ! cmp -s "$scratch/ref.sum" "$scratch/out.sum"; then
			failures=$((failures + 1))
			sed 's/^/# /' "$scratch/a.out" "$scratch/b.out"
		fi
	done
}
race 10 out out
check "ten rounds of two builds at once leave the whole site" \
    test $failures -eq 0

# A build that finds the lock held waits and says so.
( flock 9; sleep 1 ) 9>"$site/.out.lock" &
holder=$!
sleep 0.2
"$JICENG" build -C "$site" -o out >/dev/null 2>"$scratch/err"
status=$?
wait $holder
if [ $status -eq 0 ] && grep -q "waiting for another build of .*out to end" \
    "$scratch/err"; then
	ok "a build waits for the one holding the lock"
else
	not_ok "a build waits for the one holding the lock ($status)"
	sed 's/^/# /' "$scratch/err"
fi

# The site is written into a tree beside the output folder and swapped
# in: what stands in the way in either tree (a file where a folder goes,
# a link to elsewhere) is replaced, never written through, and the site
# comes out whole.
victim=$scratch/victim
mkdir -p "$victim"
rm -rf "$site/out" "$site/.out.back" "$site/.jiceng-cache"
"$JICENG" build -C "$site" -o out >/dev/null 2>&1
"$JICENG" build -C "$site" -o out >/dev/null 2>&1
rm -r "$site/out/search/docs" "$site/.out.back/themes"
touch "$site/out/search/docs"
ln -s "$victim" "$site/.out.back/themes"
rm -r "$site/out/themes"
ln -s "$victim" "$site/out/themes"
"$JICENG" build -C "$site" -o out >"$scratch/out" 2>&1
first=$?
"$JICENG" build -C "$site" -o out >>"$scratch/out" 2>&1
second=$?
tree_sum "$site/out" >"$scratch/out.sum"
if [ $first -eq 0 ] && [ $second -eq 0 ] &&
    [ -z "$(ls -A "$victim")" ] && [ ! -L "$site/out/themes" ] &&
    cmp -s "$scratch/ref.sum" "$scratch/out.sum"; then
	ok "links and files in the way are replaced, nothing written through"
else
	not_ok "links and files in the way ($first, $second)"
	sed 's/^/# /' "$scratch/out"
	ls -la "$victim" | sed 's/^/# /'
fi

# The names beside the output are the build's own: a link planted at
# its trash, back tree, lock or a cache file is replaced, and nothing
# it points to is read, written or deleted.
victim=$scratch/victim3
rm -rf "$site/out" "$site/.out.back" "$site/.out.trash" "$site/.out.lock" \
    "$site/.jiceng-cache"
"$JICENG" build -C "$site" -o out >/dev/null 2>&1
for name in trash back lock; do
	mkdir -p "$victim/$name/photos"
	echo keep >"$victim/$name/notes.txt"
	rm -rf "$site/.out.$name"
	ln -s "$victim/$name" "$site/.out.$name"
done
echo keep >"$victim/cache-file"
cache_file=$(ls "$site/.jiceng-cache/" | head -1)
rm -f "$site/.jiceng-cache/$cache_file"
ln -s "$victim/cache-file" "$site/.jiceng-cache/$cache_file"
(cd "$victim" && find . | sort | xargs md5sum 2>/dev/null) >"$scratch/victim.before"
cp "$art/海口市美兰区.md" "$scratch/meilan.orig"
printf '\n又一段。\n' >>"$art/海口市美兰区.md"
"$JICENG" build -C "$site" -o out >"$scratch/out" 2>&1
first=$?
"$JICENG" build -C "$site" -o out >>"$scratch/out" 2>&1
second=$?
(cd "$victim" && find . | sort | xargs md5sum 2>/dev/null) >"$scratch/victim.after"
cp "$scratch/meilan.orig" "$art/海口市美兰区.md"
if [ $first -eq 0 ] && [ $second -eq 0 ] &&
    cmp -s "$scratch/victim.before" "$scratch/victim.after" &&
    [ ! -L "$site/.out.trash" ] && [ ! -L "$site/.out.back" ] &&
    [ ! -L "$site/.out.lock" ] && [ ! -L "$site/.jiceng-cache/$cache_file" ]; then
	ok "links planted beside the output are replaced, nothing behind them touched"
else
	not_ok "links beside the output ($first, $second)"
	sed 's/^/# /' "$scratch/out"
	diff "$scratch/victim.before" "$scratch/victim.after" | sed 's/^/# /'
fi

# A page made immutable (chattr +i) in the site readers see stops no
# build from making the new site beside it; once it is in the back tree,
# the build that cannot write it fails (exit 3) with the site readers see
# unchanged.
rm -rf "$site/out" "$site/.out.back" "$site/.jiceng-cache"
"$JICENG" build -C "$site" -o out >/dev/null 2>&1
page=articles/海口市美兰区/index.html
cp "$art/海口市美兰区.md" "$scratch/meilan.md"
if chattr +i "$site/out/$page" 2>/dev/null; then
	printf '\n又一段。\n' >>"$art/海口市美兰区.md"
	"$JICENG" build -C "$site" -o out >"$scratch/out" 2>&1
	first=$?
	tree_sum "$site/out" >"$scratch/before"
	printf '\n再一段。\n' >>"$art/海口市美兰区.md"
	"$JICENG" build -C "$site" -o out >"$scratch/out2" 2>&1
	second=$?
	tree_sum "$site/out" >"$scratch/after"
	chattr -i "$site/out/$page" "$site/.out.back/$page" 2>/dev/null
	if [ $first -eq 0 ] && [ $second -eq 3 ] &&
	    cmp -s "$scratch/before" "$scratch/after" &&
	    grep -q "cannot write into" "$scratch/out2"; then
		ok "an immutable page changes nothing readers see"
	else
		not_ok "an immutable page ($first, $second)"
		sed 's/^/# /' "$scratch/out" "$scratch/out2"
	fi
else
	ok "an immutable page: chattr is not available here # SKIP"
fi
cp "$scratch/meilan.md" "$art/海口市美兰区.md"

# A page that leaves the site is removed from the back tree in its own
# folder: a link planted in its place leads nowhere, and the file it
# points to stays.
rm -rf "$site/out" "$site/.out.back" "$site/.jiceng-cache"
cp "$art/海口市美兰区.md" "$art/zz-gone.md"
"$JICENG" build -C "$site" -o out >/dev/null 2>&1
"$JICENG" build -C "$site" -o out >/dev/null 2>&1
mkdir -p "$scratch/victim2"
echo precious >"$scratch/victim2/index.html"
rm -r "$site/.out.back/articles/zz-gone"
ln -s "$scratch/victim2" "$site/.out.back/articles/zz-gone"
rm "$art/zz-gone.md"
"$JICENG" build -C "$site" -o out >"$scratch/out" 2>&1
status=$?
if [ $status -eq 0 ] && [ "$(cat "$scratch/victim2/index.html")" = precious ]; then
	ok "a page removed through a planted link leaves what it points to"
else
	not_ok "a page removed through a planted link ($status)"
	sed 's/^/# /' "$scratch/out"
fi

# A build that fails after writing into the back tree leaves nothing the
# next build publishes: its new pages are in no record, and the next
# build looks at every file of a tree a build left half written.
rm -rf "$site/out" "$site/.out.back" "$site/.jiceng-cache"
"$JICENG" build -C "$site" -o out >/dev/null 2>&1
"$JICENG" build -C "$site" -o out >/dev/null 2>&1
printf -- '---\ntitle: 坏链接\nprovince: 内蒙古自治区\ncity: 包头市\ndistrict: 昆都仑区\n---\n[x](../../nowhere/index.html)\n' \
    >"$art/zz-broken.md"
"$JICENG" build -C "$site" -o out >/dev/null 2>&1
failed=$?
rm "$art/zz-broken.md"
"$JICENG" build -C "$site" -o out >/dev/null 2>&1
tree_sum "$site/out" >"$scratch/out.sum"
if [ $failed -eq 1 ] && cmp -s "$scratch/ref.sum" "$scratch/out.sum"; then
	ok "a failed build's files are not published later"
else
	not_ok "a failed build's files ($failed)"
	diff "$scratch/ref.sum" "$scratch/out.sum" | sed 's/^/# /' | head -5
fi

# One lock whatever the output folder is called: through a link to it.
ln -s out "$site/outlink"
race 5 out outlink
rm -f "$site/outlink"
check "two builds through two names of one folder take turns" \
    test $failures -eq 0
