package dev.procurator.ci.deployment;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

import dev.procurator.ci.pipeline.PipelineService;
import dev.procurator.common.auth.Callers;
import dev.procurator.common.error.ApiException;

/** {@code GET /api/v1/pipelines/<id>/deployment}: the pipeline's deployment.json, 404 until it exists. */
@RestController
class DeploymentController {

    private final PipelineService pipelines;
    private final Deployments deployments;

    DeploymentController(PipelineService pipelines, Deployments deployments) {
        this.pipelines = pipelines;
        this.deployments = deployments;
    }

    @GetMapping("/api/v1/pipelines/{id}/deployment")
    ResponseEntity<String> deployment(HttpServletRequest request, @PathVariable long id) {
        Callers.requireScope(request, "read");
        pipelines.require(id);
        String artifact = deployments.artifactJson(id).orElseThrow(() -> ApiException.notFound(
                "Pipeline " + id + " has no deployment artifact (yet): it is written after the cache push."));
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(artifact);
    }
}
