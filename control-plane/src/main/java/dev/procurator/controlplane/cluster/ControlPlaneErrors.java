package dev.procurator.controlplane.cluster;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

import dev.procurator.common.error.ErrorBody;
import dev.procurator.controlplane.leader.LeaderInfo;
import dev.procurator.controlplane.leader.NotLeaderException;
import dev.procurator.controlplane.rollout.Rollouts;
import dev.procurator.controlplane.worker.WorkerRegistry;

/** The control plane's own refusals as the platform's JSON errors: 503 from a follower, 404, 409. */
@RestControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE)
class ControlPlaneErrors {

    @ExceptionHandler(NotLeaderException.class)
    ResponseEntity<ErrorBody> notLeader(NotLeaderException e) {
        LeaderInfo leader = e.leader();
        String message = leader == null ? "this control-plane instance is not the leader and no leader is elected yet"
                : "this control-plane instance is not the leader; the leader is at " + leader.httpUrl();
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).body(new ErrorBody("not_leader", message));
    }

    @ExceptionHandler({Rollouts.NotFoundException.class, WorkerRegistry.UnknownWorkerException.class})
    ResponseEntity<ErrorBody> notFound(RuntimeException e) {
        return ResponseEntity.status(HttpStatus.NOT_FOUND).body(new ErrorBody("not_found", e.getMessage()));
    }

    @ExceptionHandler(Rollouts.ConflictException.class)
    ResponseEntity<ErrorBody> conflict(RuntimeException e) {
        return ResponseEntity.status(HttpStatus.CONFLICT).body(new ErrorBody("conflict", e.getMessage()));
    }
}
