# Stand-ins for the NixOS options the Procurator modules set, declared with NixOS's names, types and defaults
# (nixos/modules/system/boot/systemd.nix and systemd-unit-options.nix, config/users-groups.nix, config/nix.nix,
# services/networking/firewall.nix, misc/assertions.nix, ...). Only the options the modules and tests use are
# declared, so a module that sets anything else fails here as it would fail on NixOS with a typo.
# Simplifications: `nix.settings` is a plain set of options here (NixOS: a submodule with a freeform type), with
# `netrc-file` and `narinfo-cache-negative-ttl` declared nullable; a unit's `path` is not extended with NixOS's
# default coreutils/findutils/gnugrep/gnused/systemd; unit names and unit values are not validated.
{ config, lib, pkgs, ... }:
let
  inherit (lib) mkIf mkMerge mkOption types;

  stringList = mkOption { type = types.listOf types.str; default = [ ]; };

  # nixos/lib/systemd-lib.nix: a unit's script as an executable of its own, run with `set -e`.
  makeJobScript = name: text: "${pkgs.writeShellScriptBin name "set -e\n${text}"}/bin/${name}";

  # systemd.services.<name>: NixOS writes `script` to an executable `<name>-start` and makes it ExecStart, and
  # puts the `path` packages' bin directories on PATH.
  serviceModule = { name, config, ... }: {
    options = {
      enable = mkOption { type = types.bool; default = true; };
      description = mkOption { type = types.str; default = ""; };
      wantedBy = stringList;
      requiredBy = stringList;
      wants = stringList;
      requires = stringList;
      after = stringList;
      before = stringList;
      bindsTo = stringList;
      partOf = stringList;
      conflicts = stringList;
      environment = mkOption {
        type = types.attrsOf (types.nullOr (types.oneOf [ types.str types.path types.package ]));
        default = { };
      };
      path = mkOption { type = types.listOf (types.oneOf [ types.package types.str ]); default = [ ]; };
      script = mkOption { type = types.lines; default = ""; };
      preStart = mkOption { type = types.lines; default = ""; };
      postStart = mkOption { type = types.lines; default = ""; };
      serviceConfig = mkOption { type = types.attrsOf unitOption; default = { }; };
      unitConfig = mkOption { type = types.attrsOf unitOption; default = { }; };
      restartIfChanged = mkOption { type = types.bool; default = true; };
      stopIfChanged = mkOption { type = types.bool; default = true; };
      restartTriggers = mkOption { type = types.listOf types.unspecified; default = [ ]; };
    };
    config = mkMerge [
      { environment.PATH = "${lib.makeBinPath config.path}:${lib.makeSearchPath "sbin" config.path}"; }
      (mkIf (config.script != "") { serviceConfig.ExecStart = makeJobScript "${name}-start" config.script; })
      (mkIf (config.preStart != "") { serviceConfig.ExecStartPre = [ (makeJobScript "${name}-pre-start" config.preStart) ]; })
      (mkIf (config.postStart != "") { serviceConfig.ExecStartPost = [ (makeJobScript "${name}-post-start" config.postStart) ]; })
    ];
  };

  # A unit's key: a list anywhere makes every definition a list and they concatenate; single values must agree.
  unitOption = types.mkOptionType {
    name = "systemd option";
    merge = loc: defs:
      let defs' = lib.filterOverrides defs; in
      if lib.any (def: lib.isList def.value) defs'
      then lib.concatMap (def: lib.toList def.value) defs'
      else lib.mergeEqualOption loc defs';
  };

  userModule = { name, ... }: {
    options = {
      name = mkOption { type = types.str; default = name; };
      description = mkOption { type = types.str; default = ""; };
      isSystemUser = mkOption { type = types.bool; default = false; };
      isNormalUser = mkOption { type = types.bool; default = false; };
      uid = mkOption { type = types.nullOr types.int; default = null; };
      group = mkOption { type = types.str; default = ""; };
      extraGroups = stringList;
      home = mkOption { type = types.path; default = "/var/empty"; };
      createHome = mkOption { type = types.bool; default = false; };
    };
  };

  groupModule = { name, ... }: {
    options = {
      name = mkOption { type = types.str; default = name; };
      gid = mkOption { type = types.nullOr types.int; default = null; };
      members = stringList;
    };
  };
in
{
  options = {
    assertions = mkOption { type = types.listOf types.unspecified; default = [ ]; };
    warnings = stringList;

    boot.kernelModules = stringList;
    environment.systemPackages = mkOption { type = types.listOf types.package; default = [ ]; };

    networking.firewall = {
      enable = mkOption { type = types.bool; default = true; };
      allowedTCPPorts = mkOption { type = types.listOf types.port; default = [ ]; };
      allowedUDPPorts = mkOption { type = types.listOf types.port; default = [ ]; };
    };

    nix = {
      enable = mkOption { type = types.bool; default = true; };
      package = mkOption { type = types.package; default = pkgs.nix; };
      settings = {
        allowed-users = mkOption { type = types.listOf types.str; default = [ "*" ]; };
        trusted-users = mkOption { type = types.listOf types.str; default = [ "root" ]; };
        substituters = mkOption { type = types.listOf types.str; };
        trusted-substituters = stringList;
        trusted-public-keys = mkOption { type = types.listOf types.str; };
        netrc-file = mkOption { type = types.nullOr types.path; default = null; };
        narinfo-cache-negative-ttl = mkOption { type = types.nullOr types.int; default = null; };
      };
    };

    services.postgresql = {
      enable = mkOption { type = types.bool; default = false; };
      ensureDatabases = stringList;
      ensureUsers = mkOption {
        type = types.listOf (types.submodule {
          options.name = mkOption { type = types.str; };
          options.ensureDBOwnership = mkOption { type = types.bool; default = false; };
        });
        default = [ ];
      };
    };

    systemd.services = mkOption { type = types.attrsOf (types.submodule serviceModule); default = { }; };

    users.users = mkOption { type = types.attrsOf (types.submodule userModule); default = { }; };
    users.groups = mkOption { type = types.attrsOf (types.submodule groupModule); default = { }; };
  };

  # What NixOS itself defines for these options on every host.
  config = {
    nix.settings = {
      substituters = lib.mkAfter [ "https://cache.nixos.org/" ];
      trusted-public-keys = [ "cache.nixos.org-1:6NCHdD59X431o0gWypbMrAURkbJ16ZPMQFGspcDShjY=" ];
    };
    users.groups = { root.gid = 0; kvm.gid = 302; nogroup.gid = 65534; };
    # nixos/modules/config/users-groups.nix checks every user this way.
    assertions = lib.concatMap (user: [
      {
        assertion = user.isNormalUser != user.isSystemUser;
        message = "Exactly one of users.users.${user.name}.isSystemUser and users.users.${user.name}.isNormalUser must be set.";
      }
      {
        assertion = user.group != "";
        message = "users.users.${user.name}.group is unset. This used to default to nogroup, but this is unsafe.";
      }
    ]) (lib.attrValues config.users.users);
  };
}
