package dev.procurator.schema.blueprint;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The desired state of a cluster as {@code nix/lib/cluster.nix} writes it ({@code blueprintJSON}): VMs by name. The
 * records mirror that JSON field for field, so any JSON mapper reads and writes them without annotations
 * ({@code Map<String, Blueprint.Vm>} is the JSON's shape); {@link BlueprintCapnp} converts them to and from the
 * Cap'n Proto {@code VmSpec}. The CI service, the control plane and the worker agents all read this one model.
 *
 * @param vms the VMs, sorted by name
 */
public record Blueprint(SortedMap<String, Vm> vms) {

    public static final Set<String> BACKENDS = Set.of("cloud-hypervisor", "qemu");
    public static final Set<String> STRATEGIES = Set.of("rolling", "blue-green", "canary");
    public static final Set<String> CHECK_TYPES = Set.of("http", "tcp", "exec");

    private static final Pattern VM_NAME = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");

    public Blueprint {
        vms = Collections.unmodifiableSortedMap(new TreeMap<>(Objects.requireNonNull(vms, "vms")));
    }

    public static Blueprint of(Map<String, Vm> vms) {
        return new Blueprint(new TreeMap<>(vms));
    }

    /**
     * What is wrong with this blueprint, each problem naming its option as cluster.nix does
     * ({@code vms.web.cpu: must be a positive number, got 0}); empty when it is valid. cluster.nix already checks all
     * of this at evaluation time: this guards every other way a blueprint can arrive (an RPC client, a stored file).
     */
    public List<String> problems() {
        List<String> problems = new ArrayList<>();
        vms.forEach((name, vm) -> {
            String path = "vms." + name;
            if (!VM_NAME.matcher(name).matches()) {
                problems.add(path + ": a VM name must be a DNS label (lower-case letters, digits and '-')");
            }
            if (vm == null) {
                problems.add(path + ": is missing");
                return;
            }
            vm.collectProblems(path, problems);
        });
        return problems;
    }

    /**
     * One VM ({@code vms.<name>}).
     *
     * @param ports guest TCP ports the VM serves
     */
    public record Vm(String role, double cpu, Memory memory, List<String> labels, int replicas, List<Integer> ports,
                     Deployment deployment) {

        public Vm {
            labels = labels == null ? List.of() : List.copyOf(labels);
            ports = ports == null ? List.of() : List.copyOf(ports);
        }

        void collectProblems(String path, List<String> problems) {
            if (!(cpu > 0)) {
                problems.add(path + ".cpu: must be a positive number, got " + cpu);
            }
            if (memory == null || memory.megabytes() <= 0) {
                problems.add(path + ".memory: must be a positive amount");
            }
            if (replicas < 1) {
                problems.add(path + ".replicas: must be a positive integer, got " + replicas);
            }
            for (int i = 0; i < ports.size(); i++) {
                checkPort(path + ".ports[" + i + "]", ports.get(i), problems);
            }
            if (ports.size() != Set.copyOf(ports).size()) {
                problems.add(path + ".ports: lists a port twice: " + ports);
            }
            if (deployment == null) {
                problems.add(path + ".deployment: is missing");
            } else {
                deployment.collectProblems(path + ".deployment", replicas, problems);
            }
        }
    }

    /** Guest memory; {@code megabytes} is the amount in MiB, rounded up, so consumers never convert units. */
    public record Memory(double amount, String unit, long megabytes) {
    }

    /** How the VM is run and rolled out ({@code vms.<name>.deployment}). */
    public record Deployment(String addr, String backend, String sshUser, int sshPort, List<HealthCheck> healthChecks,
                             boolean autoRollback, Strategy strategy) {

        public Deployment {
            healthChecks = healthChecks == null ? List.of() : List.copyOf(healthChecks);
        }

        void collectProblems(String path, int replicas, List<String> problems) {
            if (!BACKENDS.contains(backend)) {
                problems.add(path + ".backend: must be one of " + sorted(BACKENDS) + ", got " + quoted(backend));
            }
            checkPort(path + ".sshPort", sshPort, problems);
            for (int i = 0; i < healthChecks.size(); i++) {
                HealthCheck check = healthChecks.get(i);
                String checkPath = path + ".healthChecks[" + i + "]";
                if (check == null) {
                    problems.add(checkPath + ": is missing");
                } else {
                    check.collectProblems(checkPath, problems);
                }
            }
            if (strategy == null) {
                problems.add(path + ".strategy: is missing");
            } else {
                strategy.collectProblems(path + ".strategy", replicas, problems);
            }
        }
    }

    /**
     * One health check. {@code port}, {@code path}, {@code expectedStatus} and {@code body} belong to http (port alone
     * to tcp), {@code command} to exec; the others are null. Times are seconds.
     */
    public record HealthCheck(String type, boolean enabled, int interval, int timeout, int retries, int initialDelay,
                              Integer port, String path, Integer expectedStatus, String body, String command) {

        public static HealthCheck http(int port, String path, int expectedStatus, String body, int interval,
                                       int timeout, int retries, int initialDelay) {
            return new HealthCheck("http", true, interval, timeout, retries, initialDelay, port, path, expectedStatus,
                    body, null);
        }

        public static HealthCheck tcp(int port, int interval, int timeout, int retries, int initialDelay) {
            return new HealthCheck("tcp", true, interval, timeout, retries, initialDelay, port, null, null, null, null);
        }

        public static HealthCheck exec(String command, int interval, int timeout, int retries, int initialDelay) {
            return new HealthCheck("exec", true, interval, timeout, retries, initialDelay, null, null, null, null,
                    command);
        }

        /** A short label for status pages and health results: {@code http :8080/health}, {@code tcp :5432}. */
        public String name() {
            return switch (type) {
                case "http" -> "http :" + port + path;
                case "tcp" -> "tcp :" + port;
                default -> "exec " + command;
            };
        }

        void collectProblems(String path, List<String> problems) {
            if (!CHECK_TYPES.contains(type)) {
                problems.add(path + ".type: must be one of " + sorted(CHECK_TYPES) + ", got " + quoted(type));
                return;
            }
            if (interval < 1) {
                problems.add(path + ".interval: must be a positive integer, got " + interval);
            }
            if (timeout < 1 || timeout > interval) {
                problems.add(path + ".timeout: (" + timeout + "s) must be positive and not exceed interval");
            }
            if (retries < 1) {
                problems.add(path + ".retries: must be a positive integer, got " + retries);
            }
            if (initialDelay < 0) {
                problems.add(path + ".initialDelay: must be an integer >= 0, got " + initialDelay);
            }
            switch (type) {
                case "http" -> {
                    checkPort(path + ".port", port, problems);
                    if (this.path == null || !this.path.startsWith("/")) {
                        problems.add(path + ".path: must start with '/', got " + quoted(this.path));
                    }
                    if (expectedStatus == null || expectedStatus < 100 || expectedStatus > 599) {
                        problems.add(path + ".expectedStatus: must be an HTTP status code (100-599), got "
                                + expectedStatus);
                    }
                }
                case "tcp" -> checkPort(path + ".port", port, problems);
                default -> {
                    if (command == null || command.isBlank()) {
                        problems.add(path + ".command: must be a non-empty string");
                    }
                }
            }
        }
    }

    /**
     * The rollout strategy, in Nomad's vocabulary (times in seconds). {@code keepOld} belongs to blue-green;
     * {@code canaryReplicas}, {@code autoPromote} and {@code promoteAfter} to canary; the others are null.
     */
    public record Strategy(String type, int maxParallel, int minHealthyTime, int healthyDeadline, int progressDeadline,
                           Integer keepOld, Integer canaryReplicas, Boolean autoPromote, Integer promoteAfter) {

        public static Strategy rolling(int maxParallel, int minHealthyTime, int healthyDeadline, int progressDeadline) {
            return new Strategy("rolling", maxParallel, minHealthyTime, healthyDeadline, progressDeadline, null, null,
                    null, null);
        }

        void collectProblems(String path, int replicas, List<String> problems) {
            if (!STRATEGIES.contains(type)) {
                problems.add(path + ".type: must be one of " + sorted(STRATEGIES) + ", got " + quoted(type));
                return;
            }
            if (maxParallel < 1) {
                problems.add(path + ".maxParallel: must be a positive integer, got " + maxParallel);
            }
            if (minHealthyTime < 0 || minHealthyTime >= healthyDeadline) {
                problems.add(path + ".minHealthyTime: (" + minHealthyTime + "s) must be >= 0 and less than "
                        + "healthyDeadline (" + healthyDeadline + "s)");
            }
            if (healthyDeadline >= progressDeadline) {
                problems.add(path + ".healthyDeadline: (" + healthyDeadline + "s) must be less than progressDeadline ("
                        + progressDeadline + "s)");
            }
            if (type.equals("blue-green") && (keepOld == null || keepOld < 0)) {
                problems.add(path + ".keepOld: must be an integer >= 0, got " + keepOld);
            }
            if (type.equals("canary")) {
                if (canaryReplicas == null || canaryReplicas < 1 || canaryReplicas > replicas) {
                    problems.add(path + ".canaryReplicas: (" + canaryReplicas + ") must be positive and not exceed "
                            + "the VM's replicas (" + replicas + ")");
                }
                if (autoPromote == null) {
                    problems.add(path + ".autoPromote: must be true or false");
                }
                if (promoteAfter == null || promoteAfter < 0) {
                    problems.add(path + ".promoteAfter: must be an integer >= 0, got " + promoteAfter);
                }
            }
        }
    }

    private static void checkPort(String path, Integer port, List<String> problems) {
        if (port == null || port < 1 || port > 65535) {
            problems.add(path + ": must be a port number (1-65535), got " + port);
        }
    }

    private static List<String> sorted(Set<String> values) {
        return values.stream().sorted().map(Blueprint::quoted).toList();
    }

    private static String quoted(String value) {
        return value == null ? "null" : "\"" + value + "\"";
    }
}
