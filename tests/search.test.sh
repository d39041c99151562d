# The search script against a real index: builds the project's content,
# then runs assets/search.js in node (no packages) over the files the
# build wrote, and compares its answers with a plain substring scan of
# the same articles.  Skipped when node is missing.
. "$TOP/tests/lib.sh"

if ! command -v node >/dev/null 2>&1; then
	echo "ok 1 # skip node is not installed"
	exit 0
fi
check "search.js parses" node --check "$TOP/assets/search.js"

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
const vm = require("vm");
const core = require(process.argv[2]);
const dir = process.argv[3] + "/search/";
let n = 0;
function ok(pass, name) {
	console.log((pass ? "ok " : "not ok ") + ++n + " - " + name);
}
function same(a, b) {
	return JSON.stringify(a) === JSON.stringify(b);
}

const m = JSON.parse(fs.readFileSync(dir + "index.json", "utf8"));
m.table = Array.from(m.chars);
let fetched = 0;
/*
 * A file of the index as a page over HTTP has it: a file of its own
 * fetched whole and unwrapped; a member of a pack by a range of the
 * pack's table, then by the range that gives, unescaped.
 */
function data(path) {
	const at = core.locate(m, path);
	if (!at.pack) {
		const b = new Uint8Array(fs.readFileSync(dir + path + ".js"));
		fetched += b.length;
		return core.unwrap(b);
	}
	const b = new Uint8Array(fs.readFileSync(dir + at.pack + ".js"));
	const [from, to] = core.tableRange(at, m.digits);
	const table = b.subarray(from, to);
	const start = parseInt(Buffer.from(table.subarray(0, m.digits)).toString(), 16);
	const end = parseInt(Buffer.from(table.subarray(m.digits)).toString(), 16);
	fetched += table.length + end - start;
	return core.unescapeBytes(b.subarray(start, end));
}
const get = (path, parse) => Promise.resolve(parse(data(path)));
/*
 * The same as a page from disk has it: the script run, read as a browser
 * reads windows-1252 (the WHATWG table: 0x80 to 0x9F are other
 * characters, the rest their own code point).
 */
const CP1252 = [0x20AC, 0x81, 0x201A, 0x192, 0x201E, 0x2026, 0x2020, 0x2021,
    0x2C6, 0x2030, 0x160, 0x2039, 0x152, 0x8D, 0x17D, 0x8F, 0x90, 0x2018,
    0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x2DC, 0x2122, 0x161,
    0x203A, 0x153, 0x9D, 0x17E, 0x178];
function run(path) {
	let got, text = "";
	for (const b of fs.readFileSync(dir + path + ".js"))
		text += String.fromCharCode(b >= 0x80 && b < 0xA0 ? CP1252[b - 0x80] : b);
	vm.runInNewContext(text, { jicengSearch: (name, d) => {
		got = { name, d };
	} });
	return got;
}
const docs = [];
for (let i = 0; i < m.docs; i++)
	docs.push(core.decodeDoc(data("d/" + i), m.table));

/* What a plain scan finds: articles holding every term somewhere. */
function scan(terms, lo = 0, hi = m.docs) {
	const out = [];
	for (let i = lo; i < hi; i++)
		if (terms.every(t => docs[i].folded.slice(1).some(l => l.includes(t.text))))
			out.push(i);
	return out;
}

async function results(q, province, theme) {
	const s = await core.query(m, get, q, province, theme);
	const all = await core.take(s, Infinity);
	return { s: s, all: all };
}

