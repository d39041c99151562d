# Hostile and careless input: what an attacker, a careless editor or a
# busy machine can hand a build.  Each case ends in a located message
# and an exit status, never in a hang, an abort or a crash; and each
# runs against the plain build as well as the sanitizer build, since some
# crashes show only without the sanitizers.
. "$TOP/tests/lib.sh"

new_scratch
base=$scratch/base
make_site "$base" "$TOP/tests/golden/basic/content"
"$JICENG" build -C "$base" -o out >/dev/null 2>&1

# runs_within SECONDS COMMAND...: COMMAND under a time limit; the status
# of COMMAND, or 124 when it ran out of time.
runs_within() {
	limit=$1
	shift
	timeout -k 5 "$limit" "$@"
}

# A folder that is not a site is refused while the cache is still being
# read on a thread of its own: the process must not end under it.  A
# crash came in a few runs in a hundred, so try many.
mkdir "$scratch/refused"
echo keep >"$scratch/refused/notes.txt"
crashed=0
i=0
while [ $i -lt 200 ]; do
	"$JICENG" build -C "$base" -o "$scratch/refused" >/dev/null 2>&1
	status=$?
	[ $status -eq 3 ] || crashed=$((crashed + 1))
	i=$((i + 1))
done
if [ $crashed -eq 0 ]; then
	ok "a refused output folder exits 3, 200 times out of 200"
else
	not_ok "a refused output folder: $crashed runs in 200 did not exit 3"
fi

art=$base/content/articles
cp -R "$base/content" "$scratch/content.orig"
cp -R "$base/templates" "$scratch/templates.orig"
cp -R "$base/assets" "$scratch/assets.orig"
restore() {
	rm -rf "$base/content" "$base/templates" "$base/assets"
	cp -R "$scratch/content.orig" "$base/content"
	cp -R "$scratch/templates.orig" "$base/templates"
	cp -R "$scratch/assets.orig" "$base/assets"
}

# expect_error NAME PATTERN [COMMAND]: builds (or runs COMMAND: check)
# after the caller broke the site, within 20 seconds: exit 1 and a
# message matching PATTERN.
expect_error() {
	name=$1
	pattern=$2
	cmd=${3:-build}
	if [ "$cmd" = build ]; then
		runs_within 20 "$JICENG" build -C "$base" -o out \
		    >"$scratch/out" 2>"$scratch/err"
	else
		runs_within 20 "$JICENG" "$cmd" -C "$base" \
		    >"$scratch/out" 2>"$scratch/err"
	fi
	status=$?
	if [ $status -ne 1 ]; then
		not_ok "$name: exit status $status, not 1"
		sed 's/^/# /' "$scratch/err" | head -5
	elif ! grep -qE "$pattern" "$scratch/err"; then
		not_ok "$name: no message matching $pattern"
		sed 's/^/# /' "$scratch/err" | head -5
	else
		ok "$name"
	fi
}

# Only regular files are read, and none is waited for.
mkfifo "$art/fifo.md"
expect_error "a FIFO as an article" \
    '^content/articles/fifo.md: error: not a regular file'
expect_error "a FIFO as an article, in check" \
    '^content/articles/fifo.md: error: not a regular file' check
restore
mkfifo "$base/assets/fifo.css"
expect_error "a FIFO as an asset" \
    '^assets/fifo.css: error: not a regular file'
restore
mkfifo "$base/templates/fifo.mustache"
expect_error "a FIFO as a template" \
    '^templates/fifo.mustache: error: not a regular file'
restore
mkfifo "$base/content/themes.yaml.fifo"
mv "$base/content/themes.yaml.fifo" "$base/content/themes.yaml"
expect_error "a FIFO as themes.yaml" \
    '^content/themes.yaml: error: not a regular file'
restore
ln -s /dev/zero "$art/zero.md"
expect_error "an article linked to /dev/zero" \
    '^content/articles/zero.md: error: not a regular file'
restore

