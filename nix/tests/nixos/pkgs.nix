# Stand-ins for the nixpkgs packages the modules and the NixOS stand-in refer to: real derivations, built with the
# static busybox the platform's tests use (no nixpkgs here), so a unit's start script can be built and run.
let
  system = builtins.currentSystem;
  build = name: script: attrs: derivation ({
    inherit name system;
    builder = "/bin/busybox";
    args = [ "sh" "-c" script ];
  } // attrs);
  # A package with an empty bin directory: enough for PATH and for a unit's `path`.
  package = name: build name "/bin/busybox mkdir -p $out/bin" { };
in
{
  # trivial-builders.nix: `text` as an executable `bin/<name>`, run by the shell (here /bin/sh, on NixOS bash).
  writeShellScriptBin = name: text: build name ''
    /bin/busybox mkdir -p $out/bin
    printf '#!/bin/sh\n%s\n' "$text" > $out/bin/${name}
    /bin/busybox chmod +x $out/bin/${name}
  '' { inherit text; };

  # A JDK whose `java` reports how it was started, one `arg=` line per argument and then its environment, so a test
  # can run a unit's start script and see what the JVM would have been given.
  jdk21_headless = build "openjdk-headless-21" ''
    /bin/busybox mkdir -p $out/bin
    printf '#!/bin/sh\nfor a in "$@"; do echo "arg=$a"; done\nexec /bin/busybox env\n' > $out/bin/java
    /bin/busybox chmod +x $out/bin/java
  '' { };

  # What a host's own package of Procurator holds (nix/README.md): the runnable jars under share/procurator.
  procurator = build "procurator" ''
    /bin/busybox mkdir -p $out/share/procurator
    for m in forge ci-service cache-service control-plane worker-agent secret-manager observability; do
      echo "$m" > $out/share/procurator/$m.jar
    done
  '' { };

  nix = package "nix";
  git = package "git";
  qemu_kvm = package "qemu-host-cpu-only";
  cloud-hypervisor = package "cloud-hypervisor";
  iproute2 = package "iproute2";
}
