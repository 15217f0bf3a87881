package dev.procurator.controlplane.generation;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

import org.springframework.stereotype.Component;

import dev.procurator.controlplane.config.StateJson;
import dev.procurator.controlplane.event.EventLog;
import dev.procurator.controlplane.rollout.Rollouts;
import dev.procurator.schema.blueprint.Blueprint;

/**
 * publishState: validates a source's new desired state, stores it as the source's next generation and starts a
 * rollout for every VM whose closure or spec differs from what it should run now; VMs gone from the blueprint stop.
 * A generation equal to the current one is a no-op. Runs inside the single writer, so it is one transaction.
 */
@Component
public class Publisher {

    /** Bad input: nothing changed. */
    public static class InvalidGenerationException extends RuntimeException {
        public InvalidGenerationException(String message) {
            super(message);
        }
    }

    /** A generation as the CI service sends it. */
    public record Published(String repository, String branch, String gitCommit, String pipelineUrl,
                            Blueprint blueprint, Map<String, String> closures) {
    }

    /** The outcome: the source's generation number and whether anything changed. */
    public record Result(long number, boolean changed) {
    }

    private final GenerationStore generations;
    private final VmStore vms;
    private final Rollouts rollouts;
    private final EventLog events;
    private final StateJson json;

    Publisher(GenerationStore generations, VmStore vms, Rollouts rollouts, EventLog events, StateJson json) {
        this.json = json;
        this.generations = generations;
        this.vms = vms;
        this.rollouts = rollouts;
        this.events = events;
    }

    public Result publish(Published published, long now) {
        Source source = source(published);
        Map<String, VmStore.DesiredVm> desired = new HashMap<>();
        vms.all().forEach(vm -> desired.put(vm.name(), vm));
        validate(source, published, desired);
        SortedMap<String, String> closures = new TreeMap<>(published.closures());
        Optional<GenerationStore.Stored> current = generations.currentStored(source.toString());
        if (current.isPresent() && current.get().blueprint().equals(json.write(published.blueprint().vms()))
                && current.get().closures().equals(json.write(closures))) {
            return new Result(current.get().number(), false);
        }
        long number = current.map(GenerationStore.Stored::number).orElse(0L) + 1;
        Generation generation = generations.insert(source.toString(), number, published.gitCommit(),
                published.blueprint().vms(), closures, published.pipelineUrl(), now);
        events.record(EventLog.GENERATION_PUBLISHED, source.toString(), null, null, number, null,
                "generation " + number + " of " + source + " at " + published.gitCommit() + " ("
                        + published.blueprint().vms().size() + " VM(s))");
        Optional<Generation> previous = current.flatMap(c -> generations.find(source.toString(), c.number()));
        for (Map.Entry<String, Blueprint.Vm> vm : published.blueprint().vms().entrySet()) {
            VmStore.DesiredVm running = desired.get(vm.getKey());
            String closure = published.closures().get(vm.getKey());
            boolean runsIt = running != null && running.closure().equals(closure)
                    && running.spec().equals(vm.getValue());
            if (!runsIt && sameAsIn(previous, vm.getKey(), closure, vm.getValue())) {
                // Unchanged since the last generation, yet not what runs: its rollout was rolled back. The diff is
                // against the source's generation, so an unrelated change does not retry a closure known to fail.
                events.record(EventLog.GENERATION_PUBLISHED, source.toString(), vm.getKey(), null, number, null,
                        vm.getKey() + " unchanged since generation " + previous.get().number()
                                + ": it stays on generation " + running.generation() + " (rolled back)");
            } else if (!runsIt) {
                rollouts.start(vm.getKey(), running, generation, now);
            }
        }
        for (VmStore.DesiredVm gone : desired.values()) {
            if (gone.source().equals(source.toString()) && !published.blueprint().vms().containsKey(gone.name())) {
                rollouts.remove(gone.name(), number, now);
            }
        }
        return new Result(number, true);
    }

    private static boolean sameAsIn(Optional<Generation> generation, String vm, String closure, Blueprint.Vm spec) {
        return generation.isPresent() && closure.equals(generation.get().closures().get(vm))
                && spec.equals(generation.get().blueprint().get(vm));
    }

    private static Source source(Published published) {
        try {
            return new Source(published.repository(), published.branch());
        } catch (IllegalArgumentException e) {
            throw new InvalidGenerationException(e.getMessage());
        }
    }

    private void validate(Source source, Published published, Map<String, VmStore.DesiredVm> desired) {
        List<String> problems = new ArrayList<>(published.blueprint().problems());
        if (published.gitCommit() == null || published.gitCommit().isBlank()) {
            problems.add("gitCommit: is missing");
        }
        for (String vm : published.blueprint().vms().keySet()) {
            String closure = published.closures().get(vm);
            if (closure == null || !closure.startsWith("/nix/store/")) {
                problems.add("closures." + vm + ": a /nix/store path is required, got "
                        + (closure == null ? "none" : "\"" + closure + "\""));
            }
            VmStore.DesiredVm owned = desired.get(vm);
            if (owned != null && !owned.source().equals(source.toString())) {
                problems.add("vms." + vm + ": already defined by " + owned.source());
            }
        }
        for (String vm : published.closures().keySet()) {
            if (!published.blueprint().vms().containsKey(vm)) {
                problems.add("closures." + vm + ": no such VM in the blueprint");
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidGenerationException(String.join("; ", problems));
        }
    }
}
