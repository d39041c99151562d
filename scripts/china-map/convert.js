#!/usr/bin/env node
/*
 * Converts province outlines and place centres into the C tables of
 * generator/render/map_data.c, which draws the home page's map of China.
 *
 * Source:  the npm package echarts, version 4.9.0 (Apache License 2.0):
 *          map/json/china.json (province outlines), map/json/province/*.json
 *          (prefecture-level cities, and in some provinces counties, with
 *          their centre points), map/json/world.json (the neighbouring
 *          coasts drawn in the South China Sea inset).  Only the
 *          coordinates are used; none of echarts' code.
 *          The positions of the ten dashes of the dashed line in the South
 *          China Sea are those of the standard map of China (the dash east
 *          of Taiwan included, as since 2013), read to 0.01 degree off a
 *          public GeoJSON rendering of that map (Aliyun DataV.GeoAtlas,
 *          100000_full.json); 东沙岛 is placed by its known coordinates.
 *
 * Run by a developer, never by the build:
 *
 *   tmp=$(mktemp -d) && (cd "$tmp" && npm install echarts@4.9.0)
 *   node scripts/china-map/convert.js "$tmp/node_modules/echarts" \
 *       > generator/render/map_data.c
 *
 * What it does: decodes the quantised coordinates, projects them with an
 * Albers equal-area conic projection (standard parallels 25 and 47 N,
 * central meridian 105 E: the usual one for maps of all China) into a
 * fixed viewBox, simplifies the outlines without opening gaps between
 * neighbours (shared borders are cut into arcs and each arc is simplified
 * once), and writes SVG path data with integer coordinates.  The South
 * China Sea is drawn in an inset in the lower right corner at a smaller
 * scale of the same projection.  The projection parameters are written
 * too, so that the C side projects a district's longitude and latitude to
 * the same place.
 */
'use strict';

const fs = require('fs');
const path = require('path');

const EXPECTED_VERSION = '4.9.0';

/* echarts' short province names, in division-code order, to full names. */
const PROVINCES = [
	['北京', '北京市', 'beijing'],
	['天津', '天津市', 'tianjin'],
	['河北', '河北省', 'hebei'],
	['山西', '山西省', 'shanxi'],
	['内蒙古', '内蒙古自治区', 'neimenggu'],
	['辽宁', '辽宁省', 'liaoning'],
	['吉林', '吉林省', 'jilin'],
	['黑龙江', '黑龙江省', 'heilongjiang'],
	['上海', '上海市', 'shanghai'],
	['江苏', '江苏省', 'jiangsu'],
	['浙江', '浙江省', 'zhejiang'],
	['安徽', '安徽省', 'anhui'],
	['福建', '福建省', 'fujian'],
	['江西', '江西省', 'jiangxi'],
	['山东', '山东省', 'shandong'],
	['河南', '河南省', 'henan'],
	['湖北', '湖北省', 'hubei'],
	['湖南', '湖南省', 'hunan'],
	['广东', '广东省', 'guangdong'],
	['广西', '广西壮族自治区', 'guangxi'],
	['海南', '海南省', 'hainan'],
	['重庆', '重庆市', 'chongqing'],
	['四川', '四川省', 'sichuan'],
	['贵州', '贵州省', 'guizhou'],
	['云南', '云南省', 'yunnan'],
	['西藏', '西藏自治区', 'xizang'],
	['陕西', '陕西省', 'shanxi1'],
	['甘肃', '甘肃省', 'gansu'],
	['青海', '青海省', 'qinghai'],
	['宁夏', '宁夏回族自治区', 'ningxia'],
	['新疆', '新疆维吾尔自治区', 'xinjiang'],
	['台湾', '台湾省', 'taiwan'],
	['香港', '香港特别行政区', 'xianggang'],
	['澳门', '澳门特别行政区', 'aomen'],
];

/* Countries whose coasts frame the South China Sea, as world.json names them. */
const NEIGHBOURS = ['Vietnam', 'Lao PDR', 'Cambodia', 'Thailand', 'Malaysia',
    'Brunei', 'Indonesia', 'Philippines', 'Myanmar'];

