package dev.procurator.forge.git;

import org.eclipse.jgit.errors.CorruptObjectException;
import org.eclipse.jgit.lib.AnyObjectId;
import org.eclipse.jgit.lib.BlobObjectChecker;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectChecker;

/**
 * JGit's fsck of received objects, also counting them: a push carrying more than the configured number of objects
 * fails while its pack is parsed, before any ref moves (the client sees {@code remote unpack failed}). One instance
 * per push. Every accepted object is also recorded in {@link ReceivedObjects} for the connectivity check.
 *
 * <p>Whole blobs reach {@link #newBlobObjectChecker()}, everything else (and blobs rebuilt from deltas, through
 * {@code super.check}) reaches {@link #check}, so each object is counted exactly once.
 */
final class PushObjectLimit extends ObjectChecker {

    private final long maxObjects;
    private final ReceivedObjects received;
    private long seen;

    PushObjectLimit(long maxObjects, ReceivedObjects received) {
        this.maxObjects = maxObjects;
        this.received = received;
    }

    @Override
    public void check(AnyObjectId id, int objType, byte[] raw) throws CorruptObjectException {
        if (objType != Constants.OBJ_BLOB) {
            count();
        }
        super.check(id, objType, raw);
        received.add(id, objType, raw);
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
        BlobObjectChecker fsck = super.newBlobObjectChecker();
        return new BlobObjectChecker() {
            @Override
            public void update(byte[] in, int offset, int len) {
                if (fsck != null) {
                    fsck.update(in, offset, len);
                }
            }

            @Override
            public void endBlob(AnyObjectId id) throws CorruptObjectException {
                if (fsck != null) {
                    fsck.endBlob(id);
                }
                received.addBlob(id);
            }
        };
    }

    private void count() throws CorruptObjectException {
        if (++seen > maxObjects) {
            throw new CorruptObjectException("push rejected: more than " + maxObjects
                    + " objects (limit procurator.forge.max-push-objects)");
        }
    }
}
