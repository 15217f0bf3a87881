package dev.procurator.cache.protocol;

import java.util.List;

import org.apache.catalina.core.StandardHost;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.core.task.AsyncTaskExecutor;

import dev.procurator.cache.CacheProperties;
import dev.procurator.cache.binarycache.CacheRegistry;
import dev.procurator.cache.metrics.CacheMetrics;
import dev.procurator.cache.path.AccessRecorder;
import dev.procurator.cache.path.PathService;
import dev.procurator.cache.storage.BlobStore;
import dev.procurator.cache.storage.FileSystemBlobStore;
import dev.procurator.cache.token.CacheAccess;
import dev.procurator.common.auth.AdminToken;
import dev.procurator.common.auth.TokenAuthenticator;
import dev.procurator.common.auth.TokenResolver;

/** The Nix protocol, served by the HTTP front; Tomcat set up for what the front relays to it. */
@Configuration
class ProtocolConfiguration {

    /**
     * @param executor Spring's own (virtual threads, awaited on shutdown): what may wait is handed to it, so that an
     *                 event loop never waits
     */
    @Bean
    NixProtocol nixProtocol(CacheRegistry caches, CacheAccess access, PathService store, BlobStore blobs,
                            AccessRecorder accesses, CacheMetrics metrics, CacheProperties properties,
                            AdminToken adminToken, List<TokenResolver> resolvers, Environment environment,
                            @Qualifier("applicationTaskExecutor") AsyncTaskExecutor executor) {
        // Local calls only: the embedded database, NARs on this disk, no fsync wait. Anything else (PostgreSQL, S3)
        // is a network round trip, which must not hold an event loop.
        boolean localCalls = blobs instanceof FileSystemBlobStore && !properties.fsync()
                && environment.getProperty("spring.datasource.url", "").startsWith("jdbc:h2:");
        return new NixProtocol(caches, access, store, blobs, accesses, metrics, properties,
                new TokenAuthenticator(adminToken, resolvers), localCalls, executor);
    }

    /**
     * Tomcat behind the front: errors it raises before any servlet runs are JSON like every other error, and the
     * front's kept-alive connections to it outlive the front's own idle timeout (5 min), so a relayed request never
     * races Tomcat closing its connection.
     */
    @Bean
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> tomcatBehindTheFront() {
        return factory -> {
            factory.addContextCustomizers(context -> {
                if (context.getParent() instanceof StandardHost host) {
                    host.setErrorReportValveClass(JsonErrorReportValve.class.getName());
                }
            });
            factory.addConnectorCustomizers(connector -> connector.setProperty("keepAliveTimeout", "600000"));
        };
    }
}
