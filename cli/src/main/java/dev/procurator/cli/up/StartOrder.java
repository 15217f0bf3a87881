package dev.procurator.cli.up;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Groups services into waves: every service of a wave depends only on services of earlier waves, so a wave starts in
 * parallel once the previous one is healthy. Dependencies on services that are not selected ({@code --only}) are
 * assumed to be provided from elsewhere and ignored.
 */
public final class StartOrder {

    private StartOrder() {
    }

    public static List<List<ServiceSpec>> waves(List<ServiceSpec> selected) {
        Set<String> names = new HashSet<>();
        selected.forEach(spec -> names.add(spec.module()));
        Set<String> placed = new HashSet<>();
        List<ServiceSpec> remaining = new ArrayList<>(selected);
        List<List<ServiceSpec>> waves = new ArrayList<>();
        while (!remaining.isEmpty()) {
            List<ServiceSpec> wave = remaining.stream()
                    .filter(spec -> spec.dependsOn().stream().allMatch(dep -> placed.contains(dep) || !names.contains(dep)))
                    .toList();
            if (wave.isEmpty()) {
                throw new IllegalStateException("dependency cycle among "
                        + remaining.stream().map(ServiceSpec::module).toList());
            }
            waves.add(wave);
            wave.forEach(spec -> placed.add(spec.module()));
            remaining.removeAll(wave);
        }
        return waves;
    }
}
