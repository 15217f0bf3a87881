package dev.procurator.forge.git;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.eclipse.jgit.errors.MissingObjectException;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevObject;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.transport.PacketLineIn;
import org.eclipse.jgit.transport.PacketLineOut;

/**
 * Turns the two stateless-HTTP fetch requests JGit's upload-pack does not serve into ones it does, with the result
 * C git's {@code upload-pack} gives:
 * <ul>
 * <li><b>{@code deepen-relative}</b> ({@code git fetch --deepen=N}): deepen the client's shallow boundary by N commits
 * and fetch in full whatever is new above it. JGit counts depth only from the wanted tips, so every commit between
 * the wanted tips and the client's shallow commits, and the shallow commits themselves, become wanted tips (depth
 * 0): {@code deepen N+1} then ends the history exactly N commits below each shallow commit, as C git's
 * {@code get_shallow_commits} does from the client's shallow commits with depth N+1. The added wants are commits
 * reachable from the refs, which JGit accepts over stateless HTTP.</li>
 * <li><b>A protocol v0 request that ends after its wants</b>: how git asks for the new shallow boundary before it
 * negotiates. C git answers the shallow list and stops at the end of input; JGit does so only for {@code deepen N}
 * and fails {@code deepen-since}/{@code deepen-not} with an EOF after writing the list, which
 * {@link Request#endsAfterWants()} lets the caller recognise.</li>
 * </ul>
 */
final class FetchRequestRewriter {

    private static final String DEEPEN_RELATIVE = "deepen-relative";
    private static final String DEEPEN = "deepen ";
    private static final String WANT = "want ";
    private static final String SHALLOW = "shallow ";
    /**
     * Lines of the first section read into memory at most (git sends haves in rounds of at most a few thousand); the
     * rest of a longer request is passed on as it comes.
     */
    private static final int MAX_LINES = 100_000;

    private FetchRequestRewriter() {
    }

    /**
     * @param stream        the request to hand to JGit
     * @param endsAfterWants a protocol v0 request with nothing after its want section
     */
    record Request(InputStream stream, boolean endsAfterWants) {
    }

    /**
     * Reads the request's first section (protocol v0: up to the first flush; v2: the whole command) and returns a
     * stream that replays it, rewritten where needed, followed by the rest of the input.
     */
    static Request rewrite(Repository db, InputStream input) throws IOException {
        BufferedInputStream in = new BufferedInputStream(input);
        PacketLineIn packets = new PacketLineIn(in);
        List<String> request = new ArrayList<>();
        boolean relative = false;
        boolean args = false;
        while (request.size() < MAX_LINES) {
            String line;
            try {
                line = packets.readString();
            } catch (EOFException e) {
                break;
            }
            request.add(line);
            if (PacketLineIn.isEnd(line)) {
                break;
            }
            args |= PacketLineIn.isDelimiter(line);
            boolean firstV0Want = request.size() == 1 && line.startsWith(WANT);
            if (args && line.equals(DEEPEN_RELATIVE)
                    || firstV0Want && List.of(line.split(" ")).contains(DEEPEN_RELATIVE)) {
                relative = true;
            }
        }
        boolean v2 = !request.isEmpty() && request.getFirst().startsWith("command=");
        List<String> replay = relative ? absolute(db, request, v2) : request;
        boolean endsAfterWants = !v2 && !request.isEmpty() && PacketLineIn.isEnd(request.getLast()) && atEnd(in);
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        PacketLineOut out = new PacketLineOut(buffer);
        for (String line : replay) {
            if (PacketLineIn.isEnd(line)) {
                out.end();
            } else if (PacketLineIn.isDelimiter(line)) {
                out.writeDelim();
            } else {
                out.writeString(line + "\n");
            }
        }
        return new Request(new SequenceInputStream(new ByteArrayInputStream(buffer.toByteArray()), in), endsAfterWants);
    }

    private static boolean atEnd(BufferedInputStream in) throws IOException {
        in.mark(1);
        boolean end = in.read() < 0;
        in.reset();
        return end;
    }

