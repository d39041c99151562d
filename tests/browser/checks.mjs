/*
 * Checks of a single page each: keyboard access, layout shift, print,
 * the 404 page of a host, and the site opened from disk.
 */
import { pathToFileURL } from "node:url";
import path from "node:path";
import { expect } from "./tap.mjs";
import { contentsJourney, chartJourney } from "./journey.mjs";
import { PHONE, DESKTOP, openPage, closePage, headings } from "./browser.mjs";

/* What has the focus: its id, class, whether it shows and is outlined. */
function focused(page) {
	return page.evaluate(() => {
		const e = document.activeElement;
		const r = e.getBoundingClientRect();
		const style = getComputedStyle(e);

		return {
			id: e.id,
			className: typeof e.className === "string" ? e.className : "",
			inMain: !!e.closest("main"),
			visible: r.width > 0 && r.height > 0 && r.left >= 0 &&
			    r.top >= 0 && r.right <= innerWidth && r.bottom <= innerHeight,
			outlined: style.outlineStyle !== "none" &&
			    parseFloat(style.outlineWidth) >= 2,
		};
	});
}

/* Presses Tab until the element with the given id has the focus. */
async function tabTo(page, id, limit) {
	for (let i = 1; i <= limit; i++) {
		await page.keyboard.press("Tab");
		const f = await focused(page);
		if (f.id === id)
			return { presses: i, ...f };
	}
	return null;
}

export async function keyboardChecks(browser, base, log) {
	for (const size of [PHONE, DESKTOP]) {
		const page = await openPage(browser, size, "light", log);
		const at = `at ${size.name} width`;

		await page.goto(base);
		await page.keyboard.press("Tab");
		let f = await focused(page);
		expect(f.className === "skip-link" && f.visible && f.outlined,
		    `keyboard ${at}: the first Tab shows the skip link, outlined`,
		    JSON.stringify(f));
		await page.keyboard.press("Enter");
		await page.keyboard.press("Tab");
		f = await focused(page);
		expect(new URL(page.url()).hash === "#main" && f.inMain,
		    `keyboard ${at}: the skip link moves the next Tab into the main content`,
		    `${page.url()} ${JSON.stringify(f)}`);

		await page.goto(base);
		f = await tabTo(page, "site-search", 12);
		expect(f && f.visible && f.outlined,
		    `keyboard ${at}: Tab reaches the header search box` +
		    (f ? ` in ${f.presses} presses` : ""), JSON.stringify(f));

		await page.goto(base + "search/");
		f = await tabTo(page, "search-q", 16);
		expect(f && f.visible && f.outlined,
		    `keyboard ${at}: Tab reaches the search page's field` +
		    (f ? ` in ${f.presses} presses` : ""), JSON.stringify(f));
		await closePage(page);
	}
}

/*
 * Sums the layout shifts of a page from the first paint until it has
 * been still for a second, without any input, as CLS counts them.
 */
export async function layoutShiftChecks(browser, base, paths, log) {
	for (const size of [PHONE, DESKTOP]) {
		const page = await openPage(browser, size, "light", log);
		await page.addInitScript(() => {
			window.layoutShifts = [];
			new PerformanceObserver((list) => {
				for (const e of list.getEntries())
					if (!e.hadRecentInput)
						window.layoutShifts.push(e.value);
			}).observe({ type: "layout-shift", buffered: true });
		});
		for (const [kind, p] of paths) {
			await page.goto(base + p, { waitUntil: "load" });
			await page.evaluate(() => document.fonts.ready);
			await page.waitForTimeout(1000);
			const shifts = await page.evaluate(() => window.layoutShifts);
			const sum = shifts.reduce((a, b) => a + b, 0);
			expect(sum < 0.01,
			    `layout shift on the ${kind} page at ${size.name} width: ${sum.toFixed(4)}`,
			    `shifts ${shifts.map((s) => s.toFixed(4)).join(", ")}`);
		}
		await closePage(page);
	}
}

/*
 * An article printed from a browser in dark mode: no site chrome, and
 * every visible text dark enough on white paper (WCAG's 4.5:1).
 */
export async function printChecks(browser, base, articlePath, log) {
	const page = await openPage(browser, DESKTOP, "dark", log);

	await page.goto(base + articlePath);
	await page.emulateMedia({ media: "print", colorScheme: "dark" });
	const r = await page.evaluate(() => {
		function luminance(color) {
			const [r, g, b] = color.match(/[\d.]+/g).slice(0, 3).map((c) => {
				c /= 255;
				return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
			});
			return 0.2126 * r + 0.7152 * g + 0.0722 * b;
		}
		const pale = [];
		for (const e of document.querySelectorAll("main *")) {
			const style = getComputedStyle(e);
			if (style.display === "none" || !e.childNodes.length ||
			    ![...e.childNodes].some((n) => n.nodeType === 3 && n.data.trim()))
				continue;
			if (1.05 / (luminance(style.color) + 0.05) < 4.5)
				pale.push(`${e.tagName.toLowerCase()}.${e.className} ${style.color}`);
		}
		return {
			header: getComputedStyle(document.querySelector(".site-header")).display,
			background: getComputedStyle(document.body).backgroundColor,
			pale: [...new Set(pale)].slice(0, 6),
		};
	});
	expect(r.header === "none" && r.background === "rgb(255, 255, 255)" &&
	    r.pale.length === 0,
	    "print: an article printed from dark mode is dark text on white, without the header",
	    JSON.stringify(r));
	await closePage(page);
}