/* The ten dashes, each a polyline of [longitude, latitude]. */
const DASHES = [
	[[122.51, 23.46], [122.79, 24.58]],
	[[121.16, 20.81], [121.90, 21.70]],
	[[119.46, 18.01], [120.02, 19.03]],
	[[119.06, 15.00], [119.06, 16.05]],
	[[118.53, 10.91], [118.69, 11.19], [118.86, 11.61], [118.98, 11.99]],
	[[115.54, 7.15], [116.24, 7.99]],
	[[112.85, 3.74], [112.52, 3.59], [112.31, 3.53], [111.79, 3.41]],
	[[108.23, 7.08], [108.21, 6.95], [108.21, 6.54], [108.25, 6.22],
	    [108.27, 6.09], [108.30, 6.01]],
	[[110.06, 11.24], [110.13, 11.37], [110.20, 11.49], [110.25, 11.61],
	    [110.29, 11.78], [110.32, 11.95], [110.32, 12.14], [110.32, 12.24]],
	[[109.86, 15.15], [109.84, 15.23], [109.78, 15.45], [109.68, 15.67],
	    [109.58, 15.83], [109.52, 15.92], [109.30, 16.20]],
];

/* Islands missing from the province maps: [name, longitude, latitude]. */
const EXTRA_ISLANDS = [['东沙岛', 116.72, 20.70]];

/* Projection: Albers equal-area conic, degrees. */
const PROJ = { lon0: 105, lat0: 35, lat1: 25, lat2: 47 };

/* Layout of the viewBox, in its units. */
const WIDTH = 1000;		/* whole viewBox */
const MARGIN = 6;
const TOLERANCE = 1.1;		/* Douglas-Peucker, main map */
const MIN_ISLAND_AREA = 4;	/* drop unshared rings smaller than this */
const INSET = {
	lonMin: 105.6, lonMax: 123.4, latMin: 2.6, latMax: 24.9,
	width: 150,		/* frame width; height follows the region */
	tolerance: 0.45,
	minArea: 0.6,
	islandSpacing: 1.6,	/* merge island dots closer than this */
	southOf: 17.5,		/* a place further south is drawn in the inset */
};
const LABEL_SIZE = 13;		/* font size of province labels */

function radians(d) {
	return d * Math.PI / 180;
}

function albersConstants() {
	const p1 = radians(PROJ.lat1), p2 = radians(PROJ.lat2);
	const n = (Math.sin(p1) + Math.sin(p2)) / 2;
	const c = Math.cos(p1) * Math.cos(p1) + 2 * n * Math.sin(p1);
	const rho0 = Math.sqrt(c - 2 * n * Math.sin(radians(PROJ.lat0))) / n;
	return { n, c, rho0 };
}

const ALBERS = albersConstants();

/* Returns the projected [x, y] of a point, y growing northwards. */
function albers(lon, lat) {
	const rho = Math.sqrt(ALBERS.c - 2 * ALBERS.n *
	    Math.sin(radians(lat))) / ALBERS.n;
	const theta = ALBERS.n * radians(lon - PROJ.lon0);
	return [rho * Math.sin(theta), ALBERS.rho0 - rho * Math.cos(theta)];
}

/*
 * echarts' "UTF8Encoding": each ring is a string of pairs of UTF-16 code
 * units; minus 64, each unit is a zigzag-encoded delta from the previous
 * point (the first from the ring's encodeOffsets), in units of 1/scale
 * degree.  Returns the ring as integer pairs in those units.
 */
function decodeRing(text, offsets) {
	const ring = [];
	let x = offsets[0], y = offsets[1];

	for (let i = 0; i + 1 < text.length; i += 2) {
		const dx = text.charCodeAt(i) - 64;
		const dy = text.charCodeAt(i + 1) - 64;
		x += (dx >> 1) ^ -(dx & 1);
		y += (dy >> 1) ^ -(dy & 1);
		ring.push([x, y]);
	}
	return ring;
}

/*
 * Returns a feature's polygons as arrays of rings of points
 * {lon, lat, key}, where key names the exact source coordinate so that
 * neighbours can recognise the vertices they share.
 */
