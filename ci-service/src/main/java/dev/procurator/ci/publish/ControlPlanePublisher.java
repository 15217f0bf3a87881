package dev.procurator.ci.publish;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.springframework.stereotype.Component;

import dev.procurator.ci.deployment.DeploymentArtifact;
import dev.procurator.ci.log.StepLog;
import dev.procurator.ci.pipeline.StepFailure;
import dev.procurator.ci.retry.Retrier;
import dev.procurator.ci.retry.TransientFailure;
import dev.procurator.common.config.ProcuratorProperties;
import dev.procurator.schema.Common;
import dev.procurator.schema.blueprint.Blueprint;
import dev.procurator.schema.blueprint.BlueprintCapnp;
import dev.procurator.schema.client.MasterEndpoints;
import dev.procurator.schema.client.MasterErrors;

/**
 * Publishes a deployment to the control plane: {@code Master.publishState} over Cap'n Proto on the leader among
 * {@code PROCURATOR_CONTROL_PLANE_RPC}'s endpoints. A refusal ({@code invalid}) fails the step with the control plane's
 * message; an unreachable control plane, a follower or a lost connection is retried with backoff, following the
 * leader a follower names.
 */
@Component
public class ControlPlanePublisher {

    private static final long CALL_TIMEOUT_SECONDS = 60;

    private final String endpoints;
    private final Retrier retrier;

    ControlPlanePublisher(ProcuratorProperties platform, Retrier retrier) {
        this.endpoints = platform.controlPlaneRpc();
        this.retrier = retrier;
    }

    /** The generation's number and whether the control plane took it as a change. */
    public record Published(long number, boolean changed) {
    }

    public Published publish(DeploymentArtifact artifact, Blueprint blueprint, StepLog log) {
        MasterEndpoints masters;
        try {
            masters = MasterEndpoints.parse(endpoints);
        } catch (IllegalArgumentException e) {
            throw new StepFailure("PROCURATOR_CONTROL_PLANE_RPC is invalid: " + e.getMessage());
        }
        String[] leader = {null};
        return retrier.call("publishing to the control plane " + endpoints, log::line, () -> {
            try (MasterEndpoints.Connection connection = masters.connectToLeader(leader[0], null)) {
                log.line("publishState to " + connection.address() + ": " + artifact.repository() + "@"
                        + artifact.branch() + " " + artifact.gitCommit());
                var result = connection.master().publishState(params -> write(artifact, blueprint,
                        params.initGeneration())).get(CALL_TIMEOUT_SECONDS, TimeUnit.SECONDS);
                return new Published(result.getNumber(), result.getChanged());
            } catch (IOException e) {
                throw new TransientFailure(e.getMessage(), e);
            } catch (ExecutionException | TimeoutException e) {
                if (MasterErrors.INVALID.equals(MasterErrors.code(e))) {
                    throw new StepFailure("the control plane refused the generation: " + MasterErrors.message(e));
                }
                MasterErrors.leaderAddress(e).ifPresent(address -> leader[0] = address);
                throw new TransientFailure(MasterErrors.message(e), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new Retrier.RetryInterrupted();
            }
        });
    }

    static void write(DeploymentArtifact artifact, Blueprint blueprint, Common.Generation.Builder generation) {
        generation.setRepository(artifact.repository());
        generation.setBranch(artifact.branch());
        generation.setGitCommit(artifact.gitCommit());
        generation.setPipelineUrl(artifact.pipelineUrl());
        BlueprintCapnp.write(blueprint, generation.initBlueprint(blueprint.vms().size()));
        var closures = generation.initClosures(artifact.closures().size());
        int i = 0;
        for (Map.Entry<String, String> closure : artifact.closures().entrySet()) {
            closures.get(i).setVm(closure.getKey());
            closures.get(i).setStorePath(closure.getValue());
            i++;
        }
    }
}
