package dev.procurator.ci.pipeline;

import java.nio.charset.StandardCharsets;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.procurator.ci.log.StepLogStreams;
import dev.procurator.ci.log.StepLogs;
import dev.procurator.common.auth.Callers;
import dev.procurator.common.error.ApiException;

/**
 * A step's log: {@code GET /api/v1/pipelines/<id>/steps/<name>/log} as plain text, or with {@code ?follow=true} as
 * Server-Sent Events until the step ends; the dashboard's pages read the same streams under {@code /pipelines/}.
 */
@RestController
class StepLogController {

    private static final MediaType PLAIN_TEXT = new MediaType(MediaType.TEXT_PLAIN, StandardCharsets.UTF_8);

    private final PipelineService pipelines;
    private final StepStore steps;
    private final StepLogs logs;
    private final StepLogStreams streams;

    StepLogController(PipelineService pipelines, StepStore steps, StepLogs logs, StepLogStreams streams) {
        this.pipelines = pipelines;
        this.steps = steps;
        this.logs = logs;
        this.streams = streams;
    }

    @GetMapping("/api/v1/pipelines/{id}/steps/{name}/log")
    ResponseEntity<?> log(HttpServletRequest request, @PathVariable long id, @PathVariable String name,
                          @RequestParam(defaultValue = "false") boolean follow,
                          @RequestHeader(name = "Last-Event-ID", required = false) String lastEventId) {
        Callers.requireScope(request, "read");
        return serve(id, name, follow, lastEventId);
    }

    /** The dashboard's live log (the dashboard is read without a token, like every Procurator dashboard). */
    @GetMapping("/pipelines/{id}/steps/{name}/log")
    ResponseEntity<?> pageLog(@PathVariable long id, @PathVariable String name,
                              @RequestParam(defaultValue = "false") boolean follow,
                              @RequestHeader(name = "Last-Event-ID", required = false) String lastEventId) {
        return serve(id, name, follow, lastEventId);
    }

    private ResponseEntity<?> serve(long id, String name, boolean follow, String lastEventId) {
        pipelines.require(id);
        PipelineStep step = steps.findFirstByPipelineIdAndNameOrderByAttemptDesc(id, name)
                .orElseThrow(() -> ApiException.notFound("Pipeline " + id + " has no step '" + name + "' (yet)."));
        if (!follow) {
            return ResponseEntity.ok().contentType(PLAIN_TEXT)
                    .body(logs.text(step.id()));
        }
        int after = parseEventId(lastEventId);
        return ResponseEntity.ok().contentType(MediaType.TEXT_EVENT_STREAM).body(streams.follow(step.id(), after,
                () -> steps.findById(step.id()).map(s -> s.status().finished() ? s.status().wire() : null)
                        .orElse("gone")));
    }

    private static int parseEventId(String lastEventId) {
        try {
            return lastEventId == null ? -1 : Integer.parseInt(lastEventId.strip());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
