# Every Procurator NixOS module: the shared `services.procurator` options and one module per service. Import this
# file (`imports = [ ./nix/modules ];`) or, from a flake, `nixosModules.default` of ./flake.nix. Nothing is enabled
# until a host sets `services.procurator.<service>.enable = true`.
{
  imports = [
    ./procurator.nix
    ./forge.nix
    ./ci-service.nix
    ./cache-service.nix
    ./control-plane.nix
    ./worker-agent.nix
    ./secret-manager.nix
    ./observability.nix
  ];
}