/* A missing address deep below the sub-path gets a page that leads back. */
export async function notFoundChecks(browser, base, log) {
	const page = await openPage(browser, DESKTOP, "light", log);
	const r = await page.goto(base + "no/such/page/");
	const h = await headings(page);
	const styled = await page.evaluate(() =>
	    getComputedStyle(document.querySelector(".skip-link")).position);

	expect(r.status() === 404 && h.h1 === "页面不存在" && styled === "absolute",
	    "404: a missing address deep below the site gets the styled 404 page",
	    `HTTP ${r.status()}, h1 "${h.h1}", skip link position ${styled}`);
	await Promise.all([page.waitForURL(/\/themes\//),
	    page.getByRole("link", { name: "按主题浏览" }).click()]);
	const t = await headings(page);
	expect(page.url().startsWith(base + "themes/") && t.h1 === "全部主题",
	    "404: its links lead back into the site", `${page.url()}, h1 "${t.h1}"`);
	await closePage(page);
}

/*
 * The site opened from disk: styles load, links work from page to page,
 * the journey through the table of contents runs at both widths, and
 * search finds articles, reading its index through script elements, and
 * a cell of the home page's chart leads to the articles behind it.
 */
export async function diskChecks(browser, out, word, chartCell, log) {
	const root = pathToFileURL(out + path.sep).href;
	let page = await openPage(browser, PHONE, "light", log);
	let h;

	async function click(link, pattern) {
		await Promise.all([page.waitForURL(pattern), link.click()]);
		return headings(page);
	}

	await page.goto(root + "index.html");
	/* A page from disk may not read its stylesheet's rules; look at one. */
	const skip = await page.evaluate(() =>
	    getComputedStyle(document.querySelector(".skip-link")).position);
	expect(skip === "absolute", "disk: index.html opened from disk has its stylesheet",
	    `skip link position ${skip}`);

	h = await click(page.locator(".site-nav a", { hasText: "地区" }),
	    /\/districts\/index\.html$/);
	expect(page.url() === root + "districts/index.html" && h.h1 === "全部地区",
	    "disk: the navigation opens districts/index.html", page.url());

	const link = page.locator(".district-grid a").first();
	const name = (await link.innerText()).trim();
	h = await click(link, /\/districts\/[^/]+\/index\.html$/);
	expect(name.endsWith(h.h1) && h.h1 !== "",
	    "disk: a district link opens the district's index.html",
	    `${page.url()}, h1 "${h.h1}", link "${name}"`);

	const card = page.locator(".cards .card-title a").first();
	const title = (await card.innerText()).trim();
	h = await click(card, /\/articles\/[^/]+\/index\.html$/);
	expect(h.h1 === title, "disk: the district's first article opens",
	    `${page.url()}, h1 "${h.h1}"`);

	h = await click(page.locator(".breadcrumb a").first(), /\/index\.html$/);
	expect(page.url() === root + "index.html",
	    "disk: the breadcrumb leads home", page.url());

	await page.goto(root + "search/index.html?q=" + encodeURIComponent(word));
	const results = page.locator("#search-results .result-title a");
	await results.first().waitFor();
	const count = await results.count();
	const status = await page.locator("#search-status").innerText();
	expect(count > 0 && /找到/.test(status),
	    `disk: search finds "${word}" from disk`, `${count} results, "${status}"`);
	const first = (await results.first().innerText()).trim();
	h = await click(results.first(), /\/articles\/[^/]+\/index\.html$/);
	expect(h.h1 === first && page.url().startsWith(root + "articles/"),
	    "disk: a search result opens its article", `${page.url()}, h1 "${h.h1}"`);
	await closePage(page);

	for (const size of [PHONE, DESKTOP]) {
		page = await openPage(browser, size, "light", log);
		await contentsJourney(page, root, `disk: contents at ${size.name} width`);
		await closePage(page);
	}
	page = await openPage(browser, DESKTOP, "light", log);
	await chartJourney(page, root + "index.html", ...chartCell, "disk: chart");
	await closePage(page);

	const outside = new Set(log.requests.filter((u) => !u.startsWith(root)));
	expect(outside.size === 0,
	    `disk: all ${log.requests.length} requests stay in the site's folder`,
	    [...outside].slice(0, 10).join("\n"));
}

/* The titles a search for word shows, on a fresh page. */
async function searchTitles(browser, base, word, log) {
	const page = await openPage(browser, DESKTOP, "light", log);
	await page.goto(base + "search/?q=" + encodeURIComponent(word));
	const results = page.locator("#search-results .result-title a");
	await results.first().waitFor();
	const titles = await results.allInnerTexts();
	await closePage(page);
	return titles;
}

/*
 * Search over HTTP reads the packs of the index by ranges where the host
 * sends ranges, and finds the same where it sends every file whole.
 */
export async function rangeChecks(browser, server, word, log) {
	const partial = server.partial, whole = server.whole;
	const ranged = await searchTitles(browser, server.base, word, log);
	expect(ranged.length > 0 && server.partial > partial &&
	    server.whole === whole,
	    `ranges: search reads the index by ranges (${server.partial - partial} ranges sent)`,
	    `${ranged.length} results, ${server.whole - whole} ranges answered whole`);
	server.ranges = false;
	try {
		const before = server.whole;
		const plain = await searchTitles(browser, server.base, word, log);
		expect(server.whole > before && plain.join("\n") === ranged.join("\n"),
		    "ranges: a host that ignores ranges gets the same results",
		    `${server.whole - before} ranges answered whole, results ` +
		    `${plain.slice(0, 3).join(" | ")} against ${ranged.slice(0, 3).join(" | ")}`);
	} finally {
		server.ranges = true;
	}
}

/*
 * How the lines that say where an article is from and who wrote it
 * break, on the page open: each name (a place, a person, a role) on one
 * line; no line starts with a separating dot, and the place line of an
 * article does not end with one; at phone width, the place and author
 * of a row of the table of contents or of a related article on a line
 * below its title.  The same on a page of search results, once shown.
 * Returns the faults found.
 */
function lineFaults(page, phone) {
	return page.evaluate((phone) => {
		const faults = [];
		const apart = (a, b) => Math.abs(a.top - b.top) > a.height / 2;
		/*
		 * The characters of el, each with its box; one not shown (a
		 * separator a narrow page hides) as a space with none.
		 */
		function chars(el) {
			const out = [];
			const walk = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
			const range = document.createRange();
			for (let n; (n = walk.nextNode());) {
				for (let i = 0; i < n.data.length; i++) {
					range.setStart(n, i);
					range.setEnd(n, i + 1);
					const r = [...range.getClientRects()].find((x) => x.width > 0);
					out.push(r ? { c: n.data[i], r } : { c: " ", r: null });
				}
			}
			return out;
		}
		const gap = /[\s\u00a0·（）「」、，]/;
		for (const el of document.querySelectorAll(
		    ".toc-meta, .related-meta, .why, .article-meta, .result-meta")) {
			const cs = chars(el);
			const text = el.textContent;
			for (let i = 0; i < cs.length;) {
				let j = i;
				while (j < cs.length && !gap.test(cs[j].c))
					j++;
				if (cs.slice(i, j).some((x) => apart(x.r, cs[i].r)))
					faults.push(`a name broken: "${text.slice(i, j)}" in "${text}"`);
				i = j + 1;
			}
			const solid = cs.filter((x) => x.r && !/[\s\u00a0]/.test(x.c));
			solid.forEach((x, k) => {
				if (x.c !== "·")
					return;
				if (k > 0 && apart(x.r, solid[k - 1].r))
					faults.push(`a line starts with "·": "${text}"`);
				if (el.matches(".article-meta") && k + 1 < solid.length &&
				    apart(x.r, solid[k + 1].r))
					faults.push(`a line ends with "·": "${text}"`);
			});
			const title = el.parentElement.querySelector(".toc-title, .related-title");
			if (phone && title && solid.length) {
				const last = [...title.getClientRects()].pop();
				if (solid[0].r.top < last.bottom - 1)
					faults.push(`runs on after its title: "${text}"`);
			}
		}
		return faults;
	}, phone);
}

export async function lineChecks(browser, base, paths, log) {
	for (const size of [PHONE, DESKTOP]) {
		const page = await openPage(browser, size, "light", log);
		const faults = [];
		for (const p of paths) {
			await page.goto(base + p);
			if (p.startsWith("search/"))
				await page.locator("#search-results .result-meta").first().waitFor();
			await page.evaluate(() => document.fonts.ready);
			for (const f of await lineFaults(page, size === PHONE))
				faults.push(`${decodeURIComponent(p)}: ${f}`);
		}
		expect(faults.length === 0,
		    `lines at ${size.name} width: on ${paths.length} pages, names whole, the place and author below a title, no stray "·"`,
		    faults.slice(0, 12).join("\n"));
		await closePage(page);
	}
}
