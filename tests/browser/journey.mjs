/*
 * A reader's ways through the site by clicks only: home → province →
 * district → article → theme → another article; home → table of
 * contents → city → district → article → one of its sections → a
 * related article → its author in the index of authors; then a search
 * from the header box, a result, and back.  After each click the
 * address, the title and the main heading must be those of the page the
 * link named.
 */
import { expect } from "./tap.mjs";
import { headings } from "./browser.mjs";

/* Clicks link and waits for the page it leads to; returns its text. */
async function follow(page, link) {
	const text = (await link.innerText()).trim();
	const href = await link.getAttribute("href");
	const before = page.url();

	await Promise.all([page.waitForURL((u) => u.href !== before),
	    link.click()]);
	await page.waitForLoadState("load");
	return { text, href };
}

/* The address a relative link on the current page leads to. */
function target(page, href) {
	return new URL(href, page.url()).href;
}

/*
 * Checks the page reached by clicking: address as the link gave it,
 * below base, the heading as expected, the title holding it.
 */
async function arrived(page, what, expected, heading, base) {
	const h = await headings(page);
	const url = page.url();

	expect(url === expected && url.startsWith(base) &&
	    h.h1.trim() === heading && h.title.includes(heading),
	    `${what}: lands on "${heading}"`,
	    `address ${url} (expected ${expected}), h1 "${h.h1}", title "${h.title}"`);
}

/*
 * Every link of the page's breadcrumb leads to a page headed by the
 * link's label (home by the site title); the page itself is not linked.
 */
async function breadcrumbLeads(page, what, siteTitle) {
	const here = page.url();
	const title = (await headings(page)).h1;
	const crumbs = await page.locator(".breadcrumb li").evaluateAll((items) =>
	    items.map((li) => {
		const a = li.querySelector("a");
		return { label: li.textContent.trim(), href: a && a.href };
	    }));
	const wrong = [];

	for (const c of crumbs.filter((c) => c.href)) {
		await page.goto(c.href);
		const h = (await headings(page)).h1;
		if (h !== (c.label === "首页" ? siteTitle : c.label))
			wrong.push(`"${c.label}" leads to "${h}" (${c.href})`);
	}
	await page.goto(here);
	const last = crumbs[crumbs.length - 1];
	if (!last || (last.href && last.label === title))
		wrong.push(`the page's own crumb "${last && last.label}" is a link`);
	expect(wrong.length === 0,
	    `journey: ${what} breadcrumb (${crumbs.map((c) => c.label).join(" › ")}) ` +
	    "links lead to the places they name", wrong.join("\n"));
}

