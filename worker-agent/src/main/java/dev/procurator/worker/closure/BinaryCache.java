package dev.procurator.worker.closure;

/**
 * A binary cache to substitute from and the key its narinfos must be signed with.
 *
 * @param url       the substituter URL as Nix takes it ({@code http://host:7430/main}, {@code file:///...})
 * @param publicKey {@code name:base64}
 */
public record BinaryCache(String url, String publicKey) {
}