function featurePolygons(json, feature) {
	const geometry = feature.geometry;
	const scale = json.UTF8Scale || 1024;
	const multi = geometry.type === 'MultiPolygon';
	const polygons = multi ? geometry.coordinates : [geometry.coordinates];
	const offsets = multi ? geometry.encodeOffsets :
	    [geometry.encodeOffsets];

	return polygons.map((polygon, i) => polygon.map((ring, k) => {
		let points;
		if (json.UTF8Encoding)
			points = decodeRing(ring, offsets[i][k]).map(([x, y]) =>
			    ({ lon: x / scale, lat: y / scale, key: x + ',' + y }));
		else
			points = ring.map(([lon, lat]) =>
			    ({ lon, lat, key: lon + ',' + lat }));
		if (points.length > 1 &&
		    points[0].key === points[points.length - 1].key)
			points.pop();
		return points;
	}));
}

function readJson(dir, name) {
	return JSON.parse(fs.readFileSync(path.join(dir, name), 'utf8'));
}

/* Twice the signed area of a ring of [x, y]. */
function ringArea(ring) {
	let a = 0;
	for (let i = 0, j = ring.length - 1; i < ring.length; j = i++)
		a += (ring[j][0] - ring[i][0]) * (ring[j][1] + ring[i][1]);
	return a / 2;
}

function segmentDistance(p, a, b) {
	const dx = b[0] - a[0], dy = b[1] - a[1];
	const len2 = dx * dx + dy * dy;
	let t = len2 === 0 ? 0 :
	    ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / len2;
	t = Math.max(0, Math.min(1, t));
	return Math.hypot(p[0] - a[0] - t * dx, p[1] - a[1] - t * dy);
}

/* Douglas-Peucker: returns the kept points of an open polyline. */
function simplifyLine(points, tolerance) {
	const keep = new Array(points.length).fill(false);
	const stack = [[0, points.length - 1]];

	keep[0] = keep[points.length - 1] = true;
	while (stack.length > 0) {
		const [first, last] = stack.pop();
		let worst = -1, index = -1;
		for (let i = first + 1; i < last; i++) {
			const d = segmentDistance(points[i], points[first],
			    points[last]);
			if (d > worst) {
				worst = d;
				index = i;
			}
		}
		if (index >= 0 && worst > tolerance) {
			keep[index] = true;
			stack.push([first, index], [index, last]);
		}
	}
	return points.filter((_, i) => keep[i]);
}

/*
 * Simplifies every ring of every shape while keeping shared borders
 * identical: a vertex where the set of rings sharing it changes is a fixed
 * point, and each run between fixed points is simplified in one canonical
 * direction, so both neighbours get the same result.  rings: arrays of
 * {x, y, key}; returns arrays of [x, y] (rings that collapse come back
 * with fewer than three points).
 */
function simplifyShared(rings, tolerance) {
	const owners = new Map();

	rings.forEach((ring, r) => {
		for (const p of ring) {
			const set = owners.get(p.key) || new Set();
			set.add(r);
			owners.set(p.key, set);
		}
	});
	const signature = (p) => [...owners.get(p.key)].sort((a, b) => a - b)
	    .join(' ');

	return rings.map((ring, r) => {
		const n = ring.length;
		const sigs = bridgeGaps(ring.map(signature), String(r));
		const fixed = [];
		for (let i = 0; i < n; i++) {
			if (sigs[i] !== sigs[(i + n - 1) % n] ||
			    sigs[i] !== sigs[(i + 1) % n])
				fixed.push(i);
		}
		if (fixed.length < 2) {
			/* An island: anchor at its first and farthest vertex. */
			let far = 0, best = -1;
			for (let i = 0; i < n; i++) {
				const d = Math.hypot(ring[i].x - ring[0].x,
				    ring[i].y - ring[0].y);
				if (d > best) {
					best = d;
					far = i;
				}
			}
			fixed.length = 0;
			fixed.push(0);
			if (far !== 0)
				fixed.push(far);
		}
		const out = [];
		for (let f = 0; f < fixed.length; f++) {
			const from = fixed[f];
			const to = fixed[(f + 1) % fixed.length];
			const run = [];
			for (let i = from; ; i = (i + 1) % n) {
				run.push(ring[i]);
				if (i === to && run.length > 1)
					break;
			}
			const reverse = run[0].key > run[run.length - 1].key;
			if (reverse)
				run.reverse();
			let kept = simplifyLine(run.map((p) => [p.x, p.y]),
			    tolerance);
			if (reverse)
				kept.reverse();
			kept.pop();	/* the next run starts with it */
			out.push(...kept);
		}
		return out;
	});
}

