package dev.procurator.forge.user;

import java.time.Instant;
import java.util.List;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import dev.procurator.common.auth.Caller;
import dev.procurator.common.auth.Callers;
import dev.procurator.common.error.ApiException;

/** Accounts. Only the site admin creates and lists them; anyone can ask who they are. */
@RestController
class UserController {

    record CreateUser(String name, Boolean siteAdmin) {
    }

    record UserView(long id, String name, boolean siteAdmin, Instant createdAt) {
        static UserView of(User u) {
            return new UserView(u.id(), u.name(), u.siteAdmin(), u.createdAt());
        }
    }

    private final UserService users;

    UserController(UserService users) {
        this.users = users;
    }

    @PostMapping("/api/v1/users")
    @ResponseStatus(HttpStatus.CREATED)
    UserView create(HttpServletRequest request, @RequestBody CreateUser body) {
        requireSiteAdmin(request);
        return UserView.of(users.create(body.name(), Boolean.TRUE.equals(body.siteAdmin())));
    }

    @GetMapping("/api/v1/users")
    List<UserView> list(HttpServletRequest request) {
        requireSiteAdmin(request);
        return users.all().stream().map(UserView::of).toList();
    }

    @GetMapping("/api/v1/user")
    UserView me(HttpServletRequest request) {
        return UserView.of(users.of(Callers.require(request)));
    }

    static Caller requireSiteAdmin(HttpServletRequest request) {
        Caller caller = Callers.require(request);
        if (!caller.admin()) {
            throw ApiException.forbidden("Only the site admin (a site-admin user's token with the 'admin' scope) may do this.");
        }
        return caller;
    }
}
