package dev.procurator.forge.git;

import java.io.IOException;
import java.util.Optional;

import jakarta.servlet.http.HttpServletRequest;

import org.eclipse.jgit.errors.RepositoryNotFoundException;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.transport.resolver.RepositoryResolver;
import org.eclipse.jgit.transport.resolver.ServiceNotAuthorizedException;
import org.eclipse.jgit.transport.resolver.ServiceNotEnabledException;

import dev.procurator.common.auth.Caller;
import dev.procurator.common.auth.Callers;
import dev.procurator.forge.repo.GitStorage;
import dev.procurator.forge.repo.RepoService;

/**
 * Maps {@code owner/name.git} to a bare repository the caller may at least read. Invalid and unknown names and
 * repositories the caller cannot see are all "not found", so a private repository's existence does not leak.
 */
final class ForgeRepositoryResolver implements RepositoryResolver<HttpServletRequest> {

    /** Request attribute holding the resolved {@link RepoService.Access}. */
    static final String ACCESS = ForgeRepositoryResolver.class.getName() + ".access";

    private final RepoService repos;
    private final GitStorage storage;

    ForgeRepositoryResolver(RepoService repos, GitStorage storage) {
        this.repos = repos;
        this.storage = storage;
    }

    @Override
    public Repository open(HttpServletRequest request, String path)
            throws RepositoryNotFoundException, ServiceNotAuthorizedException, ServiceNotEnabledException {
        String trimmed = path.startsWith("/") ? path.substring(1) : path;
        int slash = trimmed.indexOf('/');
        if (slash < 0 || !trimmed.endsWith(".git")) {
            throw new RepositoryNotFoundException(path);
        }
        String owner = trimmed.substring(0, slash);
        String name = trimmed.substring(slash + 1, trimmed.length() - ".git".length());
        Optional<Caller> caller = Callers.current(request);
        RepoService.Access access = repos.find(caller, owner, name).orElse(null);
        if (access == null) {
            if (caller.isEmpty()) {
                throw new ServiceNotAuthorizedException();
            }
            throw new RepositoryNotFoundException(owner + "/" + name);
        }
        request.setAttribute(ACCESS, access);
        try {
            return storage.open(owner, name);
        } catch (IOException e) {
            throw new RepositoryNotFoundException(owner + "/" + name, e);
        }
    }
}
