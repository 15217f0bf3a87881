# The option types of nixpkgs' lib/types.nix that the modules and the NixOS stand-in use: same names, descriptions
# (they appear in error messages), checks and merge rules. Type merging of duplicate declarations (functor/typeMerge)
# and documentation helpers (getSubOptions) are left out.
lib:
let
  inherit (lib)
    all count concatLists concatMapStringsSep concatStringsSep elem filter filterAttrs getFiles getValues head
    imap1 isAttrs isBool isDerivation isFunction isInt isList isString isStorePath last length
    mapAttrs mergeDefinitions mergeEqualOption mergeOneOption showFiles showOption zipAttrsWith;
  inherit (lib.strings) isStringLike;

  mkOptionType =
    { name, description ? null, descriptionClass ? null, check ? (x: true), merge ? lib.mergeDefaultOption
    , emptyValue ? { } }:
    {
      _type = "option-type";
      inherit name descriptionClass check merge emptyValue;
      description = if description == null then name else description;
    };

  # A type's description inside another's, in parentheses where it would be ambiguous.
  phrase = unparenthesize: t:
    if unparenthesize (t.descriptionClass or null) then t.description else "(${t.description})";

  addCheck = t: check: t // { check = x: t.check x && check x; };

  # lib.types.port is ints.u16.
  ints.u16 = addCheck int (x: x >= 0 && x <= 65535) // {
    name = "unsignedInt16";
    description = "16 bit unsigned integer; between 0 and 65535 (both inclusive)";
  };

  int = mkOptionType { name = "int"; description = "signed integer"; descriptionClass = "noun"; check = isInt; merge = mergeEqualOption; };

  str = mkOptionType { name = "str"; description = "string"; descriptionClass = "noun"; check = isString; merge = mergeEqualOption; };

  separatedString = sep: mkOptionType {
    name = "separatedString";
    description = "strings concatenated with ${builtins.toJSON sep}";
    descriptionClass = "noun";
    check = isString;
    merge = loc: defs: concatStringsSep sep (getValues defs);
  };

  listOf = elemType: mkOptionType {
    name = "listOf";
    description = "list of ${phrase (c: c == "noun" || c == "composite") elemType}";
    descriptionClass = "composite";
    check = isList;
    # Each element is merged (and type-checked) on its own, so an error names the definition and entry.
    merge = loc: defs:
      map (x: x.value) (filter (x: x ? value) (concatLists (imap1 (n: def:
        imap1 (m: value:
          (mergeDefinitions (loc ++ [ "[definition ${toString n}-entry ${toString m}]" ]) elemType
            [ { inherit (def) file; inherit value; } ]).optionalValue)
          def.value) defs)));
    emptyValue = { value = [ ]; };
  };

  attrsOf = elemType: mkOptionType {
    name = "attrsOf";
    description = "attribute set of ${phrase (c: c == "noun" || c == "composite") elemType}";
    descriptionClass = "composite";
    check = isAttrs;
    # Merged attribute by attribute; an attribute whose every definition is a false mkIf disappears.
    merge = loc: defs:
      mapAttrs (n: v: v.value) (filterAttrs (n: v: v ? value)
        (zipAttrsWith (name: defs: (mergeDefinitions (loc ++ [ name ]) elemType defs).optionalValue)
          (map (def: mapAttrs (n: value: { inherit (def) file; inherit value; }) def.value) defs)));
    emptyValue = { value = { }; };
  };

  either = t1: t2: mkOptionType {
    name = "either";
    description =
      if t1.descriptionClass or null == "nonRestrictiveClause"
      then "${t1.description}, or ${phrase (c: c == "noun" || c == "conjunction") t2}"
      else "${phrase (c: c == "noun" || c == "conjunction") t1} or ${phrase (c: c == "noun" || c == "conjunction" || c == "composite") t2}";
    descriptionClass = "conjunction";
    check = x: t1.check x || t2.check x;
    merge = loc: defs:
      let values = getValues defs; in
      if all t1.check values then t1.merge loc defs
      else if all t2.check values then t2.merge loc defs
      else mergeOneOption loc defs;
  };

  anything = mkOptionType {
    name = "anything";
    description = "anything";
    descriptionClass = "noun";
    # Sets merge recursively, functions by their results; anything else must be defined equally everywhere.
    merge = loc: defs:
      let
        kind = v: if isAttrs v && isStringLike v then "stringCoercibleSet" else builtins.typeOf v;
        common = builtins.foldl' (k: def:
          if kind def.value == k then k
          else throw "The option `${showOption loc}' has conflicting option types in ${showFiles (getFiles defs)}")
          (kind (head defs).value) defs;
      in
      {
        set = (attrsOf anything).merge;
        stringCoercibleSet = mergeOneOption;
        lambda = loc: defs: arg: anything.merge (loc ++ [ "<function body>" ])
          (map (def: { inherit (def) file; value = def.value arg; }) defs);
      }.${common} or mergeEqualOption loc defs;
  };

  submoduleWith = { modules, specialArgs ? { }, shorthandOnlyDefinesConfig ? false }: mkOptionType {
    name = "submodule";
    check = x: isAttrs x || isFunction x || lib.types.path.check x;
    # Every definition becomes a module of an evaluation of its own, prefixed with the option's path, so errors
    # inside name the full path and the submodule sees its attribute name as the `name` argument.
    merge = loc: defs: (lib.evalModules {
      prefix = loc;
      specialArgs = specialArgs // { name = last loc; };
      modules = modules ++ map (def:
        if isAttrs def.value && shorthandOnlyDefinesConfig
        then { _file = def.file; config = def.value; }
        else { _file = def.file; imports = [ def.value ]; }) defs;
    }).config;
    emptyValue = { value = { }; };
  };
