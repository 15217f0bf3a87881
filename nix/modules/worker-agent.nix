# services.procurator.worker-agent: the worker host. The agent runs microVMs with QEMU (and optionally
# cloud-hypervisor), so beyond the common service it needs:
# - /dev/kvm (the CPU's KVM module loaded, the agent in the `kvm` group), /dev/net/tun and /dev/vhost-net;
# - CAP_NET_ADMIN, to create the tap devices and bridges of VMs with their own network;
# - a cgroup subtree of its own (Delegate) to put each VM's processes in;
# - VMs that outlive the agent: stopping, restarting or upgrading the agent must never stop the VMs it runs (it
#   adopts them again when it starts), hence KillMode = "process";
# - closures substituted from the platform's binary cache with its signature checked (see `substitute`).
{ config, lib, pkgs, ... }:
let
  inherit (lib) literalExpression mkDefault mkEnableOption mkIf mkOption optional types;
  procurator = import ./lib/procurator.nix { inherit lib; };
  cfg = config.services.procurator.worker-agent;
  user = "procurator-worker-agent";
in
{
  imports = [ (import ./lib/service.nix "worker-agent") ];

  options.services.procurator.worker-agent = {
    kvmModule = mkOption {
      type = types.nullOr (types.enum [ "kvm-intel" "kvm-amd" ]);
      example = "kvm-amd";
      description = ''
        The KVM module of the host's CPU, loaded at boot (`nixos-generate-config` writes the same into
        hardware-configuration.nix). null: no KVM; QEMU then emulates the CPU (TCG), many times slower.
      '';
    };

    qemuPackage = mkOption {
      type = types.package;
      default = pkgs.qemu_kvm;
      defaultText = literalExpression "pkgs.qemu_kvm";
      description = "QEMU for VMs with `backend = \"qemu\"` (on the agent's PATH).";
    };

    cloudHypervisor = {
      enable = mkEnableOption "cloud-hypervisor for VMs with `backend = \"cloud-hypervisor\"`";
      package = mkOption {
        type = types.package;
        default = pkgs.cloud-hypervisor;
        defaultText = literalExpression "pkgs.cloud-hypervisor";
        description = "The cloud-hypervisor package (on the agent's PATH).";
      };
    };

    # Substitution goes through the host's Nix daemon, which owns the store: it imports a path from an untrusted
    # client (the agent) only when it carries a signature by a key in the daemon's own `trusted-public-keys`, and it
    # ignores keys a client passes on its command line. So the cache and its key belong in `nix.settings`, which
    # also spares the agent from being a trusted user (as powerful as root).
    substitute = {
      enable = mkOption {
        type = types.bool;
        default = true;
        description = ''
          Whether the host's Nix daemon substitutes from the platform's binary cache, trusting `cachePublicKey`
          (`nix.settings.substituters` and `trusted-public-keys`). Off on a host whose CI service builds into the
          same store: the closures are already there.
        '';
      };
      url = mkOption {
        type = types.str;
        default = "${config.services.procurator.peers.cache-service}/main";
        defaultText = literalExpression ''"''${config.services.procurator.peers.cache-service}/main"'';
        description = "The binary cache's Nix URL (`http://HOST:7430/<cache>`).";
      };
      netrcFile = mkOption {
        type = types.nullOr procurator.secretFile;
        default = null;
        example = "/run/keys/procurator-cache-netrc";
        description = ''
          For a private cache: a netrc file with a `read` token as the password
          (`machine cache.example.org password pcr_...`), read by the Nix daemon (`nix.settings.netrc-file`).
        '';
      };
    };
  };

  config = mkIf cfg.enable {
    assertions = [
      {
        assertion = !cfg.substitute.enable || cfg.cachePublicKey != null;
        message = ''
          services.procurator.worker-agent.cachePublicKey is required with substitute.enable: the Nix daemon accepts
          only closures signed by a key it trusts (`curl ${config.services.procurator.peers.cache-service}/api/v1/caches/main`
          shows it as publicKey), or set substitute.enable = false.'';
      }
    ];

    boot.kernelModules = optional (cfg.kvmModule != null) cfg.kvmModule ++ [ "tun" "vhost_net" ];

    # A fixed user, not DynamicUser: the VMs keep running under its UID while the agent is stopped, and a dynamic
    # UID could be released and handed to another service in the meantime.
    users.users.${user} = {
      isSystemUser = true;
      group = user;
      extraGroups = [ "kvm" ];
      home = "/var/lib/procurator/worker-agent";
      description = "Procurator worker agent";
    };
    users.groups.${user} = { };

    nix.settings = mkIf cfg.substitute.enable {
      substituters = [ cfg.substitute.url ];
      trusted-public-keys = [ cfg.cachePublicKey ];
      # A miss is otherwise remembered for an hour, and a closure CI pushes a minute later would stay "missing".
      narinfo-cache-negative-ttl = mkDefault 0;
      netrc-file = mkIf (cfg.substitute.netrcFile != null) cfg.substitute.netrcFile;
    };

    systemd.services.procurator-worker-agent = {
      path = [ config.nix.package cfg.qemuPackage pkgs.iproute2 ]
        ++ optional cfg.cloudHypervisor.enable cfg.cloudHypervisor.package;
      serviceConfig = {
        DynamicUser = false;
        SupplementaryGroups = [ "kvm" ];

        # Stop (or restart) only the agent's own process. The default, control-group, would kill every VM with it;
        # with "process" the VMs stay in the unit's cgroup and the agent adopts them when it starts again.
        KillMode = "process";
        # The agent owns the unit's cgroup subtree and gives each VM a cgroup of its own (CPU and memory limits);
        # systemd leaves the subtree alone. Writing to it needs /sys/fs/cgroup writable.
        Delegate = true;
        ProtectControlGroups = false;

        # Tap devices and bridges; inherited by the VMMs the agent starts.
        CapabilityBoundingSet = [ "CAP_NET_ADMIN" ];
        AmbientCapabilities = [ "CAP_NET_ADMIN" ];
        RestrictAddressFamilies = [ "AF_UNIX" "AF_INET" "AF_INET6" "AF_NETLINK" ];

        PrivateDevices = false;
        DevicePolicy = "closed";
        DeviceAllow = [ "/dev/kvm rw" "/dev/net/tun rw" "/dev/vhost-net rw" ];

        # QEMU and cloud-hypervisor install seccomp filters of their own.
        SystemCallFilter = [ "@system-service" "seccomp" ];

        # Both are torn down when the unit stops, under VMs that are still running: a private /tmp and the user's
        # System V and POSIX shared memory.
        PrivateTmp = false;
        RemoveIPC = false;
      };
    };
  };
}
