package dev.procurator.worker.vm;

import java.io.IOException;
import java.util.List;

import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

import dev.procurator.common.error.ApiException;
import dev.procurator.worker.console.ConsoleLog;

/**
 * The agent's API: {@code GET /api/v1/vms} (every replica on this host), {@code GET /api/v1/vms/<name>/<replica>}
 * and {@code GET /api/v1/vms/<name>/<replica>/console} (the console's last lines as text; {@code ?follow=true}: the
 * same lines, then each new one, as Server-Sent Events).
 */
@RestController
@RequestMapping("/api/v1/vms")
class VmApiController {

    private static final int MAX_LINES = 10_000;

    private final VmSupervisor supervisor;

    VmApiController(VmSupervisor supervisor) {
        this.supervisor = supervisor;
    }

    @GetMapping
    List<ReplicaView> list() {
        return supervisor.views();
    }

    @GetMapping("/{name}/{replica}")
    ReplicaView one(@PathVariable String name, @PathVariable String replica) {
        ReplicaKey key = key(name, replica);
        return supervisor.view(key).orElseThrow(() -> notFound(key));
    }

    @GetMapping(value = "/{name}/{replica}/console", produces = MediaType.TEXT_PLAIN_VALUE)
    String console(@PathVariable String name, @PathVariable String replica,
                   @RequestParam(defaultValue = "200") int lines) {
        ConsoleLog.Tail tail = consoleOf(name, replica).tail(lines(lines));
        return tail.lines().isEmpty() ? "" : String.join("\n", tail.lines()) + "\n";
    }

    @GetMapping(value = "/{name}/{replica}/console", params = "follow=true", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    SseEmitter follow(@PathVariable String name, @PathVariable String replica,
                      @RequestParam(defaultValue = "200") int lines) throws IOException {
        ConsoleLog console = consoleOf(name, replica);
        SseEmitter emitter = new SseEmitter(0L);
        // Lines arriving while the tail is sent wait in order behind it.
        Object order = new Object();
        synchronized (order) {
            Runnable unfollow = console.follow(line -> {
                synchronized (order) {
                    send(emitter, line);
                }
            });
            emitter.onCompletion(unfollow);
            emitter.onTimeout(unfollow);
            emitter.onError(error -> unfollow.run());
            for (String line : console.tail(lines(lines)).lines()) {
                send(emitter, line);
            }
        }
        return emitter;
    }

    private static void send(SseEmitter emitter, String line) {
        try {
            emitter.send(SseEmitter.event().name("line").data(line));
        } catch (IOException | IllegalStateException e) {
            emitter.completeWithError(e);
        }
    }

    private ConsoleLog consoleOf(String name, String replica) {
        ReplicaKey key = key(name, replica);
        return supervisor.console(key).orElseThrow(() -> notFound(key));
    }

    private static int lines(int requested) {
        if (requested < 1 || requested > MAX_LINES) {
            throw ApiException.badRequest("invalid_lines", "lines must be between 1 and " + MAX_LINES + ", got " + requested);
        }
        return requested;
    }

    private static ReplicaKey key(String name, String replica) {
        try {
            return new ReplicaKey(name, Integer.parseInt(replica));
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("invalid_replica", "a replica id is a number, got '" + replica + "'");
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("invalid_vm", e.getMessage());
        }
    }

    private static ApiException notFound(ReplicaKey key) {
        return ApiException.notFound("no replica " + key.replica() + " of VM " + key.vm() + " on this worker");
    }
}
