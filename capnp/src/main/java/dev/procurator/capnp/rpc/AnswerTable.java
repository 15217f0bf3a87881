package dev.procurator.capnp.rpc;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Calls the peer made to us (rpc.capnp "answers"), keyed by the peer's question id. An answer lives
 * until we sent its Return and received its Finish; until then the peer may pipeline calls on it.
 */
final class AnswerTable {
    /** One incoming call (or bootstrap request). */
    static final class Answer {
        final int id;
        final CompletableFuture<Response> response = new CompletableFuture<>();
        final PipelineHook pipeline = new LocalHook.LocalPipeline(response);
        int[] resultExports = new int[0];
        boolean returnSent;
        boolean finishReceived;
        /**
         * sendResultsTo.yourself: the peer forwarded its own caller's call back to us (a tail call);
         * the results stay here for the peer's Return{takeFromOtherQuestion} to our question.
         */
        boolean resultsStayHere;

        Answer(int id) {
            this.id = id;
        }
    }

    private final Map<Integer, Answer> answers = new HashMap<>();

    /** Registers a new answer; null if the peer reused an id still in use (a protocol error). */
    Answer create(int id) {
        if (answers.containsKey(id)) {
            return null;
        }
        Answer answer = new Answer(id);
        answers.put(id, answer);
        return answer;
    }

    Answer get(int id) {
        return answers.get(id);
    }

    void removeIfDone(Answer answer) {
        if (answer.returnSent && answer.finishReceived) {
            answers.remove(answer.id);
        }
    }

    void clear() {
        answers.clear();
    }

    int size() {
        return answers.size();
    }
}
