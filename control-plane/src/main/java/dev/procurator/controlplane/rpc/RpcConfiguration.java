package dev.procurator.controlplane.rpc;

import java.util.concurrent.Executor;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.procurator.controlplane.assignment.Assignments;
import dev.procurator.controlplane.assignment.Reports;
import dev.procurator.controlplane.cluster.ClusterView;
import dev.procurator.controlplane.config.ControlPlaneProperties;
import dev.procurator.controlplane.config.StateJson;
import dev.procurator.controlplane.generation.Publisher;
import dev.procurator.controlplane.leader.LeaderWrites;
import dev.procurator.controlplane.leader.Leadership;
import dev.procurator.controlplane.rollout.Rollouts;
import dev.procurator.controlplane.worker.WorkerRegistry;

/** The Master server, built with Spring's task executor: its calls touch the database, off the RPC event loop. */
@Configuration
class RpcConfiguration {

    @Bean
    MasterServer masterServer(@Qualifier(TaskExecutionAutoConfiguration.APPLICATION_TASK_EXECUTOR_BEAN_NAME)
                              Executor executor, Leadership leadership, LeaderWrites writes, WorkerRegistry workers,
                              Assignments assignments, Reports reports, Publisher publisher, Rollouts rollouts,
                              ClusterView cluster, StateJson json, ControlPlaneProperties properties) {
        return new MasterServer(executor, leadership, writes, workers, assignments, reports, publisher, rollouts,
                cluster, json, properties);
    }
}