# Files larger than the limit are refused before they are read whole.
printf 'max_file_size: 4K\n' >>"$base/content/site.yaml"
{
	printf -- '---\ntitle: t\nprovince: 海南省\ncity: 海口市\n'
	printf 'district: 秀英区\n---\n'
	head -c 6000 /dev/zero | tr '\0' x
	echo
} >"$art/big.md"
expect_error "an article over max_file_size" \
    '^content/articles/big.md: error: too large: [0-9]+ bytes, more than max_file_size \(4096\)'
restore
printf 'max_file_size: lots\n' >>"$base/content/site.yaml"
expect_error "a bad max_file_size" \
    '^content/site.yaml:[0-9]+:16: error: "max_file_size" must be a size'
restore

# YAML nested 100,000 deep: libyaml took 15 and 46 seconds to say so.
for opener in '[' '{a: '; do
	{
		printf -- '---\ntitle: '
		i=0
		while [ $i -lt 1000 ]; do
			printf '%s' "$opener$opener$opener$opener$opener"
			i=$((i + 1))
		done | awk -v n=20 '{ for (k = 0; k < n; k++) printf "%s", $0 }'
		printf '\n---\nx\n'
	} >"$art/deep.md"
	started=$(date +%s)
	expect_error "100,000 nested \"$opener\"" \
	    '^content/articles/deep.md:2:[0-9]+: error: YAML nested more than 64 levels deep'
	took=$(($(date +%s) - started))
	if [ $took -le 2 ]; then ok "and at once ($took s)"; else
		not_ok "100,000 nested \"$opener\" took $took s"; fi
	restore
done

# A byte-order mark, as some editors save UTF-8, is no part of the text.
bom=$(printf '\357\273\277')
for f in content/articles/海口市美兰区.md content/site.yaml \
    content/themes.yaml templates/base.mustache; do
	{ printf '%s' "$bom"; cat "$base/$f"; } >"$scratch/bom"
	mv "$scratch/bom" "$base/$f"
done
if "$JICENG" build -C "$base" -o out >"$scratch/out" 2>"$scratch/err"; then
	ok "files starting with a byte-order mark build"
else
	not_ok "files starting with a byte-order mark"
	sed 's/^/# /' "$scratch/err" | head -5
fi
if grep -rl "$bom" "$base/out" >/dev/null; then
	not_ok "a byte-order mark reached the output"
else
	ok "no byte-order mark reaches the output"
fi
restore

# The raw pages are read as the articles are, and published under their
# names: a FIFO is refused, and so is a name not in NFC, which no
# article (its front matter in NFC) could name.
mkdir -p "$base/content/sources"
mkfifo "$base/content/sources/page.txt"
expect_error "a FIFO as a source page" \
    '^content/sources/page.txt: error: not a regular file'
rm "$base/content/sources/page.txt"
printf '第一行\n' >"$base/content/sources/$(printf 'cafe\314\201').txt"
expect_error "a source page named in NFD" \
    "^content/sources/$(printf 'cafe\314\201').txt: error: the file name is not in Unicode NFC"
restore

# One name in two Unicode spellings would make two pages whose
# addresses look alike: an error naming both files.
nfc=$(printf 'caf\303\251')
nfd=$(printf 'cafe\314\201')
cp "$art/海口市美兰区.md" "$art/$nfc.md"
cp "$art/海口市美兰区.md" "$art/$nfd.md"
expect_error "café.md in NFC and in NFD" \
    "^content/articles/$nfd.md: error: its name is that of content/articles/$nfc.md in another Unicode spelling \(this one is not in NFC\)"
rm "$art/$nfc.md"
"$JICENG" build -C "$base" -o out >/dev/null 2>&1
if [ -e "$base/out/articles/$nfc/index.html" ] &&
    [ ! -e "$base/out/articles/$nfd/index.html" ]; then
	ok "a name in NFD makes its page under the NFC name"
else
	not_ok "a name in NFD makes no page under the NFC name"
fi
restore

