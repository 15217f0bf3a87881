package dev.procurator.controlplane.rollout;

import java.util.List;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.procurator.common.auth.Callers;
import dev.procurator.common.error.ApiException;
import dev.procurator.controlplane.cluster.ClusterJson;
import dev.procurator.controlplane.leader.LeaderWrites;
import jakarta.servlet.http.HttpServletRequest;

/** Rollouts over HTTP: the recent ones, one with its transitions, and the operator calls (admin). */
@RestController
class RolloutController {

    /** {@code POST /api/v1/vms/{vm}/rollback}'s optional body. */
    record RollbackRequest(Long toGeneration) {
    }

    private final RolloutStore store;
    private final Rollouts rollouts;
    private final LeaderWrites writes;

    RolloutController(RolloutStore store, Rollouts rollouts, LeaderWrites writes) {
        this.store = store;
        this.rollouts = rollouts;
        this.writes = writes;
    }

    @GetMapping("/api/v1/rollouts")
    List<ClusterJson.RolloutJson> recent(@RequestParam(required = false) String vm, HttpServletRequest request) {
        Callers.requireScope(request, "read");
        return store.recent(vm, 100).stream().map(ClusterJson.RolloutJson::of).toList();
    }

    @GetMapping("/api/v1/rollouts/{id}")
    ClusterJson.RolloutDetail get(@PathVariable long id, HttpServletRequest request) {
        Callers.requireScope(request, "read");
        Rollout rollout = store.byId(id).orElseThrow(() -> ApiException.notFound("no rollout " + id));
        return ClusterJson.RolloutDetail.of(rollout, store.transitions(id));
    }

    @PostMapping("/api/v1/vms/{vm}/promote")
    ClusterJson.RolloutJson promote(@PathVariable String vm, HttpServletRequest request) {
        Callers.requireScope(request, "admin");
        return ClusterJson.RolloutJson.of(writes.write(() -> rollouts.promote(vm, System.currentTimeMillis())));
    }

    @PostMapping("/api/v1/vms/{vm}/pause")
    ClusterJson.RolloutJson pause(@PathVariable String vm, HttpServletRequest request) {
        Callers.requireScope(request, "admin");
        return ClusterJson.RolloutJson.of(writes.write(() -> rollouts.pause(vm, System.currentTimeMillis())));
    }

    @PostMapping("/api/v1/vms/{vm}/resume")
    ClusterJson.RolloutJson resume(@PathVariable String vm, HttpServletRequest request) {
        Callers.requireScope(request, "admin");
        return ClusterJson.RolloutJson.of(writes.write(() -> rollouts.resume(vm, System.currentTimeMillis())));
    }

    @PostMapping("/api/v1/vms/{vm}/rollback")
    ClusterJson.RolloutJson rollback(@PathVariable String vm, @RequestBody(required = false) RollbackRequest body,
                                     HttpServletRequest request) {
        Callers.requireScope(request, "admin");
        long to = body == null || body.toGeneration() == null ? 0 : body.toGeneration();
        if (to < 0) {
            throw ApiException.badRequest("invalid", "toGeneration must be a generation number (0 = the last good)");
        }
        return ClusterJson.RolloutJson.of(writes.write(() -> rollouts.rollback(vm, to, System.currentTimeMillis())));
    }
}
