# The README's examples work on the project's own content: the article of
# "Adding an article" and the theme of "Adding a theme", taken from the
# README as it stands, are new to content/ and build into their pages.
. "$TOP/tests/lib.sh"

readme=$TOP/README.md
# section TITLE: the README's lines from "### TITLE" to the next heading.
section() {
	awk -v h="### $1" '$0 == h { on = 1; next } on && /^#/ { exit } on' \
	    "$readme"
}
# block TITLE: the first indented block of a section, unindented.
block() {
	section "$1" | awk '/^    / { on = 1; sub(/^    /, ""); print; next }
	    on && /^$/ { print; next } on { exit }'
}

new_scratch
site=$scratch/site
make_site "$site" "$TOP/content"

file=$(section "Adding an article" | grep -o 'content/articles/[^`]*\.md' |
    grep -v NAME | head -1)
if [ -z "$file" ]; then
	not_ok "the README names the article file of its example"
	file=content/articles/readme-example.md
fi
check "the article example's file is new to content/" test ! -e "$TOP/$file"
block "Adding an article" >"$site/$file"
title=$(sed -n 's/^title: //p' "$site/$file")
if [ -n "$title" ] &&
    ! grep -qx "title: $title" "$TOP"/content/articles/*.md; then
	ok "the article example's title is new to content/"
else
	not_ok "the article example \"$title\" is an article content/ has"
fi

block "Adding a theme" >"$scratch/theme"
slug=$(sed -n 's/^- slug: //p' "$scratch/theme")
name=$(sed -n 's/^  name: //p' "$scratch/theme")
if [ -n "$slug" ] && ! grep -qx -- "- slug: $slug" "$TOP/content/themes.yaml" &&
    ! grep -qx "  name: $name" "$TOP/content/themes.yaml"; then
	ok "the theme example ($slug, $name) is new to themes.yaml"
else
	not_ok "the theme example \"$slug\" \"$name\" collides with themes.yaml"
fi
cat "$scratch/theme" >>"$site/content/themes.yaml"
# As the README says: list the theme in the articles it fits.
sed "s/^themes: \[/themes: [$slug, /" "$site/$file" >"$scratch/art"
cat "$scratch/art" >"$site/$file"

if "$JICENG" build -C "$site" -o out >"$scratch/log" 2>&1; then
	ok "content/ with both examples builds"
else
	not_ok "content/ with both examples builds"
	sed 's/^/# /' "$scratch/log"
fi
stem=$(basename "$file" .md)
check "the example article has its page" \
    grep -q "$title" "$site/out/articles/$stem/index.html"
check "the example theme has its page, listing the article" \
    grep -q "$title" "$site/out/themes/$slug/index.html"
