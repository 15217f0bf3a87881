package dev.procurator.forge.git;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.TagBuilder;
import org.eclipse.jgit.lib.TreeFormatter;
import org.junit.jupiter.api.Test;

class ReceivedObjectsTest {

    private final ObjectInserter.Formatter ids = new ObjectInserter.Formatter();
    private final ReceivedObjects received = new ReceivedObjects();

    @Test
    void packCarryingEverythingItNamesIsSelfContained() throws Exception {
        ObjectId blob = blob("hello");
        ObjectId sub = tree(t -> t.append("f.txt", FileMode.REGULAR_FILE, blob));
        ObjectId root = tree(t -> {
            t.append("dir", FileMode.TREE, sub);
            t.append("link", FileMode.SYMLINK, blob);
            // A submodule names a commit of another repository: never expected in the pack.
            t.append("module", FileMode.GITLINK, ObjectId.fromString("1234567890123456789012345678901234567890"));
        });
        ObjectId first = commit(root);
        ObjectId second = commit(root, first);
        tag(second);

        assertThat(received.selfContained()).isTrue();
        assertThat(received.contains(second)).isTrue();
    }

    @Test
    void missingTreeBlobOrParentIsNotSelfContained() throws Exception {
        ObjectId absentBlob = ids.idFor(Constants.OBJ_BLOB, "absent".getBytes(StandardCharsets.UTF_8));
        tree(t -> t.append("f.txt", FileMode.REGULAR_FILE, absentBlob));
        assertThat(received.selfContained()).isFalse();

        ReceivedObjects other = new ReceivedObjects();
        ObjectId absentParent = ids.idFor(Constants.OBJ_COMMIT, "x".getBytes(StandardCharsets.UTF_8));
        ObjectId emptyTree = ids.idFor(Constants.OBJ_TREE, new byte[0]);
        other.add(emptyTree, Constants.OBJ_TREE, new byte[0]);
        CommitBuilder c = commitBuilder(emptyTree, absentParent);
        other.add(ids.idFor(Constants.OBJ_COMMIT, c.build()), Constants.OBJ_COMMIT, c.build());
        assertThat(other.selfContained()).isFalse();
    }

    @Test
    void objectReceivedWithAnotherTypeThanItsReferenceSaysIsNotSelfContained() throws Exception {
        ObjectId blob = blob("hello");
        ObjectId sub = tree(t -> t.append("f.txt", FileMode.REGULAR_FILE, blob));
        // "dir" claims to be a tree but names the blob; the tree is named as a file.
        tree(t -> {
            t.append("dir", FileMode.TREE, blob);
            t.append("file", FileMode.REGULAR_FILE, sub);
        });
        assertThat(received.selfContained()).isFalse();
    }

    private ObjectId blob(String content) {
        byte[] raw = content.getBytes(StandardCharsets.UTF_8);
        ObjectId id = ids.idFor(Constants.OBJ_BLOB, raw);
        received.addBlob(id);
        return id;
    }

    private ObjectId tree(java.util.function.Consumer<TreeFormatter> entries) {
        TreeFormatter t = new TreeFormatter();
        entries.accept(t);
        byte[] raw = t.toByteArray();
        ObjectId id = ids.idFor(Constants.OBJ_TREE, raw);
        received.add(id, Constants.OBJ_TREE, raw);
        return id;
    }

    private ObjectId commit(ObjectId tree, ObjectId... parents) throws Exception {
        CommitBuilder c = commitBuilder(tree, parents);
        ObjectId id = ids.idFor(Constants.OBJ_COMMIT, c.build());
        received.add(id, Constants.OBJ_COMMIT, c.build());
        return id;
    }

    private void tag(ObjectId commit) throws Exception {
        TagBuilder t = new TagBuilder();
        t.setObjectId(commit, Constants.OBJ_COMMIT);
        t.setTag("v1");
        t.setTagger(new PersonIdent("A", "a@x"));
        t.setMessage("v1\n");
        received.add(ids.idFor(Constants.OBJ_TAG, t.build()), Constants.OBJ_TAG, t.build());
    }

    private static CommitBuilder commitBuilder(ObjectId tree, ObjectId... parents) {
        CommitBuilder c = new CommitBuilder();
        c.setTreeId(tree);
        c.setParentIds(parents);
        c.setAuthor(new PersonIdent("A", "a@x"));
        c.setCommitter(new PersonIdent("A", "a@x"));
        c.setMessage("m\n");
        return c;
    }
}
