# The Procurator NixOS modules as a flake without inputs: a host's flake takes it as
#   inputs.procurator.url = "git+https://forge.example.org/procurator/procurator.git?dir=nix/modules";
# and adds `procurator.nixosModules.default` to its nixosSystem modules (nix/README.md, "NixOS modules").
{
  description = "NixOS modules for the Procurator services and worker hosts";

  outputs = { self }: {
    nixosModules.default = import ./default.nix;
  };
}
