package dev.procurator.cli.cache;

import picocli.CommandLine.Command;

/** {@code procurator cache ...}: the platform's Nix binary caches. */
@Command(name = "cache", description = "Manage Nix binary caches: create, tokens, pins, gc, push.",
        mixinStandardHelpOptions = true,
        subcommands = {
                CacheCreateCommand.class,
                CacheListCommand.class,
                CacheInfoCommand.class,
                CacheTokenCommand.class,
                CachePinCommand.class,
                CacheUnpinCommand.class,
                CacheGcCommand.class,
                CachePushCommand.class,
        })
public final class CacheCommand {
}
