package dev.procurator.capnp.rpc;

/**
 * A failed call, carrying the {@code Exception.Type} of rpc.capnp: servers throw it (or complete
 * their future with it) to choose the type the caller sees; any other throwable becomes FAILED.
 */
public class RpcException extends RuntimeException {
    /** The exception types of rpc.capnp, in wire order. */
    public enum Type { FAILED, OVERLOADED, DISCONNECTED, UNIMPLEMENTED }

    private final Type type;

    public RpcException(Type type, String message) {
        super(message);
        this.type = type;
    }

    public RpcException(Type type, String message, Throwable cause) {
        super(message, cause);
        this.type = type;
    }

    public Type type() {
        return type;
    }

    public static RpcException failed(String message) {
        return new RpcException(Type.FAILED, message);
    }

    public static RpcException disconnected(String message) {
        return new RpcException(Type.DISCONNECTED, message);
    }

    public static RpcException unimplemented(String message) {
        return new RpcException(Type.UNIMPLEMENTED, message);
    }

    /** The RpcException behind a throwable, unwrapping CompletionException/ExecutionException. */
    public static RpcException of(Throwable t) {
        Throwable cause = t;
        while ((cause instanceof java.util.concurrent.CompletionException
                || cause instanceof java.util.concurrent.ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof RpcException rpc) {
            return rpc;
        }
        String message = cause.getMessage() == null ? cause.getClass().getName() : cause.getMessage();
        return new RpcException(Type.FAILED, message, cause);
    }

    @Override
    public String toString() {
        return type + ": " + getMessage();
    }
}
