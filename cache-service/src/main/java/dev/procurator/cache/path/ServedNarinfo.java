package dev.procurator.cache.path;

/** A signed narinfo ready to send: the record id (for access times) and the exact bytes. */
public record ServedNarinfo(long id, byte[] body) {
}
