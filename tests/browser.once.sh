# The site in a real browser: Chromium driven by playwright-core through
# the project's content/, built with $JICENG and served below a sub-path
# (tests/browser/suite.mjs prints one TAP line per check).  Screenshots of
# each page kind go to build/screenshots/ for people to look at.
. "$TOP/tests/lib.sh"

modules=$TOP/build/node/node_modules
chromium=${CHROME_PATH:-/usr/bin/chromium}
if ! command -v node >/dev/null 2>&1 || [ ! -x "$chromium" ] ||
    [ ! -d "$modules/playwright-core" ] ||
    [ ! -d "$modules/axe-core" ]; then
	not_ok "node, Chromium or the browser drivers are missing (scripts/test-deps.sh)"
	exit 0
fi

# The screenshots are for people to read: Chinese text, not boxes.
if [ -n "$(fc-list :lang=zh family 2>/dev/null)" ]; then
	ok "a Chinese font is installed for the screenshots"
else
	not_ok "no Chinese font for the screenshots (scripts/test-deps.sh)"
fi

new_scratch
make_site "$scratch/site" "$TOP/content"
# The suite bounds itself; the outer limit covers a hung Node.
timeout -k 10 600 node "$TOP/tests/browser/suite.mjs" "$JICENG" \
    "$scratch/site" "$TOP/build/screenshots" >"$scratch/tap" 2>&1
status=$?
cat "$scratch/tap"
if [ $status -eq 124 ] || [ $status -eq 137 ]; then
	not_ok "browser suite killed after 600 s"
elif [ $status -ne 0 ] && ! grep -q '^not ok' "$scratch/tap"; then
	not_ok "browser suite exited with status $status"
fi
exit 0
