package dev.procurator.autonix.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.procurator.autonix.testing.Fixtures;
import dev.procurator.common.process.ProcessResult;
import dev.procurator.common.testing.NixSandbox;
import dev.procurator.common.testing.RequiresTool;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** nix/lib/cluster.nix evaluated by the real nix: defaults filled in, bad input rejected with a message naming it. */
@RequiresTool("nix")
class ClusterModelIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Path MODEL = Fixtures.PROJECT_ROOT.resolve("nix/lib/cluster.nix");

    @TempDir
    Path temp;

    @Test
    void anEmptyVmGetsEveryDefault() {
        JsonNode blueprint = JSON.readTree(eval("vms.web = { };").requireSuccess().stdout());

        assertThat(blueprint).isEqualTo(JSON.readTree("""
                {"web": {
                  "role": "service", "cpu": 1, "memory": {"amount": 1, "unit": "GB", "megabytes": 1024},
                  "labels": [], "replicas": 1, "ports": [],
                  "deployment": {"addr": null, "backend": "cloud-hypervisor", "sshUser": "root", "sshPort": 22,
                    "healthChecks": [], "autoRollback": true,
                    "strategy": {"type": "rolling", "maxParallel": 1, "minHealthyTime": 10, "healthyDeadline": 300,
                                 "progressDeadline": 600}}}}
                """));
    }

    @Test
    void healthChecksAndCanaryStrategiesAreCompleted() {
        JsonNode deployment = JSON.readTree(eval("""
                vms.api = {
                  replicas = 3;
                  memory = { amount = 0.5; unit = "GB"; };
                  deployment.healthChecks = [
                    { type = "http"; port = 8080; body = "ok"; }
                    { type = "exec"; command = "systemctl is-active api"; timeout = 2; }
                  ];
                  deployment.strategy = { type = "canary"; canaryReplicas = 2; };
                };
                """).requireSuccess().stdout()).path("api");

        assertThat(deployment.path("memory").path("megabytes").asInt()).isEqualTo(512);
        assertThat(deployment.path("deployment").path("healthChecks")).isEqualTo(JSON.readTree("""
                [{"type": "http", "port": 8080, "path": "/", "expectedStatus": 200, "body": "ok", "enabled": true,
                  "interval": 10, "timeout": 5, "retries": 3, "initialDelay": 0},
                 {"type": "exec", "command": "systemctl is-active api", "enabled": true,
                  "interval": 10, "timeout": 2, "retries": 3, "initialDelay": 0}]
                """));
        assertThat(deployment.path("deployment").path("strategy")).isEqualTo(JSON.readTree("""
                {"type": "canary", "maxParallel": 1, "canaryReplicas": 2, "autoPromote": false, "promoteAfter": 300,
                 "minHealthyTime": 10, "healthyDeadline": 300, "progressDeadline": 600}
                """));
    }

    @Test
    void portsAndBlueGreenStrategiesAreCompleted() {
        JsonNode web = JSON.readTree(eval("""
                vms.web = { ports = [ 80 443 ]; deployment.strategy = { type = "blue-green"; minHealthyTime = 5; }; };
                """).requireSuccess().stdout()).path("web");

        assertThat(web.path("ports")).isEqualTo(JSON.readTree("[80, 443]"));
        assertThat(web.path("deployment").path("strategy")).isEqualTo(JSON.readTree("""
                {"type": "blue-green", "maxParallel": 1, "keepOld": 60, "minHealthyTime": 5, "healthyDeadline": 300,
                 "progressDeadline": 600}
                """));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            vms.web.deployment.backend = "xen";  | vms.web.deployment.backend: must be one of "cloud-hypervisor", "qemu", got "xen"
            vms.web.cpu = 0;                     | vms.web.cpu: must be a positive number, got 0
            vms.web.cpu = -1.5;                  | vms.web.cpu: must be a positive number, got -1.5
            vms.web.memory.unit = "TB";          | vms.web.memory.unit: must be one of "GB", "MB", got "TB"
            vms.web.memory.amount = "1";         | vms.web.memory.amount: must be a positive number, got "1"
            vms.web.replicas = 0;                | vms.web.replicas: must be a positive integer, got 0
            vms.web.cpus = 2;                    | vms.web: unknown option(s) "cpus"; known options: "role", "cpu", "memory", "labels", "replicas", "ports", "deployment"
            vms.web.ports = [ 80 80 ];           | vms.web.ports: lists a port twice: [80,80]
            vms.web.ports = [ 0 ];               | vms.web.ports[0]: must be a port number (1-65535), got 0
            vms.Web = { };                       | vms."Web": a VM name must be a DNS label
            vms.web.labels = [ 1 ];              | vms.web.labels[0]: must be a non-empty string, got 1
            vms.web.deployment.sshPort = 70000;  | vms.web.deployment.sshPort: must be a port number (1-65535), got 70000
            vms.web.deployment.healthChecks = [ { type = "udp"; } ];                   | vms.web.deployment.healthChecks[0].type: must be one of "exec", "http", "tcp", got "udp"
            vms.web.deployment.healthChecks = [ { type = "http"; } ];                  | vms.web.deployment.healthChecks[0].port: is required
            vms.web.deployment.healthChecks = [ { type = "http"; port = 80; path = "health"; } ]; | vms.web.deployment.healthChecks[0].path: must be a path starting with '/', got "health"
            vms.web.deployment.healthChecks = [ { type = "tcp"; port = 5; path = "/"; } ]; | vms.web.deployment.healthChecks[0]: unknown option(s) "path"
            vms.web.deployment.healthChecks = [ { type = "tcp"; port = 5; timeout = 30; } ]; | vms.web.deployment.healthChecks[0].timeout: (30s) must not exceed interval (10s)
            vms.web.deployment.strategy.type = "yolo";                                 | vms.web.deployment.strategy.type: must be one of "blue-green", "canary", "rolling", got "yolo"
            vms.web.deployment.strategy = { type = "rolling"; canaryReplicas = 1; };   | vms.web.deployment.strategy: unknown option(s) "canaryReplicas"
            vms.web.deployment.strategy = { type = "rolling"; keepOld = 1; };          | vms.web.deployment.strategy: unknown option(s) "keepOld"
            vms.web.deployment.strategy.minHealthyTime = 300;                          | vms.web.deployment.strategy.minHealthyTime: (300s) must be less than healthyDeadline (300s)
            vms.web.deployment.strategy.healthyDeadline = 600;                         | vms.web.deployment.strategy.healthyDeadline: (600s) must be less than progressDeadline (600s)
            vms.web.deployment.strategy = { type = "canary"; autoPromote = 1; };       | vms.web.deployment.strategy.autoPromote: must be true or false, got 1
            vms.web.deployment.healthChecks = [ { type = "http"; port = 80; body = ""; } ]; | vms.web.deployment.healthChecks[0].body: must be a non-empty string, got ""
            vms.web.deployment.strategy = { type = "canary"; canaryReplicas = 2; };    | vms.web.deployment.strategy.canaryReplicas: (2) must not exceed the VM's replicas (1)
            vms.web.deployment.autoRollback = "yes";                                   | vms.web.deployment.autoRollback: must be true or false, got "yes"
            vms = [ ];                           | vms: must be an attribute set, got a list
            nodes = { };                         | cluster: unknown option(s) "nodes"; known options: "vms"
            """)
    void badInputFailsWithAMessageNamingTheOption(String cluster, String expectedError) {
        ProcessResult result = eval(cluster);

        assertThat(result.exitCode()).isNotZero();
        assertThat(result.stderr()).contains("error: procurator cluster: " + expectedError);
    }

    @Test
    void outputsGiveTheBlueprintAndEachVmsNixosConfiguration() {
        JsonNode outputs = JSON.readTree(evalOutputs("""
                vms.web = { replicas = 2; system = derivation { name = "web"; system = "x86_64-linux"; builder = "/x"; }; };
                vms.db.system = { config.system.build.toplevel = { name = "nixos-system-db"; }; options = { }; };
                """, "o: { inherit (o) blueprintJSON; toplevels = builtins.mapAttrs "
                + "(_: c: { inherit (c.config.system.build.toplevel) name; keys = builtins.attrNames c; }) "
                + "o.nixosConfigurations; }").requireSuccess().stdout());

        JsonNode blueprint = outputs.path("blueprintJSON");
        assertThat(blueprint.path("web").path("replicas").asInt()).isEqualTo(2);
        assertThat(blueprint.path("web").has("system")).as("system is not part of the blueprint").isFalse();
        assertThat(blueprint.path("db").path("cpu").asInt()).as("defaults filled in").isEqualTo(1);
        assertThat(outputs.path("toplevels")).as("a derivation is wrapped, a configuration kept as it is")
                .isEqualTo(JSON.readTree("""
                        {"web": {"name": "web", "keys": ["config"]},
                         "db": {"name": "nixos-system-db", "keys": ["config", "options"]}}
                        """));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            vms.web = { };              | vms.web.system: is required by cluster.outputs
            vms.web.system = "/nix/store/x"; | vms.web.system: must be a NixOS configuration (nixpkgs.lib.nixosSystem { ... }) or a derivation in the NixOS toplevel layout, got a string
            """)
    void outputsRejectAVmWithoutASystem(String cluster, String expectedError) {
        ProcessResult result = evalOutputs(cluster, "o: o.nixosConfigurations.web");

        assertThat(result.exitCode()).isNotZero();
        assertThat(result.stderr()).contains("error: procurator cluster: " + expectedError);
    }

    @Test
    void outputsValidateTheBlueprintAsTheModelDoes() {
        ProcessResult result = evalOutputs("vms.web = { cpus = 2; system = { config = { }; }; };", "o: o.blueprintJSON");

        assertThat(result.exitCode()).isNotZero();
        assertThat(result.stderr()).contains("error: procurator cluster: vms.web: unknown option(s) \"cpus\"");
    }

    private ProcessResult evalOutputs(String cluster, String apply) {
        String expression = "(import " + MODEL + ").outputs { " + cluster + " }";
        return new NixSandbox(temp).nix(temp, "eval", "--json", "--impure", "--expr", expression, "--apply", apply);
    }

    private ProcessResult eval(String cluster) {
        String expression = "import " + MODEL + " { " + cluster + " }";
        return new NixSandbox(temp).nix(temp, "eval", "--json", "--impure", "--expr", expression);
    }
}
