package dev.procurator.autonix.nixos;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

import dev.procurator.autonix.testing.Fixtures;
import dev.procurator.common.process.Command;
import dev.procurator.common.process.ProcessResult;
import dev.procurator.common.process.ProcessRunner;
import dev.procurator.common.testing.NixSandbox;
import dev.procurator.common.testing.RequiresTool;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The NixOS modules under nix/modules, evaluated by the real nix with the module-system stand-in of nix/tests (no
 * nixpkgs here): the units, users, firewall and Nix settings a host gets, the errors a bad configuration gets, the
 * start script run for real, and the stand-in's own semantics.
 */
@RequiresTool("nix")
class NixosModulesIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Path NIX = Fixtures.PROJECT_ROOT.resolve("nix");
    private static final Path EVAL = NIX.resolve("tests/eval.nix");
    private static final String PACKAGE = "services.procurator.package = pkgs.procurator; ";

    @TempDir
    Path temp;

    static Stream<Path> nixFiles() throws IOException {
        try (Stream<Path> files = Stream.concat(Files.walk(NIX.resolve("modules")), Files.walk(NIX.resolve("tests")))) {
            return files.filter(file -> file.toString().endsWith(".nix")).sorted().toList().stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("nixFiles")
    void everyFileParses(Path file) {
        new NixSandbox(temp).run(temp, "nix-instantiate", "--parse", file.toString()).requireSuccess();
    }

    @Test
    void withNothingEnabledTheModulesChangeNothing() {
        JsonNode both = JSON.readTree(eval("""
                let host = procurator: let c = import %s { inherit procurator; };
                                       in c // { services = removeAttrs c.services [ "procurator" ]; };
                in { withModules = host true; withoutModules = host false; }
                """.formatted(EVAL)).requireSuccess().stdout());

        assertThat(both.path("withModules")).isEqualTo(both.path("withoutModules"));
        assertThat(both.path("withModules").path("systemd").path("services").isEmpty()).isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            forge          | 7410 |
            ci-service     | 7420 |
            cache-service  | 7430 |
            control-plane  | 7440 |
            worker-agent   | 7450 | worker-agent = { kvmModule = "kvm-intel"; cachePublicKey = "procurator-main-1:AAAA"; };
            secret-manager | 7460 |
            observability  | 7470 |
            """)
    void eachServiceGetsAHardenedUnitWithoutSecretsInIt(String service, int port, String extra) {
        JsonNode host = host("services.procurator = { adminTokenFile = \"/run/keys/admin\"; %s.enable = true; %s };"
                .formatted(service, extra == null ? "" : extra), "");
        JsonNode unit = host.path("systemd").path("services").path("procurator-" + service);
        JsonNode env = unit.path("environment");
        JsonNode serviceConfig = unit.path("serviceConfig");
        String jar = packagePath() + "/share/procurator/" + service + ".jar";

        assertThat(host.path("systemd").path("services").propertyNames()).containsExactly("procurator-" + service);
        assertThat(serviceConfig.path("ExecStart").asString()).endsWith("/bin/procurator-" + service + "-start");
        assertThat(unit.path("script").asString())
                .endsWith("exec " + jdkPath() + "/bin/java -jar " + jar + "\n")
                .contains("for name in PROCURATOR_ADMIN_TOKEN; do");
        assertThat(env.path("SERVER_PORT").asString()).isEqualTo(Integer.toString(port));
        assertThat(env.path("PROCURATOR_DATA_DIR").asString()).isEqualTo("/var/lib/procurator/" + service);
        assertThat(env.path("PROCURATOR_CONTROL_PLANE_RPC").asString()).isEqualTo("localhost:7441");
        assertThat(env.path("PROCURATOR_CACHE_URL").asString()).isEqualTo("http://localhost:7430");
        assertThat(env.has("PROCURATOR_ADMIN_TOKEN")).isFalse();
        assertThat(env.has("PROCURATOR_DB_URL")).isFalse();
        assertThat(serviceConfig.path("LoadCredential")).isEqualTo(JSON.readTree("[\"PROCURATOR_ADMIN_TOKEN:/run/keys/admin\"]"));
        assertThat(serviceConfig.path("StateDirectory").asString()).isEqualTo("procurator/" + service);
        assertThat(serviceConfig.path("WorkingDirectory").asString()).isEqualTo("/var/lib/procurator/" + service);
        assertThat(serviceConfig.path("Restart").asString()).isEqualTo("on-failure");
        assertThat(serviceConfig.path("SuccessExitStatus").asInt()).isEqualTo(143);
        assertThat(serviceConfig.path("NoNewPrivileges").asBoolean()).isTrue();
        assertThat(serviceConfig.path("ProtectSystem").asString()).isEqualTo("strict");
        assertThat(serviceConfig.path("ProtectHome").asBoolean()).isTrue();
        assertThat(serviceConfig.path("ProtectKernelTunables").asBoolean()).isTrue();
        assertThat(serviceConfig.path("RestrictSUIDSGID").asBoolean()).isTrue();
        assertThat(serviceConfig.path("MemoryDenyWriteExecute").asBoolean(true)).as("the JIT needs W+X memory").isFalse();
        assertThat(serviceConfig.path("SystemCallFilter").get(0).asString()).isEqualTo("@system-service");
        assertThat(strings(serviceConfig.path("RestrictAddressFamilies"))).contains("AF_UNIX", "AF_INET", "AF_INET6");
        assertThat(strings(unit.path("after"))).containsExactly("network-online.target");
        assertThat(strings(unit.path("wantedBy"))).containsExactly("multi-user.target");
        assertThat(host.path("networking").path("firewall").path("allowedTCPPorts").isEmpty()).isTrue();
        if (!service.equals("worker-agent")) {
            assertThat(serviceConfig.path("DynamicUser").asBoolean()).isTrue();
            assertThat(serviceConfig.path("User").asString()).isEqualTo("procurator-" + service);
            assertThat(serviceConfig.path("CapabilityBoundingSet").asString()).isEmpty();
            assertThat(serviceConfig.path("PrivateTmp").asBoolean()).isTrue();
            assertThat(serviceConfig.path("PrivateDevices").asBoolean()).isTrue();
            assertThat(serviceConfig.path("SystemCallFilter").get(1).asString()).isEqualTo("~@privileged");
            assertThat(host.path("users").path("users").isEmpty()).isTrue();
        }
    }

    @Test
    void openFirewallOpensTheServicePortsAndPeersFollowAMovedPort() {
        JsonNode host = host("""
                services.procurator = {
                  forge = { enable = true; port = 8410; openFirewall = true; };
                  control-plane = { enable = true; openFirewall = true; rpcPort = 8441; };
                  cache-service.enable = true;
                };
                """, "");
        JsonNode cacheEnv = host.path("systemd").path("services").path("procurator-cache-service").path("environment");

        assertThat(ints(host.path("networking").path("firewall").path("allowedTCPPorts")))
                .containsExactlyInAnyOrder(8410, 7440, 8441);
        assertThat(cacheEnv.path("PROCURATOR_FORGE_URL").asString()).isEqualTo("http://localhost:8410");
        assertThat(cacheEnv.path("PROCURATOR_CONTROL_PLANE_RPC").asString()).isEqualTo("localhost:8441");
        assertThat(host.path("systemd").path("services").path("procurator-control-plane").path("environment")
                .path("PROCURATOR_RPC_PORT").asString()).isEqualTo("8441");
    }

    @Test
    void everySecretBecomesACredentialAndNeverAVariable() {
        JsonNode unit = host("""
                services.procurator = {
                  adminTokenFile = "/run/keys/admin";
                  database = { url = "jdbc:postgresql://db.example.org/procurator"; user = "procurator"; passwordFile = "/run/keys/db"; };
                  ci-service = {
                    enable = true;
                    webhookSecretFile = "/run/keys/hook";
                    forgeTokenFile = "/run/keys/forge";
                    cacheTokenFile = "/run/keys/cache";
                    secretFiles.PROCURATOR_CI_SIGNING_KEY = "/run/keys/signing";
                  };
                };
                """, ".systemd.services.procurator-ci-service");
        JsonNode env = unit.path("environment");

        assertThat(strings(unit.path("serviceConfig").path("LoadCredential"))).containsExactlyInAnyOrder(
                "PROCURATOR_ADMIN_TOKEN:/run/keys/admin", "PROCURATOR_DB_PASSWORD:/run/keys/db",
                "PROCURATOR_CI_WEBHOOK_SECRET:/run/keys/hook", "PROCURATOR_FORGE_TOKEN:/run/keys/forge",
                "PROCURATOR_CACHE_TOKEN:/run/keys/cache", "PROCURATOR_CI_SIGNING_KEY:/run/keys/signing");
        for (String secret : List.of("PROCURATOR_ADMIN_TOKEN", "PROCURATOR_DB_PASSWORD", "PROCURATOR_CI_WEBHOOK_SECRET",
                "PROCURATOR_FORGE_TOKEN", "PROCURATOR_CACHE_TOKEN", "PROCURATOR_CI_SIGNING_KEY")) {
            assertThat(env.has(secret)).as(secret).isFalse();
        }
        assertThat(env.toString()).doesNotContain("/run/keys");
        assertThat(env.path("PROCURATOR_DB_URL").asString()).isEqualTo("jdbc:postgresql://db.example.org/procurator");
        assertThat(env.path("PROCURATOR_DB_USER").asString()).isEqualTo("procurator");
    }

    @Test
    void theStartScriptExportsEachCredentialAndStartsTheJar() throws IOException {
        Path credentials = Files.createDirectories(temp.resolve("credentials"));
        Files.writeString(credentials.resolve("PROCURATOR_ADMIN_TOKEN"), "pcr_admin token\n");
        Files.writeString(credentials.resolve("PROCURATOR_FORGE_EXTRA"), "no-newline");

        ProcessResult started = start("""
                services.procurator = {
                  adminTokenFile = "/run/keys/admin";
                  jvmOptions = [ "-Xmx256m" "-Dprocurator.note=two words" ];
                  forge = { enable = true; secretFiles.PROCURATOR_FORGE_EXTRA = "/run/keys/extra"; };
                };
                """, "procurator-forge", credentials).requireSuccess();

        assertThat(started.stdout().lines().filter(line -> line.startsWith("arg=")).toList()).containsExactly(
                "arg=-Xmx256m", "arg=-Dprocurator.note=two words", "arg=-jar",
                "arg=" + packagePath() + "/share/procurator/forge.jar");
        assertThat(started.stdout().lines().toList()).contains(
                "PROCURATOR_ADMIN_TOKEN=pcr_admin token", "PROCURATOR_FORGE_EXTRA=no-newline", "SERVER_PORT=7410",
                "PROCURATOR_DATA_DIR=/var/lib/procurator/forge");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            an empty file           | ''
            a blank first line      | '\\nx\\n'
            two lines               | 'pcr_one\\npcr_two\\n'
            """)
    void theStartScriptRefusesACredentialThatIsNotOneLine(String name, String content) throws IOException {
        Path credentials = Files.createDirectories(temp.resolve("credentials"));
        Files.writeString(credentials.resolve("PROCURATOR_ADMIN_TOKEN"), content.replace("\\n", "\n"));

        ProcessResult started = start("services.procurator = { adminTokenFile = \"/run/keys/admin\"; forge.enable = true; };",
                "procurator-forge", credentials);

        assertThat(started.exitCode()).isNotZero();
        assertThat(started.stdout()).doesNotContain("arg=-jar");
        assertThat(started.stderr()).contains("procurator-forge: the credential PROCURATOR_ADMIN_TOKEN ("
                + credentials.resolve("PROCURATOR_ADMIN_TOKEN") + ") must hold exactly one non-empty line");
    }

    @Test
    void settingsBecomeSpringsRelaxedVariablesAndExtraEnvironmentWins() {
        JsonNode env = host("""
                services.procurator.cache-service = {
                  enable = true;
                  settings = {
                    procurator.cache = { max-upload-size = "16GB"; fsync = true; storage.type = "s3"; narinfoCacheEntries = 5000; };
                    procurator.cache.storage.endpoint = null;
                    server.tomcat.threads.max = 50;
                    "spring.profiles.active" = [ "prod" "eu" ];
                  };
                  extraEnvironment = { JAVA_TOOL_OPTIONS = "-Dfile.encoding=UTF-8"; PROCURATOR_CACHE_FSYNC = "false"; };
                };
                """, ".systemd.services.procurator-cache-service.environment");

        assertThat(env.path("PROCURATOR_CACHE_MAXUPLOADSIZE").asString()).isEqualTo("16GB");
        assertThat(env.path("PROCURATOR_CACHE_STORAGE_TYPE").asString()).isEqualTo("s3");
        assertThat(env.path("PROCURATOR_CACHE_NARINFOCACHEENTRIES").asString()).isEqualTo("5000");
        assertThat(env.path("SERVER_TOMCAT_THREADS_MAX").asString()).isEqualTo("50");
        assertThat(env.path("SPRING_PROFILES_ACTIVE").asString()).isEqualTo("prod,eu");
        assertThat(env.has("PROCURATOR_CACHE_STORAGE_ENDPOINT")).isFalse();
        assertThat(env.path("PROCURATOR_CACHE_FSYNC").asString()).isEqualTo("false");
        assertThat(env.path("JAVA_TOOL_OPTIONS").asString()).isEqualTo("-Dfile.encoding=UTF-8");
    }

    @Test
    void aLocalPostgresqlOrdersTheServicesAfterIt() {
        JsonNode units = host("""
                services.postgresql.enable = true;
                services.procurator = {
                  database = { url = "jdbc:postgresql://localhost:5432/procurator"; passwordFile = "/run/keys/db"; };
                  forge.enable = true;
                  observability = { enable = true; database.url = null; };
                };
                """, ".systemd.services");

        assertThat(strings(units.path("procurator-forge").path("after")))
                .containsExactly("network-online.target", "postgresql.service");
        assertThat(strings(units.path("procurator-forge").path("wants"))).contains("postgresql.service");
        assertThat(strings(units.path("procurator-observability").path("after"))).containsExactly("network-online.target");
        assertThat(units.path("procurator-observability").path("environment").has("PROCURATOR_DB_URL")).isFalse();
        assertThat(units.path("procurator-observability").path("serviceConfig").has("LoadCredential"))
                .as("no database password without a database").isFalse();
    }

    @Test
    void theCiServiceRunsNixAndGitAndIsTrustedOnlyWhenAsked() {
        JsonNode plain = host("services.procurator.ci-service.enable = true;", "");
        JsonNode trusted = host("services.procurator.ci-service = { enable = true; trustedNixUser = true; };",
                ".nix.settings");
        JsonNode unit = plain.path("systemd").path("services").path("procurator-ci-service");

        assertThat(strings(unit.path("path"))).containsExactly(storePath("nix"), storePath("git"));
        assertThat(unit.path("environment").path("PATH").asString()).startsWith(storePath("nix") + "/bin:" + storePath("git") + "/bin:");
        assertThat(unit.path("environment").path("NIX_CONFIG").asString())
                .isEqualTo("extra-experimental-features = nix-command flakes");
        assertThat(strings(plain.path("nix").path("settings").path("trusted-users"))).containsExactly("root");
        assertThat(strings(trusted.path("trusted-users"))).containsExactly("root", "procurator-ci-service");
        assertThat(hostError("services.procurator.ci-service.enable = true; nix.enable = false;"))
                .contains("Failed assertions:", "- services.procurator.ci-service runs its pipelines through the Nix daemon");
    }

    @Test
    void theWorkerAgentKeepsItsVmsRunningWhenItStopsAndReachesKvmAndTaps() {
        JsonNode host = host("""
                services.procurator.worker-agent = {
                  enable = true;
                  kvmModule = "kvm-amd";
                  cachePublicKey = "procurator-main-1:AAAA";
                  labels = [ "ssd" "eu-west" ];
                  cloudHypervisor.enable = true;
                  substitute.netrcFile = "/run/keys/netrc";
                };
                """, "");
        JsonNode unit = host.path("systemd").path("services").path("procurator-worker-agent");
        JsonNode serviceConfig = unit.path("serviceConfig");
        JsonNode settings = host.path("nix").path("settings");

        assertThat(serviceConfig.path("KillMode").asString()).isEqualTo("process");
        assertThat(serviceConfig.path("Delegate").asBoolean()).isTrue();
        assertThat(serviceConfig.path("ProtectControlGroups").asBoolean(true)).isFalse();
        assertThat(serviceConfig.path("DynamicUser").asBoolean(true)).isFalse();
        assertThat(serviceConfig.path("User").asString()).isEqualTo("procurator-worker-agent");
        assertThat(strings(serviceConfig.path("SupplementaryGroups"))).containsExactly("kvm");
        assertThat(serviceConfig.path("PrivateDevices").asBoolean(true)).isFalse();
        assertThat(serviceConfig.path("DevicePolicy").asString()).isEqualTo("closed");
        assertThat(strings(serviceConfig.path("DeviceAllow"))).containsExactly("/dev/kvm rw", "/dev/net/tun rw", "/dev/vhost-net rw");
        assertThat(strings(serviceConfig.path("CapabilityBoundingSet"))).containsExactly("CAP_NET_ADMIN");
        assertThat(strings(serviceConfig.path("AmbientCapabilities"))).containsExactly("CAP_NET_ADMIN");
        assertThat(strings(serviceConfig.path("RestrictAddressFamilies"))).contains("AF_NETLINK");
        assertThat(serviceConfig.path("PrivateTmp").asBoolean(true)).isFalse();
        assertThat(serviceConfig.path("RemoveIPC").asBoolean(true)).isFalse();
        assertThat(serviceConfig.path("NoNewPrivileges").asBoolean()).isTrue();
        assertThat(strings(unit.path("path"))).containsExactly(
                storePath("nix"), storePath("qemu_kvm"), storePath("iproute2"), storePath("cloud-hypervisor"));
        assertThat(unit.path("environment").path("PROCURATOR_WORKER_LABELS").asString()).isEqualTo("ssd,eu-west");
        assertThat(unit.path("environment").path("PROCURATOR_CACHE_PUBLIC_KEY").asString()).isEqualTo("procurator-main-1:AAAA");
        assertThat(unit.path("environment").has("PROCURATOR_WORKER_ID")).isFalse();

        JsonNode user = host.path("users").path("users").path("procurator-worker-agent");
        assertThat(user.path("isSystemUser").asBoolean()).isTrue();
        assertThat(user.path("group").asString()).isEqualTo("procurator-worker-agent");
        assertThat(strings(user.path("extraGroups"))).containsExactly("kvm");
        assertThat(host.path("users").path("groups").has("procurator-worker-agent")).isTrue();
        assertThat(strings(host.path("boot").path("kernelModules"))).containsExactly("kvm-amd", "tun", "vhost_net");

        assertThat(strings(settings.path("substituters"))).containsExactly("http://localhost:7430/main", "https://cache.nixos.org/");
        assertThat(strings(settings.path("trusted-public-keys"))).contains("procurator-main-1:AAAA", "cache.nixos.org-1:6NCHdD59X431o0gWypbMrAURkbJ16ZPMQFGspcDShjY=");
        assertThat(settings.path("narinfo-cache-negative-ttl").asInt(-1)).isZero();
        assertThat(settings.path("netrc-file").asString()).isEqualTo("/run/keys/netrc");
        assertThat(strings(settings.path("trusted-users"))).as("the agent needs no trust").containsExactly("root");
    }

    @Test
    void aWorkerWithoutTheCacheKeyIsRefusedUnlessItDoesNotSubstitute() {
        assertThat(hostError("services.procurator.worker-agent = { enable = true; kvmModule = null; };"))
                .contains("Failed assertions:", "- services.procurator.worker-agent.cachePublicKey is required with substitute.enable");

        JsonNode host = host("services.procurator.worker-agent = { enable = true; kvmModule = null; substitute.enable = false; };", "");
        assertThat(strings(host.path("nix").path("settings").path("substituters"))).containsExactly("https://cache.nixos.org/");
        assertThat(strings(host.path("boot").path("kernelModules"))).containsExactly("tun", "vhost_net");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '~', textBlock = """
            services.procurator.forge = { enable = true; port = "x"; };           | A definition for option `services.procurator.forge.port' is not of type `16 bit unsigned integer; between 0 and 65535 (both inclusive)'. Definition values:
            services.procurator.forge = { enable = true; port = 70000; };         | A definition for option `services.procurator.forge.port' is not of type `16 bit unsigned integer; between 0 and 65535 (both inclusive)'.
            services.procurator.forge.enable = "yes";                             | A definition for option `services.procurator.forge.enable' is not of type `boolean'.
            services.procurator.forge = { enable = true; prot = 1; };             | The option `services.procurator.forge.prot' does not exist. Definition values:
            services.procurator.forgee.enable = true;                             | The option `services.procurator.forgee' does not exist.
            services.procurator.forge.enable = true; systemd.services.procurator-forge.serviceConfg = { };  | The option `systemd.services.procurator-forge.serviceConfg' does not exist.
            services.procurator = { forge.enable = true; adminTokenFile = ./admin-token; };                 | A definition for option `services.procurator.adminTokenFile' is not of type `null or absolute path (a string) of a file outside the Nix store'.
            services.procurator = { forge.enable = true; adminTokenFile = "/nix/store/x-admin-token"; };    | A definition for option `services.procurator.adminTokenFile' is not of type `null or absolute path (a string) of a file outside the Nix store'.
            services.procurator.forge = { enable = true; secretFiles.TOKEN = "token"; };                    | A definition for option `services.procurator.forge.secretFiles.TOKEN' is not of type `absolute path (a string) of a file outside the Nix store'.
            services.procurator.worker-agent = { enable = true; cachePublicKey = "k:1"; };                  | The option `services.procurator.worker-agent.kvmModule' was accessed but has no value defined. Try setting the option.
            services.procurator.worker-agent = { enable = true; cachePublicKey = "k:1"; kvmModule = "kvm"; }; | is not of type `null or one of "kvm-intel", "kvm-amd"'.
            services.procurator.forge = { enable = true; settings.procurator.forge.hook = x: x; };          | The option `services.procurator.forge.settings.procurator.forge.hook' cannot be passed as an environment variable: a lambda.
            services.procurator.forge = { enable = true; secretFiles."TOKEN; rm -rf /" = "/run/keys/t"; };  | - services.procurator.forge.secretFiles: not environment variable names: TOKEN; rm -rf /
            services.procurator = { adminTokenFile = "/run/keys/a"; forge = { enable = true; extraEnvironment.PROCURATOR_ADMIN_TOKEN = "x"; }; }; | - services.procurator.forge: PROCURATOR_ADMIN_TOKEN would be set both as a plain variable and from a file
            services.procurator.forge.enable = true; systemd.services.procurator-forge.serviceConfig.Restart = "always"; | The option `systemd.services.procurator-forge.serviceConfig.Restart' has conflicting definition values:
            """)
    void aBadHostConfigurationFailsNamingTheOption(String configuration, String expectedError) {
        assertThat(hostError(configuration)).contains(expectedError);
    }

    @Test
    void withoutThePackageAnEnabledServiceAsksForIt() {
        ProcessResult result = eval("(import %s { configuration = { services.procurator.forge.enable = true; }; })"
                .formatted(EVAL) + ".systemd.services");

        assertThat(result.exitCode()).isNotZero();
        assertThat(result.stderr()).contains(
                "The option `services.procurator.package' was accessed but has no value defined. Try setting the option.");
    }

    @Test
    void aHostOverridesTheHardeningWithAPlainDefinitionAndTheRestWithMkForce() {
        JsonNode serviceConfig = host("""
                services.procurator.forge.enable = true;
                systemd.services.procurator-forge.serviceConfig = {
                  ProtectHome = "read-only";
                  MemoryMax = "2G";
                  Restart = lib.mkForce "always";
                  SystemCallFilter = [ "~@mount" ];
                };
                """, ".systemd.services.procurator-forge.serviceConfig");

        assertThat(serviceConfig.path("ProtectHome").asString()).isEqualTo("read-only");
        assertThat(serviceConfig.path("MemoryMax").asString()).isEqualTo("2G");
        assertThat(serviceConfig.path("Restart").asString()).isEqualTo("always");
        assertThat(strings(serviceConfig.path("SystemCallFilter"))).as("the plain definition replaces the default")
                .containsExactly("~@mount");
        assertThat(serviceConfig.path("ProtectSystem").asString()).isEqualTo("strict");
    }

    @Test
    void theFlakeExposesTheModulesAsNixosModulesDefault() {
        NixSandbox sandbox = new NixSandbox(temp);
        String flake = "path:" + NIX.resolve("modules");

        assertThat(JSON.readTree(sandbox.nix(temp, "eval", "--json", flake + "#nixosModules", "--apply", "builtins.attrNames")
                .requireSuccess().stdout())).isEqualTo(JSON.readTree("[\"default\"]"));
        sandbox.nix(temp, "flake", "check", flake).requireSuccess();
        String viaFlake = eval("""
                ((import %s/lib).evalModules {
                  modules = [ %s/nixos/options.nix (builtins.getFlake "%s").nixosModules.default
                              ({ pkgs, ... }: { %s services.procurator.forge.enable = true; }) ];
                  specialArgs.pkgs = import %s/nixos/pkgs.nix;
                })
                """.formatted(NIX.resolve("tests"), NIX.resolve("tests"), flake, PACKAGE, NIX.resolve("tests"))
                + ".config.systemd.services").requireSuccess().stdout();
        assertThat(JSON.readTree(viaFlake).path("procurator-forge").path("script").asString())
                .isEqualTo(host("services.procurator.forge.enable = true;", ".systemd.services.procurator-forge.script").asString());
    }

    @Test
    void theReadmeHostConfigurationsEvaluate() throws IOException {
        String readme = Files.readString(NIX.resolve("README.md"));
        List<String> hosts = Pattern.compile("```nix\n(\\{ pkgs, \\.\\.\\. }:.*?)```", Pattern.DOTALL)
                .matcher(readme.substring(readme.indexOf("## NixOS modules"))).results().map(match -> match.group(1))
                .toList();
        assertThat(hosts).hasSize(2);

        for (String host : hosts) {
            // The README builds the package from jars next to the configuration; the stand-in has them in pkgs.
            String configuration = host.replace("pkgs.callPackage ./procurator.nix { }", "pkgs.procurator");
            JsonNode units = JSON.readTree(eval("(import %s { configuration = %s; }).systemd.services"
                    .formatted(EVAL, configuration)).requireSuccess().stdout());
            assertThat(units.propertyNames()).contains("procurator-worker-agent");
        }
    }

    // The stand-in's own semantics, which the assertions above rely on: the same as nixpkgs' lib/modules.nix.

    @Test
    void standInPrioritiesKeepTheHighestAndTheDefaultIsTheLowest() {
        assertThat(standIn("[ ]").asInt()).isEqualTo(1);
        assertThat(standIn("[ { a = lib.mkDefault 2; } ]").asInt()).isEqualTo(2);
        assertThat(standIn("[ { a = lib.mkDefault 2; } { a = 3; } ]").asInt()).isEqualTo(3);
        assertThat(standIn("[ { a = 3; } { a = lib.mkForce 4; } { a = lib.mkDefault 2; } ]").asInt()).isEqualTo(4);
        assertThat(standIn("[ { a = 3; } { a = 3; } ]").asInt()).as("equal values agree").isEqualTo(3);
    }

    @Test
    void standInMkIfFalseDefinesNothingAndListsConcatenateInOrder() {
        assertThat(standIn("[ { a = lib.mkIf false 5; } ]").asInt()).isEqualTo(1);
        assertThat(standIn("[ { l = [ \"b\" ]; } { l = lib.mkIf false [ \"x\" ]; } { l = lib.mkAfter [ \"c\" ]; } "
                + "{ l = lib.mkMerge [ [ \"b2\" ] (lib.mkBefore [ \"a\" ]) ]; } ]", ".l"))
                .isEqualTo(JSON.readTree("[\"a\", \"b\", \"b2\", \"c\"]"));
        assertThat(standIn("[ { s = lib.mkIf false { x = 1; }; } { s.y = lib.mkIf true 2; s.z = lib.mkIf false 3; } ]", ".s"))
                .isEqualTo(JSON.readTree("{\"y\": 2}"));
        assertThat(standIn("[ ({ config, ... }: lib.mkIf (config.a == 1) { l = [ \"seen\" ]; }) ]", ".l"))
                .as("a condition may read the configuration it is part of").isEqualTo(JSON.readTree("[\"seen\"]"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '~', textBlock = """
            [ { a = 2; } { a = 3; } ]                | The option `a' has conflicting definition values:
            [ { a = lib.mkIf 1 2; } ]                | mkIf called with a non-Boolean condition
            [ { l = [ 1 ]; } ]                       | A definition for option `l."[definition 1-entry 1]"' is not of type `string'.
            [ { s.x = 1; s.y = "two"; } ]            | A definition for option `s.y' is not of type `signed integer'.
            [ { b = 1; } ]                           | The option `b' does not exist.
            [ { options.a = lib.mkOption { }; } ]    | The option `a' in `<unknown-file>' is already declared in `<unknown-file>'.
            """)
    void standInErrorsNameTheOption(String modules, String expectedError) {
        ProcessResult result = eval(standInExpression(modules, ""));

        assertThat(result.exitCode()).isNotZero();
        assertThat(result.stderr()).contains(expectedError);
    }

    private JsonNode standIn(String modules) {
        return standIn(modules, ".a");
    }

    private JsonNode standIn(String modules, String select) {
        return JSON.readTree(eval(standInExpression(modules, select)).requireSuccess().stdout());
    }

    /** Options a (int, default 1), l (list of strings) and s (attribute set of ints), plus the given modules. */
    private static String standInExpression(String modules, String select) {
        return """
                let lib = import %s/lib; in
                (lib.evalModules { modules = [ {
                  options.a = lib.mkOption { type = lib.types.int; default = 1; };
                  options.l = lib.mkOption { type = lib.types.listOf lib.types.str; default = [ ]; };
                  options.s = lib.mkOption { type = lib.types.attrsOf lib.types.int; default = { }; };
                } ] ++ %s; }).config%s
                """.formatted(NIX.resolve("tests"), modules, select);
    }

    /**
     * The host configuration with the Procurator package and {@code body}, evaluated, then {@code select}ed; without a
     * selection, all of it but the options of services.procurator (as a host's system would: some have no default).
     */
    private JsonNode host(String body, String select) {
        String expression = select.isEmpty()
                ? "(c: c // { services = removeAttrs c.services [ \"procurator\" ]; }) " + hostExpression(body)
                : hostExpression(body) + select;
        return JSON.readTree(eval(expression).requireSuccess().stdout());
    }

    private String hostError(String body) {
        ProcessResult result = eval("(c: c // { services = removeAttrs c.services [ \"procurator\" ]; }) " + hostExpression(body));
        assertThat(result.exitCode()).as("the evaluation fails").isNotZero();
        return result.stderr();
    }

    private static String hostExpression(String body) {
        return "(import %s { configuration = { pkgs, lib, ... }: { %s %s }; })".formatted(EVAL, PACKAGE, body);
    }

    private ProcessResult eval(String expression) {
        return new NixSandbox(temp).nix(temp, "eval", "--json", "--impure", "--expr", expression);
    }

    /** The store path of a package of the stand-in pkgs (nix/tests/nixos/pkgs.nix). */
    private String storePath(String attribute) {
        return JSON.readTree(eval("\"${(import %s).%s}\"".formatted(NIX.resolve("tests/nixos/pkgs.nix"), attribute))
                .requireSuccess().stdout()).asString();
    }

    private String packagePath() {
        return storePath("procurator");
    }

    private String jdkPath() {
        return storePath("jdk21_headless");
    }

    /**
     * Runs a unit's ExecStart as systemd would: built, with the unit's environment, and with the credentials
     * directory systemd fills from LoadCredential. The stand-in JDK prints its arguments and environment.
     */
    private ProcessResult start(String body, String unitName, Path credentials) {
        String unitExpression = hostExpression(body) + ".systemd.services." + unitName;
        JsonNode unit = JSON.readTree(eval(unitExpression).requireSuccess().stdout());
        String execStart = unit.path("serviceConfig").path("ExecStart").asString();
        // The derivations behind ExecStart (a store path in JSON has lost its context), built as a switch would.
        NixSandbox sandbox = new NixSandbox(temp);
        JsonNode drvs = JSON.readTree(eval("builtins.attrNames (builtins.getContext %s.serviceConfig.ExecStart)"
                .formatted(unitExpression)).requireSuccess().stdout());
        for (JsonNode drv : drvs) {
            sandbox.run(temp, "nix-store", "--realise", drv.asString()).requireSuccess();
        }
        Map<String, String> environment = new HashMap<>();
        unit.path("environment").properties().forEach(entry -> environment.put(entry.getKey(), entry.getValue().asString()));
        environment.put("CREDENTIALS_DIRECTORY", credentials.toString());
        return new ProcessRunner().run(Command.of(execStart).in(temp).withEnv(environment));
    }

    private static List<String> strings(JsonNode array) {
        return array.valueStream().map(JsonNode::asString).toList();
    }

    private static List<Integer> ints(JsonNode array) {
        return array.valueStream().map(JsonNode::asInt).toList();
    }
}
