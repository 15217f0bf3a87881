package dev.procurator.cli.up;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.procurator.common.auth.AdminToken;

/**
 * Runs the platform in the foreground: starts the services wave by wave (see {@link StartOrder}), waits for each to be
 * healthy, prints where everything is, keeps them running, and on SIGINT/SIGTERM stops them all, newest wave first.
 * The terminal shows procurator's own progress and the services' warnings and errors; each service's whole output is
 * in {@code <data dir>/logs/<module>.log} ({@code --verbose} shows it all). The supervisor owns one executor for every
 * background task (waiting for processes, reading their output, recording archives) and ends it on stop.
 */
public final class Supervisor {

    /** Printed once every service is healthy; scripts and the end-to-end test wait for it. */
    public static final String ALL_HEALTHY = "services healthy in";

    /** A service that crashes this often before ever becoming healthy will not become healthy by waiting longer. */
    private static final int CRASHES_BEFORE_GIVING_UP = 3;
    private static final int TAIL_SHOWN = 40;
    private static final Duration POLL = Duration.ofMillis(250);

    private final UpSettings settings;
    private final Output output;
    private final List<List<ManagedService>> waves = new ArrayList<>();
    private final AtomicBoolean stopped = new AtomicBoolean();
    private final ArchiveRecorder recorder;
    private final PidFile pidFile;
    private final ExecutorService tasks = newTaskExecutor();
    private final HealthProbe probe = new HealthProbe(tasks);

    public Supervisor(UpSettings settings, Output output) {
        this.settings = settings;
        this.output = output;
        this.recorder = new ArchiveRecorder(settings.jvm(), settings.dataDir().resolve("cds"), output, tasks);
        this.pidFile = new PidFile(settings.dataDir());
    }

    /**
     * One platform thread per task: a task here mostly blocks in a native read of a child's pipe, which pins a virtual
     * thread's carrier; with seven services on two cores the pinned carriers once left the stop tasks no carrier to run
     * on, and Ctrl-C hung. Daemon threads, so a stuck read never keeps procurator alive.
     */
    static ExecutorService newTaskExecutor() {
        return Executors.newThreadPerTaskExecutor(Thread.ofPlatform().name("procurator-up-", 0).daemon().factory());
    }

    /** @return the exit code when startup fails; blocks until the JVM is stopped when it succeeds */
    public int run() throws IOException, InterruptedException {
        Instant begin = Instant.now();
        List<ServiceSpec> services = settings.services();
        Path dataDir = settings.dataDir();
        Files.createDirectories(dataDir);
        List<String> leftovers = pidFile.stopLeftovers(dataDir, settings.grace());
        if (!leftovers.isEmpty()) {
            output.say("stopped " + String.join(", ", leftovers)
                    + ", left running on this data directory by a procurator up that was killed");
        }
        String problem = firstProblem(services);
        if (problem != null) {
            output.say(problem);
            stopAll();
            return 1;
        }
        if (settings.demo()) {
            String missing = Demo.prepare(settings.home(), output);
            if (missing != null) {
                output.say(missing);
                return 1;
            }
        }
        AdminToken token = AdminToken.ofPublished(settings.environment().get("PROCURATOR_ADMIN_TOKEN"), dataDir);
        if (token.generated()) {
            output.say("generated the bootstrap admin token into " + AdminToken.file(dataDir));
        }
        output.say("each service's full output: " + logsDir() + "/<service>.log"
                + (settings.verbose() ? "" : " (shown here only from WARN up; --verbose shows everything)"));

        Runtime.getRuntime().addShutdownHook(new Thread(this::stopAll, "procurator-shutdown"));
        for (List<ServiceSpec> wave : StartOrder.waves(services)) {
            List<ManagedService> started = new ArrayList<>();
            synchronized (waves) {
                if (stopped.get()) {
                    return 130;
                }
                waves.add(started);
                for (ServiceSpec spec : wave) {
                    ManagedService service = prepare(spec, services, token.value());
                    output.say("starting " + spec.module() + " on port " + spec.port(settings.basePort()));
                    service.start();
                    started.add(service);
                }
            }
            ManagedService failed = awaitHealthy(started, begin, begin.plus(settings.timeout()));
            if (failed != null) {
                reportFailure(failed);
                stopAll();
                return 1;
            }
        }
        double seconds = Duration.between(begin, Instant.now()).toMillis() / 1000.0;
        output.say(String.format("all %d %s %.1f s", services.size(), ALL_HEALTHY, seconds));
        output.raw(summary(services, dataDir));
        if (settings.demo()) {
            runDemo(token.value());   // before the archives are recorded: both want the two cores
        }
        recorder.start(services);
        new CountDownLatch(1).await(); // until SIGINT/SIGTERM: the shutdown hook stops everything
        return 0;
    }

    /** The demo's failure is said, not fatal: the platform keeps running for a look at what went wrong. */
    private void runDemo(String token) throws InterruptedException {
        try {
            if (!new Demo(settings, output, token).run()) {
                output.say("the platform keeps running (Ctrl-C stops it)");
            }
        } catch (IOException | RuntimeException e) {
            output.say("the demo failed: " + e.getMessage() + "; the platform keeps running (Ctrl-C stops it)");
        }
    }

