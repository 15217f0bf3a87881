package dev.procurator.forge.token;

import java.time.Instant;
import java.util.Set;

import jakarta.persistence.Entity;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;

import dev.procurator.common.token.StoredToken;
import dev.procurator.forge.user.User;

/** A user's personal access token (common's token model): only its SHA-256 is stored; the token is shown once. */
@Entity
@Table(name = "access_token")
public class AccessToken extends StoredToken {

    @ManyToOne(optional = false)
    @JoinColumn(name = "user_id")
    private User user;

    protected AccessToken() {
    }

    AccessToken(User user, String name, String tokenHash, Set<String> scopes, Instant expiresAt) {
        super(name, tokenHash, scopes, expiresAt);
        this.user = user;
    }

    public User user() {
        return user;
    }
}
