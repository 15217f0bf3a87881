package dev.procurator.cache.protocol;

import java.util.List;

import org.apache.catalina.core.StandardHost;
import org.apache.coyote.http11.AbstractHttp11Protocol;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

import dev.procurator.cache.binarycache.CacheRegistry;
import dev.procurator.cache.config.CacheSettings;
import dev.procurator.cache.metrics.CacheMetrics;
import dev.procurator.cache.path.AccessRecorder;
import dev.procurator.cache.path.PathStore;
import dev.procurator.cache.storage.BlobStore;
import dev.procurator.cache.token.CacheAccess;
import dev.procurator.common.auth.AdminToken;
import dev.procurator.common.auth.AuthPolicy;
import dev.procurator.common.auth.TokenAuthFilter;
import dev.procurator.common.auth.TokenResolver;

/** Wires the Nix protocol filter first in the chain, and tunes Tomcat for {@code nix copy}'s traffic. */
@Configuration
class ProtocolConfiguration {

    @Bean
    FilterRegistrationBean<NixProtocolFilter> nixProtocolFilter(CacheRegistry caches, CacheAccess access,
                                                                PathStore store, BlobStore blobs,
                                                                AccessRecorder accesses, CacheMetrics metrics,
                                                                CacheSettings settings, AdminToken adminToken,
                                                                List<TokenResolver> resolvers, AuthPolicy policy) {
        var registration = new FilterRegistrationBean<>(new NixProtocolFilter(caches, access, store, blobs, accesses,
                metrics, settings, new TokenAuthFilter(adminToken, resolvers, policy)));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
        registration.setName("nixProtocolFilter");
        return registration;
    }

    /**
     * {@code nix copy} opens up to 25 connections at once and sends every PUT with {@code Expect: 100-continue}:
     * a backlog well above 25 avoids 1 s SYN retries. The 100 is sent as soon as the headers are parsed, so the body
     * travels while the filter authenticates and checks the request (measured: push 0.77x the time of sending it on
     * the first read, which costs a round trip plus a poller wake-up per PUT). A rejected upload (401, 413, 415)
     * still gets its JSON error; the client has then sent part of its body (curl stops at the error response), and
     * Tomcat drops the connection past 64 KiB of unread body. TCP_NODELAY is Tomcat's default.
     */
    @Bean
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> nixTrafficTuning() {
        return factory -> {
            factory.addContextCustomizers(context -> {
                if (context.getParent() instanceof StandardHost host) {
                    host.setErrorReportValveClass(JsonErrorReportValve.class.getName());
                }
            });
            factory.addConnectorCustomizers(connector -> {
            connector.setProperty("acceptCount", "256");
            connector.setProperty("tcpNoDelay", "true");
            connector.setProperty("continueResponseTiming", "immediately");
            connector.setProperty("maxKeepAliveRequests", "-1");
            // 64 KiB socket buffers instead of 8 KiB: a narinfo with many references (10 KB) leaves in one write
            // with its headers, and an upload is read in 64 KiB chunks (a 270 KB NAR in 5 reads, not 34).
            connector.setProperty("socket.appWriteBufSize", "65536");
            connector.setProperty("socket.appReadBufSize", "65536");
            // Let an encoded slash reach the protocol filter, which rejects it with a JSON error like any bad name.
            connector.setEncodedSolidusHandling("passthrough");
            if (connector.getProtocolHandler() instanceof AbstractHttp11Protocol<?> http) {
                http.setMaxSwallowSize(64 * 1024);
            }
            });
        };
    }
}
