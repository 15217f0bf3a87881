package dev.procurator.capnp.rpc;

import dev.procurator.capnp.testschema.TestSchema.Adder;
import dev.procurator.capnp.testschema.TestSchema.Calculator;
import dev.procurator.capnp.testschema.TestSchema.Callback;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** The test server behind test.capnp's Calculator. */
final class CalculatorImpl extends Calculator.Server {
    final AtomicInteger adderCalls = new AtomicInteger();
    volatile Callback.Client held;

    @Override
    protected CompletionStage<?> add(dev.procurator.capnp.rpc.CallContext<Calculator.AddParams.Reader,
            Calculator.AddResults.Builder> call) {
        call.results().setSum(call.params().getA() + call.params().getB());
        return null;
    }

    @Override
    protected CompletionStage<?> getAdder(CallContext<Calculator.GetAdderParams.Reader,
            Calculator.GetAdderResults.Builder> call) {
        int base = call.params().getBase();
        call.results().setAdder(new Adder.Client(new AdderImpl(base, adderCalls)));
        return null;
    }

    @Override
    protected CompletionStage<?> callBack(CallContext<Calculator.CallBackParams.Reader,
            Calculator.CallBackResults.Builder> call) {
        Callback.Client callback = call.params().getCallback();
        String value = call.params().getValue().toString();
        return callback.call(p -> p.setValue(value + "!"))
                .thenAccept(reply -> call.results().setReply("callback said " + reply.getReply()));
    }

    @Override
    protected CompletionStage<?> fail(CallContext<Calculator.FailParams.Reader, Calculator.FailResults.Builder> call) {
        RpcException.Type type = RpcException.Type.values()[call.params().getType()];
        throw new RpcException(type, "asked to fail with " + type);
    }

    @Override
    protected CompletionStage<?> slow(CallContext<Calculator.SlowParams.Reader, Calculator.SlowResults.Builder> call) {
        long millis = call.params().getMillis() & 0xffffffffL;
        return CompletableFuture.runAsync(() -> { }, CompletableFuture.delayedExecutor(millis, TimeUnit.MILLISECONDS))
                .thenRun(() -> call.results().setDone(true));
    }

    @Override
    protected CompletionStage<?> echo(CallContext<Calculator.EchoParams.Reader, Calculator.EchoResults.Builder> call) {
        Callback.Client cap = call.params().getCap();
        // answer a little later, so callers reliably pipeline on the answer before it exists
        return CompletableFuture.runAsync(() -> { }, CompletableFuture.delayedExecutor(50, TimeUnit.MILLISECONDS))
                .thenRun(() -> call.results().setCap(cap));
    }

    @Override
    protected CompletionStage<?> hold(CallContext<Calculator.HoldParams.Reader, Calculator.HoldResults.Builder> call) {
        held = call.params().getCap();
        return null;
    }

    @Override
    protected CompletionStage<?> drop(CallContext<Calculator.DropParams.Reader, Calculator.DropResults.Builder> call) {
        Callback.Client previous = held;
        held = null;
        if (previous != null) {
            previous.close();
        }
        return null;
    }

    static final class AdderImpl extends Adder.Server {
        private int total;
        private final AtomicInteger calls;

        AdderImpl(int base, AtomicInteger calls) {
            this.total = base;
            this.calls = calls;
        }

        @Override
        protected CompletionStage<?> add(CallContext<Adder.AddParams.Reader, Adder.AddResults.Builder> call) {
            calls.incrementAndGet();
            total += call.params().getN();
            call.results().setTotal(total);
            return null;
        }
    }

    static final class EchoCallback extends Callback.Server {
        final AtomicInteger calls = new AtomicInteger();

        @Override
        protected CompletionStage<?> call(CallContext<Callback.CallParams.Reader, Callback.CallResults.Builder> call) {
            calls.incrementAndGet();
            call.results().setReply("echo:" + call.params().getValue());
            return null;
        }
    }
}
