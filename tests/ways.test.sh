# Ways between articles, on the project's own content: every article's
# related list has 3 to 5 entries, each sharing a theme, a place or a
# series with it, among them the pairs a reader expects; the table of
# contents links every article; each city's page links its articles; every
# heading of a body has an id; no summary or quoted passage is cut inside
# a word or starts with punctuation; every article has a theme.  Skipped
# when node is missing.
. "$TOP/tests/lib.sh"

if ! command -v node >/dev/null 2>&1; then
	echo "ok 1 # skip node is not installed"
	exit 0
fi

new_scratch
site=$scratch/site
make_site "$site" "$TOP/content"
if ! "$JICENG" build -C "$site" -o out >"$scratch/log" 2>&1; then
	not_ok "content builds"
	sed 's/^/# /' "$scratch/log"
	exit 0
fi

cat >"$scratch/check.js" <<'JS'
"use strict";
const fs = require("fs");
const path = require("path");
const [content, out] = process.argv.slice(2);
let n = 0;
function ok(pass, name, detail) {
	console.log((pass ? "ok " : "not ok ") + ++n + " - " + name);
	if (!pass && detail)
		console.log("# " + String(detail).replace(/\n/g, "\n# "));
}
const read = (p) => fs.readFileSync(path.join(out, p), "utf8");
const unescape = (s) => s.replace(/&quot;/g, '"').replace(/&#39;/g, "'")
    .replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");

/* The articles as their front matter says, by file stem. */
const articles = new Map();
for (const f of fs.readdirSync(path.join(content, "articles")).filter((f) => f.endsWith(".md"))) {
	const text = fs.readFileSync(path.join(content, "articles", f), "utf8");
	const front = text.split(/^---$/m)[1];
	const field = (k) => {
		const m = front.match(new RegExp("^" + k + ":\\s*(.*)$", "m"));
		const v = m ? m[1].trim() : "";
		return v === "" || v === "null" ? null : v;
	};
	articles.set(f.replace(/\.md$/, ""), {
		kind: field("kind") || "article", province: field("province"),
		city: field("city"), district: field("district"), series: field("series"),
		themes: (field("themes") || "[]").replace(/[\[\]\s]/g, "").split(",").filter(Boolean),
		body: text.split(/^---$/m).slice(2).join("---"),
	});
}
const page = (stem) => read("articles/" + stem + "/index.html");
const linkStems = (html) => [...html.matchAll(/href="[^"]*articles\/([^/"]+)\/index\.html"/g)]
    .map((m) => decodeURIComponent(m[1]));

/* Related articles. */
const related = new Map(), whys = new Map();
const bad = [];
for (const [stem, a] of articles) {
	if (a.kind !== "article")
		continue;
	const html = page(stem);
	const section = (html.match(/<section class="related"[\s\S]*?<\/section>/) || [""])[0];
	const entries = [...section.matchAll(/<li><a class="related-title" href="[^"]*articles\/([^/"]+)\/index\.html">[\s\S]*?<span class="why">([^<]*)<\/span>/g)]
	    .map((m) => ({ stem: decodeURIComponent(m[1]), why: m[2] }));
	related.set(stem, entries.map((e) => e.stem));
	for (const e of entries)
		whys.set(stem + " " + e.stem, e.why);
	if (entries.length < 3 || entries.length > 5)
		bad.push(`${stem}: ${entries.length} related`);
	for (const e of entries) {
		const b = articles.get(e.stem);
		const shares = b && ((a.district && a.district === b.district &&
		    a.city === b.city && a.province === b.province) ||
		    (a.city && a.city === b.city && a.province === b.province) ||
		    (a.province && a.province === b.province) ||
		    (a.series && a.series === b.series) ||
		    a.themes.some((t) => b.themes.includes(t)));
		if (!shares || e.stem === stem || e.why.trim() === "")
			bad.push(`${stem} → ${e.stem} (${e.why})`);
	}
}
ok(related.size === [...articles.values()].filter((a) => a.kind === "article").length &&
    bad.length === 0, `each of ${related.size} articles has 3 to 5 related, each sharing a theme, a place or a series, and saying so`,
    bad.join("\n"));
const pair = (a, b) => (related.get(a) || []).includes(b) && (related.get(b) || []).includes(a);
ok(pair("海口市美兰区", "海口市龙华区"), "海口市美兰区 and 海口市龙华区 are related both ways");
ok(pair("呼和浩特市新城区", "呼和浩特市新城区-2"), "the two 呼和浩特市新城区 articles are related both ways");
const why = whys.get("海口市美兰区 海口市龙华区") || "";
ok(why.startsWith("同在海口市"), `the card says why: ${why}`);
/* A reason is a few words: two themes named at most, then 等. */
const long = [...whys.values()].filter((w) => [...w].length > 32 ||
    (w.split("都谈")[1] || "").split("、").length > 2);
ok(whys.size > 60 && long.length === 0, `each of ${whys.size} reasons is at most 32 characters and names two themes at most`,
    long.join("\n"));

/* The table of contents and the cities. */
const toc = new Set(linkStems(read("articles/index.html")));
ok([...articles.keys()].every((s) => toc.has(s)), `the table of contents links all ${articles.size} items`,
    [...articles.keys()].filter((s) => !toc.has(s)).join(" "));
for (const [province, city] of [["海南省", "海口市"], ["内蒙古自治区", "呼和浩特市"],
    ["内蒙古自治区", "巴彦淖尔市"], ["内蒙古自治区", "锡林郭勒盟"]]) {
	const html = read("cities/" + province + city + "/index.html");
	const want = [...articles].filter(([, a]) => a.city === city).map(([s]) => s);
	const has = new Set(linkStems(html));
	ok(want.length === 2 && want.every((s) => has.has(s)) &&
	    html.includes(`<h1>${city}</h1>`), `the page of ${city} links its ${want.length} articles`);
}
const crumb = (page("海口市龙华区").match(/<nav class="breadcrumb[\s\S]*?<\/nav>/) || [""])[0];
ok(/<a href="[^"]*cities\/[^"]+">海口市<\/a>/.test(crumb) && (crumb.match(/<a /g) || []).length === 4,
    "an article's breadcrumb links 首页 › 海南省 › 海口市 › 龙华区", crumb);
ok(/href="[^"]*cities\/%E6%B5%B7%E5%8D%97%E7%9C%81%E6%B5%B7%E5%8F%A3%E5%B8%82\/index\.html">海口市<\/a>/
    .test(read("provinces/海南省/index.html")), "the province page links its cities");

/* Inside an article. */
const noId = [], dup = [];
for (const stem of articles.keys()) {
	const html = page(stem);
	const prose = (html.match(/<div class="prose">([\s\S]*?)<\/div>/) || ["", ""])[1];
	for (const h of prose.matchAll(/<h[1-6]([^>]*)>/g))
		if (!/ id="[^"]+"/.test(h[1]))
			noId.push(stem);
	const ids = [...html.matchAll(/ id="([^"]+)"/g)].map((m) => m[1]);
	if (new Set(ids).size !== ids.length)
		dup.push(stem);
}
ok(noId.length === 0 && dup.length === 0, "every heading of every body has an id, unique in its page",
    noId.concat(dup).join(" "));
const longest = page("海口市龙华区");
ok(/<nav class="contents"[\s\S]*?<a href="#坚持高位统筹-凝聚城市基层治理合力">/.test(longest) &&
    longest.includes('<h2 id="坚持高位统筹-凝聚城市基层治理合力">'),
    "the contents box links the headings by their own words");
ok(/约 [0-9],?[0-9]00 字 · 阅读约 [0-9]+ 分钟/.test(longest), "the article says its length and reading time");

/*
 * 顺着读下去: each pair of articles before and after is one row, which
 * names every way that leads to them (澄迈县 has three themes whose
 * neighbours are the same two articles).
 */
const twice = [];
let merged = "";
for (const [stem] of articles) {
	const nav = (page(stem).match(/<nav class="ways"[\s\S]*?<\/nav>/) || [""])[0];
	const seen = new Set();
	for (const row of nav.matchAll(/<li><span class="way-label">([^<]*)<\/span>(.*?)<\/li>/g)) {
		const pair = [...row[2].matchAll(/class="way-(prev|next)" href="([^"]*)"/g)]
		    .map((m) => m[1] + " " + m[2]).join(" ");
		if (seen.has(pair))
			twice.push(`${stem}: ${row[1]}`);
		seen.add(pair);
		if (stem === "海南省澄迈县" && (row[1].match(/「/g) || []).length >= 3)
			merged = row[1];
	}
}
ok(twice.length === 0 && merged !== "", `each pair of ways on is one row naming its ways (${merged})`,
    twice.join("\n"));

/* Summaries and passages: cut at a sentence or a clause, never inside. */
const plain = (s) => s.replace(/^#.*$/gm, "").replace(/[*_`]/g, "");
const cut = [];
const summaries = new Set();
for (const f of ["provinces/内蒙古自治区/index.html", "provinces/海南省/index.html",
    "districts/index.html", "feed.xml"]) {
	const text = read(f);
	for (const m of text.matchAll(/<p class="card-summary">([^<]*)<\/p>|<summary>([^<]*)<\/summary>/g))
		summaries.add(unescape(m[1] || m[2]));
}
for (const [stem] of articles)
	summaries.add(unescape((page(stem).match(/<meta name="description" content="([^"]*)">/) || [])[1] || ""));
const bodies = [...articles.values()].map((a) => plain(a.body)).join("\n");
/*
 * Whether the paragraph a summary was cut from has a clause end (，；：)
 * outside quotes within the summary's length (TEXT_SUMMARY_CHARS, 110)
 * and past its third: a better place to stop than a 、, which parts the
 * items of a list.
 */
const SUMMARY_CHARS = 110;
function clauseWithin(text) {
	const chars = [...text.split("\n")[0]];
	let depth = 0;
	for (let i = 0; i < chars.length && i <= SUMMARY_CHARS; i++) {
		if (/[“‘「『《（【(]/.test(chars[i]))
			depth++;
		else if (/[”’」』》）】)]/.test(chars[i]))
			depth = Math.max(0, depth - 1);
		else if (/[，；：,;:]/.test(chars[i]) && depth === 0 && i >= SUMMARY_CHARS / 3)
			return true;
	}
	return false;
}
const listCut = [];
for (const s of summaries) {
	if (/[。！？][”」』）]*$/.test(s) && !s.endsWith("……"))
		continue;
	const head = s.replace(/……$/, "");
	const at = bodies.indexOf(head);
	const next = at < 0 ? "" : bodies.charAt(at + head.length);
	if (!s.endsWith("……") || !/[，；：、,;:]/.test(next))
		cut.push(`${s.slice(-12)} (then "${next}")`);
	else if (next === "、" && clauseWithin(bodies.slice(at)))
		listCut.push(s.slice(-16));
}
ok(summaries.size > 20 && cut.length === 0, `no summary of ${summaries.size} ends inside a sentence but at a clause`,
    cut.join("\n"));
ok(listCut.length === 0, "no summary stops at a 、 in a list where a clause ends within its length",
    listCut.join("\n"));
const passages = [];
for (const t of fs.readdirSync(path.join(out, "themes")).filter((t) => !t.endsWith(".html")))
	for (const m of read("themes/" + t + "/index.html").matchAll(/<blockquote class="passage"><p>([\s\S]*?)<\/p>/g))
		passages.push(unescape(m[1].replace(/<[^>]+>/g, "")));
const badStart = passages.filter((p) => /^[，；：、,;:。！？”」]/.test(p));
ok(passages.length > 20 && badStart.length === 0, `no quoted passage of ${passages.length} starts with punctuation`,
    badStart.join("\n"));

/* Themes. */
const untagged = [...articles].filter(([, a]) => a.kind === "article" && a.themes.length === 0);
ok(untagged.length === 0, "every article has a theme", untagged.map(([s]) => s).join(" "));
ok(articles.get("海口市龙华区").themes.includes("red-property"), "龙华区, which speaks of 红色物业, is tagged with it");

console.log("1.." + n);
JS
node "$scratch/check.js" "$site/content" "$site/out" >"$scratch/out" 2>&1
while IFS= read -r line; do
	case $line in
	"ok "*) ok "${line#ok [0-9]* - }" ;;
	"not ok "*) not_ok "${line#not ok [0-9]* - }" ;;
	*) echo "# $line" ;;
	esac
done <"$scratch/out"
check "the checks ran to the end" grep -q '^1\.\.' "$scratch/out"
