package dev.procurator.capnp.rpc;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Calls this side made and is waiting for (rpc.capnp "questions"). An id is ours from the Call or
 * Bootstrap until we have both received the Return and sent the Finish; then it is reused.
 */
final class QuestionTable {
    /** One outstanding call. */
    static final class Question {
        final int id;
        final CompletableFuture<Response> response = new CompletableFuture<>();
        int[] paramExports = new int[0];
        /**
         * Set under the connection lock when the Return is handled, before {@link #response} completes
         * (outside the lock): from then on the question id may be reused, so nothing may be
         * addressed to it any more, even by a thread that has not seen the future complete yet.
         */
        volatile boolean returned;
        volatile Response result;
        volatile RpcException error;
        /** Return{takeFromOtherQuestion}: our results are those of this answer of ours. */
        volatile PipelineHook redirect;
        /** Paths of results capabilities that calls were pipelined on (guarded by the connection lock). */
        final java.util.Map<String, short[]> pipelinedPaths = new java.util.HashMap<>();
        /**
         * Results capabilities that turned out to live on our side while calls pipelined on them were
         * still looping back through the peer: new calls wait behind a Disembargo (E-order).
         */
        final java.util.Map<String, PromiseHook> embargoed = new java.util.concurrent.ConcurrentHashMap<>();

        Question(int id) {
            this.id = id;
        }
    }

    private final List<Question> slots = new ArrayList<>();
    private final ArrayDeque<Integer> free = new ArrayDeque<>();

    Question allocate() {
        Integer reused = free.poll();
        int id = reused != null ? reused : slots.size();
        Question question = new Question(id);
        if (reused != null) {
            slots.set(id, question);
        } else {
            slots.add(question);
        }
        return question;
    }

    Question get(int id) {
        return id >= 0 && id < slots.size() ? slots.get(id) : null;
    }

    void free(int id) {
        slots.set(id, null);
        free.push(id);
    }

    /** Removes every outstanding question (the connection is gone). */
    List<Question> drain() {
        List<Question> pending = slots.stream().filter(q -> q != null).toList();
        slots.clear();
        free.clear();
        return pending;
    }

    int size() {
        return slots.size() - free.size();
    }
}
