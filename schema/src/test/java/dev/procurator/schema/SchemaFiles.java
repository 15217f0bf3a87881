package dev.procurator.schema;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Locations of the schemas and a helper running the reference compiler on them. */
final class SchemaFiles {
    static final Path MODULE = Path.of("").toAbsolutePath();
    static final Path SCHEMAS = MODULE.resolve("src/main/capnp");
    static final Path GENERATED = MODULE.resolve("src/main/java");
    static final Path IMPORTS = MODULE.resolve("../capnp/src/main/capnp").normalize();
    static final List<String> FILES = List.of("common.capnp", "worker.capnp", "master.capnp");

    private SchemaFiles() {
    }

    /** Runs {@code capnp compile -o<output> --src-prefix=src/main/capnp} on the schemas; returns stdout. */
    static byte[] capnpCompile(String output, String... files) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("capnp", "compile", "-I" + IMPORTS,
                "--src-prefix=" + SCHEMAS, "-o" + output));
        for (String file : files) {
            command.add(SCHEMAS.resolve(file).toString());
        }
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        process.getInputStream().transferTo(out);
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IOException("capnp compile failed: " + command);
        }
        return out.toByteArray();
    }
}