in
rec {
  inherit mkOptionType addCheck ints int str separatedString listOf attrsOf either anything submoduleWith;

  unspecified = mkOptionType { name = "unspecified"; description = "unspecified value"; descriptionClass = "noun"; };
  bool = mkOptionType { name = "bool"; description = "boolean"; descriptionClass = "noun"; check = isBool; merge = mergeEqualOption; };
  port = ints.u16;
  lines = separatedString "\n";
  path = mkOptionType {
    name = "path"; descriptionClass = "noun";
    check = x: isStringLike x && builtins.substring 0 1 (toString x) == "/";
    merge = mergeEqualOption;
  };
  package = mkOptionType {
    name = "package"; descriptionClass = "noun";
    check = x: isDerivation x || isStorePath x;
    merge = mergeOneOption;
  };
  enum = values:
    let show = v: if isString v then ''"${v}"'' else if isInt v then toString v else if isBool v then lib.boolToString v else "<${builtins.typeOf v}>";
    in mkOptionType {
      name = "enum";
      description =
        if values == [ ] then "impossible (empty enum)"
        else if length values == 1 then "value ${show (head values)} (singular enum)"
        else "one of ${concatMapStringsSep ", " show values}";
      descriptionClass = if length values < 2 then "noun" else "conjunction";
      check = x: elem x values;
      merge = mergeEqualOption;
    };
  nullOr = elemType: mkOptionType {
    name = "nullOr";
    description = "null or ${phrase (c: c == "noun" || c == "conjunction") elemType}";
    descriptionClass = "conjunction";
    check = x: x == null || elemType.check x;
    merge = loc: defs:
      let nulls = count (def: def.value == null) defs; in
      if nulls == length defs then null
      else if nulls != 0 then throw "The option `${showOption loc}` is defined both null and not null, in ${showFiles (getFiles defs)}."
      else elemType.merge loc defs;
    emptyValue = { value = null; };
  };
  oneOf = ts: if ts == [ ] then throw "types.oneOf needs to get at least one type in its argument" else builtins.foldl' either (head ts) (builtins.tail ts);
  submodule = modules: submoduleWith { shorthandOnlyDefinesConfig = true; modules = lib.toList modules; };
}
