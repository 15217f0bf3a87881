package dev.procurator.forge.git;

import java.io.IOException;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.locks.ReentrantLock;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;

import org.eclipse.jgit.http.server.GitFilter;
import org.eclipse.jgit.http.server.GitSmartHttpTools;
import org.eclipse.jgit.http.server.ServletUtils;
import org.eclipse.jgit.lib.Config;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.pack.PackConfig;
import org.eclipse.jgit.transport.TransferConfig;
import org.eclipse.jgit.transport.UploadPack;

import dev.procurator.common.auth.Caller;
import dev.procurator.common.auth.Callers;
import dev.procurator.forge.repo.Permission;
import dev.procurator.forge.repo.RepoService;

/**
 * Serves {@code /<owner>/<repo>.git/...} with JGit's smart HTTP (and dumb HTTP for very old clients) in front of
 * Spring MVC; every other path goes on to the dashboard and API. Runs after the token filter, so the caller (if
 * any) is known and anonymous pushes were already challenged with a 401.
 */
final class GitHttpFilter implements Filter {

    private final GitFilter git = new GitFilter();
    /** Pushes to one repository run one at a time, so a racing loser is told to fetch first (see StaleRefMessages). */
    private final ConcurrentMap<String, ReentrantLock> pushLocks = new ConcurrentHashMap<>();

    private final RepoService repos;

    GitHttpFilter(RepoService repos, ForgeRepositoryResolver resolver, ReceivePackFactoryImpl receivePacks,
                  boolean uploadDeltaSearch) {
        this.repos = repos;
        git.setRepositoryResolver(resolver);
        git.setUploadPackFactory((request, db) -> {
            UploadPack up = new ForgeUploadPack(db);
            PackConfig pack = new PackConfig(db);
            pack.setDeltaCompress(uploadDeltaSearch);
            up.setPackConfig(pack);
            // Partial clones (--filter=blob:none, ...), whatever the repository's own config says.
            Config transfer = new Config(db.getConfig());
            transfer.setBoolean("uploadpack", null, "allowfilter", true);
            up.setTransferConfig(new TransferConfig(transfer));
            // Any object reachable from a ref may be wanted: a partial clone fetches the blobs it lacks by id.
            up.setRequestPolicy(UploadPack.RequestPolicy.REACHABLE_COMMIT);
            // Protocol v2 is asked for in the Git-Protocol header ("version=2", colon-separated parameters).
            String protocol = request.getHeader("Git-Protocol");
            if (protocol != null) {
                up.setExtraParameters(Arrays.asList(protocol.split(":")));
            }
            return up;
        });
        git.setUploadPackErrorHandler(new GitErrors());
        git.setReceivePackFactory(receivePacks);
        git.addReceivePackFilter(new Filter() {
            @Override
            public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
                    throws IOException, ServletException {
                Repository db = ServletUtils.getRepository(req);
                ReentrantLock lock = pushLocks.computeIfAbsent(db.getDirectory().getPath(), k -> new ReentrantLock());
                lock.lock();
                try {
                    chain.doFilter(req, res);
                } finally {
                    lock.unlock();
                }
            }
        });
    }

    @Override
    public void init(FilterConfig config) throws ServletException {
        git.init(config);
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
            throws IOException, ServletException {
        HttpServletRequest http = (HttpServletRequest) req;
        String path = http.getRequestURI().substring(http.getContextPath().length());
        Optional<GitPaths> target = GitPaths.parse(path);
        if (target.isEmpty()) {
            chain.doFilter(req, res);
            return;
        }
        // JGit routes on the path info, which a filter in front of the DispatcherServlet does not get.
        HttpServletRequest wrapped = new HttpServletRequestWrapper(http) {
            @Override
            public String getPathInfo() {
                return path;
            }

            @Override
            public String getServletPath() {
                return "";
            }
        };
        if (GitPaths.isPush(path, http.getQueryString())) {
            Optional<String> refusal = pushRefusal(http, target.get());
            if (refusal.isPresent()) {
                // An in-protocol error with status 200: git prints it ("remote error: ..."), where for an HTTP 403 it
                // would only say "The requested URL returned error: 403".
                GitSmartHttpTools.sendError(wrapped, (HttpServletResponse) res, HttpServletResponse.SC_OK,
                        refusal.get());
                return;
            }
        }
        try {
            git.doFilter(wrapped, res, chain);
        } catch (IOException | RuntimeException e) {
            // e.g. a ref advertisement that cannot read the repository: JGit lets it become an HTTP 500.
            GitErrors.internal(wrapped, (HttpServletResponse) res, e);
        }
    }

    /** Why an authenticated caller may not push here (unknown repositories are left to JGit's "not found"). */
    private Optional<String> pushRefusal(HttpServletRequest request, GitPaths target) {
        Optional<Caller> caller = Callers.current(request);
        if (caller.isEmpty()) {
            return Optional.empty();
        }
        return repos.find(caller, target.owner(), target.name())
                .filter(access -> !access.can(Permission.WRITE))
                .map(access -> "You need write access to push to " + access.repo().fullName()
                        + ": you have " + access.permission().label()
                        + " (a write role and a token with the 'write' scope are both required).");
    }

    @Override
    public void destroy() {
        git.destroy();
    }
}
