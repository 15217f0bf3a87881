# The module system of nixpkgs' lib/modules.nix, reduced to what NixOS modules rely on:
# - modules as paths, functions or attribute sets (`imports`/`options`/`config`, or the shorthand where everything
#   but `imports` is config), imported once each (by path), called with `config`, `options`, `lib` and the special
#   arguments (here `pkgs`, and `name` inside submodules);
# - option declarations merged into one tree; an option declared twice, or both as an option and as a set of
#   options, is an error;
# - definitions: `mkIf` and `mkMerge` pushed down through attribute sets (so a module may write
#   `config = mkIf cfg.enable { ... }` without forcing `cfg.enable` to find out what it defines), discharged at the
#   option; priorities (`mkOverride`, `mkDefault`, `mkForce`; an option's default is a definition of priority 1500)
#   keep only the highest; `mkOrder` (`mkBefore`/`mkAfter`) sorts what remains; the type checks and merges it;
# - an option's `apply` and `readOnly`;
# - errors that name the option's path like NixOS's: a definition of an option nobody declared, a value of the
#   wrong type, conflicting values, an option read without a value.
# Left out: `_module.args` (the special arguments stand for it), `_module.check`, `disabledModules`, freeform types,
# `mkAliasOptionModule` and the other renaming helpers, type merging of duplicate submodule declarations,
# `extendModules`, `class`, the positions of definitions (files are named, lines are not) and documentation.
lib:
let
  inherit (lib)
    all any attrNames concatLists concatMap filter foldl' head isAttrs isBool isFunction isList isOption
    isString length mapAttrs min showDefs showOption sort;

  defaultOverridePriority = 100;
  defaultOrderPriority = 1000;
  typeOf' = x: x._type or "";

  # Modules, expanded: every import loaded once (by key: a file's path, or its parent's key and index), functions
  # called with the module arguments, each normalised to { key, file, imports, options, config }.
  collectModules = args: modules:
    let
      load = parentKey: index: m:
        let
          isFile = builtins.isPath m || isString m;
          key = if isFile then toString m else "${parentKey}:anon-${toString index}";
          file = if isFile then toString m else parentKey;
          value = if isFile then import m else m;
          applied = if isFunction value then applyModuleArgs key value else value;
        in
        normalise key (applied._file or file) applied;
      applyModuleArgs = key: f:
        f (args // mapAttrs (name: _: args.${name} or (throw "module argument `${name}' of `${key}' is not available"))
          (builtins.functionArgs f));
      normalise = key: file: m:
        let
          structured = m ? options || m ? config;
          extra = removeAttrs m [ "_file" "key" "imports" "options" "config" "meta" ];
        in
        if !isAttrs m then throw "module `${key}' is a ${builtins.typeOf m}, not a module (a path, a function or an attribute set)"
        else if structured && extra != { } then
          throw "Module `${key}' has an unsupported attribute `${head (attrNames extra)}'. This is caused by introducing a top-level `config' or `options' attribute. Add configuration attributes immediately on the top level instead, or move all of them (namely: ${builtins.concatStringsSep " " (attrNames extra)}) into the explicit `config' attribute."
        else {
          key = m.key or key;
          inherit file;
          imports = m.imports or [ ];
          options = m.options or { };
          config = if structured then m.config or { } else removeAttrs m [ "_file" "key" "imports" "meta" ];
        };
      entries = parentKey: lib.imap1 (i: m: let loaded = load parentKey i m; in { module = loaded; inherit (loaded) key; });
      closure = builtins.genericClosure {
        startSet = entries "<unknown-file>" modules;
        operator = item: entries item.module.key item.module.imports;
      };
    in
    map (item: item.module) closure;
