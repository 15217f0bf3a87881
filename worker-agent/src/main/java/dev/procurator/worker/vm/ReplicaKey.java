package dev.procurator.worker.vm;

import java.util.regex.Pattern;

/** A replica on this worker: (VM name, replica id), as the master assigns it. */
public record ReplicaKey(String vm, int replica) implements Comparable<ReplicaKey> {

    private static final Pattern VM_NAME = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");

    public ReplicaKey {
        if (vm == null || !VM_NAME.matcher(vm).matches()) {
            throw new IllegalArgumentException("not a VM name (a DNS label): '" + vm + "'");
        }
        if (replica < 0) {
            throw new IllegalArgumentException("replica ids are unsigned, got " + replica);
        }
    }

    /** The replica's directory and cgroup name: {@code <vm>.<replica>}. */
    public String id() {
        return vm + "." + replica;
    }

    /** Parses {@link #id()}; null for a name that is not one. */
    public static ReplicaKey parse(String id) {
        int dot = id.lastIndexOf('.');
        if (dot <= 0) {
            return null;
        }
        try {
            return new ReplicaKey(id.substring(0, dot), Integer.parseInt(id.substring(dot + 1)));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    @Override
    public int compareTo(ReplicaKey other) {
        int byName = vm.compareTo(other.vm);
        return byName != 0 ? byName : Integer.compare(replica, other.replica);
    }

    @Override
    public String toString() {
        return id();
    }
}
