package dev.procurator.cli.ci;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Iterator;
import java.util.function.Consumer;
import java.util.stream.Stream;

import dev.procurator.cli.api.CliException;

/**
 * A step's log over HTTP: as a Server-Sent Events stream (every {@code log} event is a line, the {@code end} event
 * closes it), or at once as plain text.
 */
final class EventStream implements AutoCloseable {

    private final Stream<String> lines;

    EventStream(String url, String token) {
        this.lines = send(url, token, "text/event-stream", HttpResponse.BodyHandlers.ofLines());
    }

    static String text(String url, String token) {
        return send(url, token, "text/plain", HttpResponse.BodyHandlers.ofString());
    }

    private static <T> T send(String url, String token, String accept, HttpResponse.BodyHandler<T> handler) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).header("Accept", accept)
                .header("Authorization", "Bearer " + token).build();
        try {
            HttpResponse<T> response = HttpClient.newHttpClient().send(request, handler);
            if (response.statusCode() != 200) {
                if (response.body() instanceof AutoCloseable closeable) {
                    closeable.close();
                }
                throw new CliException("GET " + url + " answered HTTP " + response.statusCode());
            }
            return response.body();
        } catch (ConnectException e) {
            throw new CliException("Cannot reach " + url);
        } catch (IOException e) {
            throw new CliException("Reading " + url + " failed: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException("Interrupted");
        } catch (CliException e) {
            throw e;
        } catch (Exception e) {
            throw new CliException("Reading " + url + " failed: " + e.getMessage());
        }
    }

    /** Hands each log line to {@code sink} until the step ends. */
    void forEachLine(Consumer<String> sink) {
        String event = "message";
        Iterator<String> it = lines.iterator();
        while (it.hasNext()) {
            String line = it.next();
            if (line.startsWith("event:")) {
                event = line.substring(6).strip();
            } else if (line.startsWith("data:")) {
                String data = line.substring(5);
                if (event.equals("end")) {
                    return;
                }
                sink.accept(data.startsWith(" ") ? data.substring(1) : data);
            } else if (line.isEmpty()) {
                event = "message";
            }
        }
    }

    @Override
    public void close() {
        lines.close();
    }
}
