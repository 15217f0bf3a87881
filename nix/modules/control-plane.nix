# services.procurator.control-plane: the master. Besides its HTTP port it listens for Cap'n Proto RPC on `rpcPort`
# (services.nix), which workers and the CI service call, so opening the firewall opens both.
{ config, lib, ... }:
let
  cfg = config.services.procurator.control-plane;
in
{
  imports = [ (import ./lib/service.nix "control-plane") ];

  config = lib.mkIf (cfg.enable && cfg.openFirewall) {
    networking.firewall.allowedTCPPorts = [ cfg.rpcPort ];
  };
}
