package dev.procurator.ci.log;

import java.io.IOException;
import java.time.Duration;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.core.task.TaskExecutor;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * Follows a step's log as Server-Sent Events: every line is a {@code log} event (the last line of each stored chunk
 * carries the chunk's number as event id, so a reconnecting client resumes with {@code Last-Event-ID}); when the step
 * has finished and everything is sent, an {@code end} event carries its status. The log is read from the database,
 * so any instance streams any step, live.
 */
@Component
public class StepLogStreams {

    private static final Logger log = LoggerFactory.getLogger(StepLogStreams.class);
    private static final Duration POLL = Duration.ofMillis(250);
    private static final Duration LIMIT = Duration.ofHours(3);

    private final StepLogs logs;
    private final TaskExecutor executor;

    StepLogStreams(StepLogs logs, @Qualifier("applicationTaskExecutor") TaskExecutor applicationTaskExecutor) {
        this.logs = logs;
        this.executor = applicationTaskExecutor;
    }

    /**
     * @param afterSeq  the last chunk the client has (from {@code Last-Event-ID}), or -1
     * @param finished  the step's final status once it has one, else null
     */
    public SseEmitter follow(long stepId, int afterSeq, Supplier<String> finished) {
        SseEmitter emitter = new SseEmitter(LIMIT.toMillis());
        executor.execute(() -> stream(emitter, stepId, afterSeq, finished));
        return emitter;
    }

    private void stream(SseEmitter emitter, long stepId, int afterSeq, Supplier<String> finished) {
        int last = afterSeq;
        try {
            while (true) {
                // Read the status before the chunks: a step that ends in between is read once more.
                String status = finished.get();
                for (StepLogs.Chunk chunk : logs.after(stepId, last)) {
                    String[] lines = chunk.text().split("\n", -1);
                    int count = chunk.text().endsWith("\n") ? lines.length - 1 : lines.length;
                    for (int i = 0; i < count; i++) {
                        // SSE clients drop one space after "data:" and treat a carriage return as a line end.
                        SseEmitter.SseEventBuilder event = SseEmitter.event().name("log")
                                .data(" " + lines[i].replace("\r", ""));
                        emitter.send(i == count - 1 ? event.id(Integer.toString(chunk.seq())) : event);
                    }
                    last = chunk.seq();
                }
                if (status != null) {
                    emitter.send(SseEmitter.event().name("end").data(status));
                    emitter.complete();
                    return;
                }
                Thread.sleep(POLL);
            }
        } catch (IOException | IllegalStateException gone) {
            log.debug("log follower of step {} left: {}", stepId, gone.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            emitter.complete();
        } catch (RuntimeException e) {
            emitter.completeWithError(e);
        }
    }
}
