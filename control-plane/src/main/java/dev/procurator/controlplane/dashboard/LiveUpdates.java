package dev.procurator.controlplane.dashboard;

import java.io.IOException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.task.AsyncTaskExecutor;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ResponseBody;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

import dev.procurator.controlplane.event.EventLog;

/**
 * {@code GET /live}: Server-Sent Events telling an open dashboard that the cluster changed (a {@code changed} event
 * carrying the newest event id), so it reloads at once instead of at its next periodic refresh. Sent on Spring's task
 * executor after the change committed, only when a new event was recorded; the streams end with the application so
 * they never hold up its graceful shutdown.
 */
@Controller
class LiveUpdates {

    private final EventLog events;
    private final AsyncTaskExecutor executor;
    private final Set<SseEmitter> open = ConcurrentHashMap.newKeySet();

    LiveUpdates(EventLog events,
                @Qualifier(TaskExecutionAutoConfiguration.APPLICATION_TASK_EXECUTOR_BEAN_NAME)
                AsyncTaskExecutor executor) {
        this.events = events;
        this.executor = executor;
    }

    @GetMapping(value = "/live", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    @ResponseBody
    SseEmitter live() {
        SseEmitter emitter = new SseEmitter(0L);
        AtomicLong sent = new AtomicLong(-1);
        Runnable send = () -> executor.execute(() -> {
            long latest = events.latestId();
            if (sent.getAndSet(latest) == latest) {
                return;
            }
            try {
                emitter.send(SseEmitter.event().id(Long.toString(latest)).name("changed").data(latest));
            } catch (IOException | IllegalStateException gone) {
                emitter.completeWithError(gone);
            }
        });
        Runnable unsubscribe = events.onCommit(send);
        Runnable close = () -> {
            unsubscribe.run();
            open.remove(emitter);
        };
        emitter.onCompletion(close);
        emitter.onError(e -> close.run());
        emitter.onTimeout(emitter::complete);
        open.add(emitter);
        send.run();
        return emitter;
    }

    @EventListener(ContextClosedEvent.class)
    void closeStreams() {
        open.forEach(SseEmitter::complete);
    }
}
