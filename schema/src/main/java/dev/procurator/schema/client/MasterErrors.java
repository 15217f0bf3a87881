package dev.procurator.schema.client;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.procurator.capnp.rpc.RpcException;

/**
 * The error convention of the {@code Master} interface (master.capnp): a Cap'n Proto exception whose reason starts
 * with a code — {@code invalid}, {@code unknown_worker}, {@code not_found}, {@code conflict}, {@code not_leader} —
 * then a colon and a human message. The control plane raises them with these factories; clients read them back with
 * {@link #code} and {@link #leaderAddress}, so neither side parses free text of its own.
 */
public final class MasterErrors {

    public static final String INVALID = "invalid";
    public static final String UNKNOWN_WORKER = "unknown_worker";
    public static final String NOT_FOUND = "not_found";
    public static final String CONFLICT = "conflict";
    public static final String NOT_LEADER = "not_leader";

    private static final Pattern CODE = Pattern.compile("^([a-z_]+): ");
    private static final Pattern LEADER_AT = Pattern.compile(" at (\\S+:\\d+)$");

    private MasterErrors() {
    }

    /** Bad input: nothing changed. */
    public static RpcException invalid(String message) {
        return failed(INVALID, message);
    }

    /** The master does not know this worker (a restart or failover forgot it): the worker registers again. */
    public static RpcException unknownWorker(String workerId) {
        return failed(UNKNOWN_WORKER, "worker " + workerId + " is not registered; register again");
    }

    public static RpcException notFound(String message) {
        return failed(NOT_FOUND, message);
    }

    /** The call contradicts the current state (e.g. promoting a rollout that is not a paused canary). */
    public static RpcException conflict(String message) {
        return failed(CONFLICT, message);
    }

    /**
     * A follower refuses a call only the leader serves.
     *
     * @param leaderRpc the leader's Cap'n Proto address, {@code host:port}, or null when no leader is known
     */
    public static RpcException notLeader(String leaderId, String leaderRpc) {
        return failed(NOT_LEADER, leaderRpc == null || leaderRpc.isBlank()
                ? "this control-plane instance is not the leader and no leader is elected yet"
                : "this control-plane instance is not the leader; the leader is " + leaderId + " at " + leaderRpc);
    }

    /** The code of a Master error ({@link #INVALID}, ...), or the exception type in lower case for other failures. */
    public static String code(Throwable error) {
        RpcException rpc = RpcException.of(error);
        Matcher code = CODE.matcher(String.valueOf(rpc.getMessage()));
        return code.find() ? code.group(1) : rpc.type().name().toLowerCase(java.util.Locale.ROOT);
    }

    /** The leader's address named by a {@code not_leader} error, when it names one. */
    public static Optional<String> leaderAddress(Throwable error) {
        if (!NOT_LEADER.equals(code(error))) {
            return Optional.empty();
        }
        Matcher at = LEADER_AT.matcher(String.valueOf(RpcException.of(error).getMessage()));
        return at.find() ? Optional.of(at.group(1)) : Optional.empty();
    }

    /** The human part of a Master error, without its code. */
    public static String message(Throwable error) {
        String reason = String.valueOf(RpcException.of(error).getMessage());
        Matcher code = CODE.matcher(reason);
        return code.find() ? reason.substring(code.end()) : reason;
    }

    private static RpcException failed(String code, String message) {
        return new RpcException(RpcException.Type.FAILED, code + ": " + message);
    }
}
