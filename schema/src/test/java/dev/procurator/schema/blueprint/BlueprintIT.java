package dev.procurator.schema.blueprint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;

import org.capnproto.MessageBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.procurator.common.testing.NixSandbox;
import dev.procurator.common.testing.RequiresTool;
import dev.procurator.schema.Common;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** The model reads what the real cluster.nix writes, and survives the trip through Cap'n Proto unchanged. */
@RequiresTool("nix")
class BlueprintIT {

    private static final Path MODEL = Path.of("../nix/lib/cluster.nix").toAbsolutePath().normalize();
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path temp;

    @Test
    void everyOptionOfClusterNixRoundTripsThroughCapnp() {
        Blueprint blueprint = evaluate("""
                vms.web = {
                  role = "web"; cpu = 0.5; replicas = 3; labels = [ "frontend" "eu" ]; ports = [ 80 8443 ];
                  memory = { amount = 1.5; unit = "GB"; };
                  deployment = {
                    addr = "10.0.0.5"; sshUser = "ops"; sshPort = 2222;
                    healthChecks = [
                      { type = "http"; port = 80; path = "/health"; expectedStatus = 204; body = "ok"; initialDelay = 3; }
                      { type = "tcp"; port = 8443; interval = 5; timeout = 1; retries = 2; enabled = false; }
                      { type = "exec"; command = "test -e /run/ready"; }
                    ];
                    strategy = { type = "canary"; canaryReplicas = 2; autoPromote = true; promoteAfter = 30;
                                 maxParallel = 2; minHealthyTime = 5; healthyDeadline = 60; progressDeadline = 120; };
                  };
                };
                vms.db = { memory = { amount = 512; unit = "MB"; }; deployment = { backend = "qemu"; autoRollback = false;
                           strategy = { type = "blue-green"; keepOld = 0; }; }; };
                vms.cache = { };
                """);

        assertEquals(java.util.List.of(), blueprint.problems());
        assertEquals(1536, blueprint.vms().get("web").memory().megabytes());

        MessageBuilder message = new MessageBuilder();
        Common.Generation.Builder generation = message.initRoot(Common.Generation.factory);
        BlueprintCapnp.write(blueprint, generation.initBlueprint(blueprint.vms().size()));
        Blueprint back = BlueprintCapnp.read(generation.asReader().getBlueprint());

        assertEquals(blueprint, back);
        assertEquals("http :80/health",
                generation.asReader().getBlueprint().get(2).getDeployment().getHealthChecks().get(0).getName().toString());
    }

    @Test
    void problemsNameTheOptionLikeClusterNixDoes() {
        Blueprint valid = evaluate("vms.web = { replicas = 2; deployment.strategy = { type = \"canary\"; }; };");
        Blueprint.Vm web = valid.vms().get("web");
        Blueprint.Deployment d = web.deployment();
        Blueprint.Strategy s = d.strategy();

        Blueprint broken = Blueprint.of(Map.of(
                "Web", web,
                "api", new Blueprint.Vm("api", 0, web.memory(), web.labels(), 0, java.util.List.of(80, 80), d),
                "db", new Blueprint.Vm("db", 1, web.memory(), web.labels(), 1, web.ports(),
                        new Blueprint.Deployment(null, "xen", "root", 22, d.healthChecks(), true,
                                new Blueprint.Strategy("canary", 1, 10, 300, 600, null, 3, false, 300))),
                "mq", new Blueprint.Vm("mq", 1, web.memory(), web.labels(), 1, web.ports(),
                        new Blueprint.Deployment(null, "qemu", "root", 22,
                                java.util.List.of(Blueprint.HealthCheck.http(0, "health", 700, null, 10, 20, 3, 0)), true,
                                new Blueprint.Strategy("yolo", s.maxParallel(), 10, 300, 600, null, null, null, null)))));

        var problems = broken.problems();

        assertTrue(problems.contains("vms.Web: a VM name must be a DNS label (lower-case letters, digits and '-')"), problems::toString);
        assertTrue(problems.contains("vms.api.cpu: must be a positive number, got 0.0"), problems::toString);
        assertTrue(problems.contains("vms.api.replicas: must be a positive integer, got 0"), problems::toString);
        assertTrue(problems.contains("vms.api.ports: lists a port twice: [80, 80]"), problems::toString);
        assertTrue(problems.contains("vms.db.deployment.backend: must be one of [\"cloud-hypervisor\", \"qemu\"], got \"xen\""), problems::toString);
        assertTrue(problems.contains("vms.db.deployment.strategy.canaryReplicas: (3) must be positive and not exceed the VM's replicas (1)"), problems::toString);
        assertTrue(problems.contains("vms.mq.deployment.healthChecks[0].port: must be a port number (1-65535), got 0"), problems::toString);
        assertTrue(problems.contains("vms.mq.deployment.healthChecks[0].path: must start with '/', got \"health\""), problems::toString);
        assertTrue(problems.contains("vms.mq.deployment.healthChecks[0].timeout: (20s) must be positive and not exceed interval"), problems::toString);
        assertTrue(problems.contains("vms.mq.deployment.strategy.type: must be one of [\"blue-green\", \"canary\", \"rolling\"], got \"yolo\""), problems::toString);
        assertTrue(problems.contains("vms.mq.deployment.healthChecks[0].expectedStatus: must be an HTTP status code (100-599), got 700"), problems::toString);
        assertTrue(problems.contains("vms.api.deployment.strategy.canaryReplicas: (1) must be positive and not exceed the VM's replicas (0)"), problems::toString);
        assertEquals(12, problems.size(), problems::toString);
    }

    private Blueprint evaluate(String cluster) {
        String json = new NixSandbox(temp).nix(temp, "eval", "--json", "--impure", "--expr",
                "import " + MODEL + " { " + cluster + " }").requireSuccess().stdout();
        return Blueprint.of(JSON.readValue(json, new TypeReference<Map<String, Blueprint.Vm>>() { }));
    }
}
