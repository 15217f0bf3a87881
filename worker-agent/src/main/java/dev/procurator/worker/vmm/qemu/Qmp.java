package dev.procurator.worker.vmm.qemu;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;

import dev.procurator.worker.vmm.UnixSocket;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A QMP session on QEMU's control socket: greeting, {@code qmp_capabilities}, then commands. Events may arrive
 * before a command's {@code return} (shared notes/vm.md): they are skipped while waiting for the reply.
 */
final class Qmp implements AutoCloseable {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Duration REPLY_TIMEOUT = Duration.ofSeconds(10);

    private final UnixSocket socket;

    private Qmp(UnixSocket socket) {
        this.socket = socket;
    }

    static Qmp connect(Path path) throws IOException {
        UnixSocket socket = UnixSocket.connect(path);
        try {
            Qmp qmp = new Qmp(socket);
            JsonNode greeting = qmp.next();
            if (greeting == null || !greeting.has("QMP")) {
                throw new IOException("no QMP greeting on " + path);
            }
            qmp.execute("qmp_capabilities");
            return qmp;
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    /** Runs a command and returns its {@code return} value; a QMP {@code error} becomes an IOException. */
    JsonNode execute(String command) throws IOException {
        socket.write("{\"execute\":\"" + command + "\"}\n");
        while (true) {
            JsonNode reply = next();
            if (reply == null) {
                if (command.equals("quit")) {
                    return JSON.missingNode();   // QEMU closes the socket as it quits
                }
                throw new IOException("QMP socket closed before " + command + " returned");
            }
            if (reply.has("event")) {
                continue;
            }
            if (reply.has("error")) {
                throw new IOException("QMP " + command + ": " + reply.path("error").path("desc").asString());
            }
            return reply.path("return");
        }
    }

    private JsonNode next() throws IOException {
        String line = socket.readLine(REPLY_TIMEOUT);
        return line == null ? null : JSON.readTree(line);
    }

    @Override
    public void close() {
        socket.close();
    }
}
