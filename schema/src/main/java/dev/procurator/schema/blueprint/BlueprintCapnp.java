package dev.procurator.schema.blueprint;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.capnproto.StructList;

import dev.procurator.schema.Common;

/**
 * Converts {@link Blueprint} VMs to and from the Cap'n Proto {@code VmSpec} (common.capnp), field for field, so a
 * blueprint survives the trip CI → control plane → worker unchanged.
 */
public final class BlueprintCapnp {

    private BlueprintCapnp() {
    }

    public static void write(Blueprint blueprint, StructList.Builder<Common.VmSpec.Builder> specs) {
        int i = 0;
        for (Map.Entry<String, Blueprint.Vm> vm : blueprint.vms().entrySet()) {
            write(vm.getKey(), vm.getValue(), specs.get(i++));
        }
    }

    public static Blueprint read(StructList.Reader<Common.VmSpec.Reader> specs) {
        Map<String, Blueprint.Vm> vms = new TreeMap<>();
        for (Common.VmSpec.Reader spec : specs) {
            vms.put(spec.getName().toString(), read(spec));
        }
        return new Blueprint(new TreeMap<>(vms));
    }

    public static void write(String name, Blueprint.Vm vm, Common.VmSpec.Builder spec) {
        spec.setName(name);
        spec.setRole(vm.role());
        spec.setCpu(vm.cpu());
        Common.Memory.Builder memory = spec.initMemory();
        memory.setAmount(vm.memory().amount());
        memory.setUnit(memoryUnit(vm.memory().unit()));
        var labels = spec.initLabels(vm.labels().size());
        for (int i = 0; i < vm.labels().size(); i++) {
            labels.set(i, new org.capnproto.Text.Reader(vm.labels().get(i)));
        }
        spec.setReplicas(vm.replicas());
        var ports = spec.initPorts(vm.ports().size());
        for (int i = 0; i < vm.ports().size(); i++) {
            ports.set(i, (short) (int) vm.ports().get(i));
        }
        writeDeployment(vm.deployment(), spec.initDeployment());
    }

    public static Blueprint.Vm read(Common.VmSpec.Reader spec) {
        Common.Memory.Reader memory = spec.getMemory();
        String unit = memoryUnit(memory.getUnit());
        List<String> labels = new ArrayList<>();
        for (var label : spec.getLabels()) {
            labels.add(label.toString());
        }
        List<Integer> ports = new ArrayList<>();
        var portList = spec.getPorts();
        for (int i = 0; i < portList.size(); i++) {
            ports.add(Short.toUnsignedInt(portList.get(i)));
        }
        return new Blueprint.Vm(spec.getRole().toString(), spec.getCpu(),
                new Blueprint.Memory(memory.getAmount(), unit, megabytes(memory.getAmount(), unit)), labels,
                spec.getReplicas(), ports, readDeployment(spec.getDeployment()));
    }

    private static void writeDeployment(Blueprint.Deployment deployment, Common.Deployment.Builder out) {
        out.setAddr(deployment.addr() == null ? "" : deployment.addr());
        out.setBackend(switch (deployment.backend()) {
            case "qemu" -> Common.Backend.QEMU;
            case "cloud-hypervisor" -> Common.Backend.CLOUD_HYPERVISOR;
            default -> throw new IllegalArgumentException("unknown backend " + deployment.backend());
        });
        out.setSshUser(deployment.sshUser());
        out.setSshPort((short) deployment.sshPort());
        out.setAutoRollback(deployment.autoRollback());
        var checks = out.initHealthChecks(deployment.healthChecks().size());
        for (int i = 0; i < deployment.healthChecks().size(); i++) {
            writeCheck(deployment.healthChecks().get(i), checks.get(i));
        }
        writeStrategy(deployment.strategy(), out.initStrategy());
    }

    private static Blueprint.Deployment readDeployment(Common.Deployment.Reader in) {
        List<Blueprint.HealthCheck> checks = new ArrayList<>();
        for (Common.HealthCheck.Reader check : in.getHealthChecks()) {
            checks.add(readCheck(check));
        }
        String addr = in.getAddr().toString();
        return new Blueprint.Deployment(addr.isEmpty() ? null : addr,
                in.getBackend() == Common.Backend.QEMU ? "qemu" : "cloud-hypervisor", in.getSshUser().toString(),
                Short.toUnsignedInt(in.getSshPort()), checks, in.getAutoRollback(), readStrategy(in.getStrategy()));
    }

    private static void writeCheck(Blueprint.HealthCheck check, Common.HealthCheck.Builder out) {
        out.setName(check.name());
        out.setEnabled(check.enabled());
        out.setIntervalSeconds(check.interval());
        out.setTimeoutSeconds(check.timeout());
        out.setFailureThreshold(check.retries());
        out.setInitialDelaySeconds(check.initialDelay());
        switch (check.type()) {
            case "http" -> {
                Common.HealthCheck.Http.Builder http = out.initHttp();
                http.setPort((short) (int) check.port());
                http.setPath(check.path());
                http.setExpectStatus((short) (int) check.expectedStatus());
                http.setBody(check.body() == null ? "" : check.body());
            }
            case "tcp" -> out.initTcp().setPort((short) (int) check.port());
            case "exec" -> out.initExec().setCommand(check.command());
            default -> throw new IllegalArgumentException("unknown health check type " + check.type());
        }
    }

