package dev.procurator.worker.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A stand-in for the {@code cloud-hypervisor} binary, which cannot be installed on these machines: the same command
 * line ({@code --api-socket path=...}) and the same REST API over the unix socket, with the paths, methods, status
 * codes, error bodies (a JSON array of strings) and state rules of shared notes/vm.md, booting the guest with QEMU
 * underneath ({@code -M microvm}, TCG). Like cloud-hypervisor it creates the VM's tap devices and gives them the
 * configured host-side address, serves the serial console on a unix socket ({@code serial.mode = Socket}), and exits
 * when its guest powers off. Run as its own process; {@link #script} writes an executable that starts it.
 */
public final class CloudHypervisorStandIn {

    static final String VERSION = "v44.0-standin";
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Set<String> GET_PATHS = Set.of("vmm.ping", "vm.info", "vm.counters");
    private static final Set<String> PUT_PATHS = Set.of("vmm.shutdown", "vm.create", "vm.boot", "vm.shutdown",
            "vm.delete", "vm.reboot", "vm.pause", "vm.resume", "vm.power-button", "vm.resize", "vm.add-disk",
            "vm.add-net", "vm.add-fs", "vm.remove-device", "vm.snapshot", "vm.restore");

    private final Path socket;
    private JsonNode config;
    private String state = "Created";
    private Process qemu;

    private CloudHypervisorStandIn(Path socket) {
        this.socket = socket;
    }

    public static void main(String[] args) throws Exception {
        Path socket = null;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--api-socket") && i + 1 < args.length) {
                String value = args[++i];
                socket = Path.of(value.startsWith("path=") ? value.substring(5) : value);
            } else if (args[i].equals("--version")) {
                System.out.println("cloud-hypervisor " + VERSION);
                return;
            }
        }
        if (socket == null) {
            System.err.println("Error: --api-socket path=<socket> is required by this stand-in");
            System.exit(1);
        }
        new CloudHypervisorStandIn(socket).serve();
    }

    /** An executable {@code cloud-hypervisor} in {@code dir} that runs this stand-in with the test class path. */
    public static Path script(Path dir) throws IOException {
        Path script = Files.createDirectories(dir).resolve("cloud-hypervisor");
        String java = ProcessHandle.current().info().command().orElse("java");
        Files.writeString(script, "#!/bin/sh\nexec '" + java + "' -XX:TieredStopAtLevel=1 -Xshare:auto -cp '"
                + System.getProperty("java.class.path") + "' " + CloudHypervisorStandIn.class.getName() + " \"$@\"\n");
        script.toFile().setExecutable(true);
        return script;
    }

    private void serve() throws IOException {
        Files.deleteIfExists(socket);
        Runtime.getRuntime().addShutdownHook(new Thread(this::killGuest));
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(socket));
            while (true) {
                try (SocketChannel client = server.accept()) {
                    Response response = handle(Request.read(Channels.newInputStream(client)));
                    OutputStream out = Channels.newOutputStream(client);
                    out.write(response.bytes());
                    out.flush();
                    if (response.exitAfter) {
                        System.exit(0);
                    }
                } catch (IOException e) {
                    System.err.println("stand-in: " + e.getMessage());
                }
            }
        }
    }

    record Request(String method, String path, byte[] body) {

        static Request read(InputStream in) throws IOException {
            String requestLine = line(in);
            int length = 0;
            String header;
            while (!(header = line(in)).isEmpty()) {
                int colon = header.indexOf(':');
                if (colon > 0 && header.substring(0, colon).strip().equalsIgnoreCase("content-length")) {
                    length = Integer.parseInt(header.substring(colon + 1).strip());
                }
            }
            String[] parts = requestLine.split(" ");
            return new Request(parts[0], parts.length > 1 ? parts[1] : "", in.readNBytes(length));
        }

        private static String line(InputStream in) throws IOException {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            int b;
            while ((b = in.read()) >= 0 && b != '\n') {
                if (b != '\r') {
                    bytes.write(b);
                }
            }
            return bytes.toString(StandardCharsets.UTF_8);
        }
    }

    record Response(int status, String body, boolean exitAfter) {

        static Response of(int status) {
            return new Response(status, null, false);
        }

        static Response json(int status, Object body) {
            return new Response(status, JSON.writeValueAsString(body), false);
        }

        static Response error(int status, String... messages) {
            return json(status, List.of(messages));
        }

        byte[] bytes() {
            String reason = switch (status) {
                case 200 -> "OK";
                case 204 -> "No Content";
                case 400 -> "Bad Request";
                case 404 -> "Not Found";
                case 405 -> "Method Not Allowed";
                default -> "Internal Server Error";
            };
            byte[] content = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
            String head = "HTTP/1.1 " + status + " " + reason + "\r\nServer: Cloud Hypervisor API\r\nConnection: close\r\n"
                    + (body == null ? "" : "Content-Type: application/json\r\n")
                    + "Content-Length: " + content.length + "\r\n\r\n";
            byte[] headBytes = head.getBytes(StandardCharsets.UTF_8);
            byte[] all = new byte[headBytes.length + content.length];
            System.arraycopy(headBytes, 0, all, 0, headBytes.length);
            System.arraycopy(content, 0, all, headBytes.length, content.length);
            return all;
        }
    }

    private synchronized Response handle(Request request) {
        if (!request.path().startsWith("/api/v1/")) {
            return Response.of(404);
        }
        String endpoint = request.path().substring("/api/v1/".length());
        boolean get = GET_PATHS.contains(endpoint);
        boolean put = PUT_PATHS.contains(endpoint);
        if (!get && !put) {
            return Response.of(404);
        }
        if ((get && !request.method().equals("GET")) || (put && !request.method().equals("PUT"))) {
            return Response.error(400, "Wrong method " + request.method() + " for " + endpoint);
        }
        guestExitedOnItsOwn();
        try {
            return switch (endpoint) {
                case "vmm.ping" -> Response.json(200, Map.of("build_version", VERSION, "version", VERSION,
                        "pid", ProcessHandle.current().pid(), "features", List.of("kvm")));
                case "vmm.shutdown" -> {
                    killGuest();
                    yield new Response(200, null, true);
                }
                case "vm.create" -> create(request.body());
                case "vm.boot" -> boot();
                case "vm.info" -> info();
                case "vm.counters" -> config == null ? notCreated() : Response.json(200, Map.of());
                case "vm.shutdown" -> {
                    if (!state.equals("Running") && !state.equals("Paused")) {
                        yield Response.error(500, "Error shutting down VM", "VM is not running");
                    }
                    killGuest();
                    state = "Created";   // after a shutdown the VM can be booted again
                    yield Response.of(204);
                }
                case "vm.delete" -> {
                    killGuest();       // idempotent; a running VM is shut down first
                    config = null;
                    state = "Created";
                    yield Response.of(204);
                }
                case "vm.power-button" -> qmp("system_powerdown", "Error triggering power button");
                case "vm.reboot" -> qmp("system_reset", "Error rebooting VM");
                case "vm.pause" -> {
                    Response r = qmp("stop", "Error pausing VM");
                    if (r.status() == 204) {
                        state = "Paused";
                    }
                    yield r;
                }
                case "vm.resume" -> {
                    if (!state.equals("Paused")) {
                        yield Response.error(500, "Error resuming VM", "VM is not paused");
                    }
                    Response r = qmp("cont", "Error resuming VM");
                    if (r.status() == 204) {
                        state = "Running";
                    }
                    yield r;
                }
                default -> Response.error(500, "Error handling " + endpoint, "not implemented by this stand-in");
            };
        } catch (IOException e) {
            return Response.error(500, "Internal error", e.getMessage());
        }
    }

    private Response create(byte[] body) {
        if (body.length == 0) {
            return Response.error(400, "Missing request body");
        }
        JsonNode parsed;
        try {
            parsed = JSON.readTree(body);
        } catch (RuntimeException e) {
            return Response.error(400, "Error parsing JSON: " + e.getMessage());
        }
        if (!parsed.isObject() || !parsed.path("payload").isObject()) {
            return Response.error(400, "Error parsing JSON: missing field `payload`");
        }
        if (config != null) {
            return Response.error(500, "Error creating VM", "VM is already created");
        }
        config = parsed;
        state = "Created";
        return Response.of(204);
    }

    private Response boot() throws IOException {
        if (config == null) {
            return notCreated();
        }
        if (!state.equals("Created")) {
            return Response.error(500, "Error booting VM", "VM is already booted");
        }
        Path dir = socket.getParent();
        Path qmp = dir.resolve("standin-qmp.sock");
        Files.deleteIfExists(qmp);
        JsonNode payload = config.path("payload");
        long memoryMb = config.path("memory").path("size").asLong(512L << 20) >> 20;
        int cpus = config.path("cpus").path("boot_vcpus").asInt(1);
        List<String> argv = new ArrayList<>(List.of("qemu-system-x86_64", "-accel", "tcg,tb-size=32", "-M", "microvm",
                "-cpu", "max", "-m", memoryMb + "M", "-smp", Integer.toString(cpus), "-nodefaults", "-no-user-config",
                "-display", "none", "-kernel", payload.path("kernel").asString(),
                "-append", payload.path("cmdline").asString(""), "-qmp", "unix:" + qmp + ",server=on,wait=off"));
        if (payload.hasNonNull("initramfs")) {
            argv.addAll(List.of("-initrd", payload.path("initramfs").asString()));
        }
        JsonNode serial = config.path("serial");
        switch (serial.path("mode").asString("Null").toLowerCase(Locale.ROOT)) {
            case "socket" -> argv.addAll(List.of("-chardev", "socket,id=serial,path=" + serial.path("socket").asString()
                    + ",server=on,wait=off", "-serial", "chardev:serial"));
            case "file" -> argv.addAll(List.of("-serial", "file:" + serial.path("file").asString()));
            default -> argv.addAll(List.of("-serial", "null"));
        }
        if (config.has("rng")) {
            argv.addAll(List.of("-device", "virtio-rng-device"));
        }
        List<JsonNode> nets = new ArrayList<>();
        int index = 0;
        for (JsonNode net : config.path("net")) {
            String id = "net" + index++;
            argv.addAll(List.of("-netdev", "tap,id=" + id + ",ifname=" + net.path("tap").asString() + ",script=no,downscript=no",
                    "-device", "virtio-net-device,netdev=" + id + (net.has("mac") ? ",mac=" + net.path("mac").asString() : "")));
            nets.add(net);
        }
        qemu = new ProcessBuilder(argv).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("standin-qemu.log").toFile())).start();
        try {
            for (int i = 0; i < 300 && !Files.exists(qmp) && qemu.isAlive(); i++) {
                Thread.sleep(20);
            }
            if (!qemu.isAlive()) {
                return Response.error(500, "Error booting VM", "QEMU exited: "
                        + Files.readString(dir.resolve("standin-qemu.log")).strip());
            }
            // As cloud-hypervisor does: the host side of each tap gets its configured address and goes up.
            for (JsonNode net : nets) {
                if (net.hasNonNull("ip")) {
                    run("ip", "addr", "add", net.path("ip").asString() + "/" + prefix(net.path("mask").asString("255.255.255.0")),
                            "dev", net.path("tap").asString());
                }
                run("ip", "link", "set", net.path("tap").asString(), "up");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        state = "Running";
        Thread.ofVirtual().start(this::exitWithGuest);
        return Response.of(204);
    }

    /** cloud-hypervisor exits when its guest powers off (not when the API shuts the VM down). */
    private void exitWithGuest() {
        Process running = qemu;
        try {
            running.waitFor();
        } catch (InterruptedException e) {
            return;
        }
        synchronized (this) {
            if (qemu == running && state.equals("Running")) {
                System.exit(0);
            }
        }
    }

    private Response info() {
        if (config == null) {
            return notCreated();
        }
        long size = config.path("memory").path("size").asLong(512L << 20);
        return Response.json(200, Map.of("config", config, "state", state, "memory_actual_size", size,
                "device_tree", Map.of()));
    }

    private Response qmp(String command, String error) throws IOException {
        if (config == null) {
            return notCreated();
        }
        if (!(state.equals("Running") || (state.equals("Paused") && command.equals("cont")))) {
            return Response.error(500, error, "VM is not running");
        }
        try (SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(socket.getParent().resolve("standin-qmp.sock")))) {
            InputStream in = Channels.newInputStream(channel);
            OutputStream out = Channels.newOutputStream(channel);
            Request.line(in);   // greeting
            out.write("{\"execute\":\"qmp_capabilities\"}\n".getBytes(StandardCharsets.UTF_8));
            skipEventsUntilReturn(in);
            out.write(("{\"execute\":\"" + command + "\"}\n").getBytes(StandardCharsets.UTF_8));
            skipEventsUntilReturn(in);
        }
        return Response.of(204);
    }

    private static void skipEventsUntilReturn(InputStream in) throws IOException {
        String line;
        do {
            line = Request.line(in);
        } while (!line.isEmpty() && line.contains("\"event\""));
    }

    private void killGuest() {
        Process running = qemu;
        qemu = null;
        if (running != null && running.isAlive()) {
            running.destroy();
            try {
                if (!running.waitFor(5, TimeUnit.SECONDS)) {
                    running.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Notices a guest that powered off between requests (the process then exits; see exitWithGuest). */
    private void guestExitedOnItsOwn() {
        if (qemu != null && !qemu.isAlive() && state.equals("Running")) {
            state = "Shutdown";
        }
    }

    private static Response notCreated() {
        return Response.error(404, "VM is not created");
    }

    private static int prefix(String mask) {
        int bits = 0;
        for (String part : mask.split("\\.")) {
            bits += Integer.bitCount(Integer.parseInt(part));
        }
        return bits;
    }

    private static void run(String... argv) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(argv).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new IOException(String.join(" ", argv) + ": " + output.strip());
        }
    }
}
