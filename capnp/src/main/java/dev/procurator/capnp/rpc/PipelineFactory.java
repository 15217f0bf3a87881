package dev.procurator.capnp.rpc;

/** Creates a generated pipeline class, e.g. {@code FooResults.Pipeline::new}. */
@FunctionalInterface
public interface PipelineFactory<P> {
    P create(PipelineHook hook, short[] path);
}