export async function readerJourney(page, base, siteTitle) {
	let link, from;

	await page.goto(base);
	let h = await headings(page);
	expect(h.title === siteTitle && h.h1 === siteTitle,
	    "journey: home page has the site title as title and heading",
	    `title "${h.title}", h1 "${h.h1}"`);

	link = page.locator(".province-list a.province-name").first();
	from = await follow(page, link);
	await arrived(page, "journey: home → province",
	    new URL(from.href, base).href, from.text, base);
	expect(/\/provinces\/[^/]+\/index\.html$/.test(page.url()),
	    "journey: the province page is at provinces/NAME/", page.url());

	link = page.locator(".city-list .district-grid a").first();
	const district = (await link.innerText()).trim();
	const districtHref = target(page, await link.getAttribute("href"));
	await follow(page, link);
	await arrived(page, "journey: province → district", districtHref,
	    district, base);
	await breadcrumbLeads(page, "the district's", siteTitle);

	link = page.locator(".cards .card-title a").first();
	const articleHref = target(page, await link.getAttribute("href"));
	from = await follow(page, link);
	await arrived(page, "journey: district → article", articleHref,
	    from.text, base);
	const crumbs = await page.locator(".breadcrumb li").allInnerTexts();
	expect(crumbs[0] === "首页" && crumbs.includes(district),
	    "journey: the article's breadcrumb leads from home to its district",
	    crumbs.join(" › "));
	await breadcrumbLeads(page, "the article's", siteTitle);
	const firstArticle = page.url();

	link = page.locator(".article-header .tags a").first();
	const themeHref = target(page, await link.getAttribute("href"));
	from = await follow(page, link);
	await arrived(page, "journey: article → theme", themeHref, from.text, base);

	/* Another article: the first card that is not the one just read. */
	const cards = page.locator(".cards .card-title a");
	const n = await cards.count();
	link = null;
	for (let i = 0; i < n && !link; i++) {
		const href = target(page, await cards.nth(i).getAttribute("href"));
		if (href !== firstArticle)
			link = cards.nth(i);
	}
	if (!expect(link !== null, "journey: the theme lists another article",
	    `${n} cards, all ${firstArticle}`))
		return;
	const otherHref = target(page, await link.getAttribute("href"));
	from = await follow(page, link);
	const otherTitle = from.text;
	await arrived(page, "journey: theme → another article", otherHref,
	    from.text, base);

	link = page.locator(".breadcrumb a").nth(1);
	from = await follow(page, link);
	await arrived(page, "journey: breadcrumb → the article's province",
	    new URL(from.href, otherHref).href, from.text, base);

	await page.goBack();
	h = await headings(page);
	expect(page.url() === otherHref && h.h1 === otherTitle,
	    "journey: back returns to the article", `${page.url()}, h1 "${h.h1}"`);
}

/*
 * The word typed in the header box of an article; the first result
 * opened; back to the results, with the word still in the search form.
 */
export async function searchJourney(page, base, articlePath, word) {
	await page.goto(base + articlePath);
	await page.locator("#site-search").fill(word);
	await Promise.all([page.waitForURL(/\/search\/index\.html\?/),
	    page.locator("#site-search").press("Enter")]);
	const url = new URL(page.url());
	expect(url.href.startsWith(base + "search/index.html") &&
	    url.searchParams.get("q") === word,
	    "search: the header box leads to search/ with the word in the address",
	    url.href);

	const results = page.locator("#search-results .result-title a");
	await results.first().waitFor();
	const count = await results.count();
	const status = await page.locator("#search-status").innerText();
	expect(count > 0 && /找到/.test(status),
	    `search: "${word}" finds articles`, `${count} results, status "${status}"`);
	const marked = await page.locator("#search-results mark").first().innerText();
	expect(marked === word, "search: results mark the word", `mark "${marked}"`);

	const title = (await results.first().innerText()).trim();
	const href = await results.first().getAttribute("href");
	await Promise.all([page.waitForURL((u) => !u.href.includes("/search/")),
	    results.first().click()]);
	const h = await headings(page);
	const text = await page.locator("main").innerText();
	expect(h.h1 === title && page.url() === new URL(href, url).href &&
	    page.url().startsWith(base + "articles/") && text.includes(word),
	    "search: the first result opens its article, which holds the word",
	    `address ${page.url()}, h1 "${h.h1}", result "${title}"`);

	await page.goBack();
	await results.first().waitFor();
	const again = await results.count();
	const value = await page.locator("#search-q").inputValue();
	expect(page.url() === url.href && again === count && value === word,
	    "search: back shows the same results and the word in the form",
	    `address ${page.url()}, ${again} results, field "${value}"`);
}

/*
 * Whether the element with the id the address names is on screen, the
 * address's fragment naming it.
 */
async function targetShown(page) {
	return page.evaluate(() => {
		const id = decodeURIComponent(location.hash.slice(1));
		const e = id ? document.getElementById(id) : null;
		if (!e)
			return { id, found: false };
		const r = e.getBoundingClientRect();
		return { id, found: true, top: Math.round(r.top),
		    shown: r.top >= -1 && r.top < innerHeight && r.height > 0,
		    text: e.textContent.trim().slice(0, 40) };
	});
}

