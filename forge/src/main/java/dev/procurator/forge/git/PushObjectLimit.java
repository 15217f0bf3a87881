package dev.procurator.forge.git;

import org.eclipse.jgit.errors.CorruptObjectException;
import org.eclipse.jgit.lib.AnyObjectId;
import org.eclipse.jgit.lib.BlobObjectChecker;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectChecker;

/**
 * JGit's fsck of received objects, also counting them: a push carrying more than the configured number of objects
 * fails while its pack is parsed, before any ref moves (the client sees {@code remote unpack failed}). One instance
 * per push.
 *
 * <p>Whole blobs reach {@link #newBlobObjectChecker()}, everything else (and blobs rebuilt from deltas, through
 * {@code super.check}) reaches {@link #check}, so each object is counted exactly once.
 */
final class PushObjectLimit extends ObjectChecker {

    private final long maxObjects;
    private long seen;

    PushObjectLimit(long maxObjects) {
        this.maxObjects = maxObjects;
    }

    @Override
    public void check(AnyObjectId id, int objType, byte[] raw) throws CorruptObjectException {
        if (objType != Constants.OBJ_BLOB) {
            count();
        }
        super.check(id, objType, raw);
    }

    @Override
    public BlobObjectChecker newBlobObjectChecker() {
        try {
            count();
        } catch (CorruptObjectException e) {
            return new BlobObjectChecker() {
                @Override
                public void update(byte[] in, int offset, int len) {
                }

                @Override
                public void endBlob(AnyObjectId id) throws CorruptObjectException {
                    throw e;
                }
            };
        }
        return super.newBlobObjectChecker();
    }

    private void count() throws CorruptObjectException {
        if (++seen > maxObjects) {
            throw new CorruptObjectException("push rejected: more than " + maxObjects
                    + " objects (limit procurator.forge.max-push-objects)");
        }
    }
}