(async () => {
	/* The hash and the query's terms, as the C side has them. */
	ok(core.hashKey("社区") === 4089528756 && core.hashKey("5g") === 2888073745 &&
	    core.hashKey("治") === 900468666, "shard hash matches the index's");
	const terms = core.parseQuery("社区治理 5G网络，１２３４５ 社区治理 Ａpp");
	ok(same(terms.map(t => t.text), ["社区治理", "5g", "网络", "12345", "app"]),
	    "query split into Han runs and words, folded, deduplicated");
	ok(same(terms[0].keys, ["社区", "区治", "治理"]) && same(terms[1].keys, ["5g"]) &&
	    same(terms[3].keys, ["123", "345"]), "Han runs are looked up by pairs, ASCII by triples");
	ok(same(core.parseQuery("党 5").map(t => t.keys), [["党"], ["5"]]), "one character is a key");
	ok(core.parseQuery("中华人民共和国中央人民政府国务院办公厅").every(t => t.keys.length <= 8 &&
	    t.keys[t.keys.length - 1] === "公厅"), "a long term keeps a few keys, the last among them");
	ok(core.parseQuery(" ，。!? ").length === 0, "punctuation alone is no query");

	/* A page from disk gets the same data as one over HTTP, and so
	 * does one whose host sends a pack whole. */
	const differs = (a, b) => a.length !== b.length || a.some((x, i) => x !== b[i]);
	const files = ["index"].concat(Array.from({ length: 1 << m.shards }, (_, i) => "s/" + i),
	    Array.from({ length: m.docs }, (_, i) => "d/" + i),
	    fs.readdirSync(dir + "t").map(f => "t/" + f.replace(/\.js$/, "")));
	const differ = files.filter(f => {
		const at = core.locate(m, f), got = run(at.pack || f);
		if (!got || got.name !== (at.pack || f))
			return true;
		if (f === "index")
			return !same(got.d, JSON.parse(fs.readFileSync(dir + "index.json", "utf8")));
		if (!at.pack)
			return differs(core.stringBytes(got.d), data(f));
		const whole = new Uint8Array(fs.readFileSync(dir + at.pack + ".js"));
		return differs(core.packMembers(core.stringBytes(got.d), at, m.digits)[at.k], data(f)) ||
		    differs(core.packMember(whole, at, m.digits), data(f));
	});
	ok(files.length > 30 && differ.length === 0,
	    `each of ${files.length} files run as a script gives the data fetched` +
	    (differ.length ? ": not " + differ.slice(0, 5).join(", ") : ""));
	const packs = fs.readdirSync(dir + "docs").length + fs.readdirSync(dir + "shards").length;
	ok(packs === Math.ceil(m.docs / m.pack) + Math.ceil((1 << m.shards) / m.pack),
	    `articles and shards come in ${packs} packs of ${m.pack}`);

	/* Every article decodes to path, title, place, author, role, body. */
	ok(docs.length > 0 && docs.every(d => /^articles\/.+\/index\.html$/.test(d.path) &&
	    d.title.length > 0 && d.lines.length > 5), "article files decode");

	/* Queries cut from the articles themselves: 1 to 6 characters at
	 * fixed places, and a pair of terms; results must be exactly what a
	 * substring scan finds. */
	const queries = [];
	docs.forEach((d, i) => {
		const body = Array.from(d.lines.slice(5).join(""));
		for (const len of [1, 2, 3, 4, 6]) {
			const at = (i * 37 + len * 101) % Math.max(1, body.length - len);
			const q = body.slice(at, at + len).join("");
			if (core.parseQuery(q).length === 1 && core.parseQuery(q)[0].text === core.foldText(q))
				queries.push(q);
		}
		queries.push(d.title.split(/\s+/)[0], d.place, d.author);
	});
	queries.push("社区 网格", "党建引领 红色物业", "12345", "5G", "2345", "20", "1");
	let exact = 0, missed = [], extra = [], misorder = 0;
	for (const q of queries.filter(Boolean)) {
		const r = await results(q);
		const want = scan(r.s.terms);
		const got = r.all.filter(x => core.parseQuery(q).every(t =>
		    x.doc.folded.slice(1).some(l => l.includes(t.text)))).map(x => x.id).sort((a, b) => a - b);
		if (same(got, want))
			exact++;
		else if (want.some(x => !got.includes(x)))
			missed.push(q);
		else
			extra.push(q);
		/* Strong matches (title, place, author) come first. */
		const strong = r.all.map(x => r.s.terms.every(t => x.doc.folded.slice(1, 4).some(l => l.includes(t.text))));
		if (strong.indexOf(false) >= 0 && strong.lastIndexOf(true) > strong.indexOf(false))
			misorder++;
	}
	ok(missed.length === 0, "recall equals a substring scan (" + exact + " queries" +
	    (missed.length ? "; missed: " + missed.join(" ") : "") + ")");
	ok(extra.length === 0, "no result without every term" + (extra.length ? ": " + extra.join(" ") : ""));
	ok(misorder === 0, "title, place and author matches rank first");

	/* Among title, place and author matches, and among the rest, the
	 * article holding the term more often comes first (网格 once ranked
	 * an article holding it once above one holding it five times). */
	function count(d, text) {
		let n = 0;
		for (const l of d.folded.slice(1))
			for (let i = l.indexOf(text); i >= 0; i = l.indexOf(text, i + 1))
				n++;
		return Math.min(n, 127);
	}
	const unranked = [];
	for (const q of ["网格", "社区", "治理", "党建引领", "服务 群众"]) {
		const r = await results(q);
		const key = x => {
			const held = r.s.terms.filter(t => count(x.doc, t.text) > 0);
			return [held.length, held.filter(t => x.doc.folded.slice(1, 4).some(l => l.includes(t.text))).length,
			    held.reduce((n, t) => n + count(x.doc, t.text), 0)];
		};
		const keys = r.all.map(key);
		if (keys.length < 2 || keys.some((k, i) => i > 0 && (k[0] > keys[i - 1][0] ||
		    (k[0] === keys[i - 1][0] && (k[1] > keys[i - 1][1] ||
		    (k[1] === keys[i - 1][1] && k[2] > keys[i - 1][2]))))))
			unranked.push(q);
	}
	ok(unranked.length === 0, "more occurrences rank higher" +
	    (unranked.length ? ": " + unranked.join(" ") : ""));

	/* Articles with all terms rank above those with some. */
	const two = await results("候鸟 红色物业");
	const counts = two.all.map(x => two.s.terms.filter(t => x.doc.folded.slice(1).some(l => l.includes(t.text))).length);
	ok(counts.length > 0 && counts.every((c, i) => i === 0 || c <= counts[i - 1]),
	    "all terms above some");

	/* Filters. */
	const p = m.provinces[m.provinces.length - 1];
	const byProvince = await results("社区", p[0]);
	ok(byProvince.all.length > 0 && same(byProvince.all.map(x => x.id).sort((a, b) => a - b),
	    scan(byProvince.s.terms, p[1], p[2])) && byProvince.all.every(x => x.doc.place.startsWith(p[0])),
	    "province filter");
	const theme = m.themes[0];
	const byTheme = await results("", "", theme);
	const themeSet = core.readSet({ b: data("t/0"), i: 0 }, m.docs);
	ok(byTheme.all.length === themeSet.length && byTheme.all.length > 0, "theme filter alone lists the theme");
	const none = await results("社区", "没有这个省");
	ok(none.all.length === 0, "an unknown province finds nothing");

	/* Snippets hold the match, marked. */
	const sn = await results("网格");
	const first = sn.all.find(x => x.doc.folded.slice(5).some(l => l.includes("网格")));
	const cut = core.snippet(first.doc, sn.s.terms);
	ok(cut.text.includes("网格") && Array.from(cut.text).length <= 101, "snippet holds the term");
	ok(same(core.matches("abc网格网格x", core.parseQuery("网格")), [[3, 7]]), "marks merge");

	/* Bytes: a two-character query fetches one shard and the ten
	 * articles it shows. */
	fetched = 0;
	const s = await core.query(m, get, "治理");
	await core.take(s, 10);
	ok(s.pos <= 10, "a two-character query checks only what it shows (" + fetched + " bytes)");
	console.log("1.." + n);
})().catch(e => { console.log("not ok - " + e.stack.replace(/\n/g, "\n# ")); });
JS
node "$scratch/check.js" "$TOP/assets/search.js" "$site/out" >"$scratch/out" 2>&1
while IFS= read -r line; do
	case $line in
	"ok "*) ok "${line#ok [0-9]* - }" ;;
	"not ok "*) not_ok "${line#not ok [0-9]* - }" ;;
	*) echo "# $line" ;;
	esac
done <"$scratch/out"
check "the script's checks ran to the end" grep -q '^1\.\.' "$scratch/out"
