package dev.procurator.capnp.rpc;

import javax.net.ssl.SSLContext;

/**
 * Limits and transport settings of a connection. A frame beyond the limits aborts that connection
 * only. Defaults match the C++ implementation's (64 MiB traversal, 64 levels of nesting).
 *
 * @param maxSegments       segments one frame may declare
 * @param maxFrameWords     total words of one frame's segments
 * @param traversalLimitWords words a message may make the reader visit (guards against amplification)
 * @param nestingLimit      depth of pointers followed
 * @param tls               when non-null, TCP connections use TLS with this context (unix sockets never do)
 * @param needClientAuth    with {@code tls}, whether a server requires client certificates (mTLS)
 */
public record RpcOptions(int maxSegments, long maxFrameWords, long traversalLimitWords, int nestingLimit,
                         SSLContext tls, boolean needClientAuth) {
    public static final RpcOptions DEFAULT = new RpcOptions(512, 8L << 20, 8L << 20, 64, null, false);

    public RpcOptions withTls(SSLContext context, boolean requireClientCertificates) {
        return new RpcOptions(maxSegments, maxFrameWords, traversalLimitWords, nestingLimit, context,
                requireClientCertificates);
    }

    public RpcOptions withLimits(int segments, long frameWords, long traversalWords, int nesting) {
        return new RpcOptions(segments, frameWords, traversalWords, nesting, tls, needClientAuth);
    }
}
