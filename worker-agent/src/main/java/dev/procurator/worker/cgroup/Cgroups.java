package dev.procurator.worker.cgroup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * CPU and memory limits for each VMM process, in a cgroup of its own under {@code <root>/<parent>}: cgroup v2
 * ({@code cpu.max}, {@code memory.max}) on current distributions and NixOS, cgroup v1 ({@code cpu.cfs_quota_us},
 * {@code memory.limit_in_bytes}) where the host has only v1. Where neither is writable the limits are
 * {@link Mode#UNSUPPORTED} and every VM reports so: a limit is never silently dropped.
 */
public final class Cgroups {

    private static final Logger log = LoggerFactory.getLogger(Cgroups.class);
    private static final long PERIOD_MICROS = 100_000;

    public enum Mode { V2, V1, UNSUPPORTED }

    private final Path root;
    private final String parent;
    private final Mode mode;
    private final String reason;

    private Cgroups(Path root, String parent, Mode mode, String reason) {
        this.root = root;
        this.parent = parent;
        this.mode = mode;
        this.reason = reason;
    }

    /** Looks at the hierarchy mounted at {@code root} (normally {@code /sys/fs/cgroup}). */
    public static Cgroups detect(Path root, String parent) {
        Path controllers = root.resolve("cgroup.controllers");
        if (Files.isRegularFile(controllers)) {
            String available = read(controllers);
            if (available.contains("cpu") && available.contains("memory") && Files.isWritable(root)) {
                return new Cgroups(root, parent, Mode.V2, "cgroup v2");
            }
            return new Cgroups(root, parent, Mode.UNSUPPORTED, "cgroup v2 at " + root
                    + " without writable cpu and memory controllers (" + available.strip() + ")");
        }
        Path cpu = root.resolve("cpu");
        Path memory = root.resolve("memory");
        if (Files.isRegularFile(cpu.resolve("cpu.cfs_quota_us")) && Files.isRegularFile(memory.resolve("memory.limit_in_bytes"))
                && Files.isWritable(cpu) && Files.isWritable(memory)) {
            return new Cgroups(root, parent, Mode.V1, "cgroup v1");
        }
        return new Cgroups(root, parent, Mode.UNSUPPORTED, "no writable cgroup v2 or v1 cpu and memory hierarchy under " + root);
    }

    public Mode mode() {
        return mode;
    }

    /** "cgroup v2", "cgroup v1", or why limits cannot be applied here. */
    public String description() {
        return reason;
    }

    /**
     * Creates (or takes over) the group {@code name} with these limits.
     *
     * @throws CgroupException when the limits cannot be written (the VM is then reported failed, not run unlimited)
     */
    public Group create(String name, double cpus, long memoryBytes) {
        if (mode == Mode.UNSUPPORTED) {
            return Group.unsupported(reason);
        }
        long quota = Math.max(1000, Math.round(cpus * PERIOD_MICROS));
        try {
            if (mode == Mode.V2) {
                Path parentDir = Files.createDirectories(root.resolve(parent));
                enableControllers(root);
                enableControllers(parentDir);
                Path dir = Files.createDirectories(parentDir.resolve(name));
                write(dir.resolve("cpu.max"), quota + " " + PERIOD_MICROS);
                write(dir.resolve("memory.max"), Long.toString(memoryBytes));
                write(dir.resolve(V2_WEIGHT.file()), Long.toString(V2_WEIGHT.of(cpus)));
                V2_WEIGHT.balance(dir, root);
                return new Group(List.of(dir), Map.of("cpu.max", dir.resolve("cpu.max"), "memory.max",
                        dir.resolve("memory.max")), reason, null, root);
            }
            Path cpuDir = Files.createDirectories(root.resolve("cpu").resolve(parent).resolve(name));
            Path memoryDir = Files.createDirectories(root.resolve("memory").resolve(parent).resolve(name));
            write(cpuDir.resolve("cpu.cfs_period_us"), Long.toString(PERIOD_MICROS));
            write(cpuDir.resolve("cpu.cfs_quota_us"), Long.toString(quota));
            write(cpuDir.resolve(V1_WEIGHT.file()), Long.toString(V1_WEIGHT.of(cpus)));
            V1_WEIGHT.balance(cpuDir, root.resolve("cpu"));
            write(memoryDir.resolve("memory.limit_in_bytes"), Long.toString(memoryBytes));
            Map<String, Path> files = new LinkedHashMap<>();
            files.put("cpu.cfs_quota_us", cpuDir.resolve("cpu.cfs_quota_us"));
            files.put("cpu.cfs_period_us", cpuDir.resolve("cpu.cfs_period_us"));
            files.put("memory.limit_in_bytes", memoryDir.resolve("memory.limit_in_bytes"));
            return new Group(List.of(cpuDir, memoryDir), files, reason, null, root.resolve("cpu"));
        } catch (IOException e) {
            throw new CgroupException("cannot set " + reason + " limits for " + name + ": " + e.getMessage());
        }
    }

    /** The group {@code name} as it exists after an agent restart (for its cleanup). */
    public Group existing(String name) {
        return switch (mode) {
            case V2 -> new Group(List.of(root.resolve(parent).resolve(name)), Map.of(), reason, null, root);
            case V1 -> new Group(List.of(root.resolve("cpu").resolve(parent).resolve(name),
                    root.resolve("memory").resolve(parent).resolve(name)), Map.of(), reason, null, root.resolve("cpu"));
            case UNSUPPORTED -> Group.unsupported(reason);
        };
    }

    private static void enableControllers(Path dir) throws IOException {
        Path control = dir.resolve("cgroup.subtree_control");
        if (Files.exists(control) && !(read(control).contains("cpu") && read(control).contains("memory"))) {
            write(control, "+cpu +memory");
        }
    }

    private static void write(Path file, String value) throws IOException {
        Files.writeString(file, value);
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return "";
        }
    }

    /**
     * One VMM's group: the directories it spans (one per hierarchy) and its limit files.
     *
     * @param unsupported why there are no limits, or null when they are applied
     */
    public record Group(List<Path> dirs, Map<String, Path> limitFiles, String description, String unsupported,
                        Path cpuHierarchy) {

        static Group unsupported(String reason) {
            return new Group(List.of(), Map.of(), reason, "resource limits unsupported on this host: " + reason, null);
        }

        /** The {@code cgroup.procs} files a process writes its pid to, to join this group in every hierarchy. */
        public List<Path> procsFiles() {
            return dirs.stream().map(d -> d.resolve("cgroup.procs")).toList();
        }

        /** Removes the (empty) group after its VMM has exited, and rebalances its parents' CPU weight. */
        public void remove() {
            for (Path dir : dirs) {
                try {
                    Files.deleteIfExists(dir);
                } catch (IOException e) {
                    log.warn("Cannot remove cgroup {}: {}", dir, e.getMessage());
                }
            }
            if (!dirs.isEmpty()) {
                Weight weight = cpuHierarchy.getFileName().toString().equals("cpu") ? V1_WEIGHT : V2_WEIGHT;
                try {
                    weight.balance(dirs.get(0), cpuHierarchy);
                } catch (IOException e) {
                    log.warn("Cannot rebalance the CPU weight above {}: {}", dirs.get(0), e.getMessage());
                }
            }
        }
    }

    private static final Weight V1_WEIGHT = new Weight("cpu.shares", 1024, 2, 262_144);
    private static final Weight V2_WEIGHT = new Weight("cpu.weight", 100, 1, 10_000);

    /**
     * CPU weight ({@code cpu.shares} in v1, {@code cpu.weight} in v2). A group competes with the processes beside it
     * as one process of its weight, so the agent's groups, left at the default, would give all VMs together the CPU
     * of a single process (on a busy host: a small fraction). Each VM group weighs its cores times the default, and
     * each group above it the sum of its children: the VMs compete as if they ran directly on the host.
     */
    private record Weight(String file, long unit, long min, long max) {

        long of(double cpus) {
            return Math.max(min, Math.min(max, Math.round(unit * Math.max(cpus, 1))));
        }

        /** Sets every ancestor of {@code group} below {@code hierarchy} to the sum of its children's weights. */
        void balance(Path group, Path hierarchy) throws IOException {
            for (Path dir = group.getParent(); dir != null && dir.startsWith(hierarchy) && !dir.equals(hierarchy);
                 dir = dir.getParent()) {
                long total = 0;
                try (var children = Files.list(dir)) {
                    for (Path child : children.filter(Files::isDirectory).toList()) {
                        String value = read(child.resolve(file)).strip();
                        total += value.isEmpty() ? 0 : Long.parseLong(value);
                    }
                }
                write(dir.resolve(file), Long.toString(Math.max(unit, Math.min(max, total))));
            }
        }
    }
}
