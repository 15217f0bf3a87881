package dev.procurator.common.auth;

import java.util.Optional;

/**
 * A service's own tokens (forge users' personal access tokens, cache tokens, ...). Implementations look the token
 * up by its hash ({@link Tokens#hash}); they never store or log the token itself.
 */
@FunctionalInterface
public interface TokenResolver {

    Optional<Caller> resolve(String token);
}
