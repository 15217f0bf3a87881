package dev.procurator.ci;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** CI: Turns each push into a pipeline: nix flake check, blueprint evaluation, closure builds, change detection, cache publishing and deployment. */
@SpringBootApplication
public class CiServiceApplication {

    public static void main(String[] args) {
        SpringApplication.run(CiServiceApplication.class, args);
    }
}
