package dev.procurator.capnp.rpc;

import org.capnproto.AnyPointer;

/** The results of a call: a pointer into a message whose capability table the runtime owns. */
public record Response(AnyPointer.Reader results) {
}