    /** The same request without {@code deepen-relative}, one deeper, with the commits above the boundary wanted. */
    private static List<String> absolute(Repository db, List<String> request, boolean v2) throws IOException {
        Set<ObjectId> wants = new LinkedHashSet<>();
        Set<ObjectId> shallow = new LinkedHashSet<>();
        for (String line : request) {
            if (line.startsWith(WANT)) {
                wants.add(ObjectId.fromString(line.substring(WANT.length(), WANT.length() + 40)));
            } else if (line.startsWith(SHALLOW)) {
                shallow.add(ObjectId.fromString(line.substring(SHALLOW.length(), SHALLOW.length() + 40)));
            }
        }
        Set<ObjectId> added = commitsAboveBoundary(db, wants, shallow);
        added.removeAll(wants);

        List<String> rewritten = new ArrayList<>();
        int afterLastWant = -1;
        for (String line : request) {
            if (v2 && line.equals(DEEPEN_RELATIVE)) {
                continue;
            }
            if (!v2 && rewritten.isEmpty() && line.startsWith(WANT)) {
                line = String.join(" ", List.of(line.split(" ")).stream()
                        .filter(word -> !word.equals(DEEPEN_RELATIVE)).toList());
            } else if (line.startsWith(DEEPEN)) {
                int depth = Integer.parseInt(line.substring(DEEPEN.length()).strip());
                line = DEEPEN + (depth >= Integer.MAX_VALUE - 1 ? Integer.MAX_VALUE : depth + 1);
            }
            rewritten.add(line);
            if (line.startsWith(WANT)) {
                afterLastWant = rewritten.size();
            }
        }
        rewritten.addAll(afterLastWant < 0 ? rewritten.size() - 1 : afterLastWant,
                added.stream().map(id -> WANT + id.name()).toList());
        return rewritten;
    }

    /**
     * The commits the client has or is about to get above its shallow boundary: everything reachable from the wanted
     * tips and from the client's shallow commits that the refs still reach, without passing below a shallow commit.
     */
    private static Set<ObjectId> commitsAboveBoundary(Repository db, Set<ObjectId> wants, Set<ObjectId> shallow)
            throws IOException {
        Set<ObjectId> commits = new LinkedHashSet<>();
        try (RevWalk walk = new RevWalk(db)) {
            List<RevCommit> boundary = reachableShallowCommits(db, walk, shallow);
            walk.assumeShallow(boundary);
            for (ObjectId id : wants) {
                try {
                    RevObject tip = walk.peel(walk.parseAny(id));
                    if (tip instanceof RevCommit commit) {
                        walk.markStart(commit);
                    }
                } catch (MissingObjectException e) {
                    // JGit itself answers an unknown want with a protocol error.
                }
            }
            walk.markStart(boundary);
            for (RevCommit c : walk) {
                commits.add(c.copy());
            }
        }
        return commits;
    }

    /** Shallow commits of the client that are still in the history of a ref (C git ignores the others too). */
    private static List<RevCommit> reachableShallowCommits(Repository db, RevWalk walk, Set<ObjectId> shallow)
            throws IOException {
        List<RevCommit> known = new ArrayList<>();
        for (ObjectId id : shallow) {
            if (db.getObjectDatabase().has(id) && walk.parseAny(id) instanceof RevCommit commit) {
                known.add(commit);
            }
        }
        if (known.isEmpty()) {
            return known;
        }
        List<RevCommit> tips = new ArrayList<>();
        for (Ref ref : db.getRefDatabase().getRefs()) {
            ObjectId id = ref.getPeeledObjectId() != null ? ref.getPeeledObjectId() : ref.getObjectId();
            if (id != null && walk.peel(walk.parseAny(id)) instanceof RevCommit tip) {
                tips.add(tip);
            }
        }
        var checker = walk.getObjectReader().createReachabilityChecker(walk);
        List<RevCommit> reachable = new ArrayList<>();
        for (RevCommit c : known) {
            if (checker.areAllReachable(List.of(c), tips.stream()).isEmpty()) {
                reachable.add(c);
            }
        }
        walk.reset();
        return reachable;
    }
}
