/*
 * Chromium for the suite: Debian's build driven by playwright-core, with
 * no network beyond the pages it is given.  Every page opened through
 * openPage() records the addresses it requests and the script errors it
 * meets, so the suite can check nothing came from another host.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

/*
 * The npm packages live in build/node, outside this folder's lookup path.
 * (A URL, not import.meta.dirname: that needs Node 20.11, and Debian 12
 * has Node 18.)
 */
const nodeModules = process.env.JICENG_NODE_MODULES ||
    fileURLToPath(new URL("../../build/node/node_modules", import.meta.url));
export const requireTool = createRequire(nodeModules + "/");

const { chromium } = requireTool("playwright-core");
/* Axe's own script, run in each page the way its Playwright wrapper does. */
const AXE_SOURCE = readFileSync(requireTool.resolve("axe-core/axe.min.js"),
    "utf8");

export const CHROMIUM = process.env.CHROME_PATH || "/usr/bin/chromium";

/*
 * Playwright gives each launch a fresh temporary profile (its own
 * --user-data-dir, removed on close) and adds --headless itself; it
 * refuses a --user-data-dir among the arguments.
 */
export const FLAGS = [
	"--no-sandbox",
	"--disable-gpu",
	"--disable-background-networking",
	"--disable-component-update",
	"--disable-sync",
	"--no-first-run",
	"--disable-default-apps",
	"--disable-extensions",
];

export const PHONE = { name: "phone", width: 390, height: 844, mobile: true };
export const DESKTOP = { name: "desktop", width: 1280, height: 800, mobile: false };

export const AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa",
    "wcag22aa", "best-practice"];

export function launch() {
	return chromium.launch({
		executablePath: CHROMIUM,
		headless: true,
		args: FLAGS,
		timeout: 30000,
	});
}

/*
 * A page in a context of its own at the given size and colour scheme.
 * log.requests collects the address of every request and log.errors
 * every script error or console error, for all pages of the run; only
 * addresses starting with log.allow reach the network.
 */
export async function openPage(browser, size, scheme, log) {
	const context = await browser.newContext({
		viewport: { width: size.width, height: size.height },
		deviceScaleFactor: 1,
		isMobile: size.mobile,
		hasTouch: size.mobile,
		colorScheme: scheme,
		reducedMotion: "reduce",
	});
	context.setDefaultTimeout(10000);
	context.setDefaultNavigationTimeout(15000);
	context.on("request", (r) => log.requests.push(r.url()));
	/* Recorded above, then kept off the network so runs stay hermetic. */
	await context.route((url) => !url.href.startsWith(log.allow),
	    (route) => route.abort());
	const page = await context.newPage();
	page.on("pageerror", (e) => log.errors.push(`${page.url()}: ${e.message}`));
	page.on("console", (m) => {
		/* A missing page's own status is the 404 checks' business. */
		if (m.type() === "error" && m.location().url !== page.url())
			log.errors.push(`${page.url()}: console: ${m.text()} ` +
			    `(${m.location().url})`);
	});
	return page;
}

export async function closePage(page) {
	await page.context().close();
}

/*
 * Axe's violations on the page as one line each, empty when clean.  The
 * script is evaluated rather than added as a tag, so that no page's
 * content security policy can keep it out.
 */
export async function axeViolations(page) {
	await page.evaluate(AXE_SOURCE);
	const result = await page.evaluate((tags) => window.axe.run(document,
	    { runOnly: { type: "tag", values: tags } }), AXE_TAGS);

	return result.violations.map((v) => `${v.id} (${v.impact}): ` +
	    v.nodes.slice(0, 4).map((n) => n.target.join(" ")).join(", ") +
	    (v.nodes.length > 4 ? `, and ${v.nodes.length - 4} more` : ""));
}

/*
 * Whether the page is wider than its viewport; detail names the
 * elements that stick out on the right.
 */
export async function overflow(page) {
	return page.evaluate(() => {
		/* A phone widens innerWidth to fit content that overflows (and
		 * zooms out); the initial containing block keeps the device's. */
		const width = Math.min(window.innerWidth,
		    document.documentElement.clientWidth);
		const scroll = document.scrollingElement.scrollWidth;
		let wide = [];

		/* The innermost elements whose box or content passes the edge. */
		if (scroll > width) {
			const sticking = [...document.body.querySelectorAll("*")]
			    .filter((e) => {
				const r = e.getBoundingClientRect();
				return Math.max(r.right, r.left + e.scrollWidth) > width + 0.5;
			    });
			wide = sticking.filter((e) =>
			    !sticking.some((f) => f !== e && e.contains(f)))
			    .slice(0, 6).map((e) => {
				const r = e.getBoundingClientRect();
				const name = e.tagName.toLowerCase() +
				    (typeof e.className === "string" && e.className ?
				    "." + e.className.split(" ")[0] : "");
				return `${name} "${e.textContent.trim().slice(0, 12)}" ` +
				    `ends at ${Math.round(Math.max(r.right, r.left + e.scrollWidth))}`;
			    });
		}
		return { width, scroll, wide };
	});
}

/* The heading and title of the page, for the journey's assertions. */
export async function headings(page) {
	return page.evaluate(() => ({
		title: document.title,
		h1: (document.querySelector("h1") || {}).textContent || "",
	}));
}
