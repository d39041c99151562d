/*
 * The browser and recall half of bench/search/compare.sh: jiceng's search
 * against Pagefind's on the same site, in headless Chromium.
 *
 *   node bench/search/compare.mjs SITE_DIR
 *
 * SITE_DIR is jiceng's output with Pagefind's bundle in pagefind/ and a
 * page using Pagefind's default UI in pagefind-search/index.html.  A
 * static server on 127.0.0.1 serves it as a common host does (HTML, CSS,
 * JavaScript, JSON and SVG gzip-compressed when the browser asks, other
 * files as they are; a request for one range of a file gets that range,
 * as common hosts send it).  For each engine, in a fresh browser, it runs a
 * first query from the search page's address and then a second one typed
 * into the same page, and records the size of every response, as sent
 * and as stored.  Then, for ten queries, it takes the top results of
 * both (jiceng's script run in node over the index files; Pagefind's
 * JavaScript API in the browser) and compares them with a plain
 * substring scan of the articles' text (jiceng's article files decoded:
 * title, place, author, role and body, as Pagefind indexes them).
 * Prints Markdown tables on stdout; progress goes to stderr.
 */
import { createRequire } from "node:module";
import { createServer } from "node:http";
import { readFile, readdir, stat } from "node:fs/promises";
import { readFileSync } from "node:fs";
import { gunzipSync, gzipSync } from "node:zlib";
import path from "node:path";
import { fileURLToPath } from "node:url";

/* Not import.meta.dirname, which Debian 12's Node 18 lacks. */
const top = fileURLToPath(new URL("../..", import.meta.url));
const requireTool = createRequire(path.join(process.env.JICENG_NODE_MODULES ||
    path.join(top, "build/node/node_modules"), "/"));
const { chromium } = requireTool("playwright-core");
const core = createRequire(import.meta.url)(path.join(top, "assets/search.js"));

/* The bytes of a first and a second query: a common pair, as measured
 * elsewhere (about 370 KB for Pagefind's first two-character query). */
const FIRST = "治理", SECOND = "网格";
/* One to four characters: common and rare, Han and Latin and digits. */
const QUERIES = ["党", "治理", "网格", "格员", "候鸟", "红色物业", "老旧小区",
    "永明区", "APP", "2020"];
const TOP = 10;
const FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run"];
const TYPES = {
	".html": ["text/html; charset=utf-8", true],
	".css": ["text/css; charset=utf-8", true],
	".js": ["text/javascript; charset=utf-8", true],
	".json": ["application/json", true],
	".svg": ["image/svg+xml", true],
	".wasm": ["application/wasm", false],
};

function say(s) {
	process.stderr.write("compare: " + s + "\n");
}

/* A static server on a free port of 127.0.0.1. */
function serve(root) {
	const zipped = new Map();
	const server = createServer(async (req, res) => {
		let file = path.join(root, decodeURIComponent(new URL(req.url,
		    "http://x").pathname));
		try {
			if ((await stat(file)).isDirectory())
				file = path.join(file, "index.html");
			let body = await readFile(file), status = 200;
			const [type, compress] = TYPES[path.extname(file)] ||
			    ["application/octet-stream", false];
			const headers = { "Content-Type": type, "Cache-Control": "no-cache",
			    "Accept-Ranges": "bytes" };
			const range = /^bytes=(\d+)-(\d+)$/.exec(req.headers.range || "");
			if (range && Number(range[1]) <= Number(range[2]) &&
			    Number(range[2]) < body.length) {
				headers["Content-Range"] = `bytes ${range[1]}-${range[2]}/${body.length}`;
				body = body.subarray(Number(range[1]), Number(range[2]) + 1);
				status = 206;
			} else if (compress && /\bgzip\b/.test(req.headers["accept-encoding"] || "")) {
				if (!zipped.has(file))
					zipped.set(file, gzipSync(body, { level: 6 }));
				body = zipped.get(file);
				headers["Content-Encoding"] = "gzip";
			}
			headers["Content-Length"] = body.length;
			res.writeHead(status, headers);
			res.end(body);
		} catch {
			res.writeHead(404, { "Content-Type": "text/plain" });
			res.end("not found");
		}
	});
	return new Promise((resolve) => server.listen(0, "127.0.0.1", () =>
	    resolve({ origin: "http://127.0.0.1:" + server.address().port,
		close: () => new Promise((r) => server.close(r)) })));
}

/* Responses of a page, as sent (encoded) and as stored (decoded). */
function recorder(page, origin) {
	const rec = { list: [] };
	page.on("requestfinished", async (request) => {
		const response = await request.response();
		const sizes = await request.sizes();
		let stored = 0;
		try {
			stored = (await response.body()).length;
		} catch {
			/* A body the browser no longer holds counts as sent. */
			stored = sizes.responseBodySize;
		}
		rec.list.push({ url: request.url().replace(origin, ""),
		    sent: sizes.responseBodySize + sizes.responseHeadersSize,
		    body: sizes.responseBodySize, stored });
	});
	rec.take = () => rec.list.splice(0);
	return rec;
}

