#!/usr/bin/env bash
# Imports a minimal `node` base image made from this machine's own node binary, the
# libraries `ldd` lists for it and for the native addons of the installed packages (vitest's
# bundler loads one, linked against librt, which node itself does not need), and busybox for
# a shell — for machines that reach no image registry. Prints the image name. Users with a
# registry use the official image.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
node_bin="$(readlink -f "$(command -v node)")"
addons="$(find "$root/node_modules" -name '*.node' -type f 2>/dev/null || true)"
# shellcheck disable=SC2086
libs="$(for binary in "$node_bin" $addons; do ldd "$binary" 2>/dev/null | grep -oE '/[^ ]+' || true; done | sort -u)"
# Named by what it holds: another set of libraries makes another image.
image="localhost/authconform-node:$(node --version)-$(printf '%s' "$libs" | sha256sum | cut -c1-8)"
if podman image exists "$image"; then
  echo "$image"
  exit 0
fi

rootfs="$(mktemp -d)"
trap 'rm -rf "$rootfs" "$rootfs.tar"' EXIT
mkdir -p "$rootfs"/{bin,usr/local/bin,etc,tmp,home/node,app}
chmod 1777 "$rootfs/tmp"
cp "$node_bin" "$rootfs/usr/local/bin/node"
# The dynamic loader and every library node and the addons link against, at the same paths.
for lib in $libs; do
  mkdir -p "$rootfs$(dirname "$lib")"
  cp -L "$lib" "$rootfs$lib"
done
cp "$(command -v busybox)" "$rootfs/bin/busybox"
for applet in sh ls cat env id rm tar wget; do ln -s busybox "$rootfs/bin/$applet"; done
# The same non-root user (uid 1000) as the official node images.
printf 'root:x:0:0:root:/root:/bin/sh\nnode:x:1000:1000::/home/node:/bin/sh\n' >"$rootfs/etc/passwd"
printf 'root:x:0:\nnode:x:1000:\n' >"$rootfs/etc/group"
chown 1000:1000 "$rootfs/home/node"
tar -C "$rootfs" -cf "$rootfs.tar" .
podman import --quiet \
  --change 'ENV PATH=/usr/local/bin:/bin' \
  --change 'CMD ["node"]' \
  "$rootfs.tar" "$image" >/dev/null
echo "$image"
