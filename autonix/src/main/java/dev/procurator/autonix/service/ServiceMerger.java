package dev.procurator.autonix.service;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

import dev.procurator.autonix.service.ServiceCandidate.Kind;

/**
 * Several files often describe the same service: a Dockerfile, a package.json start script and a compose entry
 * building that directory are one VM, not three. Merging rules, by directory of code:
 * <ul>
 *   <li>a compose service that builds a directory absorbs the Dockerfile and framework views of it;</li>
 *   <li>otherwise a Procfile in that directory absorbs them into its "web" process (or its first one), as the
 *       Procfile is the explicit list of what runs;</li>
 *   <li>what remains of a directory joins the compose service of the same name (compose files often build every
 *       module from one root Dockerfile), or else is one service.</li>
 * </ul>
 * Names: compose, then Procfile, then framework (artifactId, package name), then the directory name.
 */
final class ServiceMerger {

    private static final List<Kind> COMMAND_PRECEDENCE = List.of(Kind.PROCFILE, Kind.FRAMEWORK, Kind.COMPOSE,
            Kind.DOCKERFILE);
    private static final List<Kind> RUNTIME_PRECEDENCE = List.of(Kind.FRAMEWORK, Kind.DOCKERFILE, Kind.COMPOSE,
            Kind.PROCFILE);

    List<Service> merge(List<ServiceCandidate> candidates) {
        Map<String, List<ServiceCandidate>> codeByDirectory = new LinkedHashMap<>();
        List<ServiceCandidate> compose = new ArrayList<>();
        Map<String, List<ServiceCandidate>> processesByDirectory = new LinkedHashMap<>();
        for (ServiceCandidate candidate : candidates) {
            switch (candidate.kind()) {
                case COMPOSE -> compose.add(candidate);
                case PROCFILE -> processesByDirectory.computeIfAbsent(candidate.dir(), dir -> new ArrayList<>())
                        .add(candidate);
                case FRAMEWORK, DOCKERFILE -> codeByDirectory.computeIfAbsent(candidate.dir(), dir -> new ArrayList<>())
                        .add(candidate);
            }
        }
        List<List<ServiceCandidate>> groups = new ArrayList<>();
        Set<String> absorbed = new HashSet<>();
        Map<String, List<ServiceCandidate>> composeByName = new LinkedHashMap<>();
        for (ServiceCandidate service : compose) {
            List<ServiceCandidate> group = withCodeOf(service, codeByDirectory, absorbed);
            groups.add(group);
            composeByName.putIfAbsent(service.name(), group);
        }
        for (List<ServiceCandidate> processes : processesByDirectory.values()) {
            ServiceCandidate main = processes.stream().filter(process -> process.name().equals("web")).findFirst()
                    .orElse(processes.getFirst());
            for (ServiceCandidate process : processes) {
                groups.add(process == main ? withCodeOf(process, codeByDirectory, absorbed) : List.of(process));
            }
        }
        codeByDirectory.forEach((dir, code) -> {
            if (absorbed.contains(dir)) {
                return;
            }
            List<ServiceCandidate> sameName = composeByName.get(combine(code).name());
            if (sameName != null) {
                sameName.addAll(code);
            } else {
                groups.add(code);
            }
        });
        return uniqueNames(groups.stream().map(ServiceMerger::combine).toList());
    }

    private static List<ServiceCandidate> withCodeOf(ServiceCandidate owner, Map<String, List<ServiceCandidate>> code,
                                                     Set<String> absorbed) {
        List<ServiceCandidate> group = new ArrayList<>(List.of(owner));
        if (owner.dir() != null && code.containsKey(owner.dir())) {
            group.addAll(code.get(owner.dir()));
            absorbed.add(owner.dir());
        }
        return group;
    }

    private static Service combine(List<ServiceCandidate> group) {
        List<ServiceCandidate> byKind = group.stream().sorted(Comparator.comparing(ServiceCandidate::kind)).toList();
        TreeSet<Integer> ports = new TreeSet<>();
        LinkedHashSet<String> sources = new LinkedHashSet<>();
        for (ServiceCandidate candidate : byKind) {
            ports.addAll(candidate.ports());
            sources.add(candidate.source());
        }
        return new Service(byKind.getFirst().name(), first(byKind, ServiceCandidate::dir), List.copyOf(sources),
                first(byPrecedence(group, COMMAND_PRECEDENCE), ServiceCandidate::command), List.copyOf(ports),
                first(byKind, ServiceCandidate::httpHealth),
                first(byPrecedence(group, RUNTIME_PRECEDENCE), ServiceCandidate::runtime));
    }

    private static List<ServiceCandidate> byPrecedence(List<ServiceCandidate> group, List<Kind> precedence) {
        return group.stream().sorted(Comparator.comparingInt(candidate -> precedence.indexOf(candidate.kind())))
                .toList();
    }

    private static <T> T first(List<ServiceCandidate> candidates, Function<ServiceCandidate, T> field) {
        return candidates.stream().map(field).filter(Objects::nonNull).findFirst().orElse(null);
    }

    /** Two services may end up with one name (two "api" directories): later ones get "-2", "-3", ... */
    private static List<Service> uniqueNames(List<Service> services) {
        Set<String> taken = new HashSet<>();
        List<Service> unique = new ArrayList<>();
        for (Service service : services) {
            String name = service.name();
            for (int suffix = 2; !taken.add(name); suffix++) {
                name = service.name() + "-" + suffix;
            }
            unique.add(new Service(name, service.dir(), service.sources(), service.command(), service.ports(),
                    service.httpHealth(), service.runtime()));
        }
        unique.sort(Comparator.comparing(Service::name));
        return unique;
    }
}