async function settle(page) {
	await page.waitForLoadState("networkidle");
	await page.waitForTimeout(300);
}

/* jiceng's search page: the first query from the address, the second typed. */
async function jicengQueries(page, origin) {
	await page.goto(origin + "/search/?q=" + encodeURIComponent(FIRST));
	await page.waitForFunction(() => {
		const s = document.getElementById("search-status");
		return s && /篇|没有/.test(s.textContent);
	}, null, { timeout: 60000 });
	await settle(page);
	const shown = await page.locator("#search-results > li").count();
	return { shown, second: async () => {
		await page.fill("#search-q", SECOND);
		await page.press("#search-q", "Enter");
		await page.waitForFunction((q) => {
			const s = document.getElementById("search-status");
			return new URLSearchParams(location.search).get("q") === q &&
			    s && /篇|没有/.test(s.textContent);
		}, SECOND, { timeout: 60000 });
		await settle(page);
		return page.locator("#search-results > li").count();
	} };
}

/* Pagefind's default UI on its own page, as its documentation sets it up. */
async function pagefindQueries(page, origin) {
	async function run(q) {
		await page.fill(".pagefind-ui__search-input", q);
		await page.waitForFunction((q) => {
			const m = document.querySelector(".pagefind-ui__message");
			return m && m.textContent.includes(q);
		}, q, { timeout: 60000 });
		await settle(page);
		return page.locator(".pagefind-ui__result").count();
	}
	await page.goto(origin + "/pagefind-search/");
	await page.waitForSelector(".pagefind-ui__search-input");
	const shown = await run(FIRST);
	return { shown, second: () => run(SECOND) };
}

function sum(list, key, filter = () => true) {
	return list.filter((r) => filter(r.url)).reduce((n, r) => n + r[key], 0);
}

async function measureBytes(browser, origin, name, queries, isSearch) {
	const context = await browser.newContext();
	const page = await context.newPage();
	const rec = recorder(page, origin);
	const q = await queries(page, origin);
	const first = rec.take();
	const shown2 = await q.second();
	const second = rec.take();
	await context.close();
	const row = (list, shown) => ({ requests: list.length, shown,
	    sent: sum(list, "sent"), stored: sum(list, "stored"),
	    searchRequests: list.filter((r) => isSearch(r.url)).length,
	    searchSent: sum(list, "sent", isSearch),
	    searchStored: sum(list, "stored", isSearch), list });
	say(`${name}: bytes measured`);
	return { first: row(first, q.shown), second: row(second, shown2) };
}

/* Article texts from jiceng's files: the ground truth's text. */
function loadDocs(site) {
	const dir = path.join(site, "search/");
	const m = JSON.parse(readFileSync(dir + "index.json", "utf8"));
	m.table = Array.from(m.chars);
	const docs = [];
	for (let i = 0; i < m.docs; i++)
		docs.push(core.decodeDoc(indexData(dir, m, "d/" + i), m.table));
	return { m, docs, dir };
}

/* A file of jiceng's index as its script reads it: a member of a pack,
 * or a file of its own. */
function indexData(dir, m, name) {
	const at = core.locate(m, name);
	const b = new Uint8Array(readFileSync(dir + (at.pack || name) + ".js"));
	return at.pack ? core.packMember(b, at, m.digits) : core.unwrap(b);
}