# A template that expands to a gigabyte (nav has 4 items: 4^10 times a
# kilobyte) stops at max_page_size with a located error.
{
	i=0
	while [ $i -lt 10 ]; do printf '{{#nav}}'; i=$((i + 1)); done
	head -c 1024 /dev/zero | tr '\0' x
	i=0
	while [ $i -lt 10 ]; do printf '{{/nav}}'; i=$((i + 1)); done
	echo
} >"$base/templates/404.mustache"
expect_error "a page of a gigabyte" \
    '^templates/404.mustache:1:81: error: rendering 404.html: the page grows past max_page_size \(67108864 bytes\)'
restore
# Recursion that a section guards, so check allows it, and that never
# ends: too deep, where it recurses.
printf '{{#nav}}\n{{>deep}}{{/nav}}\n' >"$base/templates/deep.mustache"
printf '{{>deep}}\n' >"$base/templates/404.mustache"
expect_error "partials nested without end" \
    '^templates/deep.mustache:1:1: error: rendering 404.html: sections, partials and blocks nest more than 256 deep'
restore

# An empty output folder is a usage error, not an I/O error.
for cmd in build watch serve; do
	runs_within 20 "$JICENG" $cmd -C "$base" -o '' >/dev/null 2>"$scratch/err"
	status=$?
	if [ $status -eq 2 ] && grep -q -- '-o needs a folder' "$scratch/err"
	then
		ok "$cmd -o '' is a usage error"
	else
		not_ok "$cmd -o '': exit status $status, not 2"
	fi
done

# A typo in a place would quietly make a district of its own: a warning
# at the key, with the name meant.
sed -i 's/^district: 美兰区$/district: 美蓝区/' "$art/海口市美兰区.md"
"$JICENG" check -C "$base" >/dev/null 2>"$scratch/err"
status=$?
if [ $status -eq 0 ] && grep -q '^content/articles/海口市美兰区.md:5:11: warning: unknown district "美蓝区" in 海口市 (did you mean "美兰区"?)' "$scratch/err"; then
	ok "a district not in the gazetteer is a warning with the name meant"
else
	not_ok "a district not in the gazetteer: status $status"
	sed 's/^/# /' "$scratch/err" | head -5
fi
restore

# A source that names no raw page, or a line past its end, would give
# the footer a link to nothing: a warning at the key, with the page
# meant, and the footer links the page's top.
mkdir -p "$base/content/sources"
printf '第一行\n第二行\n第三行\n' >"$base/content/sources/000_test.txt"
sed -i 's/^source: .*/source: {file: 000_test.txt, line: 9}/' \
    "$art/海口市美兰区.md"
f=$(ls "$art"/*.md | grep -v 海口市美兰区 | head -1)
sed -i '2i source: {file: 000_tset.txt, line: 1}' "$f"
"$JICENG" build -C "$base" -o out >/dev/null 2>"$scratch/err"
status=$?
if [ $status -eq 0 ] &&
    grep -q '^content/articles/海口市美兰区.md:10:9: warning: source line 9 is past the end of 000_test.txt, which has 3 lines' "$scratch/err" &&
    grep -q "^content/articles/${f##*/}:2:9: warning: source file \"000_tset.txt\" is no raw page in content/sources/ (did you mean \"000_test.txt\"?)" "$scratch/err" &&
    grep -q 'href="../../sources/000_test/index.html"' \
    "$base/out/articles/海口市美兰区/index.html"; then
	ok "a source that names no raw page or line is a warning, linked to the page's top"
else
	not_ok "a source naming no raw page or line: status $status"
	sed 's/^/# /' "$scratch/err" | head -5
fi
rm -rf "$base/content/sources"
restore

# A variable no page has renders as nothing: an error in check.
sed -i 's/{{title}}/{{titel}}/' "$base/templates/article.mustache"
expect_error "{{titel}} in a template, in check" \
    '^templates/article.mustache:[0-9]+:[0-9]+: error: unknown variable "titel": no page has "titel" \(did you mean "title"\?\)' check
restore
