# The Procurator cluster model: a cluster description -> the normalised blueprint (what `blueprintJSON` is).
#
#   cluster = import ./cluster.nix;
#   blueprintJSON = cluster { vms.web = { cpu = 2; memory = { amount = 1; unit = "GB"; }; }; };
#
#   # Everything a cluster flake exposes, each VM with its system (a NixOS configuration or a toplevel derivation):
#   outputs = { self }: cluster.outputs { vms.web = { replicas = 2; system = nixosSystem { ... }; }; };
#   # -> { blueprintJSON = ...; nixosConfigurations.web = ...; }
#
# Pure Nix (builtins only, no nixpkgs), so it evaluates offline inside a flake without inputs. Every default is
# filled in and every value checked here, at evaluation time: a mistake fails `nix eval` with a message naming
# the option, instead of reaching the control plane. Options are documented in nix/README.md.
let
  inherit (builtins)
    attrNames concatStringsSep elem filter genList isAttrs isBool isFloat isInt isList isString
    length mapAttrs match removeAttrs toJSON typeOf;

  fail = path: message: throw "procurator cluster: ${path}: ${message}";

  blueprint = cluster:
    let
      show = value:
        if isAttrs value || isList value || typeOf value == "lambda" then "a ${typeOf value}"
        else toJSON value;

      quoted = names: concatStringsSep ", " (map (name: "\"${name}\"") names);

      # Typos must not pass silently: an unknown option is an error, not an ignored key.
      knownOptions = path: allowed: value:
        let
          attrs = attrsAt path value;
          unknown = filter (name: !(elem name allowed)) (attrNames attrs);
        in
        if unknown == [ ] then attrs
        else fail path "unknown option(s) ${quoted unknown}; known options: ${quoted allowed}";

      attrsAt = path: value:
        if isAttrs value then value else fail path "must be an attribute set, got ${show value}";

      isNumber = value: isInt value || isFloat value;

      positiveNumber = path: value:
        if isNumber value && value > 0 then value else fail path "must be a positive number, got ${show value}";

      positiveInt = path: value:
        if isInt value && value > 0 then value else fail path "must be a positive integer, got ${show value}";

      nonNegativeInt = path: value:
        if isInt value && value >= 0 then value else fail path "must be an integer >= 0, got ${show value}";

      port = path: value:
        if isInt value && value >= 1 && value <= 65535 then value
        else fail path "must be a port number (1-65535), got ${show value}";

      nonEmptyString = path: value:
        if isString value && value != "" then value else fail path "must be a non-empty string, got ${show value}";

      bool = path: value:
        if isBool value then value else fail path "must be true or false, got ${show value}";

      oneOf = path: allowed: value:
        if elem value allowed then value else fail path "must be one of ${quoted allowed}, got ${show value}";

      nullOr = check: path: value: if value == null then null else check path value;

      listOf = check: path: value:
        if isList value then genList (i: check "${path}[${toString i}]" (builtins.elemAt value i)) (length value)
        else fail path "must be a list, got ${show value}";

      unique = builtins.foldl' (seen: x: if elem x seen then seen else seen ++ [ x ]) [ ];

      required = path: attrs: name:
        if attrs ? ${name} then attrs.${name} else fail "${path}.${name}" "is required";

      # VM names become host names and keys in the control plane: keep them DNS labels.
      vmName = name:
        if match "[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?" name != null then name
        else fail "vms.\"${name}\"" "a VM name must be a DNS label (lower-case letters, digits and '-', not starting or ending with '-')";

      # Binary units, as VMMs count guest memory (cloud-hypervisor and QEMU take MiB).
      unitMegabytes = { MB = 1; GB = 1024; };

      ceil = x: let truncated = builtins.floor x; in if truncated == x then truncated else truncated + 1;

      memory = path: value:
        let
          attrs = knownOptions path [ "amount" "unit" ] value;
          amount = positiveNumber "${path}.amount" (attrs.amount or 1);
          unit = oneOf "${path}.unit" (attrNames unitMegabytes) (attrs.unit or "GB");
        in
        {
          inherit amount unit;
          megabytes = ceil (amount * unitMegabytes.${unit});
        };

      healthCheckCommon = [ "type" "enabled" "interval" "timeout" "retries" "initialDelay" ];

      healthCheckByType = {
        http = path: attrs: {
          port = port "${path}.port" (required path attrs "port");
          path = urlPath "${path}.path" (attrs.path or "/");
          expectedStatus = oneStatus "${path}.expectedStatus" (attrs.expectedStatus or 200);
          body = nullOr nonEmptyString "${path}.body" (attrs.body or null);
        };
        tcp = path: attrs: { port = port "${path}.port" (required path attrs "port"); };
        exec = path: attrs: { command = nonEmptyString "${path}.command" (required path attrs "command"); };
      };

      healthCheckOptions = {
        http = [ "port" "path" "expectedStatus" "body" ];
        tcp = [ "port" ];
        exec = [ "command" ];
      };

      urlPath = path: value:
        if isString value && match "/.*" value != null then value
        else fail path "must be a path starting with '/', got ${show value}";

      oneStatus = path: value:
        if isInt value && value >= 100 && value <= 599 then value
        else fail path "must be an HTTP status code (100-599), got ${show value}";

      healthCheck = path: value:
        let
          raw = attrsAt path value;
          type = oneOf "${path}.type" (attrNames healthCheckByType) (required path raw "type");
          attrs = knownOptions path (healthCheckCommon ++ healthCheckOptions.${type}) raw;
          interval = positiveInt "${path}.interval" (attrs.interval or 10);
          timeout = positiveInt "${path}.timeout" (attrs.timeout or 5);
        in
        if timeout > interval then fail "${path}.timeout" "(${toString timeout}s) must not exceed interval (${toString interval}s)"
        else {
          inherit type interval timeout;
          enabled = bool "${path}.enabled" (attrs.enabled or true);
          retries = positiveInt "${path}.retries" (attrs.retries or 3);
          initialDelay = nonNegativeInt "${path}.initialDelay" (attrs.initialDelay or 0);
        } // healthCheckByType.${type} path attrs;

      # Nomad's `update` vocabulary: a replica is healthy once its checks pass for minHealthyTime; one not healthy
      # within healthyDeadline fails the rollout, and so does a rollout with no healthy replica for progressDeadline.
      strategyCommon = [ "type" "maxParallel" "minHealthyTime" "healthyDeadline" "progressDeadline" ];

      strategyOptions = {
        rolling = strategyCommon;
        blue-green = strategyCommon ++ [ "keepOld" ];
        canary = strategyCommon ++ [ "canaryReplicas" "autoPromote" "promoteAfter" ];
      };

      strategy = path: replicas: value:
        let
          raw = attrsAt path value;
          type = oneOf "${path}.type" (attrNames strategyOptions) (raw.type or "rolling");
          attrs = knownOptions path strategyOptions.${type} raw;
          minHealthyTime = nonNegativeInt "${path}.minHealthyTime" (attrs.minHealthyTime or 10);
          healthyDeadline = positiveInt "${path}.healthyDeadline" (attrs.healthyDeadline or 300);
          progressDeadline = positiveInt "${path}.progressDeadline" (attrs.progressDeadline or 600);
          common = {
            inherit type minHealthyTime healthyDeadline progressDeadline;
            maxParallel = positiveInt "${path}.maxParallel" (attrs.maxParallel or 1);
          };
          canaryReplicas = positiveInt "${path}.canaryReplicas" (attrs.canaryReplicas or 1);
          byType = {
            rolling = common;
            blue-green = common // { keepOld = nonNegativeInt "${path}.keepOld" (attrs.keepOld or 60); };
            canary = common // {
              inherit canaryReplicas;
              autoPromote = bool "${path}.autoPromote" (attrs.autoPromote or false);
              promoteAfter = nonNegativeInt "${path}.promoteAfter" (attrs.promoteAfter or 300);
            };
          };
        in
        if minHealthyTime >= healthyDeadline then
          fail "${path}.minHealthyTime" "(${toString minHealthyTime}s) must be less than healthyDeadline (${toString healthyDeadline}s)"
        else if healthyDeadline >= progressDeadline then
          fail "${path}.healthyDeadline" "(${toString healthyDeadline}s) must be less than progressDeadline (${toString progressDeadline}s)"
        else if type == "canary" && canaryReplicas > replicas then
          fail "${path}.canaryReplicas" "(${toString canaryReplicas}) must not exceed the VM's replicas (${toString replicas})"
        else byType.${type};

      deployment = path: replicas: value:
        let
          attrs = knownOptions path
            [ "addr" "backend" "sshUser" "sshPort" "healthChecks" "autoRollback" "strategy" ] value;
        in
        {
          addr = nullOr nonEmptyString "${path}.addr" (attrs.addr or null);
          backend = oneOf "${path}.backend" [ "cloud-hypervisor" "qemu" ] (attrs.backend or "cloud-hypervisor");
          sshUser = nonEmptyString "${path}.sshUser" (attrs.sshUser or "root");
          sshPort = port "${path}.sshPort" (attrs.sshPort or 22);
          healthChecks = listOf healthCheck "${path}.healthChecks" (attrs.healthChecks or [ ]);
          autoRollback = bool "${path}.autoRollback" (attrs.autoRollback or true);
          strategy = strategy "${path}.strategy" replicas (attrs.strategy or { });
        };

      # seq: the name is checked even when nothing reads an option that mentions it.
      vm = name: value: builtins.seq (vmName name) (vmSpec name value);

      vmSpec = name: value:
        let
          path = "vms.${name}";
          attrs = knownOptions path [ "role" "cpu" "memory" "labels" "replicas" "ports" "deployment" ] value;
          replicas = positiveInt "${path}.replicas" (attrs.replicas or 1);
          ports = listOf port "${path}.ports" (attrs.ports or [ ]);
        in
        if length ports != length (unique ports) then fail "${path}.ports" "lists a port twice: ${toJSON ports}"
        else {
          inherit replicas ports;
          role = nonEmptyString "${path}.role" (attrs.role or "service");
          cpu = positiveNumber "${path}.cpu" (attrs.cpu or 1);
          memory = memory "${path}.memory" (attrs.memory or { });
          labels = listOf nonEmptyString "${path}.labels" (attrs.labels or [ ]);
          deployment = deployment "${path}.deployment" replicas (attrs.deployment or { });
        };

      description = knownOptions "cluster" [ "vms" ] cluster;
    in
    mapAttrs vm (attrsAt "vms" (description.vms or { }));

  # `system` is what the CI builds for a VM: nixosConfigurations.<vm>.config.system.build.toplevel. A NixOS
  # configuration (`nixpkgs.lib.nixosSystem { ... }`) is used as it is; a toplevel derivation built another way (a
  # closure in the NixOS layout, such as nix/lib/microvm.nix's) is wrapped in that shape. Lazy: evaluating
  # blueprintJSON never evaluates a system.
  nixosConfiguration = name: vm:
    let
      path = "vms.${name}.system";
      system = if isAttrs vm && vm ? system then vm.system
        else fail path "is required by cluster.outputs: the VM's NixOS configuration or toplevel derivation";
    in
    if isAttrs system && (system.type or null) == "derivation" then { config.system.build.toplevel = system; }
    else if isAttrs system && system ? config then system
    else fail path ("must be a NixOS configuration (nixpkgs.lib.nixosSystem { ... }) or a derivation in the NixOS "
      + "toplevel layout, got a ${typeOf system}");

  # A cluster flake's outputs: the blueprint (the VMs without their `system`) and each VM's NixOS configuration.
  outputs = cluster:
    let
      vms = if isAttrs cluster then cluster.vms or { } else { };
      withoutSystems = if isAttrs vms then mapAttrs (_: vm: if isAttrs vm then removeAttrs vm [ "system" ] else vm) vms
        else vms;
    in
    {
      blueprintJSON = blueprint (if isAttrs cluster then cluster // { vms = withoutSystems; } else cluster);
      nixosConfigurations = if isAttrs vms then mapAttrs nixosConfiguration vms else { };
    };
in
{
  # `cluster { vms = ...; }` is the blueprint alone (what `blueprintJSON` is); `cluster.outputs` adds the systems.
  __functor = _: blueprint;
  inherit blueprint outputs;
}
