package dev.procurator.controlplane.leader;

/** A call only the leader serves reached a follower; names the leader when one is known. */
public class NotLeaderException extends RuntimeException {

    private final LeaderInfo leader;

    public NotLeaderException(LeaderInfo leader) {
        super(leader == null ? "this control-plane instance is not the leader and no leader is elected yet"
                : "this control-plane instance is not the leader; the leader is " + leader.instance() + " at "
                        + leader.httpUrl());
        this.leader = leader;
    }

    /** The leader, or null when none is known. */
    public LeaderInfo leader() {
        return leader;
    }
}
