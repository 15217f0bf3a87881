package dev.procurator.schema.interop;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Builds the C++ reference peer (src/test/cpp/peer.c++ against Debian's libcapnp-dev, from the real
 * schemas) once per test run into target/cpp-peer, and runs it.
 */
final class CppPeer {
    private static final Path MODULE = Path.of("").toAbsolutePath();
    private static final Path OUT = MODULE.resolve("target/cpp-peer");
    private static Path binary;

    private CppPeer() {
    }

    static synchronized Path binary() throws IOException, InterruptedException {
        if (binary != null) {
            return binary;
        }
        Files.createDirectories(OUT);
        for (String schema : List.of("common.capnp", "worker.capnp", "master.capnp")) {
            Files.copy(MODULE.resolve("src/main/capnp").resolve(schema), OUT.resolve(schema),
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        run(List.of("capnp", "compile", "-I" + MODULE.resolve("../capnp/src/main/capnp").normalize(), "-oc++",
                "common.capnp", "worker.capnp", "master.capnp"));
        String flags = new String(run(List.of("pkg-config", "--cflags", "--libs", "capnp-rpc")),
                StandardCharsets.UTF_8).trim();
        List<String> gpp = new ArrayList<>(List.of("g++", "-std=c++17", "-O2", "-I.",
                MODULE.resolve("src/test/cpp/peer.c++").toString(), "common.capnp.c++", "worker.capnp.c++",
                "master.capnp.c++", "-o", "peer"));
        gpp.addAll(List.of(flags.split("\\s+")));
        run(gpp);
        binary = OUT.resolve("peer");
        return binary;
    }

    private static byte[] run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).directory(OUT.toFile()).redirectErrorStream(true).start();
        byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IOException(command + " failed:\n" + new String(output, StandardCharsets.UTF_8));
        }
        return output;
    }

    /** A running peer process with line access to its stdout. */
    static final class Running implements AutoCloseable {
        final Process process;
        final BufferedReader out;

        Running(String... args) throws IOException, InterruptedException {
            List<String> command = new ArrayList<>();
            command.add(binary().toString());
            command.addAll(List.of(args));
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
            out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        }

        String readLine() throws IOException {
            return out.readLine();
        }

        /** All remaining output, after waiting for the process to exit. */
        String finish(long seconds) throws IOException, InterruptedException {
            StringBuilder all = new StringBuilder();
            String line;
            while ((line = out.readLine()) != null) {
                all.append(line).append('\n');
            }
            if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
                throw new AssertionError("peer did not exit:\n" + all);
            }
            return all.toString();
        }

        @Override
        public void close() throws InterruptedException {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
