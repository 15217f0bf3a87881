package dev.procurator.worker.cgroup;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cgroup v2 and "unsupported" paths on file trees shaped like the kernel's (these machines have v1, which
 * {@code QemuWorkerIT} checks on the real hierarchy).
 */
class CgroupsTest {

    @TempDir
    Path root;

    @Test
    void cgroupV2WritesCpuMaxAndMemoryMaxAndEnablesTheControllers() throws Exception {
        Files.writeString(root.resolve("cgroup.controllers"), "cpuset cpu io memory pids\n");
        Files.writeString(root.resolve("cgroup.subtree_control"), "");
        Cgroups cgroups = Cgroups.detect(root, "procurator/host-1");
        assertThat(cgroups.mode()).isEqualTo(Cgroups.Mode.V2);

        Cgroups.Group group = cgroups.create("web.0", 1.5, 384L << 20);
        Path dir = root.resolve("procurator/host-1/web.0");
        assertThat(Files.readString(dir.resolve("cpu.max"))).isEqualTo("150000 100000");
        assertThat(Files.readString(dir.resolve("memory.max"))).isEqualTo(Long.toString(384L << 20));
        assertThat(Files.readString(root.resolve("cgroup.subtree_control"))).isEqualTo("+cpu +memory");
        assertThat(group.procsFiles()).containsExactly(dir.resolve("cgroup.procs"));
        assertThat(group.unsupported()).isNull();

        // CPU weight: the VM's cores times the default, each parent the sum of its children.
        cgroups.create("web.1", 2, 1L << 28);
        assertThat(Files.readString(dir.resolve("cpu.weight"))).isEqualTo("150");
        assertThat(Files.readString(root.resolve("procurator/host-1/cpu.weight"))).isEqualTo("350");
        assertThat(Files.readString(root.resolve("procurator/cpu.weight"))).isEqualTo("350");
        try (var files = Files.list(dir)) {
            for (Path file : files.toList()) {
                Files.delete(file);     // cgroupfs drops a group's files with the group itself; a plain directory does not
            }
        }
        group.remove();
        assertThat(dir).doesNotExist();
        assertThat(Files.readString(root.resolve("procurator/host-1/cpu.weight"))).isEqualTo("200");
    }

    @Test
    void cgroupV1WritesQuotaPeriodAndMemoryLimitInTwoHierarchies() throws Exception {
        Files.createDirectories(root.resolve("cpu"));
        Files.createDirectories(root.resolve("memory"));
        Files.writeString(root.resolve("cpu/cpu.cfs_quota_us"), "-1");
        Files.writeString(root.resolve("memory/memory.limit_in_bytes"), "9223372036854771712");
        Cgroups cgroups = Cgroups.detect(root, "procurator");
        assertThat(cgroups.mode()).isEqualTo(Cgroups.Mode.V1);

        Cgroups.Group group = cgroups.create("db.2", 0.5, 1L << 30);
        assertThat(Files.readString(root.resolve("cpu/procurator/db.2/cpu.cfs_quota_us"))).isEqualTo("50000");
        assertThat(Files.readString(root.resolve("cpu/procurator/db.2/cpu.cfs_period_us"))).isEqualTo("100000");
        assertThat(Files.readString(root.resolve("memory/procurator/db.2/memory.limit_in_bytes")))
                .isEqualTo(Long.toString(1L << 30));
        assertThat(group.procsFiles()).containsExactly(root.resolve("cpu/procurator/db.2/cgroup.procs"),
                root.resolve("memory/procurator/db.2/cgroup.procs"));
        assertThat(Files.readString(root.resolve("cpu/procurator/db.2/cpu.shares"))).isEqualTo("1024");
        cgroups.create("db.3", 4, 1L << 30);
        assertThat(Files.readString(root.resolve("cpu/procurator/cpu.shares"))).isEqualTo(Long.toString(1024 + 4096));
    }

    @Test
    void neitherHierarchyMeansLimitsAreReportedUnsupported() {
        Cgroups cgroups = Cgroups.detect(root, "procurator");
        assertThat(cgroups.mode()).isEqualTo(Cgroups.Mode.UNSUPPORTED);
        Cgroups.Group group = cgroups.create("web.0", 1, 1L << 28);
        assertThat(group.unsupported()).startsWith("resource limits unsupported on this host: ");
        assertThat(group.procsFiles()).isEmpty();
    }

    @Test
    void aV2HierarchyWithoutTheControllersIsUnsupportedNotIgnored() throws Exception {
        Files.writeString(root.resolve("cgroup.controllers"), "hugetlb\n");
        Cgroups cgroups = Cgroups.detect(root, "procurator");
        assertThat(cgroups.mode()).isEqualTo(Cgroups.Mode.UNSUPPORTED);
        assertThat(cgroups.description()).contains("without writable cpu and memory controllers");
    }
}
