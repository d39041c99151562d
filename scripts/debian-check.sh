#!/bin/sh
# Proves the README's promise on a Debian 12 machine with nothing on it:
# makes a minimal bookworm root with debootstrap (no compiler, no Node, no
# Chromium, no make), copies a clean clone of this repository's current
# commit into it, and runs there, as root, what the README tells a
# newcomer to run: apt-get install make, then make, then make test, then
# make test again (which must compile nothing).  Takes a quarter of an
# hour or more and downloads about 400 MB; not part of `make test`.
#
# Usage: sudo sh scripts/debian-check.sh
# MIRROR picks the Debian mirror (default deb.debian.org); KEEP=1 keeps
# the root (its path is printed).  debootstrap's downloads are kept in
# /var/cache/jiceng-debootstrap for the next run.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
mirror=${MIRROR:-http://deb.debian.org/debian}
cache=/var/cache/jiceng-debootstrap

say() {
	echo "debian-check: $*" >&2
}

if [ "$(id -u)" != 0 ]; then
	say "must run as root (debootstrap, mount, chroot)"
	exit 2
fi
if ! command -v debootstrap >/dev/null 2>&1; then
	say "needs debootstrap: apt-get install -y debootstrap"
	exit 2
fi
root=$(mktemp -d /var/tmp/jiceng-debian.XXXXXX)
# It becomes /: apt's own user must be able to walk through it.
chmod 755 "$root"
mounted=""

# Unmounts what was bound into the root, and removes the root only when
# nothing is mounted there any more: removing a bound /dev would remove
# the machine's.
cleanup() {
	for m in $mounted; do
		umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || true
	done
	if grep -q " $root/" /proc/mounts; then
		say "$root still has mounts; left in place"
	elif [ "${KEEP:-0}" = 1 ]; then
		say "kept $root"
	else
		rm -rf "$root"
	fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

mkdir -p "$cache"
say "debootstrap --variant=minbase bookworm $root"
if ! debootstrap --variant=minbase --cache-dir="$cache" bookworm "$root" \
    "$mirror" >"$root.log" 2>&1; then
	tail -20 "$root.log" >&2
	rm -f "$root.log"
	exit 3
fi
rm -f "$root.log"
# The sources a Debian 12 installation has, security updates included.
cat >"$root/etc/apt/sources.list" <<EOF
deb $mirror bookworm main
deb $mirror bookworm-updates main
deb http://deb.debian.org/debian-security bookworm-security main
EOF
cp /etc/resolv.conf "$root/etc/resolv.conf"
# A machine whose connections pass through an inspecting proxy trusts its
# authority here; the root must too, or npm cannot reach its registry.
if ls /usr/local/share/ca-certificates/*.crt >/dev/null 2>&1; then
	mkdir -p "$root/usr/local/share/ca-certificates"
	cp /usr/local/share/ca-certificates/*.crt \
	    "$root/usr/local/share/ca-certificates/"
fi

for m in proc dev dev/pts dev/shm; do
	mkdir -p "$root/$m"
	mount --bind "/$m" "$root/$m"
	mounted="$root/$m $mounted"
done

# A clean clone: only what is committed goes in.
git clone -q "$top" "$root/root/jiceng"
git -C "$root/root/jiceng" checkout -q "$(git -C "$top" rev-parse HEAD)"
say "in the root, as root: apt-get install make; make; make test; make test"
chroot "$root" /usr/bin/env -i HOME=/root TERM=dumb LANG=C.UTF-8 \
    PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    /bin/sh -c '
	set -e
	cd /root/jiceng
	for c in make cc gcc node chromium java; do
		if command -v $c >/dev/null; then
			echo "$c is here already: not a bare root"
			exit 1
		fi
	done
	echo "\$ apt-get install make"
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq make >/dev/null
	echo "\$ make"
	make
	echo "\$ make test"
	make test
	echo "\$ make test"
	make test
	echo "Debian $(cat /etc/debian_version), $(node --version) from \
$(dpkg-query -W -f "\${Package} \${Version}" nodejs), \
$(chromium --version 2>/dev/null)"
'
