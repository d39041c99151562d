/*
 * Each kind of page at phone and desktop width, in the light and the dark
 * colour scheme: a full-page screenshot for people to look at, no
 * horizontal overflow, and no axe violations.  Then every page of the
 * site at both widths for overflow alone.
 */
import { readdirSync, statSync, mkdirSync } from "node:fs";
import path from "node:path";
import { expect, step } from "./tap.mjs";
import { PHONE, DESKTOP, openPage, closePage, axeViolations, overflow } from
    "./browser.mjs";

/* The address below base of the biggest page in out/folder/: the
 * longest article, the district with most articles, and so on. */
function largest(out, folder) {
	let best = null, size = -1;

	for (const name of readdirSync(path.join(out, folder))) {
		const file = path.join(out, folder, name, "index.html");
		let s;
		try {
			s = statSync(file).size;
		} catch {
			continue;
		}
		if (s > size) {
			best = name;
			size = s;
		}
	}
	return `${folder}/${encodeURIComponent(best)}/`;
}

/* name → address below base, and what shows the page is ready. */
export function pageKinds(out, word) {
	return [
		{ kind: "home", path: "" },
		{ kind: "toc", path: "articles/" },
		{ kind: "article", path: largest(out, "articles") },
		{ kind: "district-index", path: "districts/" },
		{ kind: "district", path: largest(out, "districts") },
		{ kind: "city", path: largest(out, "cities") },
		{ kind: "province", path: largest(out, "provinces") },
		{ kind: "authors", path: "authors/" },
		{ kind: "theme-index", path: "themes/" },
		{ kind: "theme", path: largest(out, "themes") },
		{ kind: "source", path: largest(out, "sources") },
		{ kind: "search", path: `search/?q=${encodeURIComponent(word)}`,
		    ready: "#search-results li" },
		{ kind: "404", path: "no-such-page/", status: 404 },
	];
}

/* Every page of the site, as addresses below base. */
export function allPages(out) {
	const pages = [];

	function walk(rel) {
		for (const name of readdirSync(path.join(out, rel)).sort()) {
			const sub = rel ? `${rel}/${name}` : name;
			if (statSync(path.join(out, sub)).isDirectory())
				walk(sub);
			else if (name.endsWith(".html"))
				pages.push(sub.split("/").map(encodeURIComponent).join("/"));
		}
	}
	walk("");
	return pages;
}

async function visit(page, base, k) {
	const response = await page.goto(base + k.path);
	if (k.ready)
		await page.locator(k.ready).first().waitFor();
	await page.evaluate(() => document.fonts.ready);
	return response;
}

export async function pageKindChecks(browser, base, kinds, shots, log) {
	mkdirSync(shots, { recursive: true });
	for (const size of [PHONE, DESKTOP]) {
		for (const scheme of ["light", "dark"]) {
			const page = await openPage(browser, size, scheme, log);
			for (const k of kinds) {
				const what = `${k.kind} at ${size.name} width, ${scheme}`;
				await step(what, 60000, async () => {
					const r = await visit(page, base, k);
					if (r.status() !== (k.status || 200))
						expect(false, `${what}: status`, `HTTP ${r.status()}`);
					await page.screenshot({ fullPage: true, path:
					    path.join(shots, `${size.name}-${scheme}-${k.kind}.png`) });
					if (scheme === "light") {
						const o = await overflow(page);
						expect(o.scroll <= o.width,
						    `${k.kind} at ${size.name} width: no horizontal overflow`,
						    `scrollWidth ${o.scroll} > ${o.width}: ${o.wide.join("; ")}`);
					}
					const v = await axeViolations(page);
					expect(v.length === 0, `${what}: axe finds no violations`,
					    v.join("\n"));
				});
			}
			await closePage(page);
		}
	}
}

export async function overflowEverywhere(browser, base, pages, log) {
	for (const size of [PHONE, DESKTOP]) {
		await step(`all pages at ${size.name} width`, 180000, async () => {
			const page = await openPage(browser, size, "light", log);
			const wide = [];
			for (const p of pages) {
				await page.goto(base + p, { waitUntil: "load" });
				const o = await overflow(page);
				if (o.scroll > o.width)
					wide.push(`${decodeURIComponent(p)}: ${o.scroll} > ${o.width}: ` +
					    o.wide.join("; "));
			}
			await closePage(page);
			expect(wide.length === 0,
			    `all ${pages.length} pages fit ${size.width} px without horizontal scrolling`,
			    wide.join("\n"));
		});
	}
}
