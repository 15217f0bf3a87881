package dev.procurator.forge.repo;

import java.util.List;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.procurator.common.auth.Caller;
import dev.procurator.common.error.ApiException;
import dev.procurator.forge.user.User;
import dev.procurator.forge.user.UserNames;
import dev.procurator.forge.user.UserService;
import dev.procurator.forge.user.UserStore;

/**
 * Repositories and who may do what on them. One rule everywhere (API, git, UI): the caller's role (owner and site
 * admin: admin; collaborator: its role) capped by its token's scopes, and at least read on a public repository.
 * A repository the caller may not read does not exist for it (404), so private names do not leak.
 */
@Service
public class RepoService {

    /** A repository together with what the current caller may do on it. */
    public record Access(Repo repo, Permission permission) {
        public boolean can(Permission needed) {
            return permission.allows(needed);
        }
    }

    private static final Logger log = LoggerFactory.getLogger(RepoService.class);

    private final RepoStore repos;
    private final CollaboratorStore collaborators;
    private final UserStore userStore;
    private final UserService users;
    private final GitStorage storage;

    RepoService(RepoStore repos, CollaboratorStore collaborators, UserStore userStore, UserService users,
                GitStorage storage) {
        this.repos = repos;
        this.collaborators = collaborators;
        this.userStore = userStore;
        this.users = users;
        this.storage = storage;
    }

    @Transactional
    public Repo create(Caller caller, String name, boolean isPrivate, String description) {
        RepoNames.requireValid(name);
        if (description != null && description.length() > 500) {
            throw ApiException.badRequest("invalid_description", "A description has at most 500 characters.");
        }
        User owner = users.of(caller);
        if (repos.find(owner.name(), name).isPresent()) {
            throw ApiException.conflict("repo_exists", "Repository " + owner.name() + "/" + name + " already exists.");
        }
        Repo repo = repos.save(new Repo(owner, name, isPrivate, description));
        if (storage.exists(owner.name(), name)) {
            // Left over from a crash between mkdir and commit: an unregistered directory holds nothing we vouch for.
            storage.delete(owner.name(), name);
        }
        storage.create(owner.name(), name, repo.defaultBranch());
        log.info("repo created repo={} private={} by={}", repo.fullName(), isPrivate, caller.name());
        return repo;
    }

    /** Whether a repository exists and may be read without credentials. */
    public boolean isPublic(String owner, String name) {
        return UserNames.isValid(owner) && RepoNames.isValid(name)
                && repos.find(owner, name).map(r -> !r.isPrivate()).orElse(false);
    }

    /** The repository if the caller can see it, with the caller's permission; empty for unknown or invisible ones. */
    public Optional<Access> find(Optional<Caller> caller, String owner, String name) {
        if (!UserNames.isValid(owner) || !RepoNames.isValid(name)) {
            return Optional.empty();
        }
        return repos.find(owner, name)
                .map(repo -> new Access(repo, permissionOf(caller, repo)))
                .filter(access -> access.can(Permission.READ));
    }

    /** The repository if the caller has {@code needed} on it; otherwise 404 (cannot see it), 401 or 403. */
    public Access require(Optional<Caller> caller, String owner, String name, Permission needed) {
        Access access = find(caller, owner, name).orElseThrow(() -> ApiException.notFound(
                "Repository " + UserNames.printableName(owner) + "/" + UserNames.printableName(name)
                        + " does not exist or you cannot see it."));
        if (!access.can(needed)) {
            if (caller.isEmpty()) {
                throw ApiException.unauthorized("This needs a token with " + needed.label() + " access.");
            }
            throw ApiException.forbidden("You need " + needed.label() + " access to " + access.repo().fullName()
                    + " (you have " + access.permission().label() + ").");
        }
        return access;
    }

    public Permission permissionOf(Optional<Caller> caller, Repo repo) {
        Permission role = caller.map(c -> roleOf(c, repo).min(Permission.ceilingOf(c))).orElse(Permission.NONE);
        if (!repo.isPrivate() && !role.allows(Permission.READ)) {
            role = Permission.READ;
        }
        return role;
    }

    private Permission roleOf(Caller caller, Repo repo) {
        if (caller.admin() || repo.owner().name().equals(caller.name())) {
            return Permission.ADMIN;
        }
        return userStore.findByName(caller.name())
                .flatMap(u -> collaborators.findByRepoIdAndUserId(repo.id(), u.id()))
                .map(Collaborator::role)
                .orElse(Permission.NONE);
    }

    public List<Repo> visibleTo(Optional<Caller> caller) {
        if (caller.isEmpty()) {
            return repos.findPublic();
        }
        if (caller.get().admin()) {
            return repos.findAllOrdered();
        }
        return userStore.findByName(caller.get().name()).map(u -> repos.findVisibleTo(u.id())).orElseGet(repos::findPublic);
    }

    @Transactional
    public Repo update(Access access, Boolean isPrivate, String description) {
        Repo repo = repos.findById(access.repo().id()).orElseThrow();
        if (description != null) {
            if (description.length() > 500) {
                throw ApiException.badRequest("invalid_description", "A description has at most 500 characters.");
            }
            repo.setDescription(description);
        }
        if (isPrivate != null) {
            repo.setPrivate(isPrivate);
        }
        log.info("repo updated repo={} private={}", repo.fullName(), repo.isPrivate());
        return repo;
    }

    @Transactional
    public void delete(Access access) {
        Repo repo = access.repo();
        repos.deleteById(repo.id());
        repos.flush();
        storage.delete(repo.owner().name(), repo.name());
        log.info("repo deleted repo={}", repo.fullName());
    }

    public List<Collaborator> collaborators(Repo repo) {
        return collaborators.findByRepoId(repo.id());
    }

    @Transactional
    public Collaborator setCollaborator(Repo repo, String userName, Permission role) {
        User user = users.byName(userName);
        if (user.id().equals(repo.owner().id())) {
            throw ApiException.badRequest("owner_is_admin", "The owner always has admin access to " + repo.fullName() + ".");
        }
        Collaborator c = collaborators.findByRepoIdAndUserId(repo.id(), user.id())
                .orElseGet(() -> new Collaborator(repo.id(), user.id(), role));
        c.setRole(role);
        log.info("collaborator set repo={} user={} role={}", repo.fullName(), userName, role.label());
        return collaborators.save(c);
    }

    @Transactional
    public void removeCollaborator(Repo repo, String userName) {
        User user = users.byName(userName);
        Collaborator c = collaborators.findByRepoIdAndUserId(repo.id(), user.id()).orElseThrow(() ->
                ApiException.notFound(userName + " is not a collaborator of " + repo.fullName() + "."));
        collaborators.delete(c);
        log.info("collaborator removed repo={} user={}", repo.fullName(), userName);
    }

    public String userName(Long userId) {
        return userStore.findById(userId).map(User::name).orElse("?");
    }
}