    private static Blueprint.HealthCheck readCheck(Common.HealthCheck.Reader in) {
        int interval = in.getIntervalSeconds();
        int timeout = in.getTimeoutSeconds();
        int retries = in.getFailureThreshold();
        int initialDelay = in.getInitialDelaySeconds();
        Blueprint.HealthCheck check = switch (in.which()) {
            case HTTP -> {
                Common.HealthCheck.Http.Reader http = in.getHttp();
                String body = http.getBody().toString();
                yield Blueprint.HealthCheck.http(Short.toUnsignedInt(http.getPort()), http.getPath().toString(),
                        Short.toUnsignedInt(http.getExpectStatus()), body.isEmpty() ? null : body, interval, timeout,
                        retries, initialDelay);
            }
            case TCP -> Blueprint.HealthCheck.tcp(Short.toUnsignedInt(in.getTcp().getPort()), interval, timeout,
                    retries, initialDelay);
            case EXEC -> Blueprint.HealthCheck.exec(in.getExec().getCommand().toString(), interval, timeout, retries,
                    initialDelay);
            default -> throw new IllegalArgumentException("health check of an unknown type " + in.which());
        };
        return in.getEnabled() ? check : new Blueprint.HealthCheck(check.type(), false, interval, timeout, retries,
                initialDelay, check.port(), check.path(), check.expectedStatus(), check.body(), check.command());
    }

    private static void writeStrategy(Blueprint.Strategy strategy, Common.RolloutStrategy.Builder out) {
        out.setMinHealthySeconds(strategy.minHealthyTime());
        out.setHealthyDeadlineSeconds(strategy.healthyDeadline());
        out.setProgressDeadlineSeconds(strategy.progressDeadline());
        switch (strategy.type()) {
            case "rolling" -> out.initRolling().setMaxParallel(strategy.maxParallel());
            case "blue-green" -> {
                Common.RolloutStrategy.BlueGreen.Builder blueGreen = out.initBlueGreen();
                blueGreen.setMaxParallel(strategy.maxParallel());
                blueGreen.setKeepOldSeconds(strategy.keepOld());
            }
            case "canary" -> {
                Common.RolloutStrategy.Canary.Builder canary = out.initCanary();
                canary.setMaxParallel(strategy.maxParallel());
                canary.setCanaryReplicas(strategy.canaryReplicas());
                canary.setPauseAfterCanary(!strategy.autoPromote());
                canary.setPromoteAfterSeconds(strategy.promoteAfter());
            }
            default -> throw new IllegalArgumentException("unknown strategy type " + strategy.type());
        }
    }

    private static Blueprint.Strategy readStrategy(Common.RolloutStrategy.Reader in) {
        int minHealthy = in.getMinHealthySeconds();
        int healthyDeadline = in.getHealthyDeadlineSeconds();
        int progressDeadline = in.getProgressDeadlineSeconds();
        return switch (in.which()) {
            case ROLLING -> Blueprint.Strategy.rolling(in.getRolling().getMaxParallel(), minHealthy, healthyDeadline,
                    progressDeadline);
            case BLUE_GREEN -> new Blueprint.Strategy("blue-green", in.getBlueGreen().getMaxParallel(), minHealthy,
                    healthyDeadline, progressDeadline, in.getBlueGreen().getKeepOldSeconds(), null, null, null);
            case CANARY -> {
                Common.RolloutStrategy.Canary.Reader canary = in.getCanary();
                yield new Blueprint.Strategy("canary", canary.getMaxParallel(), minHealthy, healthyDeadline,
                        progressDeadline, null, canary.getCanaryReplicas(), !canary.getPauseAfterCanary(),
                        canary.getPromoteAfterSeconds());
            }
            default -> throw new IllegalArgumentException("rollout strategy of an unknown type " + in.which());
        };
    }

    private static Common.MemoryUnit memoryUnit(String unit) {
        return switch (unit) {
            case "MB" -> Common.MemoryUnit.MB;
            case "GB" -> Common.MemoryUnit.GB;
            case "TB" -> Common.MemoryUnit.TB;
            default -> throw new IllegalArgumentException("unknown memory unit " + unit);
        };
    }

    private static String memoryUnit(Common.MemoryUnit unit) {
        return switch (unit) {
            case MB -> "MB";
            case GB -> "GB";
            case TB -> "TB";
            default -> throw new IllegalArgumentException("memory unit unknown to this version: " + unit);
        };
    }

    private static long megabytes(double amount, String unit) {
        long perUnit = switch (unit) {
            case "GB" -> 1024L;
            case "TB" -> 1024L * 1024;
            default -> 1L;
        };
        return (long) Math.ceil(amount * perUnit);
    }
}
