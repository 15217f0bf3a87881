# Option declarations and the merge helpers of nixpkgs' lib/options.nix, with the same error texts.
lib:
let
  inherit (lib)
    all attrNames concatMapStrings concatStringsSep filter foldl' head isAttrs isDerivation
    isFunction isList isString length tail take toList;
  inherit (lib.strings) escapeNixIdentifier;

  # A one-line rendering of a definition, as nixpkgs' toPretty prints it (shortened for sets and lists).
  showValue = v:
    if isString v then builtins.toJSON v
    else if v == null then "null"
    else if builtins.isBool v then (if v then "true" else "false")
    else if builtins.isInt v || builtins.isFloat v || builtins.isPath v then toString v
    else if isFunction v then "<function>"
    else if isDerivation v then "<derivation ${v.name or "?"}>"
    else if isList v then "[ ${concatStringsSep " " (map showValue (take 5 v))}${if length v > 5 then " ..." else ""} ]"
    else if isAttrs v && (v._type or "") == "if" then "<mkIf>"
    else if isAttrs v then "{ ${concatMapStrings (n: "${escapeNixIdentifier n} = ${showValue v.${n}}; ") (take 5 (attrNames v))}${if length (attrNames v) > 5 then "... " else ""}}"
    else "<${builtins.typeOf v}>";

  prioritySuggestion = ''
    Use `lib.mkForce value` or `lib.mkDefault value` to change the priority on any of these definitions.
  '';
in
rec {
  mkOption =
    { default ? null, defaultText ? null, example ? null, description ? null, type ? null, apply ? null
    , readOnly ? null, internal ? null, visible ? null, relatedPackages ? null }@attrs:
    attrs // { _type = "option"; };

  mkEnableOption = name: mkOption {
    default = false;
    example = true;
    description = "Whether to enable ${name}.";
    type = lib.types.bool;
  };

  isOption = x: (x._type or "") == "option";
  literalExpression = text: { _type = "literalExpression"; inherit text; };

  # `a.b."c d"`: parts that are not Nix identifiers are quoted, placeholders are left as they are.
  showOption = parts: concatStringsSep "."
    (map (part: if builtins.elem part [ "<name>" "*" "<function body>" ] then part else escapeNixIdentifier part) parts);
  showFiles = files: concatStringsSep " and " (map (f: "`${f}'") files);
  getValues = map (def: def.value);
  getFiles = map (def: def.file);

  showDefs = defs: concatMapStrings (def:
    let shown = builtins.tryEval (showValue def.value); in
    "\n- In `${def.file}'${if shown.success then ": ${shown.value}" else ""}") defs;

  mergeEqualOption = loc: defs:
    if length defs == 1 then (head defs).value
    else (foldl' (first: def:
      if def.value != first.value
      then throw "The option `${showOption loc}' has conflicting definition values:${showDefs [ first def ]}\n${prioritySuggestion}"
      else first) (head defs) (tail defs)).value;

  mergeUniqueOption = { message, merge ? loc: defs: (head defs).value }: loc: defs:
    if length defs == 1 then merge loc defs
    else throw "The option `${showOption loc}' is defined multiple times while it's expected to be unique.\n${message}\nDefinition values:${showDefs defs}\n${prioritySuggestion}";
  mergeOneOption = mergeUniqueOption { message = ""; };

  mergeDefaultOption = loc: defs:
    let list = getValues defs; in
    if length list == 1 then head list
    else if all isList list then builtins.concatLists list
    else if all isAttrs list then foldl' (a: b: a // b) { } list
    else if all builtins.isBool list then foldl' (a: b: a || b) false list
    else if all isString list then concatStringsSep "" list
    else if all builtins.isInt list && all (x: x == head list) list then head list
    else throw "Cannot merge definitions of `${showOption loc}'. Definition values:${showDefs defs}";
}