/* An article's key: its folder, "articles/NAME/". */
function key(url) {
	return decodeURIComponent(url).replace(/^\//, "").replace(/index\.html$/, "");
}

async function jicengResults(idx, q) {
	const get = (p, parse) => Promise.resolve(parse(indexData(idx.dir, idx.m, p)));
	const s = await core.query(idx.m, get, q, "", "");
	const all = await core.take(s, Infinity);
	return { total: all.length, top: all.slice(0, TOP).map((x) => key(x.doc.path)),
	    all: all.map((x) => key(x.doc.path)) };
}

/* Pagefind's result ids are its fragment files' names; each names a page. */
async function fragmentUrls(site) {
	const dir = path.join(site, "pagefind/fragment");
	const urls = new Map();
	for (const f of await readdir(dir)) {
		const text = gunzipSync(readFileSync(path.join(dir, f))).toString("utf8");
		urls.set(f.replace(/\.pf_fragment$/, ""),
		    key(JSON.parse(text.slice(text.indexOf("{"))).url));
	}
	return urls;
}

async function pagefindResults(page, q, urls) {
	const r = await page.evaluate(async (q) => {
		const pf = window.pf || (window.pf = await import("/pagefind/pagefind.js"));
		const r = await pf.search(q);
		return r.results.map((x) => x.id);
	}, q);
	const all = r.map((id) => urls.get(id));
	return { total: all.length, top: all.slice(0, TOP), all };
}

function recall(got, truth) {
	const want = new Set(truth);
	const hit = got.filter((k) => want.has(k)).length;
	return truth.length ? hit / truth.length : 1;
}

function pct(x) {
	return (100 * x).toFixed(1).replace(/\.0$/, "") + " %";
}

function kb(n) {
	return (n / 1024).toFixed(1) + " KB";
}

async function main() {
	const site = path.resolve(process.argv[2]);
	const server = await serve(site);
	const browser = await chromium.launch({ executablePath: process.env.CHROME_PATH ||
	    "/usr/bin/chromium", headless: true, args: FLAGS });
	const out = [];
	try {
		const bytes = {
			jiceng: await measureBytes(browser, server.origin, "jiceng",
			    jicengQueries, (u) => u.startsWith("/search/") && !u.startsWith("/search/?") ||
			    u.startsWith("/assets/search.js")),
			pagefind: await measureBytes(browser, server.origin, "pagefind",
			    pagefindQueries, (u) => u.startsWith("/pagefind/")),
		};
		out.push(`Bytes a fresh browser fetches for a first query (${FIRST}, from ` +
		    `the search page's address) and then a second one (${SECOND}, typed ` +
		    "into the page), all responses as sent (headers included; HTML, CSS, " +
		    "JavaScript, JSON and SVG gzip-compressed, as hosts serve them) and, " +
		    "in brackets, the search's own files alone (jiceng: `assets/search.js` " +
		    "and `search/`; Pagefind: `pagefind/`):", "",
		    "| | requests | sent | search files sent | search files stored | results shown |",
		    "|---|---:|---:|---:|---:|---:|");
		for (const [name, b] of Object.entries(bytes))
			for (const [which, r] of [["first", b.first], ["second", b.second]])
				out.push(`| ${name}, ${which} query | ${r.requests} (${r.searchRequests}) | ` +
				    `${kb(r.sent)} | ${kb(r.searchSent)} | ${kb(r.searchStored)} | ${r.shown} |`);
		for (const which of ["first", "second"])
			out.push("", `Files of jiceng's ${which} query: ` +
			    bytes.jiceng[which].list.map((r) => `\`${r.url}\` ${kb(r.sent)}`).join(", ") + ".");
		out.push("", `Pagefind's ${FIRST} fetched ` +
		    bytes.pagefind.first.list.filter((r) => r.url.startsWith("/pagefind/"))
		    .map((r) => `\`${r.url.replace(/^\/pagefind\//, "")}\` ${kb(r.sent)}`).join(", ") + ".");

		const idx = loadDocs(site), urls = await fragmentUrls(site);
		const context = await browser.newContext();
		const page = await context.newPage();
		await page.goto(server.origin + "/pagefind-search/");
		out.push("", `Top ${TOP} and recall for ten queries against a substring ` +
		    "scan of the articles' text (recall@10: of the first ten results, " +
		    "those the scan finds, over min(10, found by the scan); recall: of all " +
		    "the scan finds, the share each engine returns; extra: results the " +
		    "scan does not find):", "",
		    "| query | scan finds | jiceng results | jiceng recall@10 | jiceng recall | jiceng extra | Pagefind results | Pagefind recall@10 | Pagefind recall | Pagefind extra | same top 10 |",
		    "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
		let jr = 0, pr = 0, jr10 = 0, pr10 = 0;
		const tops = [];
		for (const q of QUERIES) {
			const terms = core.parseQuery(q);
			const truth = idx.docs.filter((d) => terms.every((t) =>
			    d.folded.slice(1).some((l) => l.includes(t.text)))).map((d) => key(d.path));
			const want = new Set(truth);
			const j = await jicengResults(idx, q);
			const p = await pagefindResults(page, q, urls);
			const at10 = (r) => truth.length ? r.top.filter((k) => want.has(k)).length /
			    Math.min(TOP, truth.length) : 1;
			const extra = (r) => r.all.filter((k) => !want.has(k)).length;
			const same = j.top.filter((k) => p.top.includes(k)).length;
			jr += recall(j.all, truth);
			pr += recall(p.all, truth);
			jr10 += at10(j);
			pr10 += at10(p);
			out.push(`| ${q} | ${truth.length} | ${j.total} | ${pct(at10(j))} | ` +
			    `${pct(recall(j.all, truth))} | ${extra(j)} | ${p.total} | ${pct(at10(p))} | ` +
			    `${pct(recall(p.all, truth))} | ${extra(p)} | ${same} |`);
			tops.push(`- ${q}: jiceng ${j.top.slice(0, 5).map((k) => k.replace(/^articles\/|\/$/g, "")).join(" ")}; ` +
			    `Pagefind ${p.top.slice(0, 5).map((k) => k.replace(/^articles\/|\/$/g, "")).join(" ")}`);
			say(`query ${q}: scan ${truth.length}, jiceng ${j.total}, pagefind ${p.total}`);
		}
		out.push(`| mean | | | ${pct(jr10 / QUERIES.length)} | ${pct(jr / QUERIES.length)} | | | ` +
		    `${pct(pr10 / QUERIES.length)} | ${pct(pr / QUERIES.length)} | | |`);
		out.push("", "The first five results of each (article folders):", "", ...tops);
		await context.close();
	} finally {
		await browser.close();
		await server.close();
	}
	process.stdout.write(out.join("\n") + "\n");
}

main().catch((e) => {
	process.stderr.write("compare: " + (e.stack || e) + "\n");
	process.exit(1);
});
