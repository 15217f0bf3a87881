# `services.procurator`: what all Procurator services on a host share — the package holding the jars, the JDK that
# runs them, the bootstrap admin token, the database defaults, JVM options and where each peer service answers.
{ config, lib, pkgs, ... }:
let
  inherit (lib) literalExpression mapAttrs mkOption types;
  procurator = import ./lib/procurator.nix { inherit lib; };
  cfg = config.services.procurator;
in
{
  options.services.procurator = {
    package = mkOption {
      type = types.package;
      example = literalExpression "pkgs.callPackage ./procurator.nix { }";
      description = ''
        The Procurator jars, one runnable jar per service at `share/procurator/<service>.jar` (`forge.jar`,
        `ci-service.jar`, `cache-service.jar`, `control-plane.jar`, `worker-agent.jar`, `secret-manager.jar`,
        `observability.jar`): the files `./mvnw package` leaves in `<service>/target/`. nixpkgs has no package
        yet; nix/README.md shows a derivation for prebuilt jars.
      '';
    };

    jdk = mkOption {
      type = types.package;
      default = pkgs.jdk21_headless;
      defaultText = literalExpression "pkgs.jdk21_headless";
      description = "The Java runtime (21 or newer) that runs the services: `<jdk>/bin/java -jar <service>.jar`.";
    };

    adminTokenFile = mkOption {
      type = types.nullOr procurator.secretFile;
      default = null;
      example = "/run/keys/procurator-admin-token";
      description = ''
        File holding the bootstrap admin token every service accepts (`PROCURATOR_ADMIN_TOKEN`), e.g. made with
        `openssl rand -hex 32`. null: each service generates its own into `<data dir>/admin-token` on first start.
      '';
    };

    jvmOptions = mkOption {
      type = types.listOf types.str;
      default = [ ];
      example = [ "-Xmx512m" "-XX:+UseSerialGC" ];
      description = "Options for every service's JVM, before `-jar`; a service's own `jvmOptions` replace them.";
    };

    database = {
      url = mkOption {
        type = types.nullOr types.str;
        default = null;
        example = "jdbc:postgresql://localhost:5432/procurator";
        description = ''
          JDBC URL of the PostgreSQL database the services keep their tables in (each in a schema of its own).
          null: every service uses an embedded H2 database in its data directory.
        '';
      };
      user = mkOption {
        type = types.nullOr types.str;
        default = null;
        example = "procurator";
        description = "Database user; null: the driver's default.";
      };
      passwordFile = mkOption {
        type = types.nullOr procurator.secretFile;
        default = null;
        example = "/run/keys/procurator-db-password";
        description = "File holding the database password (`PROCURATOR_DB_PASSWORD`).";
      };
    };

    peers = mapAttrs (name: service: mkOption {
      type = types.str;
      default = "http://localhost:${toString cfg.${name}.port}";
      defaultText = literalExpression ''"http://localhost:''${toString config.services.procurator.${name}.port}"'';
      example = "http://${name}.example.org:${toString service.port}";
      description = "Base URL of the ${service.title} as the other services reach it (`${service.urlEnv}`).";
    }) procurator.services;

    controlPlaneRpc = mkOption {
      type = types.listOf types.str;
      default = [ "localhost:${toString cfg.control-plane.rpcPort}" ];
      defaultText = literalExpression ''[ "localhost:''${toString config.services.procurator.control-plane.rpcPort}" ]'';
      example = [ "cp1.example.org:7441" "cp2.example.org:7441" "cp3.example.org:7441" ];
      description = ''
        The control plane's Cap'n Proto endpoints (`host:port`), every instance of an HA control plane; clients
        find the leader among them (`PROCURATOR_CONTROL_PLANE_RPC`).
      '';
    };
  };
}
