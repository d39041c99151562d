# Feeds, sitemap and robots.txt of the project's site, built under a
# sub-path: every feed is well-formed Atom with the elements RFC 4287
# requires and absolute ids; the sitemap passes tests/feeds/sitemap.xsd
# and lists exactly the site's pages; every address leads to a file.
. "$TOP/tests/lib.sh"

if ! command -v xmllint >/dev/null 2>&1; then
	not_ok "xmllint is not installed (scripts/test-deps.sh)"
	exit 0
fi

base=https://example.org/sub/path/
atom="namespace-uri()='http://www.w3.org/2005/Atom'"
rfc3339='^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})$'

new_scratch
make_site "$scratch/site" "$TOP/content"
if ! "$JICENG" build -C "$scratch/site" -o out --base-url "$base" \
    >"$scratch/log" 2>&1; then
	not_ok "the site does not build"
	sed 's/^/# /' "$scratch/log"
	exit 0
fi
out=$scratch/site/out

# xpath EXPR FILE: the result of an XPath 1.0 expression, one node a line.
xpath() {
	xmllint --xpath "$1" "$2" 2>/dev/null
}

# Atom elements named $1 among the children of the node set $2.
child() {
	echo "$2/*[local-name()='$1' and $atom]"
}

# Percent-decodes standard input bytewise, one address a line.
decode() {
	LC_ALL=C awk 'BEGIN {
		for (i = 1; i < 256; i++)
			byte[sprintf("%02X", i)] = sprintf("%c", i)
	} {
		s = $0; d = ""
		while (match(s, /%[0-9A-Fa-f][0-9A-Fa-f]/)) {
			d = d substr(s, 1, RSTART - 1) byte[toupper(substr(s, RSTART + 1, 2))]
			s = substr(s, RSTART + 3)
		}
		print d s
	}'
}

# Addresses on standard input that are not below $base or name no file
# of the site (an address ending in / names its index.html).
missing_pages() {
	while IFS= read -r url; do
		case $url in
		"$base"*) ;;
		*) echo "$url (not below $base)"; continue ;;
		esac
		file=$(printf '%s\n' "${url#"$base"}" | decode)
		case $file in "" | */) file=${file}index.html ;; esac
		[ -f "$out/$file" ] || echo "$url"
	done
}

