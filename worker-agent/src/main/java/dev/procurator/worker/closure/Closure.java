package dev.procurator.worker.closure;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A VM's closure in the NixOS {@code system.build.toplevel} layout: {@code kernel}, {@code initrd},
 * {@code kernel-params} and {@code init} directly inside the store path. The VMM boots {@code kernel} and
 * {@code initrd} with {@code init=<closure>/init} and the closure's kernel parameters.
 */
public record Closure(String storePath, Path kernel, Path initrd, String kernelParams, Path init) {

    /** Reads the layout of a realised store path, or explains what is missing. */
    public static Closure read(String storePath) {
        Path root = Path.of(storePath);
        Path kernel = root.resolve("kernel");
        Path initrd = root.resolve("initrd");
        Path init = root.resolve("init");
        Path params = root.resolve("kernel-params");
        for (Path required : new Path[] {kernel, initrd, init}) {
            if (!Files.exists(required)) {
                throw new ClosureException(storePath + " is not a NixOS system closure: it has no "
                        + required.getFileName() + " (expected kernel, initrd, init and kernel-params)");
            }
        }
        try {
            String kernelParams = Files.exists(params) ? Files.readString(params).strip() : "";
            return new Closure(storePath, kernel.toRealPath(), initrd.toRealPath(), kernelParams, init);
        } catch (IOException e) {
            throw new ClosureException("cannot read " + storePath + ": " + e.getMessage());
        }
    }

    /** The guest's kernel command line: the closure's own parameters, its init, then the host's additions. */
    public String commandLine(String additions) {
        StringBuilder line = new StringBuilder(kernelParams);
        line.append(line.isEmpty() ? "" : " ").append("init=").append(init);
        if (additions != null && !additions.isBlank()) {
            line.append(' ').append(additions.strip());
        }
        return line.toString();
    }
}
