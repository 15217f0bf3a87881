package dev.procurator.forge.git;

import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

import dev.procurator.forge.ForgeProperties;
import dev.procurator.forge.protection.ProtectionService;
import dev.procurator.forge.repo.GitStorage;
import dev.procurator.forge.repo.RepoService;
import dev.procurator.forge.webhook.PushRecorder;

@Configuration
class GitHttpConfig {

    @Bean
    FilterRegistrationBean<GitHttpFilter> gitHttpFilter(RepoService repos, GitStorage storage,
                                                        ForgeProperties properties, ProtectionService protection,
                                                        PushRecorder recorder, RepoMaintenance maintenance) {
        var filter = new GitHttpFilter(repos, new ForgeRepositoryResolver(repos, storage),
                new ReceivePackFactoryImpl(properties, protection, recorder, maintenance), properties.uploadDeltaSearch());
        var registration = new FilterRegistrationBean<>(filter);
        registration.addUrlPatterns("/*");
        // After common's TokenAuthFilter (HIGHEST_PRECEDENCE + 10): the caller is established first.
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 20);
        return registration;
    }
}
