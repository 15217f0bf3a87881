package dev.procurator.controlplane.scheduler;

import java.util.List;

/** The scheduler's output: every request appears exactly once, either placed or unplaced, in request order. */
public record Plan(List<Placement> placements, List<Unplaced> unplaced) {

    public Plan {
        placements = List.copyOf(placements);
        unplaced = List.copyOf(unplaced);
    }
}
