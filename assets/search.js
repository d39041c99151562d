/*
 * Full-text search over the index `jiceng build` writes below search/
 * (formats: generator/render/search/).  No server, no library: fetch the
 * small manifest, then the shards holding the query's terms, then the
 * text of the articles shown, to check matches and cut snippets.  The
 * query lives in the address (?q=&province=&theme=): searches can be
 * linked and the back button works.
 *
 * Each file of the index is a script calling jicengSearch(name, data).
 * Shards and article texts are packed many to a file, each escaped on
 * its own behind a table of offsets (generator/render/search/packs.h).
 * Over HTTP a member is fetched by two ranges of its pack, its offsets
 * and then its bytes (a host that ignores ranges sends the whole pack,
 * and the member is cut from it); opened from disk, where a page may not
 * fetch other files, a pack is loaded as a script once, whose string the
 * call hands over, and its members are cut from that.
 */
(function () {
"use strict";

var PAGE = 10, MAX_TERMS = 8, MAX_KEYS = 8, SNIPPET = 100, TF_MAX = 127;

/* The ranges of code points two-byte codes of article files count through. */
var WINDOWS = [[0x4E00, 0x5200], [0x3000, 0x100], [0xFF00, 0x100],
    [0x2000, 0x600], [0x0080, 0x480], [0x0000, 0x80]];

/* Folding and character classes, exactly as the index has them. */
function fold(cp) {
	if (cp >= 0xFF01 && cp <= 0xFF5E)
		cp -= 0xFEE0;
	else if (cp === 0x3000)
		cp = 32;
	return cp >= 65 && cp <= 90 ? cp + 32 : cp;
}

/* Keeps the length, so offsets in the folded text hold in the original. */
function foldText(s) {
	return s.replace(/[A-Z\u3000\uFF01-\uFF5E]/g, function (c) {
		return String.fromCharCode(fold(c.charCodeAt(0)));
	});
}

/* 0: separator; 1: ASCII letter or digit; 2: Han or another letter. */
function classify(cp) {
	if (cp < 0x80)
		return (cp >= 97 && cp <= 122) || (cp >= 48 && cp <= 57) ? 1 : 0;
	if ((cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF) ||
	    (cp >= 0x20000 && cp <= 0x323AF) || (cp >= 0xF900 && cp <= 0xFAFF))
		return 2;
	return /[\p{L}\p{N}]/u.test(String.fromCodePoint(cp)) ? 2 : 0;
}

/*
 * The keys that find a term.  One or two characters are their own key.
 * A longer Han run is found through every pair of neighbours: only every
 * other pair would cover each character with half the fetches, but so
 * many more articles would slip through that checking their text costs
 * more.  A longer ASCII run has triples, selective enough that every
 * other one (and the last) will do.  A long term keeps MAX_KEYS evenly
 * spread: enough to find it, and its text is checked anyway.
 */
function termKeys(text, kind) {
	var c = Array.from(text), n = kind === 1 ? 3 : 2, keys = [], i, step;

	if (c.length <= 2)
		return [text];
	for (i = 0; i + n <= c.length; i += n - 1)
		keys.push(c.slice(i, i + n).join(""));
	if (i + 1 < c.length)
		keys.push(c.slice(-n).join(""));
	if (keys.length <= MAX_KEYS)
		return keys;
	/* The first, the last, and the rest spread evenly between. */
	step = (keys.length - 1) / (MAX_KEYS - 1);
	return keys.filter(function (k, j) {
		return Math.floor(j / step) !== Math.floor((j - 1) / step) || j === keys.length - 1;
	}).slice(0, MAX_KEYS - 1).concat(keys.slice(-1));
}

/* The query's terms: its runs of ASCII letters and digits and of Han. */
function parseQuery(q) {
	var terms = [], run = "", kind = 0;

	function end() {
		if (run && terms.length < MAX_TERMS &&
		    !terms.some(function (t) { return t.text === run; }))
			terms.push({ text: run, keys: termKeys(run, kind),
			    exact: termKeys(run, kind).length === 1 });
		run = "";
	}
	for (var ch of foldText(q.normalize("NFC"))) {
		var c = classify(ch.codePointAt(0));
		if (c !== kind)
			end();
		kind = c;
		run += c ? ch : "";
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

/* Binary data; r is { b: Uint8Array, i: offset }. */
function varint(r) {
	var v = 0, mul = 1, c;

	do {
		c = r.b[r.i++];
		v += (c & 0x7F) * mul;
		mul *= 128;
	} while (c & 0x80);
	return v;
}

/* A set of numbers below universe: a sorted Int32Array. */
function readSet(r, universe) {
	var n = varint(r), out = new Int32Array(n), k, bit, v, j, q, x, low;

	if (n === 0)
		return out;
	if ((k = r.b[r.i++] - 1) < 0) {
		for (v = 0, j = 0; v < universe; v++)
			if (r.b[r.i + (v >> 3)] >> (v & 7) & 1)
				out[j++] = v;
		r.i += (universe + 7) >> 3;
		return out;
	}
	function next() { return r.b[bit >> 3] >> (bit++ & 7) & 1; }
	for (bit = r.i * 8, v = -1, j = 0; j < n; j++) {
		for (q = 0; next(); q++)
			;
		for (x = 0, low = 0; x < k; x++)
			low |= next() << x;
		out[j] = v += 1 + q * (1 << k) + low;
	}
	r.i = (bit + 7) >> 3;
	return out;
}

/* The byte of each character windows-1252 reads 0x80 to 0x9F as. */
var CP1252 = [0x20AC, 0x81, 0x201A, 0x192, 0x201E, 0x2026, 0x2020, 0x2021,
    0x2C6, 0x2030, 0x160, 0x2039, 0x152, 0x8D, 0x17D, 0x8F, 0x90, 0x2018,
    0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x2DC, 0x2122, 0x161,
    0x203A, 0x153, 0x9D, 0x17E, 0x178];
var FROM1252 = new Map(CP1252.map(function (c, i) { return [c, 0x80 + i]; }));

/*
 * The data of a file's string, as a script read as windows-1252 has it
 * (or as ISO-8859-1, which some readers take the label for).
 */
function stringBytes(s) {
	var b = new Uint8Array(s.length), i, c;

	for (i = 0; i < s.length; i++) {
		c = s.charCodeAt(i);
		b[i] = c <= 0xFF ? c : FROM1252.get(c);
	}
	return b;
}

/* Bytes as a file's string has them, unescaped: a copy. */
function unescapeBytes(b) {
	var out = new Uint8Array(b.length), i, n = 0;

	for (i = 0; i < b.length; i++) {
		if (b[i] === 0x5C) {
			i++;
			out[n++] = b[i] === 0x6E ? 10 : b[i] === 0x72 ? 13 : b[i];
		} else
			out[n++] = b[i];
	}
	return out.subarray(0, n);
}

/* Where a file's string starts: after the call's name, at its ",". */
function dataStart(b) {
	var i = 0;

	while (i + 2 < b.length && !(b[i] === 0x22 && b[i + 1] === 0x2C && b[i + 2] === 0x22))
		i++;
	if (i + 2 >= b.length)
		throw new Error("not a search file");
	return i + 3;
}

/* The data of a file's bytes: the string of its call, unescaped. */
function unwrap(b) {
	return unescapeBytes(b.subarray(dataStart(b), b.length - 4));
}

/*
 * Where a file of the index is: a member k of a pack of count (the
 * shards of "s/N", the article texts of "d/N"), or a file of its own
 * (pack null).
 */
function locate(m, path) {
	var kind = path.split("/")[0], n = Number(path.split("/")[1]);
	var total = kind === "s" ? 1 << m.shards : m.docs, p = Math.floor(n / m.pack);

	if (kind !== "s" && kind !== "d")
		return { pack: null };
	return { pack: (kind === "s" ? "shards/" : "docs/") + p, k: n % m.pack,
	    count: Math.min(m.pack, total - p * m.pack) };
}

/* The number a pack's table holds at b[i], in digits hex digits. */
function hex(b, i, digits) {
	return parseInt(String.fromCharCode.apply(null, b.subarray(i, i + digits)), 16);
}

/* The range of a pack's file that holds member at.k's two offsets. */
function tableRange(at, digits) {
	var table = 17 + at.pack.length;

	return [table + at.k * digits, table + (at.k + 2) * digits];
}

/* Member at.k of a pack's file, all of whose bytes are in b. */
function packMember(b, at, digits) {
	var i = dataStart(b) + at.k * digits;

	return unescapeBytes(b.subarray(hex(b, i, digits), hex(b, i + digits, digits)));
}

/*
 * The members of a pack from its string, unescaped as a script has it:
 * the table counts bytes of the file, where four bytes take two.
 */
function packMembers(data, at, digits) {
	var out = [], pos = (at.count + 1) * digits, file = 17 + at.pack.length + pos;
	var k, start, end;

	for (k = 0; k < at.count; k++) {
		end = hex(data, (k + 1) * digits, digits);
		for (start = pos; file < end; pos++)
			file += data[pos] === 0x5C || data[pos] === 0x22 ||
			    data[pos] === 10 || data[pos] === 13 ? 2 : 1;
		out.push(data.subarray(start, pos));
	}
	return out;
}

/* A shard: a Map from key to its entry's bytes. */
function readShard(b) {
	var r = { b: b, i: 0 }, n = varint(r), map = new Map(), key, len;
	var text = new TextDecoder();

	while (n-- > 0) {
		len = varint(r);
		key = text.decode(b.subarray(r.i, r.i += len));
		len = varint(r);
		map.set(key, b.subarray(r.i, r.i += len));
	}
	return map;
}

/* The articles holding a key, how often each holds it, and those holding
 * it in a title, place or author. */
function readEntry(b, ndocs) {
	var r = { b: b, i: 0 }, docs = readSet(r, ndocs), n = docs.length;
	var strong = readSet(r, n), k = varint(r) - 1, tf = new Uint8Array(n).fill(1);
	var bit, j, q, x, low;

	function next() { return r.b[bit >> 3] >> (bit++ & 7) & 1; }
	for (bit = r.i * 8, j = 0; k >= 0 && j < n; j++) {
		for (q = 0; next(); q++)
			;
		for (x = 0, low = 0; x < k; x++)
			low |= next() << x;
		tf[j] = q * (1 << k) + low + 1;
	}
	return { docs: docs, strong: strong.map(function (i) { return docs[i]; }), tf: tf };
}

/* The articles holding every key of a term: each holds the term at most
 * as often as its rarest key. */
function both(a, b) {
	var docs = [], tf = [], i = 0, j = 0;

	while (i < a.docs.length && j < b.docs.length)
		if (a.docs[i] < b.docs[j])
			i++;
		else if (a.docs[i] > b.docs[j])
			j++;
		else {
			docs.push(a.docs[i]);
			tf.push(Math.min(a.tf[i++], b.tf[j++]));
		}
	return { docs: docs, strong: intersect(a.strong, b.strong), tf: tf };
}

function intersect(a, b) {
	var out = [], i = 0, j = 0;

	while (i < a.length && j < b.length)
		if (a[i] < b[j])
			i++;
		else if (a[i] > b[j])
			j++;
		else {
			out.push(a[i]);
			i++;
			j++;
		}
	return out;
}

/* An article's file, decoded with the manifest's one-byte characters:
 * characters, and copies of characters decoded before. */
function decodeDoc(b, table) {
	var out = [], one = table.length, i = 0, c, v, w, n, mul, lines;

	while (i < b.length) {
		c = b[i++];
		if (c < one)
			out.push(table[c]);
		else if (c < 255) {
			v = (c - one) * 256 + b[i++];
			for (w = 0; v >= WINDOWS[w][1]; w++)
				v -= WINDOWS[w][1];
			out.push(String.fromCharCode(WINDOWS[w][0] + v));
		} else if (b[i] <= 0x10)
			out.push(String.fromCodePoint(b[i++] << 16 | b[i++] << 8 | b[i++]));
		else {
			n = b[i++] - 14;
			for (v = 0, mul = 1; b[i] & 0x80; mul *= 128)
				v += (b[i++] & 0x7F) * mul;
			v += b[i++] * mul;
			for (w = out.length - v; n-- > 0; w++)
				out.push(out[w]);
		}
	}
	lines = out.join("").split("\n");
	return { path: lines[0], title: lines[1], place: lines[2], author: lines[3],
	    lines: lines, folded: lines.map(foldText) };
}

/* A rank as one number, larger first: terms matched, of them in a strong
 * field, their occurrences (at most TF_MAX each, eight terms); then site
 * order. */
function rank(matched, strong, tf, id) {
	return ((matched * 16 + strong) * 1024 + tf) * 4194304 + (4194303 - id);
}

/*
 * Runs a query; returns the state take() reads results from.  m is the
 * manifest, get(path, parse) the data of a file of the index, parsed
 * once: "s/N" shard N, "d/N" article N's text, "t/N" theme N's set.
 */
async function query(m, get, q, province, theme) {
	var terms = parseQuery(q), lo = 0, hi = m.docs, range, allowed, d, t;
	var matched = new Uint8Array(m.docs), strong = new Uint8Array(m.docs);
	var tf = new Uint16Array(m.docs), s;

	var found = await Promise.all(terms.map(function (term) {
		return Promise.all(term.keys.map(function (key) {
			return get("s/" + (hashKey(key) & ((1 << m.shards) - 1)),
			    readShard).then(function (shard) {
				return shard.has(key) ? readEntry(shard.get(key), m.docs) :
				    { docs: [], strong: [], tf: [] };
			});
		})).then(function (entries) {
			return entries.reduce(both);
		});
	}));
	if (province) {
		range = m.provinces.find(function (p) { return p[0] === province; });
		lo = range ? range[1] : 0;
		hi = range ? range[2] : 0;
	}
	if (theme) {
		t = m.themes.indexOf(theme);
		allowed = new Uint8Array(m.docs);
		if (t >= 0)
			(await get("t/" + t, function (b) {
				return readSet({ b: b, i: 0 }, m.docs);
			})).forEach(function (id) { allowed[id] = 1; });
	}
	found.forEach(function (f) {
		f.docs.forEach(function (id, i) {
			matched[id]++;
			tf[id] += f.tf[i];
		});
		f.strong.forEach(function (id) { strong[id]++; });
	});
	/* cands: the articles to rank, best first by the index; pos: how
	 * many of them were checked; pool: checked, not yet shown; checked:
	 * how many held some and all terms. */
	s = { m: m, get: get, terms: terms, found: found, cands: [], pos: 0,
	    pool: [], all: 0, checked: [0, 0], claimed: function (id) {
		return rank(matched[id], strong[id], tf[id], id);
	    } };
	for (d = lo; d < hi; d++)
		if ((matched[d] || !terms.length) && (!allowed || allowed[d])) {
			s.cands.push(d);
			s.all += matched[d] === terms.length;
		}
	s.cands.sort(function (a, b) { return s.claimed(b) - s.claimed(a); });
	return s;
}

/* How often text occurs in lines, overlaps counted, as the index counts. */
function occurrences(lines, text) {
	var n = 0;

	lines.forEach(function (line) {
		for (var i = line.indexOf(text); i >= 0 && n < TF_MAX; i = line.indexOf(text, i + 1))
			n++;
	});
	return n;
}

/* The rank an article's text earns; null when it holds no term. */
function verify(s, id, doc) {
	var matched = 0, strong = 0, tf = 0;

	s.terms.forEach(function (t) {
		var n = occurrences(doc.folded.slice(1), t.text);

		if (n) {
			matched++;
			strong += doc.folded.slice(1, 4).some(function (line) {
				return line.includes(t.text);
			});
			tf += n;
		}
	});
	if (s.terms.length && !matched)
		return null;
	s.checked[+(matched === s.terms.length)]++;
	return rank(matched, strong, tf, id);
}

/*
 * The next count results, best first.  No article ranks higher by its
 * text than by the index, so a checked article can go out once no
 * unchecked one could outrank it.
 */
async function take(s, count) {
	var out = [], batch, docs;

	while (out.length < count) {
		while (s.pos < s.cands.length && (!s.pool.length ||
		    s.claimed(s.cands[s.pos]) > s.pool[0].rank)) {
			batch = s.cands.slice(s.pos, s.pos = Math.min(s.cands.length,
			    s.pos + count - out.length));
			docs = await Promise.all(batch.map(function (id) {
				return s.get("d/" + id, function (b) {
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

/* Where the terms occur in folded text: merged [start, end) pairs. */
function matches(s, terms) {
	var spans = [], out = [], i;

	terms.forEach(function (t) {
		for (i = s.indexOf(t.text); i >= 0; i = s.indexOf(t.text, i + 1))
			spans.push([i, i + t.text.length]);
	});
	spans.sort(function (a, b) { return a[0] - b[0]; }).forEach(function (p) {
		var last = out[out.length - 1];
		if (last && p[0] <= last[1])
			last[1] = Math.max(last[1], p[1]);
		else
			out.push(p);
	});
	return out;
}

/*
 * The snippet: SNIPPET characters of the paragraph holding the most
 * terms, from the start of the sentence of the first one if that is near,
 * else from a little before it.
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
	terms.forEach(function (t) {
		var p = most ? doc.folded[best].indexOf(t.text) : -1;
		at = p >= 0 && (at === 0 || p < at) ? p : at;
	});
	start = Math.max(0, at - 20);
	for (i = at - 1; i >= 0 && i >= at - 40; i--)
		if ("。！？；!?;".includes(text[i]))
			break;
	if (i < 0 || i >= at - 40)
		start = i + 1;
	/* Never split a surrogate pair. */
	start -= /[\uDC00-\uDFFF]/.test(text[start]) ? 1 : 0;
	end = Math.min(text.length, start + SNIPPET);
	end += /[\uD800-\uDBFF]/.test(text[end - 1]) ? 1 : 0;
	return { text: text.slice(start, end), before: start > 0,
	    after: end < text.length };
}

var core = { foldText: foldText, classify: classify, parseQuery: parseQuery,
    hashKey: hashKey, unwrap: unwrap, stringBytes: stringBytes,
    unescapeBytes: unescapeBytes, locate: locate, tableRange: tableRange, packMember: packMember,
    packMembers: packMembers,
    readSet: readSet, readShard: readShard,
    readEntry: readEntry, decodeDoc: decodeDoc, query: query, take: take,
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
var wholes = new Map();
var fromDisk = location.protocol === "file:", waiting = new Map();

more.type = "button";
more.className = "search-more";
more.textContent = "显示更多结果";
more.hidden = true;
list.after(more);
list.setAttribute("aria-label", "搜索结果");

function say() {
	status.textContent = "";
	status.append.apply(status, arguments);
}

function fetchOk(url, options) {
	return fetch(url, options).then(function (r) {
		if (!r.ok)
			throw new Error("HTTP " + r.status);
		return r;
	});
}

/* What a file of the index hands over as it runs. */
window.jicengSearch = function (name, data) {
	var w = waiting.get(name);

	if (w) {
		waiting.delete(name);
		w.resolve(data);
	}
};

/*
 * A file of the index loaded as a script, for a page opened from disk:
 * its call's data (a string, or the manifest's object).
 */
function load(name, query) {
	return new Promise(function (resolve, reject) {
		var script = document.createElement("script");

		waiting.set(name, { resolve: resolve });
		script.charset = "windows-1252";
		script.src = base + name + ".js" + query;
		script.onload = function () {
			script.remove();
			if (waiting.delete(name))
				reject(new Error(name + ".js holds no search data"));
		};
		script.onerror = function () {
			script.remove();
			waiting.delete(name);
			reject(new Error("cannot load " + name + ".js"));
		};
		document.head.append(script);
	});
}

/*
 * A range [from, to) of a file: { whole, b }, whole when the host sent
 * the whole file instead, as one that ignores ranges does.
 */
function range(url, from, to) {
	return fetchOk(url, { headers: { Range: "bytes=" + from + "-" + (to - 1) } })
	    .then(function (r) {
		return r.arrayBuffer().then(function (b) {
			b = new Uint8Array(b);
			if (r.status === 206 && b.length !== to - from)
				throw new Error("a range of " + url + " came short");
			return { whole: r.status !== 206, b: b };
		});
	    });
}

/* A pack's file sent whole, kept for its other members. */
function keepWhole(at, b) {
	wholes.set(at.pack, Promise.resolve(b));
	return packMember(b, at, manifest.digits);
}

/* The data of a member of a pack over HTTP: its offsets, then its bytes. */
function fetchMember(at, url) {
	var digits = manifest.digits, t = tableRange(at, digits);

	if (wholes.has(at.pack))
		return wholes.get(at.pack).then(function (b) {
			return packMember(b, at, digits);
		});
	return range(url, t[0], t[1]).then(function (r) {
		if (r.whole)
			return keepWhole(at, r.b);
		return range(url, hex(r.b, 0, digits), hex(r.b, digits, digits))
		    .then(function (m) {
			return m.whole ? keepWhole(at, m.b) : unescapeBytes(m.b);
		    });
	});
}

/* The data of a member of a pack from disk: the pack run once. */
function loadMember(at, query) {
	if (!wholes.has(at.pack)) {
		wholes.set(at.pack, load(at.pack, query).then(function (s) {
			return packMembers(stringBytes(s), at, manifest.digits);
		}));
		wholes.get(at.pack).catch(function () { wholes.delete(at.pack); });
	}
	return wholes.get(at.pack).then(function (members) {
		return members[at.k];
	});
}

/* A file of the index of this build, fetched once; failures not kept. */
function get(path, parse) {
	var query = "?v=" + manifest.build, at = locate(manifest, path);
	var name = at.pack || path, url = base + name + ".js" + query;

	if (!files.has(path)) {
		files.set(path, (at.pack && fromDisk ? loadMember(at, query) :
		    at.pack ? fetchMember(at, url) :
		    fromDisk ? load(path, query).then(stringBytes) :
		    fetchOk(url).then(function (r) {
			return r.arrayBuffer();
		    }).then(function (b) { return unwrap(new Uint8Array(b)); }))
		    .then(parse));
		files.get(path).catch(function () { files.delete(path); });
	}
	return files.get(path);
}

/* Revalidated each time the page loads, so a new build shows at once. */
async function loadManifest() {
	if (!manifest) {
		manifest = fromDisk ? await load("index", "?t=" + Date.now()) :
		    await fetchOk(base + "index.json", { cache: "no-cache" }).then(function (r) {
			return r.json();
		    });
		manifest.table = Array.from(manifest.chars);
	}
	return manifest;
}

/* Appends text to parent with the terms marked. */
function highlight(parent, text, terms) {
	var at = 0;

	matches(foldText(text), terms).forEach(function (span) {
		var mark = document.createElement("mark");

		mark.textContent = text.slice(span[0], span[1]);
		parent.append(text.slice(at, span[0]), mark);
		at = span[1];
	});
	parent.append(text.slice(at));
}

function element(name, className, parent) {
	var e = document.createElement(name);

	if (className)
		e.className = className;
	parent.append(e);
	return e;
}

/* Shows results; returns the first one's link. */
function render(s, items) {
	return items.map(function (it) {
		var li = element("li", "result", list);
		var a = element("a", "", element("h2", "result-title", li));
		var meta = [it.doc.place, it.doc.author].filter(Boolean).join("\u00a0· ");
		var sn = snippet(it.doc, s.terms), p;

		a.href = root + it.doc.path.split("/").map(encodeURIComponent).join("/");
		highlight(a, it.doc.title, s.terms);
		if (meta)
			highlight(element("p", "result-meta", li), meta, s.terms);
		p = element("p", "result-snippet", li);
		p.append(sn.before ? "…" : "");
		highlight(p, sn.text, s.terms);
		p.append(sn.after ? "…" : "");
		return a;
	})[0];
}

function summary(s) {
	var done = s.pos >= s.cands.length;
	var about = done || s.terms.every(function (t) { return t.exact; }) ? " " : "约 ";
	var all = done ? s.checked[1] : s.all, rest = done ? s.checked[0] : s.cands.length - s.all;
	var shown = list.children.length;

	if (!all && !rest)
		return "没有找到相关文章。试试更短的关键词，或去掉省份、主题筛选。";
	return (!s.terms.length ? "共 " + all + " 篇文章" :
	    (all ? "找到" + about + all + " 篇包含全部关键词的文章" : "没有文章包含全部关键词") +
	    (rest ? "，另有" + about + rest + " 篇只包含部分关键词" : "")) +
	    (shown < all + rest ? "，显示前 " + shown + " 篇。" : "。");
}

async function show(s, gen, focus) {
	var items, first;

	more.disabled = true;
	list.setAttribute("aria-busy", "true");
	items = await take(s, PAGE);
	if (gen !== generation)
		return;
	first = render(s, items);
	list.removeAttribute("aria-busy");
	more.disabled = false;
	more.hidden = !(s.pos < s.cands.length || s.pool.length);
	say(summary(s));
	if (focus && first)
		first.focus();
}

function fail(err) {
	var a = document.createElement("a"), b = document.createElement("a");

	a.href = root + "articles/index.html";
	a.textContent = "目录";
	b.href = root + "themes/index.html";
	b.textContent = "按主题";
	say("搜索索引载入失败（" + err.message + "）。" + (fromDisk ?
	    "搜索索引应在网站目录的 search 文件夹里。" : "请稍后再试。") +
	    "也可以从", a, "或", b, "浏览。");
}

async function run(params, gen) {
	var q = params.get("q") || "", province = params.get("province") || "";
	var theme = params.get("theme") || "", s;

	list.textContent = "";
	more.hidden = true;
	if (!parseQuery(q).length && !province && !theme)
		return say(q.trim() ? "请用汉字、字母或数字作关键词。" : "");
	say("正在搜索……");
	s = await query(await loadManifest(), get, q, province, theme);
	if (gen === generation) {
		current = s;
		await show(s, gen, false);
	}
}

function go(params) {
	var gen = ++generation;

	["q", "province", "theme"].forEach(function (n) {
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
		if ("?" + params !== location.search)
			history.pushState(null, "", "?" + params);
	} catch (err) {
		/* A page opened from disk may not change its address. */
	}
	go(params);
});
form.elements.province.addEventListener("change", function () { form.requestSubmit(); });
form.elements.theme.addEventListener("change", function () { form.requestSubmit(); });
more.addEventListener("click", function () {
	show(current, generation, true).catch(fail);
});
window.addEventListener("popstate", function () {
	go(new URLSearchParams(location.search));
});
go(new URLSearchParams(location.search));
})();
