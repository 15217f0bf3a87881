package dev.procurator.forge.repo;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.procurator.common.auth.AuthPolicy;
import dev.procurator.forge.git.GitPaths;

/**
 * Which requests need credentials before anything else happens. Git only sends credentials after a 401 challenge,
 * so every push and every read of a private (or unknown) repository is challenged; public repositories, their
 * pages and read-only API calls work anonymously (controllers still check per repository). Everything that
 * changes state needs a caller.
 */
@Configuration
class AccessPolicyConfig {

    @Bean
    AuthPolicy forgeAuthPolicy(RepoService repos) {
        return request -> requiresCaller(request, repos);
    }

    static boolean requiresCaller(HttpServletRequest request, RepoService repos) {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        boolean reading = "GET".equals(request.getMethod()) || "HEAD".equals(request.getMethod());
        var git = GitPaths.parse(path);
        if (git.isPresent()) {
            return GitPaths.isPush(path, request.getQueryString())
                    || !repos.isPublic(git.get().owner(), git.get().name());
        }
        if (path.startsWith("/api/")) {
            return !reading || !path.startsWith("/api/v1/repos");
        }
        if (!reading) {
            return true;
        }
        // Repository pages: /<owner>/<repo>[/...]; a private or unknown one asks the browser for credentials.
        String[] parts = path.split("/");
        if (parts.length >= 3 && !parts[1].isEmpty() && !"procurator".equals(parts[1])
                && !"actuator".equals(parts[1])) {
            return !repos.isPublic(parts[1], parts[2]) || path.contains("/settings");
        }
        return false;
    }
}
