#!/bin/sh
# Installs what the test suites need beyond the build: programs from
# Debian (curl for the HTTP suites, Java for the Nu HTML checker, Node.js
# and npm for the browser tooling, Chromium for the browser tests, a
# Chinese font so that its screenshots show the text, not boxes, xmllint
# for the feed and sitemap checks, clang and its libFuzzer for the fuzz
# targets) and the npm packages pinned in tests/package-lock.json, into
# build/node.
#
# As root it installs what is missing; otherwise it prints the command.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)

missing=""
for pair in curl:curl java:default-jre-headless node:nodejs npm:npm \
    mandoc:mandoc clang:clang \
    chromium:chromium xmllint:libxml2-utils; do
	command -v "${pair%%:*}" >/dev/null 2>&1 || missing="$missing ${pair#*:}"
done
# Chromium draws Chinese with whatever font fontconfig offers for it.
if ! command -v fc-list >/dev/null 2>&1 ||
    [ -z "$(fc-list :lang=zh family 2>/dev/null)" ]; then
	missing="$missing fonts-noto-cjk"
fi
if [ -n "$missing" ]; then
	if [ "$(id -u)" = 0 ]; then
		echo "test-deps: installing$missing" >&2
		export DEBIAN_FRONTEND=noninteractive
		apt-get update -qq >&2
		apt-get install -y -qq --no-install-recommends $missing >&2
	else
		echo "test-deps: missing packages; run as root:" >&2
		echo "  apt-get install -y$missing" >&2
		exit 1
	fi
fi

# libFuzzer comes apart from clang, in the package of its version:
# looked for once clang is there.
dir=$(mktemp -d)
printf 'int LLVMFuzzerTestOneInput(const char *d, unsigned long n)'\
'{ (void)d; (void)n; return 0; }\n' >"$dir/t.c"
if ! clang -fsanitize=fuzzer -o "$dir/t" "$dir/t.c" 2>/dev/null; then
	package=libclang-rt-$(clang -dumpversion | cut -d. -f1)-dev
	if [ "$(id -u)" = 0 ]; then
		echo "test-deps: installing $package" >&2
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
		    --no-install-recommends "$package" >&2
	else
		echo "test-deps: missing libFuzzer; run as root:" >&2
		echo "  apt-get install -y $package" >&2
		rm -rf "$dir"
		exit 1
	fi
fi
rm -rf "$dir"

node_dir=$top/build/node
if ! cmp -s "$top/tests/package-lock.json" "$node_dir/package-lock.json" ||
    [ ! -d "$node_dir/node_modules" ]; then
	mkdir -p "$node_dir"
	cp "$top/tests/package.json" "$top/tests/package-lock.json" "$node_dir/"
	(cd "$node_dir" && npm ci --no-audit --no-fund --loglevel=error) >&2
fi
