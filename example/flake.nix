{
  description = "Procurator reference cluster: a web front end and an API, as microVMs";

  # No inputs on purpose: the flake evaluates and builds offline and never writes a flake.lock.
  outputs = { self }:
    let
      system = "x86_64-linux";

      # The cluster model and the guest kit, shipped with the example so the folder works when pushed on its own
      # (byte-identical copies of procurator's nix/lib/cluster.nix and nix/lib/microvm.nix; see README.md).
      cluster = import ./lib/cluster.nix;

      # Guests without nixpkgs: a Debian kernel, a busybox initramfs and busybox httpd, in the NixOS
      # `system.build.toplevel` layout a worker boots. The kernel is read from this directory while building (on
      # the machine running the CI): `./procurator up --demo` fills it, or `nix/guest/fetch-kernel.sh <dir>`.
      kit = import ./lib/microvm.nix { kernelDir = "/var/cache/procurator/guest-kernel"; };

      # What every VM of this cluster checks: busybox httpd answers /health with 200 "ok" once the guest is up.
      # Probes start at boot (every 200 ms until the first pass); failures count after initialDelay.
      httpHealth = {
        type = "http"; port = 80; path = "/health";
        interval = 2; timeout = 1; retries = 3; initialDelay = 10;
      };

      clusterOutputs = cluster.outputs {
        vms = {
          web = {
            role = "web";
            cpu = 0.5;   # a share of a core, for packing: the whole example fits on a 2-core worker
            memory = { amount = 128; unit = "MB"; };
            replicas = 2;
            ports = [ 80 ];
            deployment = {
              backend = "qemu";
              healthChecks = [ httpHealth ];
              # One replica at a time; each must stay healthy 2 s before the next is replaced.
              strategy = {
                type = "rolling"; maxParallel = 1;
                minHealthyTime = 2; healthyDeadline = 60; progressDeadline = 120;
              };
            };
            # On a NixOS host this is `nixpkgs.lib.nixosSystem { ... }`; here, a closure of the guest kit.
            system = kit.httpService { name = "web"; body = "hello from web, version 1"; };
          };

          api = {
            role = "api";
            cpu = 0.5;
            memory = { amount = 128; unit = "MB"; };
            ports = [ 80 ];
            deployment = {
              backend = "qemu";
              healthChecks = [ httpHealth ];
              # A new version starts beside the old one and waits for `procurator deploy promote api`.
              strategy = {
                type = "canary"; canaryReplicas = 1; autoPromote = false;
                minHealthyTime = 2; healthyDeadline = 60; progressDeadline = 120;
              };
            };
            system = kit.httpService { name = "api"; body = "api, version 1"; };
          };
        };
      };
    in
    {
      # The desired state the CI service evaluates (`nix eval --json .#blueprintJSON`) and the VMs' systems it builds
      # (`nixosConfigurations.<vm>.config.system.build.toplevel`).
      inherit (clusterOutputs) blueprintJSON nixosConfigurations;

      # `nix flake check` builds this: the blueprint must evaluate and serialise, or the check fails.
      checks.${system}.blueprint = derivation {
        inherit system;
        name = "procurator-blueprint";
        builder = "/bin/busybox";
        args = [ "sh" "-c" "/bin/busybox cat > $out <<'JSON'\n${builtins.toJSON self.blueprintJSON}\nJSON" ];
      };
    };
}
