package dev.procurator.capnp.rpc;

import org.capnproto.AnyPointer;

/** A call being built: fill its parameters, then {@link #send()} exactly once. */
public interface OutgoingCall {
    AnyPointer.Builder params();

    CallResult send();
}