# check_feed FILE ADDRESS: the Atom checks of one feed whose own address
# is ADDRESS, one TAP line each.
check_feed() {
	f=$out/$1
	name=$1
	feed="/*[local-name()='feed' and $atom]"
	entry=$(child entry "$feed")

	if ! xmllint --noout "$f" 2>"$scratch/err"; then
		not_ok "$name: not well-formed XML"
		sed 's/^/# /' "$scratch/err"
		return
	fi
	ok "$name: well-formed XML"
	[ "$(xpath "count($feed)" "$f")" = 1 ] &&
	    ok "$name: the root is an Atom feed" ||
	    not_ok "$name: the root is not an Atom feed"

	bad=""
	for el in id title updated; do
		[ "$(xpath "count($(child $el "$feed"))" "$f")" = 1 ] ||
		    bad="$bad $el"
	done
	[ "$(xpath "count($(child author "$feed")/*[local-name()='name'])" "$f")" -ge 1 ] ||
	    [ "$(xpath "count($entry[not(*[local-name()='author'])])" "$f")" = 0 ] ||
	    bad="$bad author"
	self=$(xpath "string($(child link "$feed")[@rel='self']/@href)" "$f")
	[ "$self" = "$2" ] || bad="$bad link-rel-self($self)"
	[ -z "$bad" ] && ok "$name: feed has one id, title and updated, an author, link rel=self to itself" ||
	    not_ok "$name: feed head wrong or missing:$bad"

	n=$(xpath "count($entry)" "$f")
	lacking=$(xpath "count($entry[not(*[local-name()='id']) or
	    not(*[local-name()='title']) or not(*[local-name()='updated']) or
	    not(*[local-name()='link'][not(@rel) or @rel='alternate'])])" "$f")
	[ "$n" -gt 0 ] && [ "$lacking" = 0 ] &&
	    ok "$name: all $n entries have id, title, updated and an alternate link" ||
	    not_ok "$name: $lacking of $n entries lack id, title, updated or link"

	xpath "//*[local-name()='id' and $atom]/text()" "$f" >"$scratch/ids"
	relative=$(grep -Ev '^[A-Za-z][A-Za-z0-9+.-]*:[^ ]+$' "$scratch/ids")
	twice=$(sort "$scratch/ids" | uniq -d)
	[ -z "$relative$twice" ] && ok "$name: ids are absolute URLs, none twice" ||
	    { not_ok "$name: relative or repeated ids"; printf '%s\n' $relative $twice | sed 's/^/# /'; }

	late=$(xpath "//*[(local-name()='updated' or local-name()='published') and $atom]/text()" "$f" |
	    grep -Ev "$rfc3339")
	[ -z "$late" ] && ok "$name: dates are RFC 3339" ||
	    { not_ok "$name: dates not in RFC 3339"; printf '%s\n' "$late" | sed 's/^/# /'; }

	lost=$( { xpath "$entry/*[local-name()='link']/@href" "$f" |
	    sed 's/^ *href="\(.*\)"$/\1/'; xpath "$(child id "$entry")/text()" "$f"; } |
	    missing_pages)
	[ -z "$lost" ] && ok "$name: entry links and ids lead to pages of the site" ||
	    { not_ok "$name: addresses leading nowhere"; printf '%s\n' "$lost" | head -10 | sed 's/^/# /'; }
}

check_feed feed.xml "${base}feed.xml"
themes=$(cd "$out/themes" && ls -d */ | tr -d /)
first=$(echo "$themes" | head -1)
check_feed "themes/$first/feed.xml" "${base}themes/$first/feed.xml"

# The other theme feeds: the same checks, one line for them all.
failing=""
count=0
for t in $themes; do
	[ "$t" = "$first" ] && continue
	count=$((count + 1))
	(check_feed "themes/$t/feed.xml" "${base}themes/$t/feed.xml") >"$scratch/tap"
	grep -q '^not ok' "$scratch/tap" && failing="$failing $t"
done
[ -z "$failing" ] && ok "the other $count theme feeds pass the same checks" ||
    not_ok "theme feeds failing:$failing"

# The sitemap.
if xmllint --noout --schema "$TOP/tests/feeds/sitemap.xsd" "$out/sitemap.xml" \
    >"$scratch/err" 2>&1; then
	ok "sitemap.xml is valid against the Sitemaps 0.9 structure"
else
	not_ok "sitemap.xml is not valid against the Sitemaps 0.9 structure"
	head -10 "$scratch/err" | sed 's/^/# /'
fi
xpath "//*[local-name()='loc']/text()" "$out/sitemap.xml" >"$scratch/locs"
lost=$(missing_pages <"$scratch/locs")
[ -z "$lost" ] && ok "sitemap: all $(wc -l <"$scratch/locs") addresses lead to pages of the site" ||
    { not_ok "sitemap: addresses leading nowhere"; printf '%s\n' "$lost" | head -10 | sed 's/^/# /'; }

# Every page a crawler should know: all but the 404 page and the search
# page, whose results exist only in the browser.
(cd "$out" && find . -name index.html) | sed 's|^\./||; s|index\.html$||' |
    grep -v '^search/$' | sort >"$scratch/pages"
decode <"$scratch/locs" | sed "s|^$base||" | sort >"$scratch/listed"
unlisted=$(comm -23 "$scratch/pages" "$scratch/listed")
[ -z "$unlisted" ] && ok "sitemap: lists all $(wc -l <"$scratch/pages") pages" ||
    { not_ok "sitemap: pages not listed"; printf '%s\n' "$unlisted" | head -10 | sed 's/^/# /'; }

if grep -qx "Sitemap: ${base}sitemap.xml" "$out/robots.txt"; then
	ok "robots.txt names the sitemap's absolute address"
else
	not_ok "robots.txt does not name ${base}sitemap.xml"
	sed 's/^/# /' "$out/robots.txt"
fi

# A feed holds the newest 50 entries, newest first: 60 dated articles
# (day N of 2020 in article N) leave out the 10 oldest.
make_site "$scratch/many" "$TOP/content"
rm -f "$scratch"/many/content/articles/*.md
for n in $(seq 1 60); do
	day=$(date -u -d "2020-01-01 + $((n - 1)) days" +%Y-%m-%d)
	cat >"$scratch/many/content/articles/a$n.md" <<ARTICLE
---
title: 第${n}篇
province: 海南省
city: 海口市
district: 美兰区
date: $day
themes: []
---

第${n}篇文章的正文。
ARTICLE
done
if "$JICENG" build -C "$scratch/many" -o out >"$scratch/log" 2>&1; then
	titles=$(xpath "//*[local-name()='entry']/*[local-name()='title']/text()" \
	    "$scratch/many/out/feed.xml" | tr '\n' ' ')
	expected=$(for n in $(seq 60 -1 11); do printf '第%s篇 ' "$n"; done)
	[ "$titles" = "$expected" ] &&
	    ok "feed: the newest 50 of 60 entries, newest first" ||
	    not_ok "feed entries: $titles"
	check "feed: updated is the newest entry's day" grep -q \
	    '<updated>2020-02-29T00:00:00Z</updated>' "$scratch/many/out/feed.xml"
else
	not_ok "a site of 60 dated articles builds"
	sed 's/^/# /' "$scratch/log"
fi
