package dev.procurator.worker;

import dev.procurator.common.testing.ServiceStartupContract;

class WorkerAgentStartupIT extends ServiceStartupContract {

    WorkerAgentStartupIT() {
        super(WorkerAgentApplication.class, "worker-agent");
    }
}