/*
 * Home → 目录 → a city → one of its districts → an article → a section
 * of it from its contents box → a related article → its author's entry
 * in the index of authors.  what names the run (width, HTTP or disk).
 */
export async function contentsJourney(page, root, what) {
	let link, from, h, href;

	await page.goto(root + "index.html");
	link = page.locator(".site-nav a", { hasText: "目录" });
	href = target(page, await link.getAttribute("href"));
	await follow(page, link);
	await arrived(page, `${what}: home → 目录`, href, "目录", root);
	const rows = await page.locator(".toc-rows li").count();
	expect(rows > 0, `${what}: the table of contents lists the articles (${rows})`);

	link = page.locator(".toc-province h3 a").first();
	const city = (await link.innerText()).trim();
	href = target(page, await link.getAttribute("href"));
	await follow(page, link);
	await arrived(page, `${what}: 目录 → city`, href, city, root);
	expect(/\/cities\/[^/]+\/index\.html$/.test(page.url()),
	    `${what}: the city page is at cities/NAME/`, page.url());
	const crumbs = await page.locator(".breadcrumb li").allInnerTexts();
	expect(crumbs.length === 3 && crumbs[0] === "首页" && crumbs[2] === city,
	    `${what}: the city's breadcrumb is 首页 › province › city`,
	    crumbs.join(" › "));

	link = page.locator(".city-district h2 a").first();
	const district = (await link.innerText()).trim();
	const districtHref = target(page, await link.getAttribute("href"));
	await follow(page, link);
	await arrived(page, `${what}: city → district`, districtHref, district,
	    root);

	link = page.locator(".cards .card-title a").first();
	const articleHref = target(page, await link.getAttribute("href"));
	from = await follow(page, link);
	await arrived(page, `${what}: district → article`, articleHref, from.text,
	    root);
	const trail = await page.locator(".breadcrumb li").evaluateAll((items) =>
	    items.map((li) => ({ label: li.textContent.trim(),
		linked: !!li.querySelector("a") })));
	expect(trail.length === 4 && trail.every((c) => c.linked) &&
	    trail[2].label === city && trail[3].label === district,
	    `${what}: the article's breadcrumb links 首页 › province › city › district`,
	    JSON.stringify(trail));

	/* The longest articles have a contents box; this one may not. */
	if (await page.locator(".contents a").count() === 0) {
		await page.goto(root + "articles/" +
		    encodeURIComponent("海口市龙华区") + "/index.html");
	}
	const article = page.url();
	link = page.locator(".contents a").nth(1);
	const section = (await link.innerText()).trim();
	await link.click();
	await page.waitForFunction(() => location.hash.length > 1);
	const shown = await targetShown(page);
	expect(shown.found && shown.shown && shown.text === section &&
	    page.url().startsWith(article + "#"),
	    `${what}: the contents box leads to the section "${section}"`,
	    `${page.url()} ${JSON.stringify(shown)}`);

	link = page.locator(".related .related-title").first();
	const relatedHref = target(page, await link.getAttribute("href"));
	const why = (await page.locator(".related .why").first().innerText()).trim();
	expect(why.length > 0, `${what}: a related article says why: ${why}`);
	from = await follow(page, link);
	await arrived(page, `${what}: section → related article`, relatedHref,
	    from.text, root);

	link = page.locator(".byline a.author");
	const author = (await link.innerText()).trim();
	await follow(page, link);
	h = await headings(page);
	const entry = await targetShown(page);
	expect(h.h1 === "作者" && /\/authors\//.test(page.url()) &&
	    entry.found && entry.shown && entry.text.startsWith(author),
	    `${what}: the byline leads to ${author}'s entry in the index of authors`,
	    `${page.url()}, h1 "${h.h1}", ${JSON.stringify(entry)}`);
}

