{
  description = "Procurator reference cluster: a web front end and its database, as two microVMs";

  # No inputs on purpose: the flake evaluates and builds offline and never writes a flake.lock.
  outputs = { self }:
    let
      system = "x86_64-linux";

      # The cluster model, shipped with the example so the folder works when pushed on its own
      # (a byte-identical copy of procurator's nix/lib/cluster.nix; see README.md).
      cluster = import ./lib/cluster.nix;

      # A real derivation without nixpkgs: the statically linked busybox is the whole toolchain.
      hello = derivation {
        inherit system;
        name = "procurator-hello";
        builder = "/bin/busybox";
        args = [ "sh" "-c" ''
          /bin/busybox mkdir -p $out/bin
          /bin/busybox printf '#!/bin/busybox sh\necho "hello from procurator"\n' > $out/bin/hello
          /bin/busybox chmod +x $out/bin/hello
        '' ];
      };
    in
    {
      # The desired state the CI service evaluates (`nix eval --json .#blueprintJSON`).
      blueprintJSON = cluster {
        vms = {
          web = {
            role = "web";
            cpu = 2;
            memory = { amount = 1; unit = "GB"; };
            labels = [ "frontend" ];
            replicas = 2;
            deployment = {
              healthChecks = [
                { type = "http"; port = 8080; path = "/health"; interval = 10; timeout = 3; }
              ];
              strategy = { type = "rolling"; maxParallel = 1; };
            };
          };

          db = {
            role = "database";
            cpu = 1;
            memory = { amount = 512; unit = "MB"; };
            labels = [ "storage" ];
            deployment = {
              backend = "qemu";
              healthChecks = [ { type = "tcp"; port = 5432; interval = 5; timeout = 2; retries = 5; } ];
              # A database is not rolled back blindly: a failed upgrade needs a human look at its data.
              autoRollback = false;
              strategy = { type = "blue-green"; };
            };
          };
        };
      };

      packages.${system} = {
        inherit hello;
        default = hello;
      };

      # `nix flake check` builds this: the blueprint must evaluate and serialise, or the check fails.
      checks.${system}.blueprint = derivation {
        inherit system;
        name = "procurator-blueprint";
        builder = "/bin/busybox";
        args = [ "sh" "-c" "/bin/busybox cat > $out <<'JSON'\n${builtins.toJSON self.blueprintJSON}\nJSON" ];
      };
    };
}
