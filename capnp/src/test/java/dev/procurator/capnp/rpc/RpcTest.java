package dev.procurator.capnp.rpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.procurator.capnp.rpc.proto.Rpc;
import dev.procurator.capnp.testschema.TestSchema.Adder;
import dev.procurator.capnp.testschema.TestSchema.Calculator;
import dev.procurator.capnp.testschema.TestSchema.Callback;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Java client against Java server over real sockets: level 0 and level 1 behaviour. */
class RpcTest {
    @TempDir
    Path tmp;
    private final List<AutoCloseable> toClose = new ArrayList<>();
    private CalculatorImpl impl;
    private RpcServer server;

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : toClose.reversed()) {
            c.close();
        }
    }

    private Calculator.Client connect(String transport) throws Exception {
        impl = new CalculatorImpl();
        SocketAddress address = transport.equals("unix") ? UnixDomainSocketAddress.of(tmp.resolve("rpc.sock"))
                : new InetSocketAddress("127.0.0.1", 0);
        server = RpcServer.bind(address, impl);
        toClose.add(server);
        RpcClient client = RpcClient.connect(server.localAddress());
        toClose.add(client);
        return client.bootstrap(Calculator.Client::new);
    }

    private static <T> T await(CompletableFuture<T> future) throws Exception {
        return future.get(10, TimeUnit.SECONDS);
    }

    private static void eventually(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            System.gc();
            Thread.sleep(20);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "unix"})
    void callsOnTheBootstrapCapability(String transport) throws Exception {
        Calculator.Client calc = connect(transport);
        assertEquals(5, await(calc.add(p -> {
            p.setA(2);
            p.setB(3);
        })).getSum());
        // many in flight at once, answered in any order but each to its own question
        List<CompletableFuture<Calculator.AddResults.Reader>> pending = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            int n = i;
            pending.add(calc.add(p -> {
                p.setA(n);
                p.setB(n);
            }));
        }
        for (int i = 0; i < 200; i++) {
            assertEquals(2 * i, await(pending.get(i)).getSum());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "unix"})
    void pipelinedCallsOnAReturnedCapabilityRunInOrder(String transport) throws Exception {
        Calculator.Client calc = connect(transport);
        RemotePromise<Calculator.GetAdderResults.Reader, Calculator.GetAdderResults.Pipeline> promise =
                calc.getAdder(p -> p.setBase(100));
        Adder.Client adder = promise.pipeline().getAdder(); // usable before getAdder returns
        CompletableFuture<Adder.AddResults.Reader> first = adder.add(p -> p.setN(1));
        CompletableFuture<Adder.AddResults.Reader> second = adder.add(p -> p.setN(10));
        assertEquals(101, await(first).getTotal());
        assertEquals(111, await(second).getTotal());
        // after the return, the same client talks to the import directly
        await(promise);
        assertEquals(211, await(adder.add(p -> p.setN(100))).getTotal());
        Adder.Client direct = await(promise).getAdder();
        assertEquals(212, await(direct.add(p -> p.setN(1))).getTotal());
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "unix"})
    void aCapabilityPassedInParamsIsCalledBack(String transport) throws Exception {
        Calculator.Client calc = connect(transport);
        CalculatorImpl.EchoCallback callback = new CalculatorImpl.EchoCallback();
        Callback.Client local = new Callback.Client(callback);
        var reply = await(calc.callBack(p -> {
            p.setCallback(local);
            p.setValue("hi");
        }));
        assertEquals("callback said echo:hi!", reply.getReply().toString());
        assertEquals(1, callback.calls.get());
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "unix"})
    void ourCapabilityComesBackAsTheSameLocalObject(String transport) throws Exception {
        Calculator.Client calc = connect(transport);
        CalculatorImpl.EchoCallback callback = new CalculatorImpl.EchoCallback();
        Callback.Client local = new Callback.Client(callback);
        Callback.Client echoed = await(calc.echo(p -> p.setCap(local))).getCap();
        assertTrue(echoed.hook().resolved() instanceof LocalHook, "receiverHosted resolves to our own server");
        assertEquals("echo:x", await(echoed.call(p -> p.setValue("x"))).getReply().toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "unix"})
    void callsPipelinedOnACapabilityThatLoopsBackKeepTheirOrder(String transport) throws Exception {
        Calculator.Client calc = connect(transport);
        List<String> seen = java.util.Collections.synchronizedList(new ArrayList<>());
        Callback.Client local = new Callback.Client(new Callback.Server() {
            @Override
            protected java.util.concurrent.CompletionStage<?> call(
                    CallContext<Callback.CallParams.Reader, Callback.CallResults.Builder> call) {
                seen.add(call.params().getValue().toString());
                return null;
            }
        });
        var echoed = calc.echo(p -> p.setCap(local));
        Callback.Client promised = echoed.pipeline().getCap();
        List<CompletableFuture<Callback.CallResults.Reader>> calls = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            String value = "pipelined-" + i;
            calls.add(promised.call(p -> p.setValue(value))); // travels to the server and back to us
        }
        await(echoed);
        for (int i = 0; i < 5; i++) {
            String value = "direct-" + i;
            calls.add(promised.call(p -> p.setValue(value))); // local now, but must not overtake
        }
        for (var call : calls) {
            await(call);
        }
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            expected.add("pipelined-" + i);
        }
        for (int i = 0; i < 5; i++) {
            expected.add("direct-" + i);
        }
        assertEquals(expected, seen);
        RpcClient client = (RpcClient) toClose.get(1);
        assertEquals(1, client.connection().received(Rpc.Message.Which.DISEMBARGO), "our embargo came back");
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "unix"})
    void aPromisePassedToThePeerIsCalledOnceItResolves(String transport) throws Exception {
        Calculator.Client calc = connect(transport);
        CompletableFuture<Callback.Client> later = new CompletableFuture<>();
        Callback.Client promise = new Callback.Client(Promises.of(later)); // exported as senderPromise
        var reply = calc.callBack(p -> {
            p.setCallback(promise);
            p.setValue("v");
        });
        Thread.sleep(100);
        assertFalse(reply.isDone(), "the server's call waits on our unresolved promise");
        CalculatorImpl.EchoCallback callback = new CalculatorImpl.EchoCallback();
        later.complete(new Callback.Client(callback)); // Resolve goes out, the queued call is delivered
        assertEquals("callback said echo:v!", await(reply).getReply().toString());
        assertEquals(1, callback.calls.get());
        RpcConnection serverSide = server.connections().iterator().next();
        eventually(() -> serverSide.received(Rpc.Message.Which.RESOLVE) == 1, "the peer to receive a Resolve");
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "unix"})
    void aPromisedCapabilityPassedBackToItsHostTravelsAsReceiverAnswer(String transport) throws Exception {
        Calculator.Client calc = connect(transport);
        CalculatorImpl.EchoCallback callback = new CalculatorImpl.EchoCallback();
        // echo answers after 50 ms: its result capability is still a promise on the server's answer
        Callback.Client promised = calc.echo(p -> p.setCap(new Callback.Client(callback))).pipeline().getCap();
        var reply = calc.callBack(p -> {
            p.setCallback(promised); // not resolved yet: described as receiverAnswer(echo's question, [0])
            p.setValue("back");
        });
        assertEquals("callback said echo:back!", await(reply).getReply().toString());
        assertEquals(1, callback.calls.get());
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "unix"})
    void callsToAPromiseThatResolvesBackToUsKeepTheirOrder(String transport) throws Exception {
        // a server whose echo answers at once with a promise that resolves, later, to the capability
        // it was given: the caller's calls to the promise travel there and back, newer ones must wait
        Calculator.Server promising = new Calculator.Server() {
            @Override
            protected java.util.concurrent.CompletionStage<?> echo(
                    CallContext<Calculator.EchoParams.Reader, Calculator.EchoResults.Builder> call) {
                Callback.Client given = call.params().getCap();
                CompletableFuture<Callback.Client> later = CompletableFuture.supplyAsync(() -> given,
                        CompletableFuture.delayedExecutor(100, TimeUnit.MILLISECONDS));
                call.results().setCap(new Callback.Client(Promises.of(later)));
                return null;
            }
        };
        try (RpcServer promiseServer = RpcServer.bind(transport.equals("unix")
                ? UnixDomainSocketAddress.of(tmp.resolve("promise.sock")) : new InetSocketAddress("127.0.0.1", 0),
                promising);
             RpcClient client = RpcClient.connect(promiseServer.localAddress())) {
            Calculator.Client calc = client.bootstrap(Calculator.Client::new);
            List<String> seen = java.util.Collections.synchronizedList(new ArrayList<>());
            Callback.Client local = new Callback.Client(new Callback.Server() {
                @Override
                protected java.util.concurrent.CompletionStage<?> call(
                        CallContext<Callback.CallParams.Reader, Callback.CallResults.Builder> call) {
                    seen.add(call.params().getValue().toString());
                    return null;
                }
            });
            Callback.Client promise = await(calc.echo(p -> p.setCap(local))).getCap(); // a senderPromise
            List<CompletableFuture<?>> calls = new ArrayList<>();
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                String value = "early-" + i;
                expected.add(value);
                calls.add(promise.call(p -> p.setValue(value)));
            }
            await(promise.whenResolved()); // the Resolve arrived: it points back at `local`
            for (int i = 0; i < 3; i++) {
                String value = "late-" + i;
                expected.add(value);
                calls.add(promise.call(p -> p.setValue(value)));
            }
            for (var call : calls) {
                await(call);
            }
            assertEquals(expected, seen);
            assertEquals(1, client.connection().received(Rpc.Message.Which.RESOLVE));
            assertEquals(1, client.connection().received(Rpc.Message.Which.DISEMBARGO), "the embargo came back");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "unix"})
    void aBrokenPromiseFailsTheCallsWaitingOnIt(String transport) throws Exception {
        Calculator.Client calc = connect(transport);
        CompletableFuture<Callback.Client> later = new CompletableFuture<>();
        var reply = calc.callBack(p -> {
            p.setCallback(new Callback.Client(Promises.of(later)));
            p.setValue("v");
        });
        later.completeExceptionally(new RpcException(RpcException.Type.OVERLOADED, "no callback today"));
        RpcException e = RpcException.of(assertThrows(ExecutionException.class, () -> await(reply)));
        assertTrue(e.getMessage().contains("no callback today"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "unix"})
    void blockingOnAResultInsideAServerMethodFailsInsteadOfDeadlocking(String transport) throws Exception {
        Calculator.Client calc = connect(transport);
        Callback.Client blocking = new Callback.Client(new Callback.Server() {
            @Override
            protected java.util.concurrent.CompletionStage<?> call(
                    CallContext<Callback.CallParams.Reader, Callback.CallResults.Builder> call) {
                calc.add(p -> p.setA(1)).join(); // wrong: runs on the event loop
                return null;
            }
        });
        RpcException e = RpcException.of(assertThrows(ExecutionException.class, () -> await(calc.callBack(p -> {
            p.setCallback(blocking);
            p.setValue("x");
        }))));
        assertTrue(e.getMessage().contains("deadlock"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "unix"})
    void aServerWithAnExecutorMayBlockWithoutStallingOtherConnections(String transport) throws Exception {
        Calculator.Client fast = connect(transport);
        List<Integer> order = java.util.Collections.synchronizedList(new ArrayList<>());
        Calculator.Server blocking = new Calculator.Server(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            @Override
            protected java.util.concurrent.CompletionStage<?> add(
                    CallContext<Calculator.AddParams.Reader, Calculator.AddResults.Builder> call) {
                try {
                    Thread.sleep(1000); // a blocking database call, say
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                order.add(call.params().getA());
                call.results().setSum(call.params().getA() + call.params().getB());
                return null;
            }
        };
        try (RpcServer slowServer = RpcServer.bind(new InetSocketAddress("127.0.0.1", 0), blocking);
             RpcClient slowClient = RpcClient.connect(slowServer.localAddress())) {
            Calculator.Client slow = slowClient.bootstrap(Calculator.Client::new);
            List<CompletableFuture<Calculator.AddResults.Reader>> pending = new ArrayList<>();
            for (int i = 1; i <= 2; i++) {
                int n = i;
                pending.add(slow.add(p -> p.setA(n)));
            }
            long started = System.nanoTime();
            assertEquals(7, await(fast.add(p -> {
                p.setA(3);
                p.setB(4);
            })).getSum());
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            assertTrue(millis < 700, "the event loop was stalled for " + millis + " ms");
            for (var call : pending) {
                await(call);
            }
            assertEquals(List.of(1, 2), order, "calls to one server still run in arrival order");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "unix"})
    void exceptionsKeepTheirType(String transport) throws Exception {
        Calculator.Client calc = connect(transport);
        for (RpcException.Type type : RpcException.Type.values()) {
            ExecutionException e = assertThrows(ExecutionException.class,
                    () -> await(calc.fail(p -> p.setType((byte) type.ordinal()))));
            RpcException rpc = RpcException.of(e);
            assertEquals(type, rpc.type());
            assertTrue(rpc.getMessage().contains("asked to fail"), rpc.getMessage());
        }
        // the connection is still fine afterwards
        assertEquals(2, await(calc.add(p -> { p.setA(1); p.setB(1); })).getSum());
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "unix"})
    void anUnimplementedMethodFailsWithUnimplemented(String transport) throws Exception {
        connect(transport);
        RpcClient client = RpcClient.connect(server.localAddress());
        toClose.add(client);
        // CountingAdder.count on a Calculator: an interface the server does not implement
        var wrong = client.bootstrap(dev.procurator.capnp.testschema.TestSchema.CountingAdder.Client::new);
        RpcException e = RpcException.of(assertThrows(ExecutionException.class, () -> await(wrong.count())));
        assertEquals(RpcException.Type.UNIMPLEMENTED, e.type());
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "unix"})
    void serverClosingFailsPendingCallsWithDisconnected(String transport) throws Exception {
        Calculator.Client calc = connect(transport);
        CompletableFuture<Calculator.SlowResults.Reader> slow = calc.slow(p -> p.setMillis(5000));
        Thread.sleep(100);
        server.close();
        RpcException e = RpcException.of(assertThrows(ExecutionException.class, () -> await(slow)));
        assertEquals(RpcException.Type.DISCONNECTED, e.type());
        RpcException after = RpcException.of(assertThrows(ExecutionException.class,
                () -> await(calc.add(p -> p.setA(1)))));
        assertEquals(RpcException.Type.DISCONNECTED, after.type());
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "unix"})
    void releasedCapabilitiesLeaveTheExportTable(String transport) throws Exception {
        Calculator.Client calc = connect(transport);
        RpcClient client = (RpcClient) toClose.get(1);
        Callback.Client local = new Callback.Client(new CalculatorImpl.EchoCallback());
        await(calc.hold(p -> p.setCap(local)));
        eventually(() -> client.connection().tableSizes()[3] == 1, "the callback to be exported");
        RpcConnection serverSide = server.connections().iterator().next();
        eventually(() -> serverSide.tableSizes()[2] == 1, "the server to import the callback");
        await(calc.drop());
        eventually(() -> serverSide.tableSizes()[2] == 0, "the server to release its import");
        eventually(() -> client.connection().tableSizes()[3] == 0, "our export to be released");
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "unix"})
    void aServerLearnsWhenTheHolderOfACapabilityItKeepsDisconnects(String transport) throws Exception {
        Calculator.Client calc = connect(transport);
        await(calc.hold(p -> p.setCap(new Callback.Client(new CalculatorImpl.EchoCallback()))));
        CompletableFuture<RpcException> gone = impl.held.whenDisconnected();
        assertFalse(gone.isDone());
        ((RpcClient) toClose.get(1)).close();
        assertEquals(RpcException.Type.DISCONNECTED, gone.get(10, TimeUnit.SECONDS).type());
        assertFalse(new Callback.Client(new CalculatorImpl.EchoCallback()).whenDisconnected().isDone());
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "unix"})
    void aCapabilityPassedThroughAndBackIsReleasedByBothSides(String transport) throws Exception {
        Calculator.Client calc = connect(transport);
        RpcClient client = (RpcClient) toClose.get(1);
        Callback.Client local = new Callback.Client(new CalculatorImpl.EchoCallback());
        await(calc.echo(p -> p.setCap(local)));
        RpcConnection serverSide = server.connections().iterator().next();
        eventually(() -> serverSide.tableSizes()[2] == 0, "the server to release the callback it echoed");
        eventually(() -> client.connection().tableSizes()[3] == 0, "our export of it to be freed");
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "unix"})
    void aDisconnectedClientFreesTheServersTables(String transport) throws Exception {
        Calculator.Client calc = connect(transport);
        RpcClient client = (RpcClient) toClose.get(1);
        await(calc.getAdder(p -> p.setBase(1)));
        assertFalse(server.connections().isEmpty());
        client.close();
        eventually(() -> server.connections().isEmpty(), "the server to drop the connection");
    }
}
