package dev.procurator.controlplane.worker;

import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import dev.procurator.common.auth.Callers;
import dev.procurator.common.error.ApiException;
import dev.procurator.controlplane.cluster.ClusterJson;
import dev.procurator.controlplane.cluster.ClusterView;
import dev.procurator.controlplane.leader.LeaderWrites;
import jakarta.servlet.http.HttpServletRequest;

/** {@code POST /api/v1/workers/{id}/drain} {@code {"drain": true|false}} (admin). */
@RestController
class WorkerController {

    /** The drain request. */
    record DrainRequest(Boolean drain) {
    }

    private final WorkerRegistry workers;
    private final LeaderWrites writes;
    private final ClusterView view;

    WorkerController(WorkerRegistry workers, LeaderWrites writes, ClusterView view) {
        this.workers = workers;
        this.writes = writes;
        this.view = view;
    }

    @PostMapping("/api/v1/workers/{id}/drain")
    ClusterJson.WorkerJson drain(@PathVariable String id, @RequestBody DrainRequest body, HttpServletRequest request) {
        Callers.requireScope(request, "admin");
        if (body == null || body.drain() == null) {
            throw ApiException.badRequest("invalid", "the body must be {\"drain\": true} or {\"drain\": false}");
        }
        return view.workerJson(writes.write(() -> workers.drain(id, body.drain())));
    }
}
