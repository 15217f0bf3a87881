package dev.procurator.controlplane.event;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.core.task.AsyncTaskExecutor;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

import dev.procurator.common.auth.Callers;
import jakarta.servlet.http.HttpServletRequest;

/**
 * {@code GET /api/v1/events?since=<id>}: the timeline after an event id, as a JSON list, or with
 * {@code Accept: text/event-stream} as Server-Sent Events (each with its id, so a reconnecting client resumes after
 * {@code Last-Event-ID}), sent on Spring's task executor whenever a change commits.
 */
@RestController
class EventController {

    private static final int PAGE = 500;

    private final EventLog events;
    private final AsyncTaskExecutor executor;

    EventController(EventLog events,
                    @Qualifier(TaskExecutionAutoConfiguration.APPLICATION_TASK_EXECUTOR_BEAN_NAME)
                    AsyncTaskExecutor executor) {
        this.events = events;
        this.executor = executor;
    }

    @GetMapping(value = "/api/v1/events", produces = MediaType.APPLICATION_JSON_VALUE)
    List<Event> list(@RequestParam(defaultValue = "0") long since, HttpServletRequest request) {
        Callers.requireScope(request, "read");
        return events.since(since, PAGE);
    }

    @GetMapping(value = "/api/v1/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    SseEmitter stream(@RequestParam(required = false) Long since,
                      @RequestHeader(value = "Last-Event-ID", required = false) Long lastEventId,
                      HttpServletRequest request) {
        Callers.requireScope(request, "read");
        SseEmitter emitter = new SseEmitter(0L);
        AtomicLong last = new AtomicLong(lastEventId != null ? lastEventId : since != null ? since : 0);
        AtomicBoolean open = new AtomicBoolean(true);
        ReentrantLock sending = new ReentrantLock();
        Runnable send = () -> executor.execute(() -> {
            sending.lock();
            try {
                List<Event> batch;
                do {
                    batch = events.since(last.get(), PAGE);
                    for (Event event : batch) {
                        if (!open.get()) {
                            return;
                        }
                        emitter.send(SseEmitter.event().id(Long.toString(event.id())).name(event.kind())
                                .data(event, MediaType.APPLICATION_JSON));
                        last.set(event.id());
                    }
                } while (batch.size() == PAGE);
            } catch (IOException | IllegalStateException e) {
                open.set(false);
                emitter.completeWithError(e);
            } finally {
                sending.unlock();
            }
        });
        Runnable unsubscribe = events.onCommit(send);
        emitter.onCompletion(() -> {
            open.set(false);
            unsubscribe.run();
        });
        emitter.onTimeout(emitter::complete);
        emitter.onError(e -> {
            open.set(false);
            unsubscribe.run();
        });
        try {
            emitter.send(SseEmitter.event().comment("events after " + last.get()));  // commits the headers now
        } catch (IOException e) {
            emitter.completeWithError(e);
        }
        send.run();
        return emitter;
    }
}
