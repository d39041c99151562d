# A site from nothing, as a newcomer makes one: `make install` into a
# staging folder, then the installed jiceng's `init` in an empty folder
# and `build`, whose site must pass the build's own link check and the Nu
# HTML checker.  Also `jiceng new article` and `jiceng --version`.
# Runs once, on the plain build, since it installs that build.
. "$TOP/tests/lib.sh"

new_scratch
dest=$scratch/dest
build=$(dirname "$JICENG")
build=${build#"$TOP"/}
# The runner's make may have left its job server in the environment.
if env -u MAKEFLAGS -u MAKELEVEL -u MFLAGS make -s -C "$TOP" BUILD="$build" \
    install DESTDIR="$dest" >"$scratch/install" 2>&1; then
	ok "make install DESTDIR=..."
else
	not_ok "make install DESTDIR=..."
	sed 's/^/# /' "$scratch/install"
fi
jiceng=$dest/usr/local/bin/jiceng
data=$dest/usr/local/share/jiceng
check "the templates are installed" diff -r "$TOP/templates" "$data/templates"
check "the assets are installed" diff -r "$TOP/assets" "$data/assets"
check "the sample site is installed" diff -r "$TOP/sample" "$data/sample"

# --version: ours, the libraries', and where init copies from.
"$jiceng" --version >"$scratch/version" 2>&1
version=$(sed -n 's/^VERSION *= *//p' "$TOP/Makefile")
check "--version names jiceng's version" \
    grep -qx "jiceng $version" "$scratch/version"
missing=""
for lib in cmark libyaml utf8proc jansson libmicrohttpd xxHash; do
	grep -Eq "(^|[ ,])$lib [0-9]+\.[0-9]+" "$scratch/version" ||
	    missing="$missing $lib"
done
# The libraries' own versions, where pkg-config knows them (Debian's
# utf8proc.pc lags the library).
for pair in cmark:libcmark libyaml:yaml-0.1 jansson:jansson \
    libmicrohttpd:libmicrohttpd xxHash:libxxhash; do
	v=$(pkg-config --modversion "${pair#*:}" 2>/dev/null) || continue
	grep -Eq "${pair%%:*} $v(,|\$)" "$scratch/version" ||
	    missing="$missing ${pair%%:*}=$v"
done
if [ -z "$missing" ]; then
	ok "--version names the libraries' versions"
else
	not_ok "--version lacks:$missing"
	sed 's/^/# /' "$scratch/version"
fi
check "an installed jiceng copies from its share/jiceng" \
    grep -q "copies from $data\$" "$scratch/version"
"$JICENG" --version >"$scratch/version2" 2>&1
check "a jiceng in the source tree copies from the tree" \
    grep -q "copies from $TOP\$" "$scratch/version2"

# init in an empty folder, then build: the build checks every link.
mkdir "$scratch/new"
if (cd "$scratch/new" && "$jiceng" init && "$jiceng" build) \
    >"$scratch/log" 2>&1; then
	ok "jiceng init && jiceng build in an empty folder"
else
	not_ok "jiceng init && jiceng build in an empty folder"
	sed 's/^/# /' "$scratch/log"
fi
out=$scratch/new/public
check "the new site has a home page" test -s "$out/index.html"
check "the new site has its sample article" \
    test -s "$out/articles/示例文章/index.html"
check "the new site has a theme page" test -s "$out/themes/grid/index.html"
if grep -rlE '(href|src)="/[^/]' "$out" --include='*.html' >/dev/null; then
	not_ok "the new site has root-absolute links"
else
	ok "the new site's links are relative"
fi
vnu=$TOP/build/node/node_modules/vnu-jar/build/dist/vnu.jar
if [ ! -f "$vnu" ] || ! command -v java >/dev/null 2>&1; then
	not_ok "the Nu HTML checker is not installed (scripts/test-deps.sh)"
elif java -jar "$vnu" --skip-non-html "$out" >"$scratch/vnu" 2>&1; then
	ok "Nu HTML checker: the new site has no errors or warnings"
else
	not_ok "Nu HTML checker found problems in the new site"
	head -40 "$scratch/vnu" | sed 's/^/# /'
fi

# init overwrites nothing: a second one fails and changes no file.
(cd "$scratch/new" && find content templates assets -type f | sort |
    xargs md5sum) >"$scratch/before"
(cd "$scratch/new" && "$jiceng" init) >/dev/null 2>"$scratch/err"
status=$?
(cd "$scratch/new" && find content templates assets -type f | sort |
    xargs md5sum) >"$scratch/after"
if [ $status -eq 1 ] && cmp -s "$scratch/before" "$scratch/after" &&
    grep -q '^content: error: already exists' "$scratch/err"; then
	ok "init in a site exits 1 and changes nothing"
else
	not_ok "init in a site: status $status"
	sed 's/^/# /' "$scratch/err"
fi
"$jiceng" init "$scratch/made/here" >/dev/null 2>&1
check "init DIR makes the folder" test -f "$scratch/made/here/content/site.yaml"

# new article: a draft, its place from its name; it builds, and is
# published once draft is false.
site=$scratch/new
new_article() {
	"$jiceng" new article -C "$site" "$@" >"$scratch/out" 2>"$scratch/err"
}
new_article 海口市龙华区-2
status=$?
art=$site/content/articles/海口市龙华区-2.md
if [ $status -eq 0 ] && grep -qx 'province: "海南省"' "$art" &&
    grep -qx 'city: "海口市"' "$art" && grep -qx 'district: "龙华区"' "$art" &&
    grep -qx 'draft: true' "$art" &&
    grep -q '^# The slugs of content/themes.yaml: grid, red-property, volunteer$' "$art"
then
	ok "new article: a draft with its place and the theme slugs"
else
	not_ok "new article: status $status"
	sed 's/^/# /' "$scratch/err" "$art"
fi
if "$jiceng" build -C "$site" >"$scratch/log" 2>&1 &&
    [ ! -e "$out/articles/海口市龙华区-2" ]; then
	ok "a new draft builds and is not published"
else
	not_ok "a new draft builds and is not published"
	sed 's/^/# /' "$scratch/log"
fi
sed -e 's/^draft: true/draft: false/' -e 's/^title: .*/title: 新的文章/' \
    "$art" >"$scratch/art" && cat "$scratch/art" >"$art"
if "$jiceng" build -C "$site" >"$scratch/log" 2>&1 &&
    grep -q '新的文章' "$out/articles/海口市龙华区-2/index.html" &&
    grep -rq '新的文章' "$out/districts"; then
	ok "with draft: false it is published on its district's page"
else
	not_ok "with draft: false it is published"
	sed 's/^/# /' "$scratch/log"
fi
new_article 海口市龙华区-2
check "new article over an existing one exits 1" test $? -eq 1
new_article 'a/b'
check "new article with a bad name exits 2" test $? -eq 2
"$jiceng" new article -C "$scratch" x >/dev/null 2>&1
check "new article outside a site exits 3" test $? -eq 3
new_article 某地
"$jiceng" build -C "$site" >/dev/null 2>"$scratch/err"
status=$?
if [ $status -eq 0 ]; then
	ok "a new draft without a place leaves the build as it was"
else
	not_ok "a new draft without a place: status $status"
	sed 's/^/# /' "$scratch/err"
fi
sed -i 's/^draft: true$/draft: false/' "$site/content/articles/某地.md"
"$jiceng" build -C "$site" >/dev/null 2>"$scratch/err"
status=$?
if [ $status -eq 1 ] &&
    grep -q '^content/articles/某地.md:[0-9]*:[0-9]*: error: "province" is not filled in' \
    "$scratch/err"; then
	ok "published without a place, it names the line to fill in"
else
	not_ok "a new article published without a place: status $status"
	sed 's/^/# /' "$scratch/err"
fi
rm -f "$site/content/articles/某地.md"
