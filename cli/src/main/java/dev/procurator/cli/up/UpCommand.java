package dev.procurator.cli.up;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import dev.procurator.cli.CliJar;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code procurator up}: the whole platform on this machine, in the foreground, Procfile style. */
@Command(name = "up",
        mixinStandardHelpOptions = true,
        defaultValueProvider = UpCommand.Defaults.class,
        description = {"Runs the whole platform on this machine, in the foreground.",
                "Runs every Procurator service as its own process, in dependency order, waits until each is "
                + "healthy and prints the dashboards. The services' warnings and errors are shown prefixed with "
                + "their name; their full output is in DIR/logs/<service>.log. A crashed service is restarted with "
                + "backoff; Ctrl-C stops everything. Embedded databases, no network needed.",
                "With --demo, the example cluster is pushed too and followed until its microVMs run healthy."})
public final class UpCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = ".procurator",
            description = "Where the services keep their data, one subdirectory each (default: ${DEFAULT-VALUE}).")
    Path dataDir;

    @Option(names = "--only", paramLabel = "SERVICE", split = ",",
            description = "Run only these services (comma-separated): forge, ci-service, cache-service, control-plane, "
                    + "worker-agent, secret-manager, observability.")
    List<String> only;

    @Option(names = "--base-port", paramLabel = "PORT",
            description = "Port of the forge; every other service keeps the distance from it that its default port "
                    + "has from the forge's. Env PROCURATOR_BASE_PORT (default: ${DEFAULT-VALUE}).")
    int basePort;

    @Option(names = "--timeout", paramLabel = "SECONDS",
            description = "Give up when the services are not all healthy after this long (default: 120, or 300 with "
                    + "--demo: a first start, before the class data sharing archives exist, can take longer).")
    Integer timeoutSeconds;

    @Option(names = "--grace", paramLabel = "SECONDS", defaultValue = "20",
            description = "On stop, how long a service may take to exit after SIGTERM before it is killed "
                    + "(default: ${DEFAULT-VALUE}).")
    int graceSeconds;

    @Option(names = "--no-cds",
            description = "Run the jars as they are, without the class data sharing archives kept under DIR/cds "
                    + "(recorded in the background after the first start, they make later starts about twice as fast).")
    boolean noCds;

    @Option(names = {"-v", "--verbose"},
            description = "Show everything the services print, not only their warnings and errors.")
    boolean verbose;

    @Option(names = "--no-color", description = "No colours (also when NO_COLOR is set or output is not a terminal).")
    boolean noColor;

    @Option(names = "--demo",
            description = "Also run the example: create the repository admin/demo, connect it to the CI, push "
                    + "example/ and show its way to running microVMs (pipeline, cache, generation, placement, boot, "
                    + "health). Fetches the guests' kernel once; Ctrl-C also stops the demo's VMs.")
    boolean demo;

    @Option(names = "--home", paramLabel = "DIR", defaultValue = "${env:PROCURATOR_HOME}",
            description = "The Procurator source tree with the built jars (default: the tree this CLI was built in).")
    Path home;

    /** Defaults computed at run time: the base port is the forge's default port unless the environment says else. */
    static final class Defaults implements CommandLine.IDefaultValueProvider {
        @Override
        public String defaultValue(CommandLine.Model.ArgSpec argument) {
            if (argument instanceof CommandLine.Model.OptionSpec option && option.longestName().equals("--base-port")) {
                String fromEnvironment = System.getenv("PROCURATOR_BASE_PORT");
                return fromEnvironment != null && !fromEnvironment.isBlank()
                        ? fromEnvironment.strip() : Integer.toString(ServiceCatalog.DEFAULT_BASE_PORT);
            }
            return null;
        }
    }

    @Override
    public Integer call() throws Exception {
        Map<String, String> env = System.getenv();
        List<ServiceSpec> services;
        try {
            services = ServiceCatalog.select(only);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        if (basePort < 1 || ServiceCatalog.highestPort(basePort) > 65535) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--base-port must leave room for "
                    + (ServiceCatalog.highestPort(0) + 1) + " ports from it");
        }
        List<String> missingForDemo = demo ? Demo.missingServices(services) : List.of();
        if (!missingForDemo.isEmpty()) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--demo needs " + String.join(", ",
                    missingForDemo) + " too");
        }
        int timeout = timeoutSeconds != null ? timeoutSeconds : demo ? 300 : 120;
        if (timeout < 1 || graceSeconds < 0) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--timeout must be positive and --grace not negative");
        }
        UpSettings settings = new UpSettings(services, home == null ? sourceTree() : home.toAbsolutePath(),
                dataDir.toAbsolutePath().normalize(), basePort, Duration.ofSeconds(timeout),
                Duration.ofSeconds(graceSeconds), JvmLaunch.current(env.get("PROCURATOR_JVM_OPTS"), !noCds), verbose,
                env, demo);
        List<String> names = services.stream().map(ServiceSpec::module).toList();
        LogPrefixer prefixer = new LogPrefixer(names, !noColor && LogPrefixer.colourWanted(env));
        return new Supervisor(settings, new Output(System.out, prefixer)).run();
    }

    /**
     * The tree this CLI was built in: the jar is {@code <tree>/cli/target/cli.jar}. Falls back to the working directory
     * (running from the IDE or with a different layout).
     */
    static Path sourceTree() {
        return CliJar.path()
                .map(jar -> jar.resolve("../../..").normalize())
                .filter(tree -> Files.isDirectory(tree.resolve("forge")))
                .orElse(Path.of("").toAbsolutePath());
    }
}
