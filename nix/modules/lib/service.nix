# One Procurator service as a NixOS module: the options `services.procurator.<name>` and the systemd unit
# `procurator-<name>.service`. Each service file (forge.nix, ci-service.nix, ...) is this plus what only that
# service needs; its port and own variables come from services.nix.
name:
{ config, lib, pkgs, ... }:
let
  inherit (lib)
    attrNames concatStringsSep escapeShellArgs filter filterAttrs literalExpression mapAttrs mapAttrs'
    mapAttrsToList mkDefault mkEnableOption mkIf mkOption nameValuePair optional optionalAttrs optionalString types;
  procurator = import ./procurator.nix { inherit lib; };
  row = procurator.services.${name};
  top = config.services.procurator;
  cfg = top.${name};
  unit = "procurator-${name}";
  dataDir = "/var/lib/procurator/${name}";
  optionPath = [ "services" "procurator" name ];

  # The options of services.nix, split by how they reach the service.
  rowValues = mapAttrs (option: spec: cfg.${option}) row.options;
  isSet = value: value != null && value != [ ];
  secretOptions = filterAttrs (option: spec: spec.secret or false) row.options;
  plainOptions = filterAttrs (option: spec: !(spec.secret or false)) row.options;
  fromOptions = render: options: mapAttrs' (option: spec: nameValuePair spec.env (render option rowValues.${option}))
    (filterAttrs (option: spec: isSet rowValues.${option}) options);

  # Everything the service reads from its environment, in one table; later lines win. Secrets are not here: they
  # are credentials (below), so no secret is ever written into the unit or the Nix store.
  environment =
    {
      SERVER_PORT = toString cfg.port;
      PROCURATOR_DATA_DIR = dataDir;
      # nix and git keep their caches and configuration under HOME.
      HOME = dataDir;
      PROCURATOR_CONTROL_PLANE_RPC = concatStringsSep "," top.controlPlaneRpc;
    }
    // mapAttrs' (peer: service: nameValuePair service.urlEnv top.peers.${peer}) procurator.services
    // optionalAttrs (cfg.database.url != null) (
      { PROCURATOR_DB_URL = cfg.database.url; }
      // optionalAttrs (cfg.database.user != null) { PROCURATOR_DB_USER = cfg.database.user; })
    // row.environment or { }
    // fromOptions (option: procurator.environmentValue (optionPath ++ [ option ])) plainOptions
    // procurator.settingsEnvironment (optionPath ++ [ "settings" ]) cfg.settings
    // cfg.extraEnvironment;

  # Variables read from files: systemd copies each file into the service's private credentials directory at start
  # (LoadCredential); the start script turns them into variables just before it runs the JVM.
  credentials = filterAttrs (env: file: file != null) (
    {
      PROCURATOR_ADMIN_TOKEN = top.adminTokenFile;
      PROCURATOR_DB_PASSWORD = if cfg.database.url != null then cfg.database.passwordFile else null;
    }
    // fromOptions (option: file: file) secretOptions
    // cfg.secretFiles);

  jar = "${cfg.package}/share/procurator/${name}.jar";

  script = optionalString (credentials != { }) ''
    # Each credential holds one line: the value of the variable it is named after.
    for name in ${escapeShellArgs (attrNames credentials)}; do
      file="$CREDENTIALS_DIRECTORY/$name"
      value= rest=
      { IFS= read -r value || true; IFS= read -r rest || true; } < "$file"
      if [ -z "$value" ] || [ -n "$rest" ]; then
        echo "${unit}: the credential $name ($file) must hold exactly one non-empty line" >&2
        exit 1
      fi
      export "$name=$value"
    done
  '' + ''
    exec ${escapeShellArgs ([ "${top.jdk}/bin/java" ] ++ cfg.jvmOptions ++ [ "-jar" jar ])}
  '';

  # Hardening that a JVM service tolerates, set as defaults: a service module (or the host's configuration) changes
  # a key with a plain definition.
  hardening = {
    DynamicUser = true;
    NoNewPrivileges = true;
    CapabilityBoundingSet = "";
    AmbientCapabilities = "";
    ProtectSystem = "strict";
    ProtectHome = true;
    PrivateTmp = true;
    PrivateDevices = true;
    ProtectKernelTunables = true;
    ProtectKernelModules = true;
    ProtectKernelLogs = true;
    ProtectControlGroups = true;
    ProtectClock = true;
    ProtectHostname = true;
    ProtectProc = "invisible";
    RestrictNamespaces = true;
    RestrictRealtime = true;
    RestrictSUIDSGID = true;
    RestrictAddressFamilies = [ "AF_UNIX" "AF_INET" "AF_INET6" ];
    LockPersonality = true;
    # The JIT compilers write machine code and then run it: W^X memory would kill the JVM at start.
    MemoryDenyWriteExecute = false;
    SystemCallArchitectures = "native";
    SystemCallFilter = [ "@system-service" "~@privileged" ];
    SystemCallErrorNumber = "EPERM";
    RemoveIPC = true;
    UMask = "0077";
  };

  localDatabase = cfg.database.url != null && config.services.postgresql.enable;
  conflicting = attrNames (builtins.intersectAttrs environment credentials);
  badNames = filter (env: !procurator.isEnvironmentName env) (attrNames cfg.secretFiles);
in
{
  imports = [ ../procurator.nix ];

  options.services.procurator.${name} = {
    enable = mkEnableOption "the Procurator ${row.title} (${row.description})";

    package = mkOption {
      type = types.package;
      default = top.package;
      defaultText = literalExpression "config.services.procurator.package";
      description = "The package holding `share/procurator/${name}.jar`.";
    };

    port = mkOption {
      type = types.port;
      default = row.port;
      description = "Port of the service's HTTP API and dashboard (`SERVER_PORT`).";
    };

    openFirewall = mkOption {
      type = types.bool;
      default = false;
      description = "Whether to open the service's ports in the firewall.";
    };

    database = {
      url = mkOption {
        type = types.nullOr types.str;
        default = top.database.url;
        defaultText = literalExpression "config.services.procurator.database.url";
        description = "JDBC URL of the service's PostgreSQL database (`PROCURATOR_DB_URL`); null: embedded H2 in the data directory.";
      };
      user = mkOption {
        type = types.nullOr types.str;
        default = top.database.user;
        defaultText = literalExpression "config.services.procurator.database.user";
        description = "Database user (`PROCURATOR_DB_USER`).";
      };
      passwordFile = mkOption {
        type = types.nullOr procurator.secretFile;
        default = top.database.passwordFile;
        defaultText = literalExpression "config.services.procurator.database.passwordFile";
        description = "File holding the database password (`PROCURATOR_DB_PASSWORD`).";
      };
    };

    jvmOptions = mkOption {
      type = types.listOf types.str;
      default = top.jvmOptions;
      defaultText = literalExpression "config.services.procurator.jvmOptions";
      example = [ "-Xmx1g" ];
      description = "Options of this service's JVM, before `-jar`.";
    };

    settings = mkOption {
      type = types.attrsOf types.anything;
      default = { };
      example = literalExpression ''{ procurator.cache.max-upload-size = "16GB"; server.tomcat.threads.max = 50; }'';
      description = ''
        Spring Boot properties, passed as environment variables by relaxed binding (`procurator.cache.fsync = true`
        becomes `PROCURATOR_CACHE_FSYNC=true`); lists are joined with commas, null leaves a property unset. Every
        `procurator.<service>.*` setting of the service's README can be set here. Not for secrets: see `secretFiles`.
      '';
    };

    extraEnvironment = mkOption {
      type = types.attrsOf types.str;
      default = { };
      example = { JAVA_TOOL_OPTIONS = "-Djava.net.preferIPv4Stack=true"; };
      description = "More environment variables; they win over those the module sets. Not for secrets: see `secretFiles`.";
    };

    secretFiles = mkOption {
      type = types.attrsOf procurator.secretFile;
      default = { };
      example = { PROCURATOR_CACHE_STORAGE_SECRETKEY = "/run/keys/s3-secret-key"; };
      description = ''
        Environment variables whose values are read from files when the service starts (systemd credentials),
        keyed by variable name; each file holds one line. The values never enter the Nix store or the unit.
      '';
    };
  } // mapAttrs (option: spec: mkOption {
    inherit (spec) type default;
    description = "${spec.description} (`${spec.env}`)";
  }) row.options;

  config = mkIf cfg.enable {
    assertions = [
      {
        assertion = badNames == [ ];
        message = "services.procurator.${name}.secretFiles: not environment variable names: ${concatStringsSep ", " badNames}";
      }
      {
        assertion = conflicting == [ ];
        message = "services.procurator.${name}: ${concatStringsSep ", " conflicting} would be set both as a plain variable and from a file";
      }
    ];

    systemd.services.${unit} = {
      description = "Procurator ${row.title}";
      wantedBy = [ "multi-user.target" ];
      wants = [ "network-online.target" ] ++ optional localDatabase "postgresql.service";
      after = [ "network-online.target" ] ++ optional localDatabase "postgresql.service";
      inherit environment script;
      serviceConfig = {
        Type = "exec";
        User = unit;
        Group = unit;
        StateDirectory = "procurator/${name}";
        StateDirectoryMode = "0700";
        WorkingDirectory = dataDir;
        LoadCredential = mkIf (credentials != { }) (mapAttrsToList (env: file: "${env}:${file}") credentials);
        Restart = "on-failure";
        RestartSec = "5s";
        # A JVM stopped by SIGTERM shuts down gracefully and exits with 128 + 15.
        SuccessExitStatus = 143;
      } // mapAttrs (key: value: mkDefault value) hardening;
    };

    networking.firewall.allowedTCPPorts = mkIf cfg.openFirewall [ cfg.port ];
  };
}
