package dev.procurator.forge.token;

import java.util.List;

import dev.procurator.common.token.StoredTokenStore;

public interface AccessTokenStore extends StoredTokenStore<AccessToken> {

    List<AccessToken> findByUserIdOrderById(Long userId);
}
