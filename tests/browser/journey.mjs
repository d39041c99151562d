/*
 * A reader's way through the site by clicks only: home → province →
 * district → article → theme → another article, then a search from the
 * header box, a result, and back.  After each click the address, the
 * title and the main heading must be those of the page the link named.
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
