package dev.procurator.capnp.rpc;

import java.util.Arrays;

/** Base of generated {@code Xxx.Pipeline} classes: a position inside a promised result. */
public abstract class Pipeline {
    public static final short[] ROOT = new short[0];
    protected final PipelineHook hook;
    protected final short[] path;

    protected Pipeline(PipelineHook hook, short[] path) {
        this.hook = hook;
        this.path = path;
    }

    /** The promised capability in pointer field {@code index} of the struct at this position. */
    protected final ClientHook cap(short index) {
        return hook.getPipelinedCap(path(index));
    }

    /** The path of pointer field {@code index} of the struct at this position. */
    protected final short[] path(short index) {
        short[] next = Arrays.copyOf(path, path.length + 1);
        next[path.length] = index;
        return next;
    }
}
