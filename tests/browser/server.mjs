/*
 * A small static file server for the browser suite and the Lighthouse
 * bench: it serves one folder below a path prefix (as a host serving the
 * site under a sub-path would), only on 127.0.0.1, on a free port.
 * Missing files get the folder's 404.html with status 404, folders get
 * their index.html, and a folder named without its final slash is
 * redirected, as common static hosts do.  A request for a range of a
 * file ("Range: bytes=FIRST-LAST", one range) gets that range with
 * status 206, as common hosts send it, unless ranges is turned off,
 * when it gets the whole file, as a host that ignores ranges sends it.
 *
 * As a module: startServer(root, prefix) resolves to
 * { origin, base, requests, ranges, partial, whole, close() }; base is
 * origin + prefix; ranges (true) may be set false; partial and whole
 * count the requests for a range answered with one and with the whole
 * file.
 * As a program: node server.mjs ROOT [PREFIX] prints the base address
 * on one line and serves until it is killed.
 */
import { createServer } from "node:http";
import { readFile, stat } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";

const TYPES = {
	".html": "text/html; charset=utf-8",
	".css": "text/css; charset=utf-8",
	".js": "text/javascript; charset=utf-8",
	".json": "application/json",
	".xml": "application/xml",
	".txt": "text/plain; charset=utf-8",
	".svg": "image/svg+xml",
	".png": "image/png",
	".ico": "image/x-icon",
};

/* The file a request path names below root, or null when it leaves root. */
function resolveFile(root, rest) {
	let decoded;

	try {
		decoded = decodeURIComponent(rest);
	} catch {
		return null;
	}
	if (decoded.includes("\0"))
		return null;
	const file = path.resolve(root, "." + path.posix.normalize("/" + decoded));
	if (file !== root && !file.startsWith(root + path.sep))
		return null;
	return file;
}

async function fileKind(file) {
	try {
		const s = await stat(file);
		return s.isDirectory() ? "dir" : s.isFile() ? "file" : null;
	} catch {
		return null;
	}
}

/* The [start, end) a Range header asks of size bytes, or null. */
function askedRange(header, size) {
	const m = /^bytes=(\d+)-(\d*)$/.exec(header || "");

	if (!m)
		return null;
	const start = Number(m[1]), end = m[2] === "" ? size : Number(m[2]) + 1;
	return start < end && end <= size ? [start, end] : null;
}

async function send(res, req, status, file, state) {
	let body = await readFile(file);
	const type = TYPES[path.extname(file)] || "application/octet-stream";
	const headers = { "Content-Type": type, "Cache-Control": "no-cache" };
	const asked = req.headers.range && status === 200 ?
	    askedRange(req.headers.range, body.length) : null;

	if (req.headers.range && status === 200 && state.ranges && !asked) {
		res.writeHead(416, { "Content-Range": `bytes */${body.length}` });
		return res.end();
	}
	if (state.ranges)
		headers["Accept-Ranges"] = "bytes";
	if (asked && state.ranges) {
		headers["Content-Range"] = `bytes ${asked[0]}-${asked[1] - 1}/${body.length}`;
		body = body.subarray(asked[0], asked[1]);
		status = 206;
		state.partial++;
	} else if (req.headers.range)
		state.whole++;
	res.writeHead(status, { ...headers, "Content-Length": body.length });
	res.end(req.method === "HEAD" ? undefined : body);
}

async function answer(root, prefix, req, res, state) {
	const url = new URL(req.url, "http://localhost");
	const notFound = path.join(root, "404.html");

	if (req.method !== "GET" && req.method !== "HEAD") {
		res.writeHead(405, { Allow: "GET, HEAD" });
		return res.end();
	}
	if (url.pathname + "/" === prefix) {
		res.writeHead(301, { Location: prefix + url.search });
		return res.end();
	}
	const file = url.pathname.startsWith(prefix) ?
	    resolveFile(root, url.pathname.slice(prefix.length)) : null;
	const kind = file ? await fileKind(file) : null;
	if (kind === "dir" && !url.pathname.endsWith("/")) {
		res.writeHead(301, { Location: url.pathname + "/" + url.search });
		return res.end();
	}
	if (kind === "file")
		return send(res, req, 200, file, state);
	if (kind === "dir" && await fileKind(path.join(file, "index.html")) === "file")
		return send(res, req, 200, path.join(file, "index.html"), state);
	if (await fileKind(notFound) === "file")
		return send(res, req, 404, notFound, state);
	res.writeHead(404, { "Content-Type": "text/plain" });
	res.end("not found\n");
}

export function startServer(root, prefix = "/") {
	const base = path.resolve(root);
	const requests = [];
	const state = { ranges: true, partial: 0, whole: 0 };

	if (!prefix.startsWith("/") || !prefix.endsWith("/"))
		throw new Error(`prefix must start and end with "/": ${prefix}`);
	const server = createServer((req, res) => {
		requests.push(req.url);
		answer(base, prefix, req, res, state).catch((err) => {
			if (!res.headersSent)
				res.writeHead(500, { "Content-Type": "text/plain" });
			res.end(String(err) + "\n");
		});
	});
	/* Idle keep-alive sockets must not hold the process open at the end. */
	server.keepAliveTimeout = 1000;
	return new Promise((resolve, reject) => {
		server.once("error", reject);
		server.listen(0, "127.0.0.1", () => {
			const origin = `http://127.0.0.1:${server.address().port}`;
			resolve({
				origin,
				base: origin + prefix,
				requests,
				get ranges() { return state.ranges; },
				set ranges(on) { state.ranges = on; },
				get partial() { return state.partial; },
				get whole() { return state.whole; },
				close() {
					server.closeAllConnections();
					return new Promise((done) => server.close(done));
				},
			});
		});
	});
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
	const [root, prefix = "/"] = process.argv.slice(2);

	if (!root) {
		console.error("usage: node server.mjs ROOT [PREFIX]");
		process.exit(2);
	}
	const s = await startServer(root, prefix);
	console.log(s.base);
	for (const signal of ["SIGINT", "SIGTERM"])
		process.on(signal, () => s.close().then(() => process.exit(0)));
}
