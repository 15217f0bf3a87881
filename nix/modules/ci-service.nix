# services.procurator.ci-service: pipelines run `git` and `nix` (flake check, eval, build, copy to the cache). On
# NixOS, `nix` talks to the host's Nix daemon, which builds in its sandbox and owns the store; the service is an
# ordinary client of it (every user is an allowed user by default, `nix.settings.allowed-users = [ "*" ]`).
{ config, lib, pkgs, ... }:
let
  inherit (lib) mkIf mkOption types;
  cfg = config.services.procurator.ci-service;
in
{
  imports = [ (import ./lib/service.nix "ci-service") ];

  options.services.procurator.ci-service.trustedNixUser = mkOption {
    type = types.bool;
    default = false;
    description = ''
      Whether to make the service a trusted user of the Nix daemon (`nix.settings.trusted-users`), so pipelines may
      set any Nix option, e.g. a flake's `nixConfig` substituters. A trusted user is as powerful as root on the
      host: leave it off unless pipelines need it. Builds, evaluation and pushes to the cache work without it.
    '';
  };

  config = mkIf cfg.enable {
    assertions = [
      {
        assertion = config.nix.enable;
        message = "services.procurator.ci-service runs its pipelines through the Nix daemon: it needs nix.enable = true.";
      }
    ];

    systemd.services.procurator-ci-service.path = [ config.nix.package pkgs.git ];

    # Naming root keeps it trusted: a definition replaces the option's default ([ "root" ]).
    nix.settings.trusted-users = mkIf cfg.trustedNixUser [ "root" "procurator-ci-service" ];
  };
}
