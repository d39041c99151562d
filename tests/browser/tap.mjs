/*
 * TAP output for the browser suite, numbered like tests/lib.sh: one
 * "ok N - name" or "not ok N - name" line per check, details as "# "
 * lines after a failure.  A check that throws or outlives its time limit
 * fails; the suite goes on with the next one.
 */

let count = 0;
let failures = 0;

function comment(text) {
	for (const line of String(text).split("\n").slice(0, 40))
		console.log("# " + line);
}

export function ok(name) {
	count++;
	console.log(`ok ${count} - ${name}`);
}

export function notOk(name, detail) {
	count++;
	failures++;
	console.log(`not ok ${count} - ${name}`);
	if (detail !== undefined)
		comment(detail);
}

/* Passes when cond is true; detail explains a failure. */
export function expect(cond, name, detail) {
	if (cond)
		ok(name);
	else
		notOk(name, detail);
	return cond;
}

function deadline(ms, name) {
	let timer;
	const p = new Promise((_, reject) => {
		timer = setTimeout(() =>
		    reject(new Error(`timed out after ${ms} ms: ${name}`)), ms);
	});
	return { p, cancel: () => clearTimeout(timer) };
}

/*
 * Runs fn, which prints its own TAP lines through ok/notOk/expect; an
 * exception or a timeout becomes one more failing line named name.
 */
export async function step(name, ms, fn) {
	const limit = deadline(ms, name);

	try {
		await Promise.race([fn(), limit.p]);
	} catch (err) {
		notOk(name, err && err.stack ? err.stack : err);
	} finally {
		limit.cancel();
	}
}

export function failed() {
	return failures;
}

export function total() {
	return count;
}
