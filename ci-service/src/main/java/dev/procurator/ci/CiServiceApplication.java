package dev.procurator.ci;

import java.util.List;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

import dev.procurator.ci.log.SecretRedactor;
import dev.procurator.ci.webhook.WebhookSecret;
import dev.procurator.common.auth.AdminToken;

/**
 * CI: turns each push into a pipeline: nix flake check, blueprint evaluation, closure builds, change detection, cache
 * publishing and deployment.
 */
@SpringBootApplication
@EnableConfigurationProperties(CiProperties.class)
public class CiServiceApplication {

    public static void main(String[] args) {
        SpringApplication.run(CiServiceApplication.class, args);
    }

    /** Every secret the service holds, kept out of step logs. */
    @Bean
    SecretRedactor secretRedactor(AdminToken adminToken, CiProperties properties, WebhookSecret webhookSecret) {
        return new SecretRedactor(List.of(adminToken.value(), webhookSecret.value(),
                properties.forgeToken() == null ? "" : properties.forgeToken(),
                properties.cacheToken() == null ? "" : properties.cacheToken()));
    }
}