/*
 * The source's neighbours share most but not all vertices of a border:
 * now and then one side has a vertex or two the other lacks.  A short
 * stretch of unshared vertices between two vertices shared with the same
 * neighbour counts as part of that border, so the border stays one run
 * (the two sides may then differ by at most the tolerance there).
 */
function bridgeGaps(sigs, own) {
	const n = sigs.length, out = sigs.slice(), longest = 3;

	for (let i = 0; i < n; i++) {
		if (sigs[i] === own || sigs[(i + 1) % n] !== own)
			continue;
		let k = 1;
		while (k <= longest && sigs[(i + k) % n] === own)
			k++;
		if (k <= longest && sigs[(i + k) % n] === sigs[i])
			for (let m = 1; m < k; m++)
				out[(i + m) % n] = sigs[i];
	}
	return out;
}

/* Sutherland-Hodgman: clips a ring of [x, y] to an axis-aligned box. */
function clipRing(ring, box) {
	const edges = [
		[(p) => p[0] >= box.x0, (a, b) => cutX(a, b, box.x0)],
		[(p) => p[0] <= box.x1, (a, b) => cutX(a, b, box.x1)],
		[(p) => p[1] >= box.y0, (a, b) => cutY(a, b, box.y0)],
		[(p) => p[1] <= box.y1, (a, b) => cutY(a, b, box.y1)],
	];
	let out = ring;

	for (const [inside, cut] of edges) {
		const input = out;
		out = [];
		for (let i = 0; i < input.length; i++) {
			const cur = input[i];
			const prev = input[(i + input.length - 1) % input.length];
			if (inside(cur)) {
				if (!inside(prev))
					out.push(cut(prev, cur));
				out.push(cur);
			} else if (inside(prev)) {
				out.push(cut(prev, cur));
			}
		}
		if (out.length === 0)
			break;
	}
	return out;
}

/*
 * Clips an open polyline of [x, y] to a box (Liang-Barsky on each
 * segment); returns the pieces inside.
 */
function clipLine(line, box) {
	const pieces = [];
	let current = null;

	for (let i = 1; i < line.length; i++) {
		const a = line[i - 1], b = line[i];
		const dx = b[0] - a[0], dy = b[1] - a[1];
		let t0 = 0, t1 = 1;
		const tests = [[-dx, a[0] - box.x0], [dx, box.x1 - a[0]],
		    [-dy, a[1] - box.y0], [dy, box.y1 - a[1]]];
		let visible = true;
		for (const [p, q] of tests) {
			if (p === 0) {
				if (q < 0)
					visible = false;
				continue;
			}
			const t = q / p;
			if (p < 0)
				t0 = Math.max(t0, t);
			else
				t1 = Math.min(t1, t);
		}
		if (!visible || t0 > t1) {
			current = null;
			continue;
		}
		const from = [a[0] + t0 * dx, a[1] + t0 * dy];
		const to = [a[0] + t1 * dx, a[1] + t1 * dy];
		if (current === null || t0 > 0) {
			current = [from];
			pieces.push(current);
		}
		current.push(to);
		if (t1 < 1)
			current = null;
	}
	return pieces;
}

function cutX(a, b, x) {
	return [x, a[1] + (b[1] - a[1]) * (x - a[0]) / (b[0] - a[0])];
}

function cutY(a, b, y) {
	return [a[0] + (b[0] - a[0]) * (y - a[1]) / (b[1] - a[1]), y];
}

/* Signed distance from p to a ring: positive inside. */
function insideDistance(p, ring) {
	let inside = false, best = Infinity;
	for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
		const a = ring[i], b = ring[j];
		if ((a[1] > p[1]) !== (b[1] > p[1]) &&
		    p[0] < (b[0] - a[0]) * (p[1] - a[1]) / (b[1] - a[1]) + a[0])
			inside = !inside;
		best = Math.min(best, segmentDistance(p, a, b));
	}
	return inside ? best : -best;
}

/*
 * Where a label sits best: the point of the ring farthest from its edges,
 * found by a grid search refined three times.  Returns [x, y, distance].
 */
