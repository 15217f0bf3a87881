# The Procurator services, one row each: the one place that knows their default ports and the environment variables
# that are theirs alone. What every service shares (port, data directory, database, admin token, peer URLs) is set by
# lib/service.nix; a variable without a line here still reaches a service through its `settings`, `extraEnvironment`
# or `secretFiles`.
#
# A row's `urlEnv` is the variable that tells the other services where it answers; `environment` holds fixed
# variables; each entry of its `options` becomes the option `services.procurator.<service>.<entry>` and is passed to the
# service as the variable `env`:
#   - a plain value: `null` leaves the variable unset (the service's own default applies), a list is joined with
#     commas (Spring binds that to a list), a bool is `true`/`false`, a number its decimal text;
#   - `secret`: the option holds the path of a file, read when the service starts through a systemd credential, so
#     the value never enters the Nix store, the unit file or `systemctl show`.
# Adding a variable is adding a line here.
{ lib, secretFile }:
let
  # A setting the service has its own default for.
  optional = env: type: description: { inherit env description; type = lib.types.nullOr type; default = null; };
  secret = env: description: { inherit env description; type = lib.types.nullOr secretFile; default = null; secret = true; };
in
{
  forge = {
    title = "forge";
    description = "git hosting: repositories, pushes over HTTP, tokens, commit statuses, push webhooks";
    port = 7410;
    urlEnv = "PROCURATOR_FORGE_URL";
    options = { };
  };

  ci-service = {
    title = "CI service";
    description = "pipelines: nix flake check, blueprint evaluation, closure builds, cache publishing, deployments";
    port = 7420;
    urlEnv = "PROCURATOR_CI_URL";
    # Pipelines run `nix flake check`, `nix eval` and `nix build`; enabled for this service only, not host-wide.
    environment.NIX_CONFIG = "extra-experimental-features = nix-command flakes";
    options = {
      webhookSecretFile = secret "PROCURATOR_CI_WEBHOOK_SECRET"
        "File holding the HMAC secret of the forge's push webhook (the one the hook is created with); null: generated into the data directory.";
      forgeTokenFile = secret "PROCURATOR_FORGE_TOKEN"
        "File holding the forge token the CI fetches repositories and reports commit statuses with.";
      cacheTokenFile = secret "PROCURATOR_CACHE_TOKEN"
        "File holding a `write` token of the binary cache the CI publishes closures to.";
      cache = optional "PROCURATOR_CI_CACHE" lib.types.str
        "The binary cache pipelines publish closures to; null: the service's default.";
    };
  };

  cache-service = {
    title = "binary cache";
    description = "a Nix binary cache: signed narinfos, NARs on disk or S3, tokens, size limits, GC roots";
    port = 7430;
    urlEnv = "PROCURATOR_CACHE_URL";
    options = { };
  };

  control-plane = {
    title = "control plane";
    description = "desired state, worker registry, scheduling and rollouts of microVMs (Cap'n Proto RPC)";
    port = 7440;
    urlEnv = "PROCURATOR_CONTROL_PLANE_URL";
    options = {
      rpcPort = {
        env = "PROCURATOR_RPC_PORT";
        type = lib.types.port;
        default = 7441;
        description = "Port of the Cap'n Proto `Master` endpoint that workers and the CI service call.";
      };
    };
  };

  worker-agent = {
    title = "worker agent";
    description = "runs this host's microVMs: assignments, closures from the cache, VMMs, health checks";
    port = 7450;
    urlEnv = "PROCURATOR_WORKER_AGENT_URL";
    # The agent fetches closures with `nix copy`.
    environment.NIX_CONFIG = "extra-experimental-features = nix-command";
    options = {
      workerId = optional "PROCURATOR_WORKER_ID" lib.types.str
        "The name this worker registers under; null: the agent's default.";
      labels = {
        env = "PROCURATOR_WORKER_LABELS";
        type = lib.types.listOf lib.types.str;
        default = [ ];
        description = "Labels the scheduler matches against VMs' `labels` (e.g. `[ \"ssd\" \"eu-west\" ]`).";
      };
      cachePublicKey = optional "PROCURATOR_CACHE_PUBLIC_KEY" lib.types.str
        "Public key of the platform's binary cache (`GET /api/v1/caches/main` → `publicKey`), e.g. `procurator-main-1:...`; closures must carry its signature.";
    };
  };

  secret-manager = {
    title = "secret manager";
    description = "envelope-encrypted secrets with key rotation, injected into VMs, with an audit log";
    port = 7460;
    urlEnv = "PROCURATOR_SECRETS_URL";
    options = { };
  };

  observability = {
    title = "observability";
    description = "metrics, logs, uptime and alerts of the platform and its VMs";
    port = 7470;
    urlEnv = "PROCURATOR_OBSERVABILITY_URL";
    options = { };
  };
}
