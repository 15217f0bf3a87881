package dev.procurator.forge.git;

import java.nio.charset.StandardCharsets;

import org.eclipse.jgit.lib.AnyObjectId;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.MutableObjectId;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectIdOwnerMap;
import org.eclipse.jgit.util.RawParseUtils;

/**
 * The objects of one received pack and the objects they name, recorded while the pack is parsed (from the bytes
 * the object checker already sees, after it accepted them), so that connectivity can be decided without reading
 * the new objects back: see {@link SelfContainedConnectivityChecker}.
 *
 * <p>Named objects are the tree and parents of a commit, the object of a tag and the entries of a tree, each with
 * the type its reference implies (submodule entries name commits of another repository and are not recorded).
 */
final class ReceivedObjects {

    private static final int GITLINK_MODE = 0160000;
    private static final int TREE_MODE = 0040000;
    private static final byte[] PARENT = Constants.encodeASCII("parent ");

    private final ObjectIdOwnerMap<Typed> received = new ObjectIdOwnerMap<>();
    private final ObjectIdOwnerMap<Typed> named = new ObjectIdOwnerMap<>();
    /** Set when two references disagree on an object's type: the pack is then not provably self-contained. */
    private boolean conflicting;
    private final MutableObjectId entry = new MutableObjectId();

    /** Records a received object that passed the object checker. */
    void add(AnyObjectId id, int type, byte[] raw) {
        received.addIfAbsent(new Typed(id, type));
        switch (type) {
            case Constants.OBJ_COMMIT -> commit(raw);
            case Constants.OBJ_TREE -> tree(raw);
            case Constants.OBJ_TAG -> tag(raw);
            default -> { }
        }
    }

    /** Records a received blob (its content names nothing). */
    void addBlob(AnyObjectId id) {
        received.addIfAbsent(new Typed(id, Constants.OBJ_BLOB));
    }

    /** Whether the object was received with that type. */
    boolean receivedAs(AnyObjectId id, int type) {
        Typed t = received.get(id);
        return t != null && t.type == type;
    }

    /**
     * Whether every object named by a received object was itself received, with the type its reference implies:
     * then whatever is reachable from a received object is in the pack, hence in the repository.
     */
    boolean selfContained() {
        if (conflicting) {
            return false;
        }
        for (Typed n : named) {
            if (!receivedAs(n, n.type)) {
                return false;
            }
        }
        return true;
    }

    /** Whether the object was received (any type). */
    boolean contains(AnyObjectId id) {
        return received.contains(id);
    }

    private void commit(byte[] raw) {
        // Accepted by the object checker: "tree <hex>\n" then any "parent <hex>\n" lines.
        int p = "tree ".length();
        name(ObjectId.fromString(raw, p), Constants.OBJ_TREE);
        p += Constants.OBJECT_ID_STRING_LENGTH + 1;
        while (RawParseUtils.match(raw, p, PARENT) >= 0) {
            p += "parent ".length();
            name(ObjectId.fromString(raw, p), Constants.OBJ_COMMIT);
            p += Constants.OBJECT_ID_STRING_LENGTH + 1;
        }
    }

    private void tag(byte[] raw) {
        // Accepted by the object checker: "object <hex>\ntype <name>\n".
        ObjectId object = ObjectId.fromString(raw, "object ".length());
        int typeStart = "object ".length() + Constants.OBJECT_ID_STRING_LENGTH + 1 + "type ".length();
        int typeEnd = RawParseUtils.nextLF(raw, typeStart) - 1;
        int type = switch (new String(raw, typeStart, typeEnd - typeStart, StandardCharsets.US_ASCII)) {
            case Constants.TYPE_COMMIT -> Constants.OBJ_COMMIT;
            case Constants.TYPE_TREE -> Constants.OBJ_TREE;
            case Constants.TYPE_BLOB -> Constants.OBJ_BLOB;
            case Constants.TYPE_TAG -> Constants.OBJ_TAG;
            default -> Constants.OBJ_BAD;
        };
        name(object, type);
    }

    private void tree(byte[] raw) {
        // Accepted by the object checker: entries "<octal mode> <name>\0<20-byte id>".
        int p = 0;
        while (p < raw.length) {
            int mode = 0;
            while (raw[p] != ' ') {
                mode = (mode << 3) + (raw[p++] - '0');
            }
            while (raw[p] != 0) {
                p++;
            }
            p++;
            if (mode != GITLINK_MODE) {
                entry.fromRaw(raw, p);
                name(entry, (mode & 0170000) == TREE_MODE ? Constants.OBJ_TREE : Constants.OBJ_BLOB);
            }
            p += Constants.OBJECT_ID_LENGTH;
        }
    }

    private void name(AnyObjectId id, int type) {
        // Most names repeat (every tree lists its unchanged entries again): look up before allocating an entry.
        Typed previous = named.get(id);
        if (previous == null) {
            named.add(new Typed(id, type));
        } else if (previous.type != type) {
            conflicting = true;
        }
    }

    private static final class Typed extends ObjectIdOwnerMap.Entry {
        final int type;

        Typed(AnyObjectId id, int type) {
            super(id);
            this.type = type;
        }
    }
}
