package dev.procurator.capnp.rpc;

import java.util.concurrent.CompletableFuture;

/** A sent call: its eventual response and a pipeline to call capabilities of the results before then. */
public record CallResult(CompletableFuture<Response> response, PipelineHook pipeline) {
}
