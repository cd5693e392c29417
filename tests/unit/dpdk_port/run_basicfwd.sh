#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
#
# DPDK's own examples/skeleton/basicfwd.c (Debian's dpdk-doc, used from
# /usr/share/dpdk/examples, never copied into this tree) ported to vfnet by
# tools/dpdk-to-vfnet alone: converted in a temporary directory, compiled
# against libvfnet.pc of a `meson install` into a temporary DESTDIR, and
# run on two null ports; basicfwd_watch.c, linked beside it, checks from a
# thread that packets are forwarded both ways; examples/helloworld is
# ported and run the same way.  TAP output.
#
# usage: run_basicfwd.sh SOURCE_ROOT BUILD_ROOT SANITIZE(b_sanitize value)
set -u
src_root=$1 build_root=$2 sanitize=${3:-none}
here=$src_root/tests/unit/dpdk_port
. "$src_root/tests/lib/vfn_tap.sh"

example=${DPDK_EXAMPLES:-/usr/share/dpdk/examples}/skeleton/basicfwd.c
if [ ! -f "$example" ]; then
	tap_skip "basicfwd.c ported by tools/dpdk-to-vfnet" \
		"$example missing: install dpdk-doc (tools/setup-deps)"
	tap_done
	exit $?
fi
tmp=$(mktemp -d /tmp/vfn_basicfwd.XXXXXX)
trap 'rm -rf "$tmp"' EXIT INT TERM

tap_check "meson install into a temporary DESTDIR" \
	env DESTDIR="$tmp/inst" meson install -C "$build_root" --no-rebuild \
	--quiet --skip-subprojects || { tap_done; exit $?; }
pc=$(find "$tmp/inst" -name libvfnet.pc | head -n 1)
inc=$(find "$tmp/inst" -name vfn_ethdev.h | head -n 1)
libdir=$(dirname "$(dirname "$pc")")
export PKG_CONFIG_PATH="$(dirname "$pc")" PKG_CONFIG_SYSROOT_DIR="$tmp/inst"

cp "$example" "$tmp/basicfwd.c"
tap_check "tools/dpdk-to-vfnet converts basicfwd.c" \
	"$src_root/tools/dpdk-to-vfnet" -I "$(dirname "$inc")" -i "$tmp/basicfwd.c"
left=$(grep -n 'rte_\|RTE_' "$tmp/basicfwd.c")
if [ -z "$left" ]; then
	tap_ok "no rte_/RTE_ name left"
else
	tap_fail "no rte_/RTE_ name left" "$(echo "$left" | head -n 1)"
fi

cflags="-O2 -Wall -Werror"
[ "$sanitize" = none ] || cflags="$cflags -fsanitize=$sanitize"
# shellcheck disable=SC2046,SC2086
tap_check "basicfwd.c compiles and links with libvfnet.pc, no hand edit" \
	cc $cflags "$tmp/basicfwd.c" -o "$tmp/basicfwd" \
	$(pkg-config --cflags --libs libvfnet) || { tap_done; exit $?; }
# shellcheck disable=SC2046,SC2086
tap_check "basicfwd.c links with the forwarding watcher" \
	cc $cflags "$tmp/basicfwd.c" "$here/basicfwd_watch.c" \
	-I"$(dirname "$inc")" -o "$tmp/basicfwd_watched" -pthread \
	$(pkg-config --cflags --libs libvfnet) || { tap_done; exit $?; }

tap_check "basicfwd forwards between net_null0 and net_null1" \
	env LD_LIBRARY_PATH="$libdir" timeout 60 "$tmp/basicfwd_watched" \
	-l 0 --no-huge -m 64 --no-pci --file-prefix vfn_basicfwd \
	--vdev net_null0 --vdev net_null1

# examples/helloworld too: per-lcore variables, remote launch on workers
hello=$(dirname "$example")/../helloworld/main.c
if [ -f "$hello" ]; then
	cp "$hello" "$tmp/hello.c"
	"$src_root/tools/dpdk-to-vfnet" -I "$(dirname "$inc")" -i "$tmp/hello.c"
	# shellcheck disable=SC2046,SC2086
	tap_check "helloworld.c converts, compiles and links" \
		cc $cflags "$tmp/hello.c" -o "$tmp/hello" \
		$(pkg-config --cflags --libs libvfnet)
	out=$(env LD_LIBRARY_PATH="$libdir" timeout 60 "$tmp/hello" -l 0-1 \
		--no-huge -m 32 --no-pci --file-prefix vfn_hello 2>&1)
	if echo "$out" | grep -q "hello from core 0" &&
	   echo "$out" | grep -q "hello from core 1"; then
		tap_ok "helloworld says hello from lcores 0 and 1"
	else
		tap_fail "helloworld says hello from lcores 0 and 1" "$out"
	fi
fi
tap_done
exit $?
