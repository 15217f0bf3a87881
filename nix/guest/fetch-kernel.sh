#!/bin/sh
# fetch-kernel.sh <dir> — a guest kernel for Procurator's test microVMs, from Debian, offline-friendly.
#
# Procurator's tests and examples boot real NixOS-layout closures without nixpkgs (see nix/lib/microvm.nix): the
# kernel comes from Debian's `linux-image-amd64`, whose dependency names the concrete package
# (`linux-image-6.1.0-NN-amd64`). This script puts into <dir>:
#
#   vmlinux         the uncompressed kernel (ELF), extracted from the bzImage's xz stream: it boots by PVH on
#                   `qemu-system-x86_64 -M microvm`, 2.5x faster under TCG than the bzImage (shared notes/vm.md)
#   vmlinuz         the bzImage as shipped, for q35 or other loaders
#   modules/*.ko    the virtio, network-failover, rng and ACPI power-button modules the Debian kernel builds as
#                   modules, with everything they depend on (from the package's modules.dep)
#   modules/order   their file names, one a line, in an order `insmod` accepts (dependencies first)
#   version         the kernel release, e.g. 6.1.0-57-amd64
#
# Idempotent and cached: a <dir> that already holds a complete kernel (its `version` file is written last) is left
# alone, and a .deb already in <dir> or in apt's cache is used without downloading. Otherwise it runs
# `apt-get download` (Debian's registry must then be reachable; run `apt-get update` once on a fresh machine).
# Output is assembled in a temporary directory beside <dir> and renamed into place, so an interrupted run leaves
# nothing half-made. Exit status 0 on success; otherwise a message on stderr saying what is missing.
set -eu

if [ $# -ne 1 ]; then
    echo "usage: $0 <dir>" >&2
    exit 2
fi
dir=$1

if [ -s "$dir/version" ] && [ -s "$dir/vmlinux" ] && [ -s "$dir/modules/order" ]; then
    exit 0
fi

fail() {
    echo "fetch-kernel: $*" >&2
    exit 1
}

for tool in apt-cache dpkg-deb xz od; do
    command -v "$tool" >/dev/null 2>&1 || fail "needs '$tool' (a Debian or Ubuntu host with apt and xz-utils)"
done

# The concrete image package the meta-package points at, e.g. linux-image-6.1.0-57-amd64.
package=$(apt-cache depends linux-image-amd64 2>/dev/null | sed -n 's/^ *Depends: \(linux-image-[0-9].*-amd64\)$/\1/p' | head -n 1)
if [ -z "$package" ]; then
    # Fall back to an image package already downloaded into <dir>.
    package=$(ls "$dir"/linux-image-[0-9]*-amd64_*.deb 2>/dev/null | head -n 1 | sed 's#.*/\(linux-image-[^_]*\)_.*#\1#')
fi
[ -n "$package" ] || fail "cannot tell which linux-image-*-amd64 to use: 'apt-cache depends linux-image-amd64' knows none (run 'apt-get update' once)"

mkdir -p "$dir"
deb=$(ls "$dir/${package}"_*.deb /var/cache/apt/archives/"${package}"_*.deb 2>/dev/null | head -n 1 || true)
if [ -z "$deb" ]; then
    echo "fetch-kernel: downloading $package (about 70 MB) into $dir" >&2
    (cd "$dir" && apt-get download "$package" >&2) || fail "apt-get download $package failed (is Debian's package registry reachable?)"
    deb=$(ls "$dir/${package}"_*.deb | head -n 1)
fi

work=$(mktemp -d "${dir%/}.tmp.XXXXXX")
trap 'rm -rf "$work"' EXIT
dpkg-deb -x "$deb" "$work/pkg"

vmlinuz=$(ls "$work"/pkg/boot/vmlinuz-* | head -n 1)
release=${vmlinuz##*/vmlinuz-}
moddir="$work/pkg/lib/modules/$release"
[ -d "$moddir" ] || fail "$deb has no lib/modules/$release"
# The package ships no modules.dep (the installer runs depmod): make it, with kmod's depmod or busybox's.
if [ ! -s "$moddir/modules.dep" ]; then
    if command -v depmod >/dev/null 2>&1 || [ -x /sbin/depmod ]; then
        PATH="$PATH:/sbin:/usr/sbin" depmod -b "$work/pkg" "$release"
    else
        busybox depmod -b "$work/pkg" "$release"
    fi
fi

# The bzImage carries the kernel as an xz stream: find its magic (FD 37 7A 58 5A 00) and decompress from there.
offset=$(LC_ALL=C grep -obUaP '\xfd7zXZ\x00' "$vmlinuz" | head -n 1 | cut -d: -f1)
[ -n "$offset" ] || fail "no xz stream in $vmlinuz"
tail -c +"$((offset + 1))" "$vmlinuz" | xz -dc --single-stream > "$work/vmlinux" 2>/dev/null || true
head -c 4 "$work/vmlinux" | od -A n -t x1 | grep -q '7f 45 4c 46' || fail "decompressing $vmlinuz did not give an ELF vmlinux"
cp "$vmlinuz" "$work/vmlinuz"

# Modules the guest needs, in the notes' order; each is preceded by its dependencies from modules.dep.
wanted="virtio_ring virtio virtio_mmio virtio_pci_modern_dev virtio_pci_legacy_dev virtio_pci failover net_failover
virtio_net virtio-rng button evdev"
mkdir -p "$work/modules"
: > "$work/modules/order"

module_path() { # module name -> its path relative to $moddir ('-' and '_' are the same to the kernel)
    pattern=$(echo "$1" | sed 's/[-_]/[-_]/g')
    sed -n "s#^\\(\\([^:]*/\\)\\?${pattern}\\.ko\\(\\.xz\\)\\?\\):.*#\\1#p" "$moddir/modules.dep" | head -n 1
}

add_module() { # relative path; adds its dependencies first, then itself, once (`local`: it recurses)
    local rel name dep
    rel=$1
    name=$(basename "$rel" | sed 's/\.xz$//')
    grep -qx "$name" "$work/modules/order" && return 0
    for dep in $(sed -n "s#^${rel}:##p" "$moddir/modules.dep"); do
        add_module "$dep"
    done
    case "$rel" in
        *.xz) xz -dc "$moddir/$rel" > "$work/modules/$name" ;;
        *) cp "$moddir/$rel" "$work/modules/$name" ;;
    esac
    echo "$name" >> "$work/modules/order"
}

for module in $wanted; do
    rel=$(module_path "$module")
    if [ -z "$rel" ]; then
        # Built into this kernel (no .ko): nothing to load.
        grep -q "/${module}.ko$\|/$(echo "$module" | tr - _).ko$" "$moddir/modules.builtin" 2>/dev/null \
            || fail "module $module is neither in modules.dep nor built in ($release)"
        continue
    fi
    add_module "$rel"
done

echo "$release" > "$work/version.tmp"
rm -rf "$work/pkg"
if [ -d "$dir/modules" ] || [ -e "$dir/vmlinux" ]; then
    rm -rf "$dir/modules" "$dir/vmlinux" "$dir/vmlinuz" "$dir/version"
fi
mv "$work/modules" "$dir/modules"
mv "$work/vmlinuz" "$dir/vmlinuz"
mv "$work/vmlinux" "$dir/vmlinux"
mv "$work/version.tmp" "$dir/version"   # last: its presence means complete
echo "fetch-kernel: $release ready in $dir" >&2
