package dev.procurator.worker.vmm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import dev.procurator.schema.Common;
import dev.procurator.worker.config.WorkerProperties.MissingBackend;

class VmmDriversTest {

    record FakeDriver(Common.Backend backend, boolean installed) implements VmmDriver {
        public VmmInstance launch(VmmLaunch launch) {
            throw new UnsupportedOperationException();
        }

        public Optional<VmmInstance> attach(Path dir, long pid) {
            return Optional.empty();
        }
    }

    private static final FakeDriver QEMU = new FakeDriver(Common.Backend.QEMU, true);
    private static final FakeDriver MISSING_CH = new FakeDriver(Common.Backend.CLOUD_HYPERVISOR, false);

    @Test
    void aVmAskingForAMissingVmmFallsBackToTheOtherByDefault() {
        VmmDrivers drivers = new VmmDrivers(List.of(MISSING_CH, QEMU), MissingBackend.FALLBACK);
        assertThat(drivers.select("web", "cloud-hypervisor")).isSameAs(QEMU);
        assertThat(drivers.installed()).containsExactly(Common.Backend.QEMU);
    }

    @Test
    void theRefusePolicyRefusesWithAClearMessage() {
        VmmDrivers drivers = new VmmDrivers(List.of(MISSING_CH, QEMU), MissingBackend.REFUSE);
        assertThatThrownBy(() -> drivers.select("web", "cloud-hypervisor"))
                .hasMessage("VM web asks for cloud-hypervisor, which is not installed on this host "
                        + "(missing-backend policy: refuse)");
        assertThat(drivers.select("web", "qemu")).isSameAs(QEMU);
    }

    @Test
    void anInstalledVmmIsUsedAsAsked() {
        FakeDriver ch = new FakeDriver(Common.Backend.CLOUD_HYPERVISOR, true);
        VmmDrivers drivers = new VmmDrivers(List.of(ch, QEMU), MissingBackend.FALLBACK);
        assertThat(drivers.select("web", "cloud-hypervisor")).isSameAs(ch);
        assertThat(drivers.select("web", "qemu")).isSameAs(QEMU);
    }
}
