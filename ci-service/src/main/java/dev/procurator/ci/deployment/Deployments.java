package dev.procurator.ci.deployment;

import java.util.Optional;

import org.springframework.data.domain.Limit;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.SerializationFeature;

/**
 * Deployment artifacts in the database: written once per pipeline (in one transaction, so an acknowledged artifact is
 * complete or absent, never half-written), served by the API, and read back as the baseline of the branch's next
 * pipeline.
 */
@Component
public class Deployments {

    private final DeploymentStore store;
    private final ObjectMapper json;

    Deployments(DeploymentStore store, ObjectMapper json) {
        this.store = store;
        this.json = json.rebuild().enable(SerializationFeature.INDENT_OUTPUT).build();
    }

    @Transactional
    public void save(DeploymentArtifact artifact) {
        store.save(new Deployment(artifact.pipeline(), artifact.repository(), artifact.branch(), artifact.gitCommit(),
                json.writeValueAsString(artifact) + "\n", artifact.createdAt()));
    }

    /** The branch's last successful deployment, the baseline of change detection. */
    public Optional<DeploymentArtifact> lastSuccessful(String repo, String branch) {
        return store.lastSuccessful(repo, branch, Limit.of(1)).stream().findFirst()
                .map(deployment -> json.readValue(deployment.artifact(), DeploymentArtifact.class));
    }

    /** A pipeline's deployment.json, as stored. */
    public Optional<String> artifactJson(long pipelineId) {
        return store.findById(pipelineId).map(Deployment::artifact);
    }

    public Optional<DeploymentArtifact> artifact(long pipelineId) {
        return artifactJson(pipelineId).map(text -> json.readValue(text, DeploymentArtifact.class));
    }
}
