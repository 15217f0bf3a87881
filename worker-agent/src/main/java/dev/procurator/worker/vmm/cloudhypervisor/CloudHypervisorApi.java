package dev.procurator.worker.vmm.cloudhypervisor;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

import dev.procurator.worker.vmm.UnixSocket;

/**
 * cloud-hypervisor's REST API: HTTP/1.1 on the unix socket given by {@code --api-socket path=...}, base
 * {@code http://localhost/api/v1}, JSON bodies (shared notes/vm.md has the paths, codes and state rules).
 * One request per connection.
 */
public final class CloudHypervisorApi {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final Path socket;

    public CloudHypervisorApi(Path socket) {
        this.socket = socket;
    }

    /** One answer: status code and body text. */
    public record Response(int status, String body) {

        public boolean ok() {
            return status / 100 == 2;
        }
    }

    public Response get(String endpoint) throws IOException {
        return send("GET", endpoint, null);
    }

    public Response put(String endpoint, String json) throws IOException {
        return send("PUT", endpoint, json);
    }

    /** A PUT that must succeed; otherwise an IOException with the status and the API's error body. */
    public Response require(String endpoint, String json) throws IOException {
        Response response = put(endpoint, json);
        if (!response.ok()) {
            throw new IOException("PUT " + endpoint + " answered " + response.status() + ": " + response.body().strip());
        }
        return response;
    }

    private Response send(String method, String endpoint, String json) throws IOException {
        byte[] body = json == null ? new byte[0] : json.getBytes(StandardCharsets.UTF_8);
        StringBuilder request = new StringBuilder()
                .append(method).append(" /api/v1/").append(endpoint).append(" HTTP/1.1\r\n")
                .append("Host: localhost\r\nAccept: application/json\r\nConnection: close\r\n");
        if (json != null) {
            request.append("Content-Type: application/json\r\nContent-Length: ").append(body.length).append("\r\n");
        }
        request.append("\r\n");
        try (UnixSocket connection = UnixSocket.connect(socket)) {
            connection.write(request.toString());
            connection.write(body);
            String statusLine = connection.readLine(TIMEOUT);
            if (statusLine == null || !statusLine.startsWith("HTTP/1.")) {
                throw new IOException("not an HTTP answer from " + socket + ": " + statusLine);
            }
            int status = Integer.parseInt(statusLine.split(" ")[1]);
            int length = -1;
            String header;
            while ((header = connection.readLine(TIMEOUT)) != null && !header.isEmpty()) {
                int colon = header.indexOf(':');
                if (colon > 0 && header.substring(0, colon).strip().toLowerCase(Locale.ROOT).equals("content-length")) {
                    length = Integer.parseInt(header.substring(colon + 1).strip());
                }
            }
            byte[] content = length >= 0 ? connection.readBytes(length, TIMEOUT) : connection.readToEnd(TIMEOUT);
            return new Response(status, new String(content, StandardCharsets.UTF_8));
        }
    }
}