/*
 * What the editors changed, as a reader finds it: an article whose page
 * lost text marks the gap in place, with a title that says so; its
 * collation note is folded until the gap, a link, opens it; it names
 * each change, and a line
 * it names leads to that line of the raw page as printed, in view and
 * marked as the target.  article is an address below root of an article
 * with a gap.
 */
export async function collationJourney(page, root, article, what) {
	await page.goto(root + article);
	const mark = page.locator(".prose .lacuna").first();
	expect(await mark.count() === 1 &&
	    (await mark.innerText()).trim() === "〔原文缺〕" &&
	    /缺失/.test(await mark.getAttribute("title") || ""),
	    `${what}: the gap is marked in the text, titled`,
	    `marks: ${await page.locator(".prose .lacuna").count()}`);
	const note = page.locator("details.collation");
	expect(await note.count() === 1 && !(await note.evaluate((d) => d.open)),
	    `${what}: the collation note is there, folded`);
	await mark.click();
	const items = note.locator("li");
	expect(await note.evaluate((d) => d.open) && await items.count() > 0 &&
	    await items.first().isVisible() && await note.evaluate((d) => {
		const r = d.querySelector("#collation").getBoundingClientRect();
		return r.top >= 0 && r.top < window.innerHeight;
	    }),
	    `${what}: the gap leads to the collation note, open and in view, ` +
	    `listing the changes`, `items: ${await items.count()}`);
	const link = note.locator("li a[href*='#L']").first();
	const href = await link.getAttribute("href");
	const line = href.replace(/.*#L/, "");
	const { text } = await follow(page, link);
	const target = page.locator(`li#L${line}`);
	const url = page.url();
	expect(url.includes("/sources/") && url.endsWith(`#L${line}`) &&
	    text.includes(line) && await target.count() === 1 &&
	    await target.evaluate((li) => li.matches(":target")) &&
	    await target.isVisible(),
	    `${what}: "${text}" leads to that line of the raw page`,
	    `address ${url}, line ${line}`);
	expect(await target.evaluate((li) => {
		const r = li.getBoundingClientRect();
		return r.top >= 0 && r.top < window.innerHeight;
	    }), `${what}: the line is in view`);
}

/*
 * A cell of the home page's chart of themes by provinces followed: the
 * search page it leads to lists as many articles as the cell says, each
 * of the province and each on the theme's own page.  home is the home
 * page's address (base over HTTP, index.html from disk).
 */
export async function chartJourney(page, home, province, theme, what) {
	await page.goto(home);
	const cell = page.locator(`.chart td a[aria-label^="${province}谈${theme}的"]`);
	const count = Number((await cell.innerText()).trim());
	await Promise.all([page.waitForURL(/\/search\/(index\.html)?\?/), cell.click()]);
	const url = new URL(page.url());
	const slug = url.searchParams.get("theme");
	expect(url.searchParams.get("province") === province && slug,
	    `${what}: the chart's cell ${province} × ${theme} leads to search by both`,
	    url.href);
	const results = page.locator("#search-results .result-title a");
	await results.first().waitFor();
	const titles = (await results.allInnerTexts()).map((t) => t.trim());
	const metas = (await page.locator("#search-results .result-meta").allInnerTexts());
	const status = await page.locator("#search-status").innerText();
	await page.goto(new URL(`../themes/${slug}/index.html`, url).href);
	const onTheme = new Set((await page.locator(".card-title a").allInnerTexts())
	    .map((t) => t.trim()));
	expect(count > 1 && titles.length === count &&
	    metas.every((m) => m.startsWith(province)) &&
	    titles.every((t) => onTheme.has(t)),
	    `${what}: ${province} × ${theme} shows the ${count} articles behind the cell`,
	    `cell ${count}, ${titles.length} results (${titles.join(" / ")}), ` +
	    `places ${metas.join(" / ")}, status "${status}"`);
}
