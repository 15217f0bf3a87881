# Helpers the Procurator modules share: the type of secret files, the service table, and how option values become
# environment variables.
{ lib }:
let
  inherit (lib)
    concatLists concatMapStringsSep concatStringsSep hasPrefix isAttrs isBool isDerivation isFloat isInt isList
    isString mapAttrsToList mkOptionType nameValuePair replaceStrings showOption toUpper;
in
rec {
  # A secret stays out of the Nix store: its option holds the path of a file on the host (as agenix, sops-nix or a
  # hand-made /run/keys file give it), read by systemd when the service starts. A path literal (`./token`) is
  # refused because writing it would copy the secret into the world-readable store.
  secretFile = mkOptionType {
    name = "secretFile";
    description = "absolute path (a string) of a file outside the Nix store";
    descriptionClass = "noun";
    check = x: isString x && hasPrefix "/" x && !hasPrefix "${builtins.storeDir}/" x;
    merge = lib.mergeEqualOption;
  };

  services = import ../services.nix { inherit lib secretFile; };

  isEnvironmentName = name: builtins.match "[A-Za-z_][A-Za-z0-9_]*" name != null;

  # The text of an environment variable, as Spring Boot reads it back.
  environmentValue = loc: value:
    if isString value then value
    else if isBool value then lib.boolToString value
    else if isInt value || isFloat value then toString value
    else if isList value then concatMapStringsSep "," (environmentValue loc) value
    else throw "The option `${showOption loc}' cannot be passed as an environment variable: a ${builtins.typeOf value}.";

  # Spring properties as environment variables, by relaxed binding: dots become underscores, dashes go, letters are
  # upper-cased (`procurator.ci.max-parallel` is PROCURATOR_CI_MAXPARALLEL). Nested sets are property paths; a null
  # leaves the variable unset.
  settingsEnvironment = loc: settings:
    let
      flatten = path: value:
        if isAttrs value && !isDerivation value then concatLists (mapAttrsToList (n: flatten (path ++ [ n ])) value)
        else if value == null then [ ]
        else [ (nameValuePair (toUpper (replaceStrings [ "." "-" ] [ "_" "" ] (concatStringsSep "." path))) (environmentValue (loc ++ path) value)) ];
    in
    builtins.listToAttrs (flatten [ ] settings);
}
