# A stand-in for nixpkgs' `lib`, enough to evaluate NixOS modules offline (no nixpkgs on the build machines): the
# helpers in base.nix, option declarations (options.nix), types (types.nix) and the module system (modules.nix).
# Every function has the name, arguments and behaviour of its nixpkgs namesake; what is left out is listed at the top
# of each file. The modules under nix/modules may use only what is defined here.
let
  types = import ./types.nix lib;
  lib = import ./base.nix // import ./options.nix lib // import ./modules.nix lib
    // { inherit types; inherit (types) mkOptionType; };
in
lib