    private ManagedService prepare(ServiceSpec spec, List<ServiceSpec> services, String token)
            throws IOException, InterruptedException {
        Path serviceDir = settings.dataDir().resolve(spec.module());
        Files.createDirectories(serviceDir);
        Map<String, String> env = ServiceEnvironment.of(spec, services, settings.basePort(), settings.dataDir(), token,
                settings.environment());
        if (settings.demo()) {
            env.putAll(Demo.serviceEnvironment(spec.module()));
        }
        List<String> command = new ArrayList<>(
                settings.jvm().command(settings.jar(spec), spec, settings.dataDir().resolve("cds")));
        // Names the data directory on the command line, where PidFile can recognise the process after a crash of ours.
        command.add(1, "-Dprocurator.up.data-dir=" + settings.dataDir());
        ServiceOutput serviceOutput = new ServiceOutput(spec.module(), logsDir(), output, settings.verbose());
        return new ManagedService(spec, new ManagedService.Launch(command, env, serviceDir), serviceOutput,
                Backoff.standard(), pid -> pidFile.started(spec.module(), pid), tasks);
    }

    private Path logsDir() {
        return settings.dataDir().resolve("logs");
    }

    /** Missing jars and busy ports, found before anything starts; null when all is well. */
    private String firstProblem(List<ServiceSpec> services) {
        for (ServiceSpec spec : services) {
            if (!Files.isRegularFile(settings.jar(spec))) {
                return "missing " + settings.jar(spec) + ": build the services first (./mvnw -B -DskipTests package, "
                        + "or run ./procurator, which builds them)";
            }
        }
        for (Map.Entry<String, Integer> port : ServiceCatalog.ports(services, settings.basePort()).entrySet()) {
            if (!portFree(port.getValue())) {
                return "port " + port.getValue() + " for " + port.getKey() + " is already in use "
                        + "(another procurator up?); choose other ports with --base-port";
            }
        }
        return null;
    }

    static boolean portFree(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** @return the first service that failed to become healthy, or null when all of them are */
    private ManagedService awaitHealthy(List<ManagedService> wave, Instant begin, Instant deadline)
            throws InterruptedException {
        Set<ManagedService> pending = new LinkedHashSet<>(wave);
        while (!pending.isEmpty()) {
            for (ManagedService service : List.copyOf(pending)) {
                if (probe.isUp(service.spec().port(settings.basePort()))) {
                    pending.remove(service);
                    output.say(String.format("%s is healthy (%.1f s)", service.spec().module(),
                            Duration.between(begin, Instant.now()).toMillis() / 1000.0));
                } else if (service.crashes() >= CRASHES_BEFORE_GIVING_UP || Instant.now().isAfter(deadline)) {
                    return service;
                }
            }
            Thread.sleep(POLL);
        }
        return null;
    }

    private void reportFailure(ManagedService service) {
        String module = service.spec().module();
        String why = service.crashes() >= CRASHES_BEFORE_GIVING_UP
                ? "crashed " + service.crashes() + " times"
                : "was not healthy within " + settings.timeout().toSeconds() + " s";
        output.say(module + " " + why + "; the last lines of " + service.output().file() + ":");
        service.output().tail(TAIL_SHOWN).forEach(line -> output.line(module, line));
        output.say("stopping everything");
    }

    /** Idempotent: from the shutdown hook, and after a failed start. */
    private void stopAll() {
        List<List<ManagedService>> toStop;
        synchronized (waves) {
            if (!stopped.compareAndSet(false, true)) {
                return;
            }
            toStop = new ArrayList<>(waves);
        }
        recorder.stop();
        if (!toStop.isEmpty()) {
            output.say("stopping all services");
        }
        for (List<ManagedService> wave : toStop.reversed()) {
            List<Callable<Boolean>> stops = wave.stream().<Callable<Boolean>>map(service -> () -> {
                if (!service.stop(settings.grace())) {
                    output.say(service.spec().module() + " did not stop within " + settings.grace().toSeconds()
                            + " s and was killed");
                }
                return true;
            }).toList();
            try {
                tasks.invokeAll(stops);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        // Every process is gone: what remains are readers draining their last lines and the recorder finishing.
        probe.close();
        tasks.shutdown();
        try {
            if (!tasks.awaitTermination(5, TimeUnit.SECONDS)) {
                tasks.shutdownNow();
            }
        } catch (InterruptedException e) {
            tasks.shutdownNow();
            Thread.currentThread().interrupt();
        }
        toStop.forEach(wave -> wave.forEach(service -> service.output().close()));
        if (!toStop.isEmpty()) {
            pidFile.delete();
            output.say("all services stopped");
        }
    }

    private String summary(List<ServiceSpec> services, Path dataDir) {
        boolean bold = output.colour();
        StringBuilder table = new StringBuilder("\n");
        table.append(String.format("  %-16s %-28s %s%n", "SERVICE", "DASHBOARD", "HEALTH"));
        Map<String, String> extras = new LinkedHashMap<>();
        extras.put(ServiceCatalog.CONTROL_PLANE,
                "  (Cap'n Proto localhost:" + (settings.basePort() + ServiceCatalog.RPC_PORT_OFFSET) + ")");
        for (ServiceSpec spec : services) {
            String url = "http://localhost:" + spec.port(settings.basePort()) + "/";
            table.append(String.format("  %-16s %-28s %s%s%n", spec.module(), url, url + "actuator/health",
                    extras.getOrDefault(spec.module(), "")));
        }
        String tokenFile = AdminToken.file(dataDir).toString();
        table.append('\n')
                .append("  admin token  ").append(bold ? "\u001b[1m" + tokenFile + "\u001b[0m" : tokenFile)
                .append("   (Authorization: Bearer <token>)\n")
                .append("  data         ").append(dataDir).append('\n')
                .append("  logs         ").append(logsDir()).append('\n')
                .append("  stop         Ctrl-C\n\n");
        return table.toString();
    }
}
