/*
 * Full-text search over the index `jiceng build` writes below search/
 * (its formats are described in generator/render/search.c).  No server
 * and no library: the script fetches the small manifest, then only the
 * shards holding the query's terms, then the text of the articles it
 * shows, which it checks the matches against and cuts snippets from.
 * The query lives in the address (?q=&province=&theme=), so a search can
 * be linked and the back button works.
 */
(function () {
"use strict";

var PAGE = 10;		/* results shown at a time */
var MAX_TERMS = 8;
var WORD_MAX = 64;	/* the index cuts longer words */
var SNIPPET = 100;	/* characters of context shown */

/* Text: the index's folding and character classes, exactly. */

function fold(cp) {
	if (cp >= 0xFF01 && cp <= 0xFF5E)
		cp -= 0xFEE0;
	else if (cp === 0x3000)
		cp = 32;
	return cp >= 65 && cp <= 90 ? cp + 32 : cp;
}

/* Folds s without changing its length, so offsets carry over. */
function foldText(s) {
	return s.replace(/[A-Z\u3000\uFF01-\uFF5E]/g, function (c) {
		return String.fromCharCode(fold(c.charCodeAt(0)));
	});
}

var LETTER = /[\p{L}\p{N}]/u;

/* 0: separator; 1: ASCII letter or digit (words); 2: Han and the like. */
function classify(cp) {
	if (cp < 0x80)
		return (cp >= 97 && cp <= 122) || (cp >= 48 && cp <= 57) ? 1 : 0;
	if ((cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF) ||
	    (cp >= 0x20000 && cp <= 0x323AF) || (cp >= 0xF900 && cp <= 0xFAFF))
		return 2;
	return LETTER.test(String.fromCodePoint(cp)) ? 2 : 0;
}

/*
 * The index keys that find a term.  A word is its own key.  One Han
 * character has its own postings; a longer run is found through pairs of
 * neighbours, and every other pair (plus the last) covers all of its
 * characters at half the fetches; the text check removes what slips by.
 */
function termKeys(text, kind) {
	var c = Array.from(text), keys = [], i;

	if (kind === 1)
		return [text.slice(0, WORD_MAX)];
	if (c.length === 1)
		return [text];
	for (i = 0; i + 1 < c.length; i += 2)
		keys.push(c[i] + c[i + 1]);
	if (c.length % 2)
		keys.push(c[c.length - 2] + c[c.length - 1]);
	return keys;
}

/* The query's terms: its runs of word characters and of Han characters. */
function parseQuery(q) {
	var terms = [], seen = {}, run = "", kind = 0;

	function end() {
		if (run && !seen[run] && terms.length < MAX_TERMS) {
			seen[run] = true;
			terms.push({ text: run, kind: kind, keys: termKeys(run, kind),
			    exact: kind === 1 || Array.from(run).length <= 2 });
		}
		run = "";
	}
	for (var ch of foldText(q.normalize("NFC"))) {
		var c = classify(ch.codePointAt(0));
		if (c !== kind)
			end();
		kind = c;
		if (c)
			run += ch;
	}
	end();
	return terms;
}

/* FNV-1a and a finaliser: the index's shard hash. */
function hashKey(key) {
	var b = new TextEncoder().encode(key), h = 0x811C9DC5, i;

	for (i = 0; i < b.length; i++)
		h = Math.imul(h ^ b[i], 16777619);
	h = Math.imul(h ^ (h >>> 16), 0x7FEB352D);
	h = Math.imul(h ^ (h >>> 15), 0x846CA68B);
	return (h ^ (h >>> 16)) >>> 0;
}

/* Binary data: r is { b: Uint8Array, i: offset }. */

function varint(r) {
	var v = 0, mul = 1, c;

	do {
		c = r.b[r.i++];
		v += (c & 0x7F) * mul;
		mul *= 128;
	} while (c & 0x80);
	return v;
}

/* A set of numbers below universe, as a sorted Int32Array. */
function readSet(r, universe) {
	var n = varint(r), out = new Int32Array(n), mode, k, bit, v, j, q, x, low;

	if (n === 0)
		return out;
	mode = r.b[r.i++];
	if (mode === 0) {
		for (v = 0, j = 0; v < universe; v++)
			if (r.b[r.i + (v >> 3)] >> (v & 7) & 1)
				out[j++] = v;
		r.i += (universe + 7) >> 3;
		return out;
	}
	k = mode - 1;
	bit = r.i * 8;
	for (v = -1, j = 0; j < n; j++) {
		for (q = 0; r.b[bit >> 3] >> (bit & 7) & 1; bit++)
			q++;
		bit++;
		for (x = 0, low = 0; x < k; x++, bit++)
			low |= (r.b[bit >> 3] >> (bit & 7) & 1) << x;
		v += 1 + q * (1 << k) + low;
		out[j] = v;
	}
	r.i = (bit + 7) >> 3;
	return out;
}

/* A shard: a Map from key to its entry's bytes. */
function readShard(b) {
	var r = { b: b, i: 0 }, n = varint(r), map = new Map(), dec = new TextDecoder(),
	    len, key;

	while (n-- > 0) {
		len = varint(r);
		key = dec.decode(b.subarray(r.i, r.i + len));
		r.i += len;
		len = varint(r);
		map.set(key, b.subarray(r.i, r.i + len));
		r.i += len;
	}
	return map;
}

/* An entry: the articles holding a key, those in a title, place or
 * author, and those where it is most frequent. */
function readEntry(b, ndocs) {
	var r = { b: b, i: 0 }, docs = readSet(r, ndocs);
	var strong = readSet(r, docs.length);
	var freq = varint(r) ? readSet(r, docs.length) : new Int32Array(0);

	return { docs: docs, strong: strong.map(function (i) { return docs[i]; }),
	    freq: freq.map(function (i) { return docs[i]; }) };
}

function intersect(a, b) {
	var out = [], i = 0, j = 0;

	while (i < a.length && j < b.length) {
		if (a[i] < b[j])
			i++;
		else if (a[i] > b[j])
			j++;
		else {
			out.push(a[i]);
			i++;
			j++;
		}
	}
	return Int32Array.from(out);
}

/* Decodes an article file with the manifest's character table. */
function decodeDoc(b, table) {
	var out = [], i = 0, c;

	while (i < b.length) {
		c = b[i++];
		if (c < 192)
			out.push(table[c]);
		else if (c < 255)
			out.push(table[192 + (c - 192) * 256 + b[i++]]);
		else {
			out.push(String.fromCodePoint(b[i] << 16 | b[i + 1] << 8 | b[i + 2]));
			i += 3;
		}
	}
	var lines = out.join("").split("\n");
	return { path: lines[0], title: lines[1], place: lines[2], author: lines[3],
	    lines: lines, folded: lines.map(foldText) };
}

/*
 * A rank as one number, larger first: terms matched, of them in a strong
 * field, of them frequent; then site order.
 */
function rank(matched, strong, freq, id) {
	return ((matched * 16 + strong) * 16 + freq) * 4194304 + (4194303 - id);
}

/* Where the terms occur in s (folded): merged [start, end) pairs. */
function matches(s, terms) {
	var spans = [], out = [], i;

	terms.forEach(function (t) {
		for (i = s.indexOf(t.text); i >= 0; i = s.indexOf(t.text, i + 1))
			spans.push([i, i + t.text.length]);
	});
	spans.sort(function (a, b) { return a[0] - b[0]; });
	spans.forEach(function (p) {
		if (out.length && p[0] <= out[out.length - 1][1])
			out[out.length - 1][1] = Math.max(out[out.length - 1][1], p[1]);
		else
			out.push(p);
	});
	return out;
}

/*
 * The snippet: SNIPPET characters of the paragraph holding the most
 * terms, from a little before the first; the first paragraph if none.
 */
function snippet(doc, terms) {
	var best = 5, most = 0, at = 0, i, n, start, end, text;

	for (i = 5; i < doc.lines.length; i++) {
		n = terms.filter(function (t) { return doc.folded[i].includes(t.text); }).length;
		if (n > most) {
			most = n;
			best = i;
		}
	}
	text = doc.lines[best] || "";
	if (most > 0)
		at = Math.min.apply(null, terms.map(function (t) {
			var p = doc.folded[best].indexOf(t.text);
			return p < 0 ? Infinity : p;
		}));
	/* Start at the sentence holding the match when it began not long
	 * before; otherwise a little before the match. */
	start = Math.max(0, at - 20);
	for (i = at - 1; i >= Math.max(0, at - 40); i--)
		if ("。！？；!?;".includes(text[i])) {
			start = i + 1;
			break;
		}
	if (i < 0)
		start = 0;
	end = Math.min(text.length, start + SNIPPET);
	/* Never split a surrogate pair. */
	if (start > 0 && /[\uDC00-\uDFFF]/.test(text[start]))
		start--;
	if (/[\uD800-\uDBFF]/.test(text[end - 1] || ""))
		end++;
	return { text: text.slice(start, end), folded: doc.folded[best] ?
	    doc.folded[best].slice(start, end) : "", before: start > 0,
	    after: end < text.length };
}

var core = { fold: fold, foldText: foldText, classify: classify,
    parseQuery: parseQuery, termKeys: termKeys, hashKey: hashKey,
    readSet: readSet, readShard: readShard, readEntry: readEntry,
    intersect: intersect, decodeDoc: decodeDoc, rank: rank,
    matches: matches, snippet: snippet };

if (typeof module === "object" && module.exports) {
	module.exports = core;
	return;
}

/* The page. */

var base = document.currentScript.getAttribute("data-index");
var root = base.replace(/search\/$/, "");
var form = document.querySelector(".search-form");
var status = document.getElementById("search-status");
var list = document.getElementById("search-results");
var more = document.createElement("button");
var manifest = null, files = new Map(), generation = 0, current = null;

more.type = "button";
more.className = "search-more";
more.textContent = "显示更多结果";
more.hidden = true;
list.after(more);

function say(text) {
	status.textContent = text;
}

/* A file below search/, fetched once; failures are not kept. */
function file(m, path, parse) {
	if (!files.has(path)) {
		var p = fetch(base + path + "?v=" + m.build).then(function (r) {
			if (!r.ok)
				throw new Error("HTTP " + r.status);
			return r.arrayBuffer();
		}).then(function (b) { return parse(new Uint8Array(b)); });
		files.set(path, p);
		p.catch(function () { files.delete(path); });
	}
	return files.get(path);
}

function loadManifest() {
	if (!manifest) {
		manifest = fetch(base + "index.json", { cache: "no-cache" }).then(function (r) {
			if (!r.ok)
				throw new Error("HTTP " + r.status);
			return r.json();
		}).then(function (m) {
			m.table = Array.from(m.chars);
			return m;
		});
		manifest.catch(function () { manifest = null; });
	}
	return manifest;
}

/* The articles holding a term: every key's, intersected. */
function lookup(m, term) {
	return Promise.all(term.keys.map(function (key) {
		var n = hashKey(key) & ((1 << m.shards) - 1);
		var name = "s/" + n.toString(16).padStart((m.shards + 3) >> 2, "0") + ".bin";
		return file(m, name, readShard).then(function (shard) {
			return shard.has(key) ? readEntry(shard.get(key), m.docs) : null;
		});
	})).then(function (entries) {
		if (entries.indexOf(null) >= 0)
			return { docs: [], strong: [], freq: [] };
		return entries.reduce(function (a, b) {
			return { docs: intersect(a.docs, b.docs),
			    strong: intersect(a.strong, b.strong),
			    freq: intersect(a.freq, b.freq) };
		});
	});
}

function has(sorted, x) {
	var lo = 0, hi = sorted.length, mid;

	while (lo < hi) {
		mid = (lo + hi) >> 1;
		if (sorted[mid] < x)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < sorted.length && sorted[lo] === x;
}

/* The rank an article really earns, from its text; null if no term. */
function verify(s, id, doc) {
	var matched = 0, strong = 0, freq = 0;

	s.terms.forEach(function (t, k) {
		function holds(line) { return line.includes(t.text); }
		var inStrong = doc.folded.slice(1, 4).some(holds);

		if (!inStrong && !doc.folded.slice(4).some(holds))
			return;
		matched++;
		strong += inStrong ? 1 : 0;
		freq += has(s.found[k].freq, id) ? 1 : 0;
	});
	return s.terms.length && !matched ? null : rank(matched, strong, freq, id);
}

/*
 * The next count results in rank order.  The index's rank of an article
 * is never below the one its text earns, so an article checked can be
 * shown once no unchecked one could rank above it.
 */
async function take(s, count) {
	var out = [], batch, docs;

	while (out.length < count) {
		while (s.pos < s.cands.length && (!s.pool.length ||
		    s.claimed(s.cands[s.pos]) > s.pool[0].rank)) {
			batch = s.cands.slice(s.pos, s.pos + count - out.length);
			s.pos += batch.length;
			docs = await Promise.all(batch.map(function (id) {
				return file(s.m, "d/" + id + ".bin", function (b) {
					return decodeDoc(b, s.m.table);
				});
			}));
			batch.forEach(function (id, i) {
				var r = verify(s, id, docs[i]);
				if (r !== null)
					s.pool.push({ id: id, doc: docs[i], rank: r });
			});
			s.pool.sort(function (a, b) { return b.rank - a.rank; });
		}
		if (!s.pool.length)
			break;
		out.push(s.pool.shift());
	}
	return out;
}

/* Appends text to parent with the terms marked. */
function highlight(parent, text, terms) {
	var at = 0;

	matches(foldText(text), terms).forEach(function (span) {
		var mark = document.createElement("mark");

		parent.append(text.slice(at, span[0]));
		mark.textContent = text.slice(span[0], span[1]);
		parent.append(mark);
		at = span[1];
	});
	parent.append(text.slice(at));
}

function element(name, className, parent) {
	var e = document.createElement(name);

	e.className = className;
	parent.append(e);
	return e;
}

/* Shows results; returns the first one's link. */
function render(s, items) {
	var first = null;

	items.forEach(function (it) {
		var li = element("li", "result", list);
		var a = element("a", "", element("h2", "result-title", li));
		var meta = [it.doc.place, it.doc.author].filter(Boolean).join(" · ");
		var sn = snippet(it.doc, s.terms);
		var p;

		a.href = root + it.doc.path.split("/").map(encodeURIComponent).join("/");
		highlight(a, it.doc.title, s.terms);
		if (meta)
			highlight(element("p", "result-meta", li), meta, s.terms);
		p = element("p", "result-snippet", li);
		p.append(sn.before ? "…" : "");
		highlight(p, sn.text, s.terms);
		p.append(sn.after ? "…" : "");
		first = first || a;
	});
	return first;
}

function summary(s) {
	var approx = s.terms.some(function (t) { return !t.exact; }) ? "约" : "";
	var text;

	if (!s.cands.length)
		return "没有找到相关文章。试试更短的关键词，或去掉省份、主题筛选。";
	if (!s.terms.length)
		text = "共 " + s.cands.length + " 篇文章";
	else
		text = "找到" + approx + " " + s.all + " 篇包含全部关键词的文章" +
		    (s.cands.length > s.all ? "，另有" + approx + " " +
		    (s.cands.length - s.all) + " 篇包含部分关键词" : "");
	return text + "，显示前 " + list.children.length + " 篇。";
}

async function showMore(s, gen, focus) {
	var items, first;

	more.disabled = true;
	items = await take(s, PAGE);
	if (gen !== generation)
		return;
	first = render(s, items);
	more.disabled = false;
	more.hidden = !(s.pos < s.cands.length || s.pool.length);
	say(summary(s));
	if (focus && first)
		first.focus();
}

async function run(params, gen) {
	var q = params.get("q") || "", province = params.get("province") || "";
	var theme = params.get("theme") || "", terms = parseQuery(q);
	var m, found, lo = 0, hi, allowed = null, range, d, s, i;
	var matched, strong, freq;

	list.textContent = "";
	more.hidden = true;
	if (!terms.length && !province && !theme) {
		say(q.trim() ? "请用汉字、字母或数字作关键词。" : "");
		return;
	}
	say("正在搜索……");
	m = await loadManifest();
	found = await Promise.all(terms.map(function (t) { return lookup(m, t); }));
	hi = m.docs;
	if (province) {
		range = m.provinces.find(function (p) { return p[0] === province; });
		lo = range ? range[1] : 0;
		hi = range ? range[2] : 0;
	}
	if (theme) {
		allowed = new Uint8Array(m.docs);
		i = m.themes.indexOf(theme);
		if (i >= 0)
			(await file(m, "t/" + i + ".bin", function (b) {
				return readSet({ b: b, i: 0 }, m.docs);
			})).forEach(function (id) { allowed[id] = 1; });
	}
	matched = new Uint8Array(m.docs);
	strong = new Uint8Array(m.docs);
	freq = new Uint8Array(m.docs);
	found.forEach(function (f) {
		f.docs.forEach(function (id) { matched[id]++; });
		f.strong.forEach(function (id) { strong[id]++; });
		f.freq.forEach(function (id) { freq[id]++; });
	});
	s = { m: m, terms: terms, found: found, cands: [], pos: 0, pool: [], all: 0,
	    claimed: function (id) { return rank(matched[id], strong[id], freq[id], id); } };
	for (d = lo; d < hi; d++)
		if ((matched[d] || !terms.length) && (!allowed || allowed[d]))
			s.cands.push(d);
	s.cands.sort(function (a, b) { return s.claimed(b) - s.claimed(a); });
	s.all = s.cands.filter(function (id) { return matched[id] === terms.length; }).length;
	if (gen !== generation)
		return;
	current = s;
	await showMore(s, gen, false);
}

function fail(err) {
	var p = document.createElement("p"), a, b;

	if (location.protocol !== "file:") {
		say("搜索索引载入失败（" + err.message + "），请稍后再试。");
		return;
	}
	/* Browsers do not let a page opened from disk read other files. */
	a = document.createElement("a");
	a.href = root + "districts/index.html";
	a.textContent = "按地区";
	b = document.createElement("a");
	b.href = root + "themes/index.html";
	b.textContent = "按主题";
	p.append("从本地文件打开时，浏览器不允许本页读取搜索索引。请通过网站服务器访问" +
	    "（例如在网站目录运行 python3 -m http.server），或", a, "、", b, "浏览。");
	status.textContent = "";
	status.append(p);
}

function go(params) {
	var gen = ++generation;

	["q", "province", "theme"].forEach(function (n) {
		if (form.elements[n])
			form.elements[n].value = params.get(n) || "";
	});
	run(params, gen).catch(function (err) {
		if (gen === generation)
			fail(err);
	});
}

form.addEventListener("submit", function (e) {
	var params = new URLSearchParams(new FormData(form));

	e.preventDefault();
	["q", "province", "theme"].forEach(function (n) {
		if (!(params.get(n) || "").trim())
			params.delete(n);
	});
	try {
		history.pushState(null, "", "?" + params);
	} catch (err) {
		/* Pages opened from disk may not change their address. */
	}
	go(params);
});
["province", "theme"].forEach(function (n) {
	if (form.elements[n])
		form.elements[n].addEventListener("change", function () { form.requestSubmit(); });
});
more.addEventListener("click", function () {
	if (current)
		showMore(current, generation, true).catch(fail);
});
window.addEventListener("popstate", function () {
	go(new URLSearchParams(location.search));
});
go(new URLSearchParams(location.search));
})();