function labelPoint(ring) {
	const xs = ring.map((p) => p[0]), ys = ring.map((p) => p[1]);
	let x0 = Math.min(...xs), x1 = Math.max(...xs);
	let y0 = Math.min(...ys), y1 = Math.max(...ys);
	let best = [(x0 + x1) / 2, (y0 + y1) / 2, -Infinity];

	for (let round = 0; round < 4; round++) {
		const steps = 24;
		const dx = (x1 - x0) / steps, dy = (y1 - y0) / steps;
		for (let i = 0; i <= steps; i++) {
			for (let k = 0; k <= steps; k++) {
				const p = [x0 + i * dx, y0 + k * dy];
				const d = insideDistance(p, ring);
				if (d > best[2])
					best = [p[0], p[1], d];
			}
		}
		x0 = best[0] - 2 * dx;
		x1 = best[0] + 2 * dx;
		y0 = best[1] - 2 * dy;
		y1 = best[1] + 2 * dy;
	}
	return best;
}

/* Formats a number of tenths as the shortest decimal ("12", "-0.5"). */
function tenths(v) {
	const sign = v < 0 ? '-' : '';
	const a = Math.abs(v);
	const whole = Math.floor(a / 10), frac = a % 10;
	return sign + whole + (frac ? '.' + frac : '');
}

/*
 * SVG path data for rings of [x, y]: an absolute move to each ring's
 * start, then relative lines, closed.  Coordinates are rounded to whole
 * units, or tenths when fine is set; consecutive duplicates vanish.
 */
function pathData(rings, fine) {
	const unit = fine ? 1 : 10;
	let d = '';

	for (const ring of rings) {
		const pts = [];
		for (const [x, y] of ring) {
			const p = [Math.round(x * 10 / unit) * unit,
			    Math.round(y * 10 / unit) * unit];
			const last = pts[pts.length - 1];
			if (!last || last[0] !== p[0] || last[1] !== p[1])
				pts.push(p);
		}
		while (pts.length > 1 && pts[0][0] === pts[pts.length - 1][0] &&
		    pts[0][1] === pts[pts.length - 1][1])
			pts.pop();
		if (pts.length < 3)
			continue;
		d += 'M' + tenths(pts[0][0]) + ' ' + tenths(pts[0][1]) + 'l';
		let prev = pts[0], body = '';
		for (const p of pts.slice(1)) {
			body += number(tenths(p[0] - prev[0]), body);
			body += number(tenths(p[1] - prev[1]), body);
			prev = p;
		}
		d += body + 'z';
	}
	return d;
}

/* Appends a number to path data, with a space only where one is needed. */
function number(text, before) {
	return before === '' || text[0] === '-' ? text : ' ' + text;
}

/* Path data for open polylines ("M x y l dx dy ..."), whole units. */
function lineData(lines) {
	let d = '';
	for (const line of lines) {
		const pts = line.map(([x, y]) => [Math.round(x * 10),
		    Math.round(y * 10)]);
		d += 'M' + tenths(pts[0][0]) + ' ' + tenths(pts[0][1]) + 'l';
		let body = '';
		for (let i = 1; i < pts.length; i++) {
			body += number(tenths(pts[i][0] - pts[i - 1][0]), body);
			body += number(tenths(pts[i][1] - pts[i - 1][1]), body);
		}
		d += body;
	}
	return d;
}

/* A C string literal, cut into lines of at most width bytes of text. */
function cString(text, indent) {
	const width = 72;
	const lines = [];
	for (let i = 0; i < text.length; i += width)
		lines.push(indent + '"' + text.slice(i, i + width) + '"');
	return lines.length > 0 ? lines.join('\n') : indent + '""';
}

