# A host configuration evaluated offline as `nixos-rebuild` would evaluate it, with the module-system stand-in
# (./lib), the stand-ins for NixOS's options (./nixos/options.nix) and packages (./nixos/pkgs.nix) and, unless
# `procurator = false`, the Procurator modules. Failed assertions abort the evaluation with NixOS's message.
#   nix eval --json --impure --expr 'import ./nix/tests/eval.nix {
#     configuration = { pkgs, ... }: { services.procurator = { package = pkgs.procurator; forge.enable = true; }; };
#   }' --apply 'c: c.systemd.services'
{ configuration ? { }, procurator ? true }:
let
  lib = import ./lib;
  pkgs = import ./nixos/pkgs.nix;
  evaluated = lib.evalModules {
    modules = [ ./nixos/options.nix configuration ] ++ lib.optional procurator ../modules;
    specialArgs = { inherit pkgs; };
  };
  config = evaluated.config;
  failed = map (a: a.message) (lib.filter (a: !a.assertion) config.assertions);
in
if failed != [ ] then throw "\nFailed assertions:\n${lib.concatStringsSep "\n" (map (m: "- ${m}") failed)}"
else config
