/*
 * The browser suite: builds a site folder with the given binary, serves
 * the result below a sub-path on 127.0.0.1, and drives Chromium through
 * it.  Prints one TAP line per check; exits 1 when any check failed.
 *
 * Usage: node suite.mjs JICENG SITE_DIR SCREENSHOT_DIR
 * SITE_DIR holds content/, templates/ and assets/; the pages are built
 * into SITE_DIR/out with the server's address as base_url, so the 404
 * page's absolute links stay on the server.
 */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { startServer } from "./server.mjs";
import { launch, openPage, closePage, DESKTOP, PHONE } from "./browser.mjs";
import { expect, notOk, step, failed } from "./tap.mjs";
import { readerJourney, searchJourney, contentsJourney, collationJourney,
    chartJourney } from "./journey.mjs";
import { pageKinds, allPages, pageKindChecks, overflowEverywhere } from
    "./pages.mjs";
import { keyboardChecks, layoutShiftChecks, printChecks, notFoundChecks,
    diskChecks, rangeChecks, lineChecks } from "./checks.mjs";

const PREFIX = "/sub/path/";
const WORD = "网格";
/* Found in the longest place of the content: 通辽经济技术开发区. */
const LONG_PLACE = "开发区";
/* A cell of the home page's chart: three articles of the content. */
const CHART_CELL = ["内蒙古自治区", "大党委与区域化党建"];
const LIMIT_MS = 540000;

function siteTitle(site) {
	const m = readFileSync(path.join(site, "content/site.yaml"), "utf8")
	    .match(/^title:\s*(.+)$/m);
	return m ? m[1].trim() : "";
}

async function main() {
	const [jiceng, site, shots] = process.argv.slice(2);
	if (!jiceng || !site || !shots) {
		console.error("usage: node suite.mjs JICENG SITE_DIR SCREENSHOT_DIR");
		process.exit(2);
	}
	const out = path.resolve(site, "out");
	const log = { requests: [], errors: [], allow: null };
	const diskLog = { requests: [], errors: [],
	    allow: pathToFileURL(out + path.sep).href };
	let server = null, browser = null;

	try {
		server = await startServer(out, PREFIX);
		const base = server.base;
		log.allow = base;
		execFileSync(jiceng, ["build", "-C", site, "-o", "out",
		    "--base-url", base], { stdio: ["ignore", "ignore", "inherit"],
		    timeout: 60000 });
		browser = await launch();
		const kinds = pageKinds(out, WORD);
		const article = kinds.find((k) => k.kind === "article").path;

		await step("reader journey", 60000, async () => {
			const page = await openPage(browser, DESKTOP, "light", log);
			await readerJourney(page, base, siteTitle(site));
			await searchJourney(page, base, article, WORD);
			await chartJourney(page, base, CHART_CELL[0], CHART_CELL[1],
			    "chart");
			await closePage(page);
		});
		for (const size of [DESKTOP, PHONE]) {
			await step(`contents journey at ${size.name} width`, 60000,
			    async () => {
				const page = await openPage(browser, size, "light", log);
				await contentsJourney(page, base,
				    `contents at ${size.name} width`);
				await closePage(page);
			    });
		}
		for (const size of [DESKTOP, PHONE]) {
			await step(`collation note at ${size.name} width`, 60000,
			    async () => {
				const page = await openPage(browser, size, "light", log);
				await collationJourney(page, base,
				    `articles/${encodeURIComponent("新乡市红旗区")}/`,
				    `collation at ${size.name} width`);
				await closePage(page);
			    });
		}
		await step("search by ranges", 60000, () =>
		    rangeChecks(browser, server, WORD, log));
		await step("lines", 60000, () => lineChecks(browser, base,
		    allPages(out).filter((p) => p.startsWith("articles/")).concat(
		    `search/?q=${encodeURIComponent(LONG_PLACE)}`), log));
		await step("keyboard", 60000, () => keyboardChecks(browser, base, log));
		await step("layout shift", 60000, () => layoutShiftChecks(browser, base,
		    [["home", ""], ["article", article],
		    ["search", `search/?q=${encodeURIComponent(WORD)}`]], log));
		await step("print", 30000, () => printChecks(browser, base, article, log));
		await step("404 page", 30000, () => notFoundChecks(browser, base, log));
		await pageKindChecks(browser, base, kinds, shots, log);
		await overflowEverywhere(browser, base, allPages(out), log);
		await step("site from disk", 60000, () =>
		    diskChecks(browser, out, WORD, CHART_CELL, diskLog));

		const outside = new Set(log.requests.filter((u) => !u.startsWith(base)));
		expect(log.requests.length > 0 && outside.size === 0,
		    `all ${log.requests.length} requests went to the local server below ${PREFIX}`,
		    [...outside].slice(0, 10).join("\n"));
		const stray = server.requests.filter((u) => !u.startsWith(PREFIX));
		expect(stray.length === 0, "the server saw no request outside the sub-path",
		    stray.slice(0, 10).join("\n"));
		expect(log.errors.length === 0, "no script errors or console errors",
		    [...new Set(log.errors)].slice(0, 10).join("\n"));
	} catch (err) {
		notOk("browser suite could not run", err && err.stack ? err.stack : err);
	} finally {
		if (browser)
			await browser.close().catch(() => {});
		if (server)
			await server.close();
	}
}

/* However the browser hangs, the suite ends and says so. */
const watchdog = setTimeout(() => {
	notOk(`browser suite still running after ${LIMIT_MS / 1000} s`);
	process.exit(1);
}, LIMIT_MS);
await main();
clearTimeout(watchdog);
process.exit(failed() ? 1 : 0);
