package dev.procurator.controlplane.cluster;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import dev.procurator.common.auth.Callers;
import jakarta.servlet.http.HttpServletRequest;

/** {@code GET /api/v1/cluster}: the whole picture (answered by followers too). */
@RestController
class ClusterController {

    private final ClusterView view;

    ClusterController(ClusterView view) {
        this.view = view;
    }

    @GetMapping("/api/v1/cluster")
    ClusterJson.Cluster cluster(HttpServletRequest request) {
        Callers.requireScope(request, "read");
        return view.json();
    }
}
