#!/bin/sh
# Lighthouse scores of the home page, an article and the search page with
# results, for bench/RESULTS.md.  Builds the project's content/ into a
# scratch folder with the local server's address as base_url (so the
# canonical links point at the page measured), serves it at the root of
# 127.0.0.1 on a free port, and runs the npm Lighthouse pinned in
# bench/lighthouse/package.json (installed into build/lighthouse-node from
# its lock file) with Debian's Chromium and Lighthouse's default
# throttling (simulated mobile).  Lighthouse 13 wants Node 22.19 or later,
# newer than Debian 12's.
#
# Usage: sh bench/lighthouse.sh [JICENG]     (default build/jiceng)
# Each page is measured RUNS times (default 3); the table gives the median
# of each category.  The JSON reports stay in build/lighthouse/.
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
jiceng=${1:-$top/build/jiceng}
case $jiceng in /*) ;; *) jiceng=$PWD/$jiceng ;; esac
runs=${RUNS:-3}
node_dir=$top/build/lighthouse-node
lighthouse=$node_dir/node_modules/.bin/lighthouse
reports=$top/build/lighthouse
flags="--headless --no-sandbox --disable-gpu --disable-background-networking"
flags="$flags --disable-component-update --disable-sync --no-first-run"

[ -x "$jiceng" ] || { echo "lighthouse: no $jiceng; run make" >&2; exit 2; }
if ! cmp -s "$top/bench/lighthouse/package-lock.json" \
    "$node_dir/package-lock.json" || [ ! -x "$lighthouse" ]; then
	mkdir -p "$node_dir"
	cp "$top/bench/lighthouse/package.json" \
	    "$top/bench/lighthouse/package-lock.json" "$node_dir/"
	(cd "$node_dir" && npm ci --no-audit --no-fund --loglevel=error) >&2
fi

scratch=$(mktemp -d "${TMPDIR:-/tmp}/jiceng-lighthouse.XXXXXX")
server=""
cleanup() {
	[ -n "$server" ] && kill "$server" 2>/dev/null
	rm -rf "$scratch"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

mkdir -p "$scratch/site" "$reports"
cp -R "$top/content" "$top/templates" "$top/assets" "$scratch/site/"
node "$top/tests/browser/server.mjs" "$scratch/site/out" / >"$scratch/url" &
server=$!
i=0
while [ ! -s "$scratch/url" ] && [ $i -lt 50 ]; do
	sleep 0.1
	i=$((i + 1))
done
base=$(cat "$scratch/url")
[ -n "$base" ] || { echo "lighthouse: the server did not start" >&2; exit 3; }
"$jiceng" build -C "$scratch/site" -o out --base-url "$base" >/dev/null

# The longest article: the one page kind with the most to lay out.
article=$(cd "$scratch/site/out/articles" && ls -S */index.html | head -1)
article=$(node -e 'console.log(encodeURI(process.argv[1]))' "articles/${article%index.html}")

for pair in "home=" "article=$article" "search=search/?q=%E7%BD%91%E6%A0%BC"; do
	name=${pair%%=*}
	for run in $(seq "$runs"); do
		CHROME_PATH=${CHROME_PATH:-/usr/bin/chromium} timeout 300 \
		    "$lighthouse" "$base${pair#*=}" --quiet \
		    --output=json --output-path="$reports/$name-$run.json" \
		    --chrome-flags="$flags"
	done
done

node - "$reports" "$runs" <<'EOF'
const fs = require("node:fs");
const [dir, runs] = process.argv.slice(2);
const cats = ["performance", "accessibility", "best-practices", "seo"];
const median = (xs) => xs.sort((a, b) => a - b)[xs.length >> 1];

console.log("| page | performance | accessibility | best practices | SEO |");
console.log("|---|---|---|---|---|");
for (const page of ["home", "article", "search"]) {
	const reports = [];
	for (let i = 1; i <= runs; i++)
		reports.push(JSON.parse(fs.readFileSync(`${dir}/${page}-${i}.json`)));
	const scores = cats.map((c) => median(reports.map((r) =>
	    Math.round(r.categories[c].score * 100))));
	console.log(`| ${page} | ${scores.join(" | ")} |`);
}
const metrics = [["first-contentful-paint", "FCP"],
    ["largest-contentful-paint", "LCP"], ["total-blocking-time", "TBT"],
    ["cumulative-layout-shift", "CLS"], ["total-byte-weight", "bytes"]];
console.log(`\n| page | ${metrics.map((m) => m[1]).join(" | ")} |`);
console.log(`|---|${metrics.map(() => "---|").join("")}`);
for (const page of ["home", "article", "search"]) {
	const r = JSON.parse(fs.readFileSync(`${dir}/${page}-1.json`));
	console.log(`| ${page} | ${metrics.map((m) => m[1] === "bytes" ?
	    `${Math.round(r.audits[m[0]].numericValue / 1024)} KiB` :
	    r.audits[m[0]].displayValue).join(" | ")} |`);
}
const r = JSON.parse(fs.readFileSync(`${dir}/home-1.json`));
console.log(`\nLighthouse ${r.lighthouseVersion}, ${r.environment.hostUserAgent}`);
for (const page of ["home", "article", "search"]) {
	const r = JSON.parse(fs.readFileSync(`${dir}/${page}-1.json`));
	const failing = Object.values(r.categories).flatMap((c) => c.auditRefs
	    .filter((a) => a.weight > 0 && r.audits[a.id].score !== null &&
	    r.audits[a.id].score < 1).map((a) => `${a.id} ${r.audits[a.id].score}`));
	if (failing.length)
		console.log(`${page}: below 1: ${failing.join(", ")}`);
}
EOF
