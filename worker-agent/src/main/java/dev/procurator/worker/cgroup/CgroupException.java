package dev.procurator.worker.cgroup;

/** Limits that should apply could not be written. */
public class CgroupException extends RuntimeException {

    public CgroupException(String message) {
        super(message);
    }
}
