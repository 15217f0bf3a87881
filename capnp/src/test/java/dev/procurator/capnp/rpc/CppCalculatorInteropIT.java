package dev.procurator.capnp.rpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.procurator.capnp.rpc.proto.Rpc;
import dev.procurator.capnp.testing.RequiresTool;
import dev.procurator.capnp.testschema.TestSchema.Adder;
import dev.procurator.capnp.testschema.TestSchema.Calculator;
import dev.procurator.capnp.testschema.TestSchema.Callback;
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
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Level 1 against the C++ implementation with test.capnp's Calculator (src/test/cpp/calculator-peer.c++):
 * pipelining on returned capabilities, capabilities both ways, Disembargo in both directions, and
 * exception types. The Master/Worker interop tests live in the schema module.
 */
@RequiresTool({"capnp", "g++", "pkg-config"})
class CppCalculatorInteropIT {
    private static final Path MODULE = Path.of("").toAbsolutePath();
    private static final Path OUT = MODULE.resolve("target/cpp-calculator-peer");
    private static Path binary;

    @TempDir
    Path tmp;

    static synchronized Path peer() throws IOException, InterruptedException {
        if (binary == null) {
            Files.createDirectories(OUT);
            Files.copy(MODULE.resolve("src/test/capnp/test.capnp"), OUT.resolve("test.capnp"),
                    StandardCopyOption.REPLACE_EXISTING);
            run(List.of("capnp", "compile", "-I" + MODULE.resolve("src/main/capnp"), "-oc++", "test.capnp"));
            String flags = new String(run(List.of("pkg-config", "--cflags", "--libs", "capnp-rpc")),
                    StandardCharsets.UTF_8).trim();
            List<String> gpp = new ArrayList<>(List.of("g++", "-std=c++17", "-O2", "-I.",
                    MODULE.resolve("src/test/cpp/calculator-peer.c++").toString(), "test.capnp.c++", "-o", "peer"));
            gpp.addAll(List.of(flags.split("\\s+")));
            run(gpp);
            binary = OUT.resolve("peer");
        }
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

    private static <T> T await(CompletableFuture<T> future) throws Exception {
        return future.get(20, TimeUnit.SECONDS);
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "unix"})
    void cppClientAgainstTheJavaCalculator(String transport) throws Exception {
        SocketAddress address = transport.equals("unix") ? UnixDomainSocketAddress.of(tmp.resolve("calc.sock"))
                : new InetSocketAddress("127.0.0.1", 0);
        try (RpcServer server = RpcServer.bind(address, new CalculatorImpl())) {
            Process client = new ProcessBuilder(peer().toString(), "client", RpcAddress.format(server.localAddress()))
                    .redirectErrorStream(true).start();
            String output = new String(client.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(client.waitFor(60, TimeUnit.SECONDS));
            assertFalse(output.lines().anyMatch(l -> l.startsWith("FAIL")), output);
            assertTrue(output.contains("OK our capability echoed back keeps E-order (Disembargo)"), output);
            assertTrue(output.endsWith("DONE\n"), output);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "unix"})
    void javaClientAgainstTheCppCalculator(String transport) throws Exception {
        String address = transport.equals("unix") ? "unix:" + tmp.resolve("cpp.sock") : "127.0.0.1:0";
        Process cpp = new ProcessBuilder(peer().toString(), "serve", address).start();
        try {
            String ready = new BufferedReader(new InputStreamReader(cpp.getInputStream(), StandardCharsets.UTF_8))
                    .readLine();
            assertTrue(ready != null && ready.startsWith("listening "), String.valueOf(ready));
            String connect = transport.equals("unix") ? address : "127.0.0.1:" + ready.substring("listening ".length());
            try (RpcClient client = RpcClient.connect(RpcAddress.parse(connect))) {
                Calculator.Client calc = client.bootstrap(Calculator.Client::new);
                assertEquals(5, await(calc.add(p -> {
                    p.setA(2);
                    p.setB(3);
                })).getSum());

                Adder.Client adder = calc.getAdder(p -> p.setBase(100)).pipeline().getAdder();
                var first = adder.add(p -> p.setN(1));
                var second = adder.add(p -> p.setN(10));
                assertEquals(101, await(first).getTotal());
                assertEquals(111, await(second).getTotal());

                var reply = await(calc.callBack(p -> {
                    p.setCallback(new Callback.Client(new CalculatorImpl.EchoCallback()));
                    p.setValue("hi");
                }));
                assertEquals("callback said echo:hi!", reply.getReply().toString());

                List<String> seen = Collections.synchronizedList(new ArrayList<>());
                Callback.Client recording = new Callback.Client(new Callback.Server() {
                    @Override
                    protected CompletionStage<?> call(CallContext<Callback.CallParams.Reader,
                            Callback.CallResults.Builder> call) {
                        seen.add(call.params().getValue().toString());
                        return null;
                    }
                });
                var echoed = calc.echo(p -> p.setCap(recording));
                Callback.Client promised = echoed.pipeline().getCap();
                List<CompletableFuture<?>> calls = new ArrayList<>();
                List<String> expected = new ArrayList<>();
                for (int i = 0; i < 10; i++) {
                    String value = "pipelined-" + i;
                    expected.add(value);
                    calls.add(promised.call(p -> p.setValue(value)));
                }
                await(echoed);
                for (int i = 0; i < 3; i++) {
                    String value = "direct-" + i;
                    expected.add(value);
                    calls.add(promised.call(p -> p.setValue(value)));
                }
                for (var call : calls) {
                    await(call);
                }
                assertEquals(expected, seen);
                assertEquals(1, client.connection().received(Rpc.Message.Which.DISEMBARGO),
                        "the C++ peer looped our Disembargo back");

                for (RpcException.Type type : RpcException.Type.values()) {
                    ExecutionException e = assertThrows(ExecutionException.class,
                            () -> await(calc.fail(p -> p.setType((byte) type.ordinal()))));
                    assertEquals(type, RpcException.of(e).type());
                }
            }
        } finally {
            cpp.destroyForcibly();
            cpp.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