function cQuote(text) {
	return '"' + text.replace(/\\/g, '\\\\').replace(/"/g, '\\"') + '"';
}

function fixed(v, digits) {
	return Number(v.toFixed(digits)).toString();
}

/* The main map: provinces projected, simplified, laid out. */
function buildProvinces(china) {
	const byShort = new Map(PROVINCES.map((p) => [p[0], p]));
	const features = china.features.map((f) => {
		const entry = byShort.get(f.properties.name);
		if (!entry)
			throw new Error('unknown province ' + f.properties.name);
		return { entry, polygons: featurePolygons(china, f) };
	});
	features.sort((a, b) => PROVINCES.indexOf(a.entry) -
	    PROVINCES.indexOf(b.entry));
	if (features.length !== PROVINCES.length)
		throw new Error('expected ' + PROVINCES.length + ' provinces');

	let minX = Infinity, maxX = -Infinity, minY = Infinity, maxY = -Infinity;
	for (const f of features) {
		for (const polygon of f.polygons) {
			for (const p of polygon[0]) {
				[p.ax, p.ay] = albers(p.lon, p.lat);
				minX = Math.min(minX, p.ax);
				maxX = Math.max(maxX, p.ax);
				minY = Math.min(minY, p.ay);
				maxY = Math.max(maxY, p.ay);
			}
		}
	}
	const scale = (WIDTH - 2 * MARGIN) / (maxX - minX);
	const main = { scale, x: MARGIN - scale * minX, y: MARGIN + scale * maxY };
	const height = Math.ceil(scale * (maxY - minY) + 2 * MARGIN);

	/* Outer rings only: china.json has no holes. */
	const rings = [], owner = [];
	features.forEach((f, i) => {
		for (const polygon of f.polygons) {
			if (polygon.length > 1)
				throw new Error('unexpected hole in ' + f.entry[1]);
			rings.push(polygon[0].map((p) => ({ x: main.x + main.scale * p.ax,
			    y: main.y - main.scale * p.ay, key: p.key })));
			owner.push(i);
		}
	});
	const simple = simplifyShared(rings, TOLERANCE);

	const shapes = features.map((f) => ({ entry: f.entry, rings: [],
	    raw: [] }));
	const uses = new Map();
	for (const ring of rings)
		for (const p of new Set(ring.map((q) => q.key)))
			uses.set(p, (uses.get(p) || 0) + 1);
	simple.forEach((ring, r) => {
		const shape = shapes[owner[r]];
		shape.raw.push(rings[r].map((p) => [p.x, p.y]));
		if (ring.length >= 3)
			shape.rings.push({ ring, shared: rings[r].some((p) =>
			    uses.get(p.key) > 1) });
	});
	for (const shape of shapes) {
		/* Tiny provinces (Macau) keep their full detail. */
		if (shape.rings.length === 0)
			shape.rings = shape.raw.map((ring) => ({ ring,
			    shared: false }));
		shape.rings.sort((a, b) => Math.abs(ringArea(b.ring)) -
		    Math.abs(ringArea(a.ring)));
		shape.rings = shape.rings.filter((r, i) => i === 0 || r.shared ||
		    Math.abs(ringArea(r.ring)) >= MIN_ISLAND_AREA);
		const xs = shape.raw.flat().map((p) => p[0]);
		const ys = shape.raw.flat().map((p) => p[1]);
		shape.fine = Math.max(Math.max(...xs) - Math.min(...xs),
		    Math.max(...ys) - Math.min(...ys)) < 30;
		if (shape.fine)
			shape.rings = shape.raw.map((ring) => ({
			    ring: simplifyLine(ring.concat([ring[0]]), 0.15)
			    .slice(0, -1) })).filter((r) => r.ring.length >= 3);
		shape.path = pathData(shape.rings.map((r) => r.ring), shape.fine);
		const label = labelPoint(shape.rings[0].ring);
		const chars = [...shape.entry[0]].length;
		const fits = label[2] >= Math.max(LABEL_SIZE * 0.75,
		    LABEL_SIZE * chars * 0.45);
		shape.label = fits ? [Math.round(label[0]), Math.round(label[1] +
		    LABEL_SIZE * 0.35)] : [-1, -1];
	}
	return { shapes, main, height, features };
}

/* The inset: region, frame and everything drawn in it. */
function buildInset(dir, layout, china) {
	const corners = [];
	for (let lon = INSET.lonMin; lon <= INSET.lonMax + 1e-9;
	    lon += (INSET.lonMax - INSET.lonMin) / 8) {
		corners.push(albers(lon, INSET.latMin), albers(lon, INSET.latMax));
	}
	const minX = Math.min(...corners.map((c) => c[0]));
	const maxX = Math.max(...corners.map((c) => c[0]));
	const top = albers((INSET.lonMin + INSET.lonMax) / 2, INSET.latMax)[1];
	const bottom = Math.min(albers(INSET.lonMin, INSET.latMin)[1],
	    albers(INSET.lonMax, INSET.latMin)[1]);
	const scale = INSET.width / (maxX - minX);
	const frame = {
		w: INSET.width,
		h: Math.round(scale * (top - bottom)),
	};
	frame.x = WIDTH - MARGIN - frame.w;
	frame.y = layout.height - MARGIN - frame.h;
	/*
	 * The frame goes below anything of the main map above it (Taiwan
	 * reaches into that corner), and the viewBox grows to hold it.
	 */
	let clear = 0;
	for (const shape of layout.shapes)
		for (const r of shape.rings)
			for (const [x, y] of r.ring)
				if (x >= frame.x - 4 && x <= frame.x + frame.w + 4)
					clear = Math.max(clear, y);
	frame.y = Math.max(frame.y, Math.ceil(clear + 8));
	layout.height = Math.max(layout.height, frame.y + frame.h + MARGIN);
	const inset = { scale, x: frame.x - scale * minX, y: frame.y + scale * top };
	const box = { x0: frame.x, x1: frame.x + frame.w, y0: frame.y,
	    y1: frame.y + frame.h };
	const project = (lon, lat) => {
		const [ax, ay] = albers(lon, lat);
		return [inset.x + inset.scale * ax, inset.y - inset.scale * ay];
	};
	const clipped = (polygons) => {
		const out = [];
		for (const polygon of polygons) {
			const ring = clipRing(polygon[0].map((p) =>
			    project(p.lon, p.lat)), box);
			if (ring.length < 3)
				continue;
			const simple = simplifyLine(ring.concat([ring[0]]),
			    INSET.tolerance).slice(0, -1);
			if (simple.length >= 3 &&
			    Math.abs(ringArea(simple)) >= INSET.minArea)
				out.push(simple);
		}
		return out;
	};

	const chinaRings = [];
	for (const f of layout.features)
		chinaRings.push(...clipped(f.polygons));

	const world = readJson(dir, 'map/json/world.json');
	const landRings = [];
	for (const name of NEIGHBOURS) {
		const f = world.features.find((x) => x.properties.name === name);
		if (!f)
			throw new Error('world.json has no ' + name);
		landRings.push(...clipped(featurePolygons(world, f)));
	}

	const hainan = readJson(dir, 'map/json/province/hainan.json');
	const sansha = hainan.features.find((f) =>
	    f.properties.name === '三沙市');
	const islands = [];
	const addIsland = (p) => {
		const spaced = islands.every((q) => Math.hypot(p[0] - q[0],
		    p[1] - q[1]) >= INSET.islandSpacing);
		if (spaced && p[0] > box.x0 && p[0] < box.x1 &&
		    p[1] > box.y0 && p[1] < box.y1)
			islands.push(p);
	};
	for (const polygon of featurePolygons(hainan, sansha)) {
		const ring = polygon[0];
		const lon = ring.reduce((s, p) => s + p.lon, 0) / ring.length;
		const lat = ring.reduce((s, p) => s + p.lat, 0) / ring.length;
		const p = project(lon, lat);
		addIsland([Math.round(p[0] * 2) / 2, Math.round(p[1] * 2) / 2]);
	}
	for (const [, lon, lat] of EXTRA_ISLANDS) {
		const p = project(lon, lat);
		addIsland([Math.round(p[0] * 2) / 2, Math.round(p[1] * 2) / 2]);
	}
	islands.sort((a, b) => a[1] - b[1] || a[0] - b[0]);
	const islandPath = islands.map((p) => 'M' + fixed(p[0], 1) + ' ' +
	    fixed(p[1], 1) + 'h0').join('');

	const dashes = [];
	for (const line of DASHES)
		dashes.push(...clipLine(line.map(([lon, lat]) =>
		    project(lon, lat)), box));

	/* The name goes in the frame's lower right corner, as on the standard map. */
	return {
		inset, frame,
		china: pathData(chinaRings, false),
		land: pathData(landRings, false),
		islands: islandPath,
		dashes: lineData(dashes),
		label: [frame.x + frame.w - 6, frame.y + frame.h - 7],
	};
}

/* Centre of a feature's largest ring, for features without a "cp". */
function ringCentre(polygons) {
	let best = null, bestArea = -1;
	for (const polygon of polygons) {
		const ring = polygon[0].map((p) => [p.lon, p.lat]);
		const a = Math.abs(ringArea(ring));
		if (a > bestArea) {
			bestArea = a;
			best = ring;
		}
	}
	const [x, y] = labelPoint(best);
	return [x, y];
}

/* (province, place, lon, lat) from the province maps. */
function buildPlaces(dir) {
	const rows = [];
	for (const [, full, file] of PROVINCES) {
		const json = readJson(dir, 'map/json/province/' + file + '.json');
		const seen = new Set();
		for (const f of json.features) {
			const name = f.properties.name;
			if (seen.has(name) || name.startsWith('中国属'))
				continue;
			seen.add(name);
			const cp = f.properties.cp ||
			    ringCentre(featurePolygons(json, f));
			rows.push([full, name, cp[0], cp[1]]);
		}
	}
	return rows;
}

function emit(dir, version) {
	const china = readJson(dir, 'map/json/china.json');
	const layout = buildProvinces(china);
	const inset = buildInset(dir, layout, china);
	const places = buildPlaces(dir);
	const out = [];
	const frame = inset.frame;

	out.push('/*',
	    ' * GENERATED FILE, DO NOT EDIT: made by scripts/china-map/convert.js',
	    ' * from the npm package echarts ' + version + ' (Apache License 2.0):',
	    ' * map/json/china.json, the province maps in map/json/province/ and',
	    ' * map/json/world.json; the dashed line in the South China Sea as on',
	    ' * the standard map of China.  Change the script and run it again.',
	    ' */',
	    '#include "map_data.h"',
	    '',
	    'const struct map_projection map_projection = {',
	    '\t' + [PROJ.lon0, PROJ.lat0, PROJ.lat1, PROJ.lat2].join(', ') + ',',
	    '\t{ ' + [layout.main.scale, layout.main.x, layout.main.y]
	    .map((v) => fixed(v, 6)).join(', ') + ' },',
	    '\t{ ' + [inset.inset.scale, inset.inset.x, inset.inset.y]
	    .map((v) => fixed(v, 6)).join(', ') + ' },',
	    '\t' + INSET.southOf + ',',
	    '};',
	    '',
	    'const int map_width = ' + WIDTH + ';',
	    'const int map_height = ' + layout.height + ';',
	    'const int map_label_size = ' + LABEL_SIZE + ';',
	    '',
	    'const struct map_frame map_inset_frame = { ' +
	    [frame.x, frame.y, frame.w, frame.h].map((v) => fixed(v, 1))
	    .join(', ') + ', ' + inset.label.map((v) => fixed(v, 1)).join(', ') +
	    ' };',
	    '',
	    'const struct map_shape map_shapes[] = {');
	for (const s of layout.shapes) {
		out.push('\t{ ' + cQuote(s.entry[1]) + ', ' + cQuote(s.entry[0]) +
		    ', ' + s.label[0] + ', ' + s.label[1] + ',');
		out.push(cString(s.path, '\t    ') + ' },');
	}
	out.push('};',
	    'const size_t map_nshapes = sizeof(map_shapes) / sizeof(map_shapes[0]);',
	    '');
	for (const [name, data] of [['map_inset_china', inset.china],
	    ['map_inset_land', inset.land], ['map_inset_islands', inset.islands],
	    ['map_inset_dashes', inset.dashes]]) {
		out.push('const char ' + name + '[] =', cString(data, '    ') + ';');
	}
	out.push('', 'const struct map_place map_places[] = {');
	for (const [province, name, lon, lat] of places)
		out.push('\t{ ' + cQuote(province) + ', ' + cQuote(name) + ', ' +
		    fixed(lon, 4) + ', ' + fixed(lat, 4) + ' },');
	out.push('};',
	    'const size_t map_nplaces = sizeof(map_places) / sizeof(map_places[0]);');
	return out.join('\n') + '\n';
}

function main() {
	const dir = process.argv[2];
	if (!dir) {
		process.stderr.write('usage: convert.js ECHARTS_PACKAGE_DIR\n');
		process.exit(2);
	}
	const version = readJson(dir, 'package.json').version;
	if (version !== EXPECTED_VERSION) {
		process.stderr.write('convert.js: expected echarts ' +
		    EXPECTED_VERSION + ', found ' + version + '\n');
		process.exit(1);
	}
	process.stdout.write(emit(dir, version));
}

main();
