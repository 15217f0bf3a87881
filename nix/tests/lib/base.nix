# The list, attribute set and string helpers of nixpkgs' lib that the modules and the stand-in use, written with
# builtins only and behaving as nixpkgs' functions of the same name do (lib/lists.nix, attrsets.nix, strings.nix).
# Only names nixpkgs' lib exports at its top level are exported here (a builtin nixpkgs does not re-export, such as
# `match` or `intersectAttrs`, is not `lib.match`: a module must write `builtins.match`); `strings` holds the few
# string helpers nixpkgs keeps in lib.strings only.
let
  inherit (builtins)
    attrNames concatLists concatStringsSep elemAt filter foldl' genList isAttrs isList length listToAttrs match
    replaceStrings stringLength substring;
in
rec {
  inherit (builtins)
    all any attrNames attrValues concatLists concatStringsSep elem elemAt filter foldl' functionArgs genList
    getAttr hasAttr head isAttrs isBool isFloat isFunction isInt isList isPath isString length listToAttrs mapAttrs
    replaceStrings sort stringLength substring tail;

  min = a: b: if a < b then a else b;
  boolToString = b: if b then "true" else "false";

  # Lists
  optional = cond: x: if cond then [ x ] else [ ];
  optionalString = cond: s: if cond then s else "";
  toList = x: if isList x then x else [ x ];
  concatMap = f: xs: concatLists (map f xs);
  last = xs: elemAt xs (length xs - 1);
  imap1 = f: xs: genList (n: f (n + 1) (elemAt xs n)) (length xs);
  take = n: xs: genList (elemAt xs) (min n (length xs));
  count = pred: foldl' (c: x: if pred x then c + 1 else c) 0;

  # Attribute sets
  nameValuePair = name: value: { inherit name value; };
  mapAttrsToList = f: attrs: map (name: f name attrs.${name}) (attrNames attrs);
  mapAttrs' = f: attrs: listToAttrs (mapAttrsToList f attrs);
  filterAttrs = pred: attrs:
    listToAttrs (concatMap (name: if pred name attrs.${name} then [ (nameValuePair name attrs.${name}) ] else [ ])
      (attrNames attrs));
  optionalAttrs = cond: attrs: if cond then attrs else { };
  zipAttrsWith = builtins.zipAttrsWith;
  isDerivation = x: isAttrs x && (x.type or null) == "derivation";

  # Strings
  concatStrings = concatStringsSep "";
  concatMapStrings = f: xs: concatStrings (map f xs);
  concatMapStringsSep = sep: f: xs: concatStringsSep sep (map f xs);
  hasPrefix = prefix: s: substring 0 (stringLength prefix) s == prefix;
  lowerChars = [ "a" "b" "c" "d" "e" "f" "g" "h" "i" "j" "k" "l" "m" "n" "o" "p" "q" "r" "s" "t" "u" "v" "w" "x" "y" "z" ];
  upperChars = [ "A" "B" "C" "D" "E" "F" "G" "H" "I" "J" "K" "L" "M" "N" "O" "P" "Q" "R" "S" "T" "U" "V" "W" "X" "Y" "Z" ];
  toUpper = replaceStrings lowerChars upperChars;
  isStorePath = x:
    strings.isStringLike x && (let s = builtins.toString x; in
      match "${builtins.storeDir}/[0123456789abcdfghijklmnpqrsvwxyz]{32}-[^/]+" s != null);
  # nixpkgs quotes only what needs quoting (since 23.11).
  escapeShellArg = arg:
    let s = builtins.toString arg; in
    if match "[[:alnum:],._+:@%/-]+" s == null then "'${replaceStrings [ "'" ] [ "'\\''" ] s}'" else s;
  escapeShellArgs = concatMapStringsSep " " escapeShellArg;
  makeSearchPath = subDir: paths: concatStringsSep ":" (map (p: "${p}/${subDir}") (filter (p: p != null) paths));
  makeBinPath = makeSearchPath "bin";

  strings = {
    isStringLike = x: builtins.isString x || builtins.isPath x || x ? outPath || x ? __toString;
    escapeNixString = s: builtins.toJSON s;
    escapeNixIdentifier = s:
      if match "[a-zA-Z_][a-zA-Z0-9_'-]*" s != null
         && !(builtins.elem s [ "if" "then" "else" "assert" "with" "let" "in" "rec" "inherit" "or" ])
      then s
      else strings.escapeNixString s;
  };
}
