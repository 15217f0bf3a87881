package dev.procurator.capnp.rpc;

import java.util.function.Supplier;
import org.capnproto.AnyPointer;
import org.capnproto.FromPointerBuilder;
import org.capnproto.FromPointerReader;

/**
 * One incoming call: its parameters and the results being written. The results are built in place in
 * the outgoing Return message, so filling them copies nothing.
 */
public final class CallContext<P, R> {
    private final AnyPointer.Reader paramsPointer;
    private final Supplier<AnyPointer.Builder> resultsPointer;
    private final FromPointerReader<P> paramsFactory;
    private final FromPointerBuilder<R> resultsFactory;
    private P params;
    private R results;

    private CallContext(AnyPointer.Reader paramsPointer, Supplier<AnyPointer.Builder> resultsPointer,
                        FromPointerReader<P> paramsFactory, FromPointerBuilder<R> resultsFactory) {
        this.paramsPointer = paramsPointer;
        this.resultsPointer = resultsPointer;
        this.paramsFactory = paramsFactory;
        this.resultsFactory = resultsFactory;
    }

    static CallContext<AnyPointer.Reader, AnyPointer.Builder> untyped(AnyPointer.Reader params,
                                                                    Supplier<AnyPointer.Builder> results) {
        return new CallContext<>(params, results, null, null);
    }

    /** The parameters, as the generated params struct reader. */
    public P params() {
        if (params == null) {
            params = paramsFactory == null ? uncheckedCast(paramsPointer) : paramsPointer.getAs(paramsFactory);
        }
        return params;
    }

    /** The results builder (initialized on first use). */
    public R results() {
        if (results == null) {
            results = resultsFactory == null ? uncheckedCast(resultsPointer.get())
                    : resultsPointer.get().initAs(resultsFactory);
        }
        return results;
    }

    /** A typed view of an untyped context; used by generated dispatchers. */
    public <P2, R2> CallContext<P2, R2> typed(FromPointerReader<P2> paramsType, FromPointerBuilder<R2> resultsType) {
        return new CallContext<>(paramsPointer, resultsPointer, paramsType, resultsType);
    }

    @SuppressWarnings("unchecked")
    private static <T> T uncheckedCast(Object value) {
        return (T) value;
    }
}
