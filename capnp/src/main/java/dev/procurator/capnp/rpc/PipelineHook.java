package dev.procurator.capnp.rpc;

/** Capabilities of results not yet received, addressed by a path of pointer-field indexes. */
public interface PipelineHook {
    ClientHook getPipelinedCap(short[] path);
}
