package dev.procurator.forge;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;

/** Forge: Git hosting: repositories, push over smart HTTP, tokens, protected branches, commit statuses and push webhooks. */
@SpringBootApplication
@EnableConfigurationProperties(ForgeProperties.class)
public class ForgeApplication {

    public static void main(String[] args) {
        SpringApplication.run(ForgeApplication.class, args);
    }
}
