#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
#
# doc/getting-started.md's program, as the page shows it: its C block
# extracted, compiled with `pkg-config --cflags --libs libvfnet` against a
# `meson install` into a temporary DESTDIR, and run with the page's
# command line; it must print the line the page promises.  TAP output.
#
# usage: run_getting_started.sh SOURCE_ROOT BUILD_ROOT SANITIZE(b_sanitize value)
set -u
src_root=$1 build_root=$2 sanitize=${3:-none}
page=$src_root/doc/getting-started.md
. "$src_root/tests/lib/vfn_tap.sh"
tmp=$(mktemp -d /tmp/vfn_getting_started.XXXXXX)
trap 'rm -rf "$tmp"' EXIT INT TERM

awk '/^```c$/ { f = 1; next } /^```$/ { f = 0 } f' "$page" >"$tmp/hello.c"
[ -s "$tmp/hello.c" ] && tap_ok "the page has a C program" ||
	{ tap_fail "the page has a C program" "no \`\`\`c block in $page"; tap_done; exit 1; }
lines=$(grep -c . "$tmp/hello.c")
tap_diag "hello.c: $lines non-blank lines"

tap_check "meson install into a temporary DESTDIR" \
	env DESTDIR="$tmp/inst" meson install -C "$build_root" --no-rebuild \
	--quiet --skip-subprojects || { tap_done; exit 1; }
pc=$(find "$tmp/inst" -name libvfnet.pc | head -n 1)
libdir=$(dirname "$(dirname "$pc")")
export PKG_CONFIG_PATH="$(dirname "$pc")" PKG_CONFIG_SYSROOT_DIR="$tmp/inst"

cflags="-O2 -Wall -Wextra -Werror"
[ "$sanitize" = none ] || cflags="$cflags -fsanitize=$sanitize"
# shellcheck disable=SC2046,SC2086
tap_check "cc hello.c \$(pkg-config --cflags --libs libvfnet)" \
	cc $cflags "$tmp/hello.c" -o "$tmp/hello" \
	$(pkg-config --cflags --libs libvfnet) || { tap_done; exit 1; }

# the page's command line, plus a private file prefix
out=$(cd "$tmp" && env LD_LIBRARY_PATH="$libdir" timeout 60 ./hello -l 0 \
	--no-huge --no-pci --vdev net_null0 --file-prefix vfn_hello 2>&1)
rc=$?
printf '%s\n' "$out" | sed 's/^/# /'
want="hello: port 0 received a burst of 32 packets"
if [ $rc -eq 0 ] && printf '%s\n' "$out" | grep -qx "$want"; then
	tap_ok "./hello prints what the page says"
else
	tap_fail "./hello prints what the page says" "exit $rc, no line '$want'"
fi
grep -q "$want" "$page" && tap_ok "the page quotes that line" ||
	tap_fail "the page quotes that line"
tap_done
