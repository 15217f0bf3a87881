package dev.procurator.forge.user;

import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.procurator.common.auth.Caller;
import dev.procurator.common.error.ApiException;

@Service
public class UserService {

    private static final Logger log = LoggerFactory.getLogger(UserService.class);

    private final UserStore users;

    UserService(UserStore users) {
        this.users = users;
    }

    @Transactional
    public User create(String name, boolean siteAdmin) {
        UserNames.requireValid(name);
        if (users.findByName(name).isPresent()) {
            throw ApiException.conflict("user_exists", "User '" + name + "' already exists.");
        }
        User user = users.save(new User(name, siteAdmin));
        log.info("user created name={} siteAdmin={}", name, siteAdmin);
        return user;
    }

    public User byName(String name) {
        return users.findByName(name).orElseThrow(() -> ApiException.notFound("No user named '" + UserNames.printable(name) + "'."));
    }

    /** The account behind a caller; the bootstrap admin is the seeded user {@code admin}. */
    public User of(Caller caller) {
        return users.findByName(caller.name())
                .orElseThrow(() -> ApiException.unauthorized("The token's user no longer exists."));
    }

    public List<User> all() {
        return users.findAllByOrderByName();
    }
}
