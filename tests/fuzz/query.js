/*
 * The search page's query parser (assets/search.js), fuzzed: the seeds
 * of tests/fuzz/query/ are mutated for a bounded time (code points of
 * every class, lone surrogates, combining marks, controls, full-width
 * forms, long runs), and each query must parse without throwing into
 * what the index can be asked: at most MAX_TERMS distinct terms, each
 * with one to MAX_KEYS keys that are pieces of it, its snippet marks
 * within the text.  The C fuzz targets run under libFuzzer; this one is
 * JavaScript, so node drives it.
 *
 *   node tests/fuzz/query.js assets/search.js tests/fuzz/query SECONDS
 *
 * Prints the queries run; exits 1 on the first that fails, printing it
 * as JSON for a seed.
 */
"use strict";
const fs = require("fs");
const path = require("path");
const core = require(path.resolve(process.argv[2]));
const seeds = fs.readdirSync(process.argv[3]).sort().map(f =>
    fs.readFileSync(path.join(process.argv[3], f), "utf8"));
const seconds = Number(process.argv[4] || 10);
const MAX_TERMS = 8, MAX_KEYS = 8;

/* A fixed seed: a failure can be run again. */
let state = 0x9E3779B9;
function rand(n) {
	state ^= state << 13; state >>>= 0;
	state ^= state >>> 17;
	state ^= state << 5; state >>>= 0;
	return state % n;
}

const RANGES = [[0x20, 0x7F], [0x00, 0x20], [0x4E00, 0x9FFF], [0x3000, 0x303F],
    [0xFF00, 0xFFEF], [0x0300, 0x036F], [0xD800, 0xDFFF], [0x20000, 0x2A6DF],
    [0x0600, 0x06FF], [0x200B, 0x202E], [0xFE00, 0xFE0F], [0x1F300, 0x1F6FF]];

function randomChar() {
	const r = RANGES[rand(RANGES.length)];
	const cp = r[0] + rand(r[1] - r[0] + 1);
	return cp >= 0xD800 && cp <= 0xDFFF ? String.fromCharCode(cp) :
	    String.fromCodePoint(cp);
}

function mutate(s) {
	const units = s.split("");
	const edits = 1 + rand(8);
	for (let e = 0; e < edits; e++) {
		const at = rand(units.length + 1);
		switch (rand(5)) {
		case 0: units.splice(at, 0, randomChar()); break;
		case 1: units.splice(at, 1 + rand(3)); break;
		case 2: units.splice(at, 0, ...seeds[rand(seeds.length)].split("")); break;
		case 3: units.splice(at, 0, randomChar().repeat(1 + rand(300))); break;
		default: units.splice(at, 1, randomChar());
		}
	}
	return units.join("").slice(0, 4000);
}

/* Why q's parse is wrong, or "" when it is right. */
function fault(q) {
	const terms = core.parseQuery(q);
	if (!Array.isArray(terms) || terms.length > MAX_TERMS)
		return "too many terms";
	const texts = new Set();
	for (const t of terms) {
		if (typeof t.text !== "string" || t.text.length === 0 || texts.has(t.text))
			return "an empty or repeated term";
		texts.add(t.text);
		if (t.keys.length < 1 || t.keys.length > MAX_KEYS)
			return "a term with " + t.keys.length + " keys";
		if (!t.keys.every(k => k.length > 0 && t.text.includes(k)))
			return "a key that is not part of its term";
		if (!core.foldText(q.normalize("NFC")).includes(t.text))
			return "a term that is not in the query, composed and folded";
		if (!Number.isInteger(core.hashKey(t.keys[0])))
			return "a key without a hash";
	}
	if (core.foldText(q).length !== q.length)
		return "folding changed the length";
	const text = core.foldText(q);
	for (const [a, b] of core.matches(text, terms))
		if (!(a >= 0 && a < b && b <= text.length))
			return "a match outside the text";
	return "";
}

const end = Date.now() + seconds * 1000;
let runs = 0, q = "";
try {
	for (const s of seeds) {
		q = s;
		const why = fault(q);
		if (why)
			throw new Error(why);
		runs++;
	}
	while (Date.now() < end) {
		for (let i = 0; i < 200; i++) {
			q = mutate(seeds[rand(seeds.length)]);
			const why = fault(q);
			if (why)
				throw new Error(why);
			runs++;
		}
	}
} catch (e) {
	console.log("failed: " + e.message + "; the query: " + JSON.stringify(q));
	process.exit(1);
}
console.log(runs);
