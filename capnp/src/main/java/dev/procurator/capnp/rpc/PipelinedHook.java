package dev.procurator.capnp.rpc;

import java.util.concurrent.CompletableFuture;

/**
 * A capability inside the results of a question not yet answered: calls go to
 * {@code promisedAnswer(question, path)} so they need no extra round trip. Once the Return is in,
 * it forwards to the capability found in the results.
 */
final class PipelinedHook implements ClientHook {
    private final RpcConnection connection;
    private final QuestionTable.Question question;
    private final short[] path;
    private final CompletableFuture<ClientHook> settled;

    PipelinedHook(RpcConnection connection, QuestionTable.Question question, short[] path) {
        this.connection = connection;
        this.question = question;
        this.path = path;
        this.settled = question.response.thenCompose(r -> Capabilities.readPath(r.results(), path).whenResolved());
    }

    QuestionTable.Question question() {
        return question;
    }

    short[] path() {
        return path;
    }

    RpcConnection connection() {
        return connection;
    }

    /** True while calls must still be addressed to the promised answer. */
    boolean isPending() {
        return !question.returned;
    }

    @Override
    public ClientHook resolved() {
        if (!question.returned) {
            return this;
        }
        if (question.error != null) {
            return new BrokenHook(question.error);
        }
        if (question.redirect != null) {
            return question.redirect.getPipelinedCap(path).resolved();
        }
        PromiseHook embargo = question.embargoed.get(java.util.Arrays.toString(path));
        if (embargo != null) {
            return embargo.resolved();
        }
        return Capabilities.readPath(question.result.results(), path).resolved();
    }

    @Override
    public OutgoingCall newCall(long interfaceId, short methodId) {
        return connection.newCall(this, interfaceId, methodId);
    }

    @Override
    public CompletableFuture<RpcException> disconnected() {
        return connection.closed();
    }

    @Override
    public CompletableFuture<ClientHook> whenResolved() {
        return settled;
    }
}
