package dev.procurator.capnp.bench;

import dev.procurator.capnp.rpc.CallContext;
import dev.procurator.capnp.rpc.RpcAddress;
import dev.procurator.capnp.rpc.RpcServer;
import dev.procurator.capnp.testschema.TestSchema.Calculator;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * Small-call throughput and latency of the Java RPC server against the C++ EzRpcServer, both driven
 * by the same C++ EzRpcClient (capnp/bench/bench.c++) in the same run, over TCP and a unix socket,
 * one call at a time and with 64 in flight. Not a test: run it with capnp/bench/run.sh.
 * Properties: bench.seconds (per measurement, default 3), bench.rounds (default 3, the median is kept),
 * bench.warmup (seconds of unmeasured calls to the Java server before measuring, default 3).
 */
public final class RpcBenchmark {
    private static final Path MODULE = Path.of("").toAbsolutePath();
    private static final Path OUT = MODULE.resolve("target/bench");
    private static final double SECONDS = Double.parseDouble(System.getProperty("bench.seconds", "3"));
    private static final int ROUNDS = Integer.getInteger("bench.rounds", 3);
    private static final double WARMUP = Double.parseDouble(System.getProperty("bench.warmup", "3"));

    private RpcBenchmark() {
    }

    /** The Java twin of CalculatorImpl in bench.c++. */
    static final class AddServer extends Calculator.Server {
        @Override
        protected CompletionStage<?> add(CallContext<Calculator.AddParams.Reader, Calculator.AddResults.Builder> call) {
            call.results().setSum(call.params().getA() + call.params().getB());
            return null;
        }
    }

    record Figures(long calls, double seconds, double p50us, double p99us) {
        double rate() {
            return calls / seconds;
        }

        static Figures parse(String line) {
            String[] f = line.split(" ");
            return new Figures(Long.parseLong(value(f[0])), Double.parseDouble(value(f[1])),
                    Double.parseDouble(value(f[2])), Double.parseDouble(value(f[3])));
        }

        private static String value(String field) {
            return field.substring(field.indexOf('=') + 1);
        }
    }

    public static void main(String[] args) throws Exception {
        Path bench = build();
        System.out.printf(Locale.ROOT, "%-6s %-9s %-12s %14s %9s %9s %7s%n", "socket", "in flight", "server",
                "calls/s", "p50 us", "p99 us", "ratio");
        for (String transport : List.of("tcp", "unix")) {
            SocketAddress javaAddress = transport.equals("tcp") ? new InetSocketAddress("127.0.0.1", 0)
                    : UnixDomainSocketAddress.of(OUT.resolve("java.sock"));
            String cppAddress = transport.equals("tcp") ? "127.0.0.1:0" : "unix:" + OUT.resolve("cpp.sock");
            Files.deleteIfExists(OUT.resolve("cpp.sock")); // left behind by a killed C++ server
            try (RpcServer java = RpcServer.bind(javaAddress, new AddServer())) {
                Process cpp = new ProcessBuilder(bench.toString(), "serve", cppAddress).start();
                try {
                    BufferedReader cppOut = new BufferedReader(new InputStreamReader(cpp.getInputStream(),
                            StandardCharsets.UTF_8));
                    String port = cppOut.readLine().substring("listening ".length());
                    String cppConnect = transport.equals("tcp") ? "127.0.0.1:" + port : cppAddress;
                    String javaConnect = RpcAddress.format(java.localAddress());
                    // steady state is what we compare: let the JIT compile the server's path first
                    drive(bench, javaConnect, 64, WARMUP);
                    drive(bench, javaConnect, 1, WARMUP);
                    for (int inflight : new int[] {1, 64}) {
                        List<Figures> reference = new ArrayList<>();
                        List<Figures> ours = new ArrayList<>();
                        for (int round = 0; round < ROUNDS; round++) {
                            reference.add(drive(bench, cppConnect, inflight));
                            ours.add(drive(bench, javaConnect, inflight));
                        }
                        Figures c = median(reference);
                        Figures j = median(ours);
                        print(transport, inflight, "C++", c, "");
                        print(transport, inflight, "Java", j, String.format(Locale.ROOT, "%.2fx", j.rate() / c.rate()));
                    }
                } finally {
                    cpp.destroyForcibly();
                    cpp.waitFor(10, TimeUnit.SECONDS);
                }
            }
        }
    }

    private static void print(String transport, int inflight, String server, Figures f, String ratio) {
        System.out.printf(Locale.ROOT, "%-6s %-9d %-12s %,14.0f %9.1f %9.1f %7s%n", transport, inflight, server,
                f.rate(), f.p50us(), f.p99us(), ratio);
    }

    private static Figures median(List<Figures> runs) {
        List<Figures> sorted = new ArrayList<>(runs);
        sorted.sort((a, b) -> Double.compare(a.rate(), b.rate()));
        return sorted.get(sorted.size() / 2);
    }

    private static Figures drive(Path bench, String address, int inflight) throws IOException, InterruptedException {
        return drive(bench, address, inflight, SECONDS);
    }

    private static Figures drive(Path bench, String address, int inflight, double seconds)
            throws IOException, InterruptedException {
        Process client = new ProcessBuilder(bench.toString(), "client", address, Double.toString(seconds),
                Integer.toString(inflight)).redirectErrorStream(true).start();
        String output = new String(client.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (!client.waitFor(60, TimeUnit.SECONDS) || client.exitValue() != 0) {
            throw new IOException("bench client failed: " + output);
        }
        return Figures.parse(output.lines().reduce((a, b) -> b).orElseThrow());
    }

    /** Compiles bench.c++ against test.capnp with Debian's libcapnp-dev into target/bench. */
    private static Path build() throws IOException, InterruptedException {
        Files.createDirectories(OUT);
        Files.copy(MODULE.resolve("src/test/capnp/test.capnp"), OUT.resolve("test.capnp"),
                StandardCopyOption.REPLACE_EXISTING);
        run(List.of("capnp", "compile", "-I" + MODULE.resolve("src/main/capnp"), "-oc++", "test.capnp"));
        String flags = new String(run(List.of("pkg-config", "--cflags", "--libs", "capnp-rpc")),
                StandardCharsets.UTF_8).trim();
        List<String> gpp = new ArrayList<>(List.of("g++", "-std=c++17", "-O2", "-I.",
                MODULE.resolve("bench/bench.c++").toString(), "test.capnp.c++", "-o", "bench"));
        gpp.addAll(List.of(flags.split("\\s+")));
        run(gpp);
        return OUT.resolve("bench");
    }

    private static byte[] run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).directory(OUT.toFile()).redirectErrorStream(true).start();
        byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IOException(command + " failed:\n" + new String(output, StandardCharsets.UTF_8));
        }
        return output;
    }
}
