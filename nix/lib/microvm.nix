# Procurator's guest kit: bootable microVM closures in the NixOS `system.build.toplevel` layout, without nixpkgs.
#
#   let kit = import ./nix/lib/microvm.nix { kernelDir = "/var/cache/procurator/guest-kernel"; }; in
#   kit.httpService { name = "web-v1"; body = "hello from v1"; }
#
# `kernelDir` is a directory made by `nix/guest/fetch-kernel.sh <dir>` (a Debian kernel: `vmlinux`, `modules/`,
# `version`). It is a path *string* that the busybox builder reads while building (the platform runs Nix with
# `sandbox = false`, shared notes/nix.md), so the 65 MB kernel is not hashed at every evaluation, and a flake can
# name it in pure evaluation (as the CI evaluates), where reading a file outside the flake is forbidden. Give
# `kernelVersion` (an impure evaluation can read it: `builtins.readFile "${kernelDir}/version"`) to put the kernel
# release into the kernel's store path, so another kernel gives other store paths; without it the release is
# only written into `<kernel>/version` at build time, and a host keeps the kernel it built first. The builder is
# the host's static busybox (`busybox`, default /bin/busybox), which is also copied into the guest.
#
# Every closure built here has what a worker agent boots (shared DESIGN.md: `kernel` + `initrd` with
# `init=<closure>/init` and the closure's `kernel-params`):
#
#   kernel          symlink to the uncompressed vmlinux (PVH boot on `qemu-system-x86_64 -M microvm`)
#   initrd          a busybox initramfs: static busybox, the virtio/ACPI modules, a stage-1 /init, followed by a
#                   second cpio archive holding this closure's own files at their store path (the guest has no
#                   /nix/store of its own, so stage 1 finds `<closure>/init` in memory and execs it, as NixOS's
#                   stage 1 execs the `init=` it is given)
#   kernel-params   "console=ttyS0 panic=-1 quiet" (the agent adds init= and its clock options)
#   init            stage 2: networking (eth0 10.0.2.15/24 via 10.0.2.2, QEMU's user-mode network, unless the
#                   kernel command line has a static `ip=<client>::<gateway>:<netmask>::eth0:off`),
#                   ACPI power button -> `poweroff -f` (so QMP system_powerdown and cloud-hypervisor's
#                   vm.power-button shut it down cleanly), then busybox httpd
#   www/            what httpd serves: `index.html` (the body) and, when healthy, `health` ("ok")
#
# `httpService { name, body, healthy ? true, port ? 80 }`:
#   - healthy = true: GET /health answers 200 "ok", GET / answers `body`;
#   - healthy = false: the guest boots and serves / but /health answers 404: a closure that fails its check.
# Two healthy closures with different bodies are two versions of one service (a replacement); a broken one
# exercises rollback. The kernel and the base initramfs are shared by every closure of one kit, so only a few
# kilobytes differ between versions.
{ kernelDir
, kernelVersion ? null
, busybox ? "/bin/busybox"
, system ? "x86_64-linux"
}:
let
  build = name: script: env: derivation ({
    inherit name system;
    builder = busybox;
    args = [ "sh" "-euc" script ];
    PATH = "/bin:/usr/bin";
  } // env);

  release = if kernelVersion == null then "" else "-" + builtins.replaceStrings [ "\n" ] [ "" ] kernelVersion;

  kernel = build "guest-kernel${release}" ''
    if [ ! -s ${kernelDir}/vmlinux ] || [ ! -s ${kernelDir}/version ]; then
      echo "procurator guest kit: no kernel in ${kernelDir}: run nix/guest/fetch-kernel.sh ${kernelDir}" >&2
      exit 1
    fi
    ${busybox} mkdir -p $out
    ${busybox} cp ${kernelDir}/vmlinux $out/vmlinux
    ${busybox} cp -r ${kernelDir}/modules $out/modules
    ${busybox} cp ${kernelDir}/version $out/version
  '' { };

  # Stage 1: load the modules (dependencies first), then exec the init= the kernel command line names.
  stage1 = ''
    #!/bin/busybox sh
    /bin/busybox mkdir -p /proc /sys /dev /tmp /run
    /bin/busybox mount -t proc proc /proc
    /bin/busybox mount -t sysfs sysfs /sys
    /bin/busybox mount -t devtmpfs devtmpfs /dev
    export PATH=/bin
    for module in $(cat /lib/modules/order); do insmod /lib/modules/$module; done
    for word in $(cat /proc/cmdline); do
      case "$word" in init=*) init="''${word#init=}" ;; esac
    done
    if [ -z "''${init:-}" ] || [ ! -x "$init" ]; then
      echo "procurator stage 1: no executable init= on the command line (got '$init')"
      exec sh
    fi
    exec "$init"
  '';

  baseInitrd = build "guest-initrd-base${release}" ''
    b=${busybox}
    $b mkdir -p root/bin root/lib/modules root/etc $out
    $b cp $b root/bin/busybox
    for applet in $($b --list); do
      [ "$applet" = busybox ] || $b ln -s busybox root/bin/$applet
    done
    $b cp ${kernel}/modules/* root/lib/modules/
    printf '%s' "$stage1" > root/init
    $b chmod 755 root/init
    echo 'root:x:0:0:root:/:/bin/sh' > root/etc/passwd
    cd root
    $b find . | $b cpio -o -H newc | $b gzip -1 > $out/initrd
  '' { inherit stage1; };

  stage2 = port: ''
    #!/bin/sh
    # Stage 2 of a Procurator test guest: network, power button, httpd.
    export PATH=/bin
    self=$(dirname "$0")
    # The kernel's static ip=<client>::<gateway>:<netmask>::<device>:off when the host gives one (tap networking,
    # cloud-hypervisor's host-only link); QEMU's user-mode network otherwise.
    client=10.0.2.15; netmask=255.255.255.0; gateway=10.0.2.2
    for word in $(cat /proc/cmdline); do
      case "$word" in
        ip=*::*)
          spec="''${word#ip=}"; client="''${spec%%:*}"; rest="''${spec#*::}"
          gateway="''${rest%%:*}"; rest="''${rest#*:}"; netmask="''${rest%%:*}" ;;
      esac
    done
    hostname "$(cat $self/name)"
    ip link set lo up
    ifconfig eth0 "$client" netmask "$netmask" up
    [ -z "$gateway" ] || route add default gw "$gateway"
    mkdir -p /etc/acpi/PWRF
    printf '#!/bin/sh\necho "procurator-guest: power button, shutting down"\npoweroff -f\n' > /etc/acpi/PWRF/00000080
    chmod 755 /etc/acpi/PWRF/00000080
    acpid -l /dev/console   # its default log, /var/log/acpid.log, has no directory here
    httpd -p ${toString port} -h "$self/www"
    echo "procurator-guest: $(cat $self/name) serving http on port ${toString port} at $client"
    while true; do sleep 3600; done
  '';

  httpService = { name, body, healthy ? true, port ? 80 }: build name ''
    b=${busybox}
    $b mkdir -p $out/www
    $b ln -s ${kernel}/vmlinux $out/kernel
    printf '%s\n' "$body" > $out/www/index.html
    ${if healthy then "echo ok > $out/www/health" else ": no /health: this closure fails its check"}
    printf '%s' "$stage2" > $out/init
    $b chmod 755 $out/init
    echo ${name} > $out/name
    echo -n "console=ttyS0 panic=-1 quiet" > $out/kernel-params
    # This closure's own files at their store path, appended to the base initramfs as a second archive.
    $b mkdir -p own$out
    $b cp -r $out/www $out/init $out/name own$out/
    (cd own && $b find . | $b cpio -o -H newc | $b gzip -1) > own.cpio.gz
    $b cat ${baseInitrd}/initrd own.cpio.gz > $out/initrd
  '' { inherit body; stage2 = stage2 port; };
in
{
  inherit kernel baseInitrd httpService;
}
