package dev.procurator.cache.token;

import java.util.regex.Pattern;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.procurator.common.auth.AuthPolicy;

/**
 * The Nix protocol paths and a cache's public description are decided per cache (public caches read anonymously), so
 * the filter lets them through without a caller; every other {@code /api/} path needs one.
 */
@Configuration
class CacheAuthPolicy {

    private static final Pattern CACHE_INFO = Pattern.compile("/api/v1/caches/[^/]+");

    @Bean
    AuthPolicy authPolicy() {
        return CacheAuthPolicy::requiresCaller;
    }

    static boolean requiresCaller(HttpServletRequest request) {
        String uri = request.getRequestURI();
        if (!uri.startsWith("/api/")) {
            return false;
        }
        boolean read = "GET".equals(request.getMethod()) || "HEAD".equals(request.getMethod());
        return !(read && CACHE_INFO.matcher(uri).matches());
    }
}
