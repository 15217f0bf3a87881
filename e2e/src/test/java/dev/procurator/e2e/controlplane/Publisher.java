package dev.procurator.e2e.controlplane;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import dev.procurator.schema.Common;
import dev.procurator.schema.client.MasterEndpoints;

/**
 * Publishes generations to the control plane as the CI service does ({@code publishState} over real Cap'n Proto):
 * one source, VMs with their spec and rollout strategy, a closure per VM.
 */
final class Publisher {

    /** One VM of a generation: its spec (replicas, resources, strategy) and the closure it runs. */
    record Vm(String name, int replicas, double cpu, int memoryMb, String closure,
              Consumer<Common.RolloutStrategy.Builder> strategy) {

        /** Rolling, one at a time; a replica counts as healthy once it was healthy for {@code minHealthySeconds}. */
        static Vm rolling(String name, int replicas, String closure, int minHealthySeconds) {
            return new Vm(name, replicas, 0.5, 256, closure, s -> {
                s.initRolling().setMaxParallel(1);
                s.setMinHealthySeconds(minHealthySeconds);
            });
        }

        /** Canary: {@code canaries} replicas first, then a pause until an operator promotes. */
        static Vm canary(String name, int replicas, String closure, int canaries) {
            return new Vm(name, replicas, 0.5, 256, closure, s -> {
                var canary = s.initCanary();
                canary.setCanaryReplicas(canaries);
                canary.setPauseAfterCanary(true);
                canary.setMaxParallel(1);
                s.setMinHealthySeconds(1);
            });
        }
    }

    private final String rpcAddress;

    Publisher(String rpcAddress) {
        this.rpcAddress = rpcAddress;
    }

    /** Publishes the source's next generation; returns its number once the control plane holds it durably. */
    long publish(String repository, String branch, String commit, List<Vm> vms) throws Exception {
        try (MasterEndpoints.Connection connection = MasterEndpoints.parse(rpcAddress).connectToLeader(null, null)) {
            return connection.master().publishState(p -> {
                Common.Generation.Builder generation = p.initGeneration();
                generation.setRepository(repository);
                generation.setBranch(branch);
                generation.setGitCommit(commit);
                generation.setPipelineUrl("http://127.0.0.1:9/pipelines/1");
                var blueprint = generation.initBlueprint(vms.size());
                var closures = generation.initClosures(vms.size());
                for (int i = 0; i < vms.size(); i++) {
                    Vm vm = vms.get(i);
                    Common.VmSpec.Builder spec = blueprint.get(i);
                    spec.setName(vm.name());
                    spec.setRole("test");
                    spec.setCpu(vm.cpu());
                    spec.setReplicas(vm.replicas());
                    Common.Memory.Builder memory = spec.initMemory();
                    memory.setAmount(vm.memoryMb());
                    memory.setUnit(Common.MemoryUnit.MB);
                    Common.Deployment.Builder deployment = spec.initDeployment();
                    deployment.setBackend(Common.Backend.QEMU);
                    deployment.setAutoRollback(false);
                    vm.strategy().accept(deployment.initStrategy());
                    closures.get(i).setVm(vm.name());
                    closures.get(i).setStorePath(vm.closure());
                }
            }).get(30, TimeUnit.SECONDS).getNumber();
        }
    }

    /** A store path that looks like a NixOS system closure, named so a test can tell versions apart. */
    static String closure(String hashLetter, String vm) {
        // Nix hashes are base32 without e, o, u, t: pick letters among the others.
        return "/nix/store/" + hashLetter.repeat(32).substring(0, 32) + "-nixos-system-" + vm;
    }
}
