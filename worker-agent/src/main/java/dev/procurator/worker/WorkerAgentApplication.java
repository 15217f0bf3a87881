package dev.procurator.worker;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** Worker agent: Runs this host's microVMs: pulls assignments, substitutes closures from the cache, boots VMs, health-checks them and reports back. */
@SpringBootApplication
public class WorkerAgentApplication {

    public static void main(String[] args) {
        SpringApplication.run(WorkerAgentApplication.class, args);
    }
}