in
rec {
  mkIf = condition: content: { _type = "if"; inherit condition content; };
  mkMerge = contents: { _type = "merge"; inherit contents; };
  mkOverride = priority: content: { _type = "override"; inherit priority content; };
  mkOptionDefault = mkOverride 1500;
  mkDefault = mkOverride 1000;
  mkForce = mkOverride 50;
  mkOrder = priority: content: { _type = "order"; inherit priority content; };
  mkBefore = mkOrder 500;
  mkAfter = mkOrder 1500;
  inherit defaultOverridePriority defaultOrderPriority;

  # An attribute-set definition wrapped in properties, as a list of attribute sets each carrying them per attribute.
  pushDownProperties = cfg:
    if typeOf' cfg == "merge" then concatMap pushDownProperties cfg.contents
    else if typeOf' cfg == "if" then map (mapAttrs (n: v: mkIf cfg.condition v)) (pushDownProperties cfg.content)
    else if typeOf' cfg == "override" then map (mapAttrs (n: v: mkOverride cfg.priority v)) (pushDownProperties cfg.content)
    else [ cfg ];

  # A definition of an option, as the list of values it stands for once mkMerge and mkIf are resolved.
  dischargeProperties = def:
    if typeOf' def == "merge" then concatMap dischargeProperties def.contents
    else if typeOf' def == "if" then
      if isBool def.condition
      then (if def.condition then dischargeProperties def.content else [ ])
      else throw "mkIf called with a non-Boolean condition"
    else [ def ];

  filterOverrides' = defs:
    let
      prio = def: if typeOf' def.value == "override" then def.value.priority else defaultOverridePriority;
      highestPrio = foldl' (p: def: min (prio def) p) 9999 defs;
      strip = def: if typeOf' def.value == "override" then def // { value = def.value.content; } else def;
    in
    { values = concatMap (def: if prio def == highestPrio then [ (strip def) ] else [ ]) defs; inherit highestPrio; };
  filterOverrides = defs: (filterOverrides' defs).values;

  sortProperties = defs:
    let
      strip = def: if typeOf' def.value == "order" then def // { value = def.value.content; inherit (def.value) priority; } else def;
    in
    sort (a: b: (a.priority or defaultOrderPriority) < (b.priority or defaultOrderPriority)) (map strip defs);

  # The value of one option from its definitions: properties resolved, overridden definitions dropped, the rest
  # sorted, type-checked and merged by the type.
  mergeDefinitions = loc: type: defs: rec {
    defsFinal' =
      let
        discharged = concatMap (def:
          map (value: { inherit (def) file; inherit value; })
            (builtins.addErrorContext "while evaluating definitions from `${def.file}':" (dischargeProperties def.value)))
          defs;
        overridden = filterOverrides' discharged;
      in
      {
        values = if any (def: typeOf' def.value == "order") overridden.values then sortProperties overridden.values else overridden.values;
        inherit (overridden) highestPrio;
      };
    defsFinal = defsFinal'.values;
    isDefined = defsFinal != [ ];
    mergedValue =
      if !isDefined then throw "The option `${showOption loc}' was accessed but has no value defined. Try setting the option."
      else if all (def: type.check def.value) defsFinal then type.merge loc defsFinal
      else throw "A definition for option `${showOption loc}' is not of type `${type.description}'. Definition values:${showDefs (filter (def: !type.check def.value) defsFinal)}";
    optionalValue = if isDefined then { value = mergedValue; } else { };
  };

  # One declared option with its definitions: the default is a definition of priority 1500; readOnly allows one.
  evalOptionValue = loc: opt: defs:
    let
      type = opt.type or lib.types.unspecified;
      withDefault = (if opt ? default then [ { file = head opt.declarations; value = mkOptionDefault opt.default; } ] else [ ]) ++ defs;
      merged = mergeDefinitions loc type withDefault;
      value =
        if opt.readOnly or false && length defs > 1
        then throw "The option `${showOption loc}' is read-only, but it's set multiple times. Definition values:${showDefs defs}"
        else if opt ? apply && opt.apply != null then opt.apply merged.mergedValue else merged.mergedValue;
    in
    opt // {
      inherit value type loc;
      inherit (merged) isDefined highestPrio;
      definitions = map (def: def.value) merged.defsFinal;
      files = map (def: def.file) defs;
    };

  # Options and definitions of a list of modules, merged level by level. Returns the tree of evaluated options and
  # the definitions that no declaration matched (checked by evalModules, like nixpkgs, only when config is read).
  mergeModules = prefix: modules:
    let
      declarations = lib.zipAttrsWith (n: concatLists)
        (map (m: mapAttrs (n: v: [ { inherit (m) file; options = v; } ]) (subtree "options" m)) modules);
      definitions = lib.zipAttrsWith (n: concatLists)
        (concatMap (m: map (cfg: mapAttrs (n: value: [ { inherit (m) file; inherit value; } ]) cfg)
          (pushDownProperties (subtree "config" m))) modules);
      subtree = attr: m:
        let value = m.${attr}; in
        if typeOf' value == "" && !isAttrs value then
          throw "You're trying to define a value of type `${builtins.typeOf value}' rather than an attribute set for the option `${showOption prefix}'!"
        else value;
      mergeName = name: decls:
        let
          loc = prefix ++ [ name ];
          defs = definitions.${name} or [ ];
          optionDecls = filter (d: isOption d.options) decls;
        in
        if optionDecls == [ ] then
          mergeModules loc (map (d: { inherit (d) file; options = d.options; config = { }; }) decls
            ++ map (d: { inherit (d) file; options = { }; config = d.value; }) defs)
        else if length optionDecls > 1 then
          throw "The option `${showOption loc}' in `${(builtins.elemAt optionDecls 1).file}' is already declared in `${(head optionDecls).file}'."
        else if length decls > 1 then
          throw "The option `${showOption loc}' in `${(head optionDecls).file}' would be a parent of the following options, but its type `${(head optionDecls).options.type.description or "<no description>"}' does not support nested options.\n${builtins.concatStringsSep "\n" (map (d: "- options declared in `${d.file}'") (filter (d: !isOption d.options) decls))}"
        else { option = evalOptionValue loc ((head decls).options // { declarations = [ (head decls).file ]; }) defs; };
      merged = mapAttrs mergeName declarations;
      unmatchedHere = concatMap (name: map (def: { loc = prefix ++ [ name ]; inherit def; }) definitions.${name})
        (filter (name: !(declarations ? ${name})) (attrNames definitions));
    in
    {
      options = mapAttrs (n: v: if v ? option then v.option else v.options) merged;
      values = mapAttrs (n: v: if v ? option then v.option.value else v.values) merged;
      unmatched = unmatchedHere ++ concatMap (v: v.unmatched or [ ]) (builtins.attrValues merged);
    };

  evalModules = { modules, specialArgs ? { }, prefix ? [ ] }:
    let
      args = specialArgs // { inherit lib options; config = merged.values; };
      merged = mergeModules prefix (collectModules args modules);
      options = merged.options;
      unmatched = merged.unmatched;
      # Modules see the configuration as it is; whoever reads the result gets an error for every definition of an
      # option that does not exist, so a typo never passes silently.
      checked =
        if unmatched == [ ] then merged.values
        else let first = head unmatched; in
          throw "The option `${showOption first.loc}' does not exist. Definition values:${showDefs [ first.def ]}";
    in
    { inherit options; config = checked; };
}
