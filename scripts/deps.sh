#!/bin/sh
# Makes sure the compiler and the libraries jiceng builds against are
# installed, then prints the compiler and linker flags for them as make
# variables.
#
# Usage: scripts/deps.sh [MODULE:PACKAGE ...]
# With no argument it checks what `make` needs: a C compiler ($CC, else
# cc) with the C library's headers, pkg-config, and the libraries.  As
# root it installs what is missing with apt-get; otherwise it prints the
# exact command and fails.
set -eu

default="pkg-config:pkg-config libcmark:libcmark-dev yaml-0.1:libyaml-dev
libutf8proc:libutf8proc-dev jansson:libjansson-dev
libmicrohttpd:libmicrohttpd-dev libxxhash:libxxhash-dev cmocka:libcmocka-dev"
missing=""
if [ $# -eq 0 ]; then
	set -- $default
	# A minimal Debian has neither; gcc only recommends the headers.
	command -v "${CC:-cc}" >/dev/null 2>&1 || missing="$missing gcc"
	[ -f /usr/include/stdio.h ] || missing="$missing libc6-dev"
fi

modules=""
for pair in "$@"; do
	module=${pair%%:*}
	package=${pair#*:}
	if [ "$module" = pkg-config ]; then
		command -v pkg-config >/dev/null 2>&1 || missing="$missing $package"
		continue
	fi
	modules="$modules $module"
	if ! command -v pkg-config >/dev/null 2>&1 ||
	    ! pkg-config --exists "$module"; then
		missing="$missing $package"
	fi
done

if [ -n "$missing" ]; then
	if [ "$(id -u)" = 0 ]; then
		echo "deps: installing$missing" >&2
		export DEBIAN_FRONTEND=noninteractive
		apt-get update -qq >&2
		apt-get install -y -qq --no-install-recommends $missing >&2
	else
		echo "deps: missing packages; run as root:" >&2
		echo "  apt-get install -y$missing" >&2
		exit 1
	fi
fi

# The test framework is linked into the tests only.
app=$(echo $modules | tr ' ' '\n' | grep -v '^cmocka$' | tr '\n' ' ')
echo "DEP_CFLAGS = $(pkg-config --cflags $modules)"
echo "DEP_LIBS = $(pkg-config --libs $app)"
echo "TEST_LIBS = $(pkg-config --libs cmocka 2>/dev/null || true)"
