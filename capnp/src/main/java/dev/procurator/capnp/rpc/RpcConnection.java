package dev.procurator.capnp.rpc;

import dev.procurator.capnp.rpc.proto.Rpc;
import java.io.IOException;
import java.lang.ref.Cleaner;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.capnproto.AnyPointer;
import org.capnproto.CapnpInternals;
import org.capnproto.MessageBuilder;
import org.capnproto.StructList;

/**
 * One two-party rpc.capnp connection: the four tables (questions, answers, imports, exports), the
 * message handlers. Frames arrive through a {@link Wire}: the shared {@link EventLoop} for plain
 * sockets, a virtual thread for TLS, so an idle connection costs no thread.
 *
 * <p>Locking: one lock guards the tables and the output stream, so table changes and the messages
 * that announce them leave in the same order. Futures are completed and servers are called outside
 * the lock, so user code can never deadlock two connections against each other.
 */
public final class RpcConnection implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(RpcConnection.class.getName());
    private static final Cleaner MESSAGE_CLEANER = Cleaner.create();

    private final Wire wire;
    private final RpcOptions options;
    private final ClientHook bootstrap;
    private final ReentrantLock lock = new ReentrantLock();
    private final QuestionTable questions = new QuestionTable();
    private final AnswerTable answers = new AnswerTable();
    private final ExportTable exports = new ExportTable();
    private final ImportTable imports = new ImportTable();
    private final CompletableFuture<RpcException> closed = new CompletableFuture<>();
    private final EmbargoTable embargoes = new EmbargoTable();
    private final java.util.concurrent.atomic.AtomicLongArray received =
            new java.util.concurrent.atomic.AtomicLongArray(Rpc.Message.Which.values().length);

    RpcConnection(Wire wire, ClientHook bootstrap, RpcOptions options) {
        this.wire = wire;
        this.options = options;
        this.bootstrap = bootstrap;
    }

    void start() {
        wire.start(this);
    }

    RpcOptions options() {
        return options;
    }

    /** Completes (with the reason) when the connection has closed. */
    public CompletableFuture<RpcException> closed() {
        return closed;
    }

    public boolean isOpen() {
        return !closed.isDone();
    }

    /** Asks the peer for its bootstrap capability; usable at once (calls are pipelined on the answer). */
    public ClientHook bootstrap() {
        lock.lock();
        try {
            if (!isOpen()) {
                return new BrokenHook(closed.getNow(null));
            }
            QuestionTable.Question question = questions.allocate();
            MessageBuilder message = new MessageBuilder(16);
            message.initRoot(Rpc.Message.factory).initBootstrap().setQuestionId(question.id);
            send(message);
            return new PipelinedHook(this, question, Pipeline.ROOT);
        } finally {
            lock.unlock();
        }
    }

    /** Closes the connection; pending calls fail with DISCONNECTED. */
    @Override
    public void close() {
        shutdown(RpcException.disconnected("connection closed locally"), false);
    }

    /** How many messages of a kind the peer has sent (diagnostics, protocol tests). */
    public long received(Rpc.Message.Which kind) {
        return received.get(kind.ordinal());
    }

    /** Table sizes, for tests and diagnostics: questions, answers, imports, exports. */
    public int[] tableSizes() {
        lock.lock();
        try {
            return new int[] {questions.size(), answers.size(), imports.size(), exports.size()};
        } finally {
            lock.unlock();
        }
    }

    @Override
    public String toString() {
        return "RpcConnection[" + wire.describe() + "]";
    }

    // ---------------------------------------------------------------- reading

    /** One complete frame from the wire: decode and handle it; a bad message aborts the connection. */
    void onFrame(ByteBuffer[] frame) {
        try {
            handle(new IncomingMessage(frame, options.traversalLimitWords(), options.nestingLimit()));
        } catch (ProtocolError e) {
            shutdown(RpcException.failed("protocol error: " + e.getMessage()), true);
        } catch (RuntimeException | AssertionError e) {
            // anything the decoder throws on a malformed message ends this connection only (the
            // runtime reports some corrupt pointers with assert statements)
            shutdown(RpcException.failed("malformed message: " + e), true);
        }
    }

    void onBadFrame(FrameCodec.FrameException e) {
        shutdown(RpcException.failed("bad frame: " + e.getMessage()), true);
    }

    void onDisconnect(String why) {
        shutdown(RpcException.disconnected(why), false);
    }

    /** A message that breaks the protocol: the connection is aborted. */
    static final class ProtocolError extends RuntimeException {
        ProtocolError(String message) {
            super(message);
        }
    }

    private void handle(IncomingMessage message) {
        Rpc.Message.Reader root = message.root().getAs(Rpc.Message.factory);
        received.incrementAndGet(root.which().ordinal());
        switch (root.which()) {
            case CALL -> handleCall(message, root.getCall());
            case RETURN -> handleReturn(message, root.getReturn());
            case FINISH -> handleFinish(root.getFinish());
            case BOOTSTRAP -> handleBootstrap(root.getBootstrap());
            case RELEASE -> handleRelease(root.getRelease());
            case RESOLVE -> handleResolve(message, root.getResolve());
            case DISEMBARGO -> handleDisembargo(root.getDisembargo());
            case ABORT -> shutdown(toJava(root.getAbort(), "peer aborted: "), false);
            case UNIMPLEMENTED -> handleUnimplemented(root.getUnimplemented());
            default -> replyUnimplemented(root);
        }
    }

    private void handleBootstrap(Rpc.Bootstrap.Reader request) {
        lock.lock();
        try {
            AnswerTable.Answer answer = answers.create(request.getQuestionId());
            if (answer == null) {
                throw new ProtocolError("bootstrap question id " + request.getQuestionId() + " in use");
            }
            MessageBuilder message = new MessageBuilder(32);
            Rpc.Return.Builder ret = message.initRoot(Rpc.Message.factory).initReturn();
            ret.setAnswerId(answer.id);
            ret.setReleaseParamCaps(false);
            if (bootstrap == null) {
                writeException(ret.initException(), RpcException.failed("this peer serves no bootstrap capability"));
                answer.response.completeExceptionally(RpcException.failed("no bootstrap capability"));
            } else {
                Rpc.Payload.Builder payload = ret.initResults();
                AnyPointer.Builder content = payload.getContent();
                Capabilities.writeAt(CapnpInternals.segmentOf(content), CapnpInternals.pointerOf(content), bootstrap);
                answer.resultExports = writeCapTable(payload, Capabilities.tableOf(CapnpInternals.arenaOf(content)));
                answer.response.complete(new Response(CapnpInternals.asReader(content, options.nestingLimit())));
            }
            answer.returnSent = true;
            send(message);
        } finally {
            lock.unlock();
        }
    }

    private void handleCall(IncomingMessage message, Rpc.Call.Reader call) {
        ClientHook target;
        AnswerTable.Answer answer;
        MessageBuilder reply = new MessageBuilder(256);
        Rpc.Return.Builder ret = reply.initRoot(Rpc.Message.factory).initReturn();
        Rpc.Payload.Builder results;
        AnyPointer.Reader params;
        lock.lock();
        try {
            answer = answers.create(call.getQuestionId());
            if (answer == null) {
                throw new ProtocolError("call question id " + call.getQuestionId() + " in use");
            }
            if (call.getSendResultsTo().isYourself()) {
                answer.resultsStayHere = true;
            } else if (!call.getSendResultsTo().isCaller()) {
                throw new ProtocolError("sendResultsTo.thirdParty is level 3");
            }
            target = resolveTarget(call.getTarget());
            Rpc.Payload.Reader payload = call.getParams();
            message.setCapTable(receiveCapTable(payload.getCapTable()));
            params = payload.getContent();
            ret.setAnswerId(answer.id);
            ret.setReleaseParamCaps(false);
            results = ret.initResults();
        } finally {
            lock.unlock();
        }
        CallContext<AnyPointer.Reader, AnyPointer.Builder> context = CallContext.untyped(params, results::getContent);
        CompletableFuture<Void> done;
        try {
            done = target.deliver(call.getInterfaceId(), call.getMethodId(), context);
        } catch (RuntimeException e) {
            done = CompletableFuture.failedFuture(e);
        }
        done.whenComplete((ok, error) -> sendReturn(answer, message, reply, results, error));
    }

    private void sendReturn(AnswerTable.Answer answer, IncomingMessage call, MessageBuilder reply,
                            Rpc.Payload.Builder results, Throwable error) {
        releaseCaps(call);
        Response response = null;
        MessageBuilder message = reply;
        lock.lock();
        try {
            if (!isOpen()) {
                return;
            }
            if (error == null && answer.resultsStayHere) {
                // the peer takes these results for another question of its own: nothing crosses the wire
                response = new Response(CapnpInternals.asReader(results.getContent(), options.nestingLimit()));
                message = new MessageBuilder(16);
                Rpc.Return.Builder ret = message.initRoot(Rpc.Message.factory).initReturn();
                ret.setAnswerId(answer.id);
                ret.setReleaseParamCaps(false);
                ret.setResultsSentElsewhere();
            } else if (error == null) {
                try {
                    answer.resultExports = writeCapTable(results,
                            Capabilities.tableOf(CapnpInternals.arenaOf(results)));
                    response = new Response(CapnpInternals.asReader(results.getContent(), options.nestingLimit()));
                } catch (RuntimeException e) {
                    error = e;
                }
            }
            if (error != null) {
                message = new MessageBuilder(64);
                Rpc.Return.Builder ret = message.initRoot(Rpc.Message.factory).initReturn();
                ret.setAnswerId(answer.id);
                ret.setReleaseParamCaps(false);
                writeException(ret.initException(), RpcException.of(error));
            }
        } finally {
            lock.unlock();
        }
        // Settle the answer first: calls the peer pipelined on it are forwarded now, so they leave
        // before the Return and cannot be overtaken by calls the peer makes once it has the results.
        if (response != null) {
            answer.response.complete(response);
        } else {
            answer.response.completeExceptionally(RpcException.of(error));
        }
        lock.lock();
        try {
            answer.returnSent = true;
            answers.removeIfDone(answer);
            send(message);
        } finally {
            lock.unlock();
        }
    }

    private void handleReturn(IncomingMessage message, Rpc.Return.Reader ret) {
        QuestionTable.Question question;
        Response response = null;
        RpcException error = null;
        AnswerTable.Answer redirected = null;
        lock.lock();
        try {
            question = questions.get(ret.getAnswerId());
            if (question == null || question.returned) {
                throw new ProtocolError("return for unknown question " + ret.getAnswerId());
            }
            if (ret.getReleaseParamCaps()) {
                for (int id : question.paramExports) {
                    exports.release(id, 1);
                }
            }
            switch (ret.which()) {
                case RESULTS -> {
                    Rpc.Payload.Reader payload = ret.getResults();
                    List<ClientHook> table = receiveCapTable(payload.getCapTable());
                    message.setCapTable(table);
                    releaseCapsWhenUnreachable(message);
                    response = new Response(payload.getContent());
                    embargoLoopedBackCapabilities(question, response);
                }
                case EXCEPTION -> error = toJava(ret.getException(), "");
                case CANCELED -> error = RpcException.failed("call canceled");
                case TAKE_FROM_OTHER_QUESTION -> {
                    AnswerTable.Answer source = answers.get(ret.getTakeFromOtherQuestion());
                    if (source == null || !source.resultsStayHere) {
                        throw new ProtocolError("takeFromOtherQuestion names no answer kept for it");
                    }
                    redirected = source;
                }
                default -> error = RpcException.unimplemented("unsupported return kind " + ret.which());
            }
            question.result = response;
            question.error = error;
            question.redirect = redirected == null ? null : redirected.pipeline;
            question.returned = true; // published last: readers of `returned` see the outcome
            // we now hold the result capabilities ourselves; the callee need not keep them for us
            MessageBuilder finish = new MessageBuilder(16);
            Rpc.Finish.Builder f = finish.initRoot(Rpc.Message.factory).initFinish();
            f.setQuestionId(question.id);
            f.setReleaseResultCaps(false);
            send(finish);
            questions.free(question.id);
        } finally {
            lock.unlock();
        }
        if (redirected != null) {
            redirected.response.whenComplete((r, e) -> {
                if (e != null) {
                    question.response.completeExceptionally(RpcException.of(e));
                } else {
                    question.response.complete(r);
                }
            });
        } else if (response != null) {
            question.response.complete(response);
        } else {
            question.response.completeExceptionally(error);
        }
    }

    /**
     * Calls pipelined on a results capability that is really ours were sent to the peer, which sends
     * them back. New calls would reach the capability directly and overtake them, so they wait until a
     * Disembargo sent now (behind those calls) comes back.
     */
    private void embargoLoopedBackCapabilities(QuestionTable.Question question, Response response) {
        for (var entry : question.pipelinedPaths.entrySet()) {
            ClientHook target;
            try {
                target = Capabilities.readPath(response.results(), entry.getValue()).resolved();
            } catch (RuntimeException e) {
                continue; // no capability there: the pipelined calls fail, nothing to keep in order
            }
            if (isHostedByPeer(target) || target instanceof BrokenHook) {
                continue;
            }
            EmbargoTable.Embargo embargo = embargoes.create();
            question.embargoed.put(entry.getKey(), new PromiseHook(embargo.lifted().thenApply(v -> target)));
            MessageBuilder message = new MessageBuilder(32);
            Rpc.Disembargo.Builder disembargo = message.initRoot(Rpc.Message.factory).initDisembargo();
            Rpc.PromisedAnswer.Builder promised = disembargo.initTarget().initPromisedAnswer();
            promised.setQuestionId(question.id);
            short[] path = entry.getValue();
            var ops = promised.initTransform(path.length);
            for (int i = 0; i < path.length; i++) {
                ops.get(i).setGetPointerField(path[i]);
            }
            disembargo.initContext().setSenderLoopback(embargo.id());
            send(message);
        }
    }

    private void handleFinish(Rpc.Finish.Reader finish) {
        lock.lock();
        try {
            AnswerTable.Answer answer = answers.get(finish.getQuestionId());
            if (answer == null) {
                throw new ProtocolError("finish for unknown question " + finish.getQuestionId());
            }
            answer.finishReceived = true;
            if (finish.getReleaseResultCaps() && answer.returnSent) {
                for (int id : answer.resultExports) {
                    exports.release(id, 1);
                }
                answer.resultExports = new int[0];
            }
            answers.removeIfDone(answer);
        } finally {
            lock.unlock();
        }
    }

    private void handleRelease(Rpc.Release.Reader release) {
        lock.lock();
        try {
            if (!exports.release(release.getId(), release.getReferenceCount())) {
                throw new ProtocolError("release of unknown export " + release.getId());
            }
        } finally {
            lock.unlock();
        }
    }

    private void handleResolve(IncomingMessage message, Rpc.Resolve.Reader resolve) {
        ImportHook promise;
        ClientHook resolution;
        lock.lock();
        try {
            promise = imports.get(resolve.getPromiseId());
            resolution = switch (resolve.which()) {
                case CAP -> receiveCap(resolve.getCap());
                case EXCEPTION -> new BrokenHook(toJava(resolve.getException(), ""));
                default -> throw new ProtocolError("unknown resolve kind");
            };
            if (promise != null && promise.isPromise() && promise.callsSent && !isHostedByPeer(resolution.resolved())
                    && !(resolution instanceof BrokenHook)) {
                // calls we sent to the promise are on their way back to us: keep new ones behind them
                EmbargoTable.Embargo embargo = embargoes.create();
                MessageBuilder message2 = new MessageBuilder(32);
                Rpc.Disembargo.Builder disembargo = message2.initRoot(Rpc.Message.factory).initDisembargo();
                disembargo.initTarget().setImportedCap(promise.importId());
                disembargo.initContext().setSenderLoopback(embargo.id());
                send(message2);
                ClientHook target = resolution;
                resolution = new PromiseHook(embargo.lifted().thenApply(v -> target));
            }
        } finally {
            lock.unlock();
        }
        if (promise == null || !promise.isPromise()) {
            // we released the promise already: drop the reference the Resolve just gave us
            resolution.release();
            return;
        }
        promise.resolve(resolution);
    }

    private boolean isHostedByPeer(ClientHook hook) {
        return hook instanceof ImportHook i && i.connection() == this
                || hook instanceof PipelinedHook p && p.connection() == this;
    }

    private void handleDisembargo(Rpc.Disembargo.Reader disembargo) {
        Rpc.Disembargo.Context.Reader context = disembargo.getContext();
        if (context.isReceiverLoopback()) {
            CompletableFuture<Void> lifted;
            lock.lock();
            try {
                lifted = embargoes.remove(context.getReceiverLoopback());
            } finally {
                lock.unlock();
            }
            if (lifted == null) {
                throw new ProtocolError("receiverLoopback for unknown embargo " + context.getReceiverLoopback());
            }
            lifted.complete(null);
            return;
        }
        if (!context.isSenderLoopback()) {
            throw new ProtocolError("disembargo kind " + context.which() + " is level 3");
        }
        lock.lock();
        try {
            ClientHook target = resolveTarget(disembargo.getTarget()).resolved();
            MessageBuilder reply = new MessageBuilder(32);
            Rpc.Disembargo.Builder d = reply.initRoot(Rpc.Message.factory).initDisembargo();
            if (!writeTarget(d.initTarget(), target)) {
                throw new ProtocolError("disembargo target does not point back to the sender");
            }
            // every call we forwarded to that target was written before this reply: the loop is clear
            d.initContext().setReceiverLoopback(context.getSenderLoopback());
            send(reply);
        } finally {
            lock.unlock();
        }
    }

    private void handleUnimplemented(Rpc.Message.Reader original) {
        if (original.isCall()) {
            QuestionTable.Question question;
            lock.lock();
            try {
                question = questions.get(original.getCall().getQuestionId());
                if (question == null) {
                    return;
                }
                question.error = RpcException.unimplemented("peer does not implement calls");
                question.returned = true;
                questions.free(question.id);
            } finally {
                lock.unlock();
            }
            question.response.completeExceptionally(RpcException.unimplemented("peer does not implement calls"));
        } else if (original.isDisembargo() && original.getDisembargo().getContext().isSenderLoopback()) {
            // a level 0 peer cannot loop the embargo back: lift it rather than hold calls forever
            CompletableFuture<Void> lifted;
            lock.lock();
            try {
                lifted = embargoes.remove(original.getDisembargo().getContext().getSenderLoopback());
            } finally {
                lock.unlock();
            }
            if (lifted != null) {
                lifted.complete(null);
            }
        } else if (original.isResolve() && original.getResolve().isCap()) {
            Rpc.CapDescriptor.Reader cap = original.getResolve().getCap();
            lock.lock();
            try {
                if (cap.isSenderHosted()) {
                    exports.release(cap.getSenderHosted(), 1);
                } else if (cap.isSenderPromise()) {
                    exports.release(cap.getSenderPromise(), 1);
                }
            } finally {
                lock.unlock();
            }
        }
    }

    private void replyUnimplemented(Rpc.Message.Reader original) {
        lock.lock();
        try {
            MessageBuilder reply = new MessageBuilder(64);
            try {
                reply.initRoot(Rpc.Message.factory).setUnimplemented(original);
            } catch (RuntimeException | AssertionError e) {
                throw new ProtocolError("unsupported message that cannot even be echoed: " + e);
            }
            send(reply);
        } finally {
            lock.unlock();
        }
    }

    // ---------------------------------------------------------------- capabilities on the wire

    /** The capability a message target names: one of our exports or a promised answer of ours. */
    private ClientHook resolveTarget(Rpc.MessageTarget.Reader target) {
        switch (target.which()) {
            case IMPORTED_CAP -> {
                ExportTable.Export export = exports.get(target.getImportedCap());
                if (export == null) {
                    throw new ProtocolError("call to unknown export " + target.getImportedCap());
                }
                return export.hook;
            }
            case PROMISED_ANSWER -> {
                Rpc.PromisedAnswer.Reader promised = target.getPromisedAnswer();
                AnswerTable.Answer answer = answers.get(promised.getQuestionId());
                if (answer == null) {
                    throw new ProtocolError("pipelined call on unknown answer " + promised.getQuestionId());
                }
                return answer.pipeline.getPipelinedCap(transform(promised.getTransform()));
            }
            default -> throw new ProtocolError("unknown message target");
        }
    }

    private static short[] transform(StructList.Reader<Rpc.PromisedAnswer.Op.Reader> ops) {
        short[] path = new short[ops.size()];
        int length = 0;
        for (int i = 0; i < ops.size(); i++) {
            Rpc.PromisedAnswer.Op.Reader op = ops.get(i);
            if (op.isGetPointerField()) {
                path[length++] = op.getGetPointerField();
            } else if (!op.isNoop()) {
                throw new ProtocolError("unknown pipeline op");
            }
        }
        return java.util.Arrays.copyOf(path, length);
    }

    private List<ClientHook> receiveCapTable(StructList.Reader<Rpc.CapDescriptor.Reader> descriptors) {
        List<ClientHook> table = new ArrayList<>(descriptors.size());
        for (int i = 0; i < descriptors.size(); i++) {
            table.add(receiveCap(descriptors.get(i)));
        }
        return table;
    }

    /** Turns a received descriptor into a hook holding one local reference. */
    private ClientHook receiveCap(Rpc.CapDescriptor.Reader descriptor) {
        switch (descriptor.which()) {
            case NONE -> {
                return BrokenHook.NULL_CAPABILITY;
            }
            case SENDER_HOSTED -> {
                return importCap(descriptor.getSenderHosted(), false);
            }
            case SENDER_PROMISE -> {
                return importCap(descriptor.getSenderPromise(), true);
            }
            case RECEIVER_HOSTED -> {
                ExportTable.Export export = exports.get(descriptor.getReceiverHosted());
                if (export == null) {
                    throw new ProtocolError("receiverHosted names unknown export " + descriptor.getReceiverHosted());
                }
                return export.hook.addRef();
            }
            case RECEIVER_ANSWER -> {
                Rpc.PromisedAnswer.Reader promised = descriptor.getReceiverAnswer();
                AnswerTable.Answer answer = answers.get(promised.getQuestionId());
                if (answer == null) {
                    throw new ProtocolError("receiverAnswer names unknown answer " + promised.getQuestionId());
                }
                return answer.pipeline.getPipelinedCap(transform(promised.getTransform()));
            }
            case THIRD_PARTY_HOSTED -> {
                // two-party: no third party exists; use the vine the sender provides instead
                return importCap(descriptor.getThirdPartyHosted().getVineId(), false);
            }
            default -> throw new ProtocolError("unknown capability descriptor");
        }
    }

    private ClientHook importCap(int id, boolean promise) {
        ImportHook hook = imports.get(id);
        if (hook == null) {
            hook = new ImportHook(this, id, promise);
            imports.put(hook);
        }
        hook.remoteReferences++;
        hook.localReferences++;
        return hook;
    }

    /** Called by ImportHook.addRef/release; at zero local references the import is released. */
    void adjustImport(ImportHook hook, int delta) {
        ClientHook resolution = null;
        lock.lock();
        try {
            hook.localReferences += delta;
            if (hook.localReferences > 0 || imports.get(hook.importId()) != hook) {
                return;
            }
            imports.remove(hook);
            resolution = hook.resolution();
            if (isOpen()) {
                MessageBuilder message = new MessageBuilder(16);
                Rpc.Release.Builder release = message.initRoot(Rpc.Message.factory).initRelease();
                release.setId(hook.importId());
                release.setReferenceCount(hook.remoteReferences);
                send(message);
            }
        } finally {
            lock.unlock();
        }
        if (resolution != null) {
            resolution.release(); // the reference the Resolve gave the promise
        }
    }

    /** Writes the descriptors of a message's capabilities; returns the export ids it referenced. */
    private int[] writeCapTable(Rpc.Payload.Builder payload, List<ClientHook> table) {
        if (table.isEmpty()) {
            return new int[0];
        }
        StructList.Builder<Rpc.CapDescriptor.Builder> out = payload.initCapTable(table.size());
        int[] exported = new int[table.size()];
        int count = 0;
        for (int i = 0; i < table.size(); i++) {
            int id = writeDescriptor(out.get(i), table.get(i));
            if (id >= 0) {
                exported[count++] = id;
            }
        }
        return java.util.Arrays.copyOf(exported, count);
    }

    /** Describes a capability to the peer; returns the export id used, or -1 when none was. */
    private int writeDescriptor(Rpc.CapDescriptor.Builder descriptor, ClientHook hook) {
        ClientHook target = hook.resolved();
        if (target == BrokenHook.NULL_CAPABILITY) {
            descriptor.setNone(org.capnproto.Void.VOID);
            return -1;
        }
        if (target instanceof ImportHook imported && imported.connection() == this) {
            descriptor.setReceiverHosted(imported.importId());
            return -1;
        }
        if (target instanceof PipelinedHook pipelined && pipelined.connection() == this && pipelined.isPending()) {
            Rpc.PromisedAnswer.Builder promised = descriptor.initReceiverAnswer();
            writePromisedAnswer(promised, pipelined);
            return -1;
        }
        boolean promise = target instanceof PromiseHook || target instanceof PipelinedHook
                || target instanceof ImportHook i && i.isPromise();
        ExportTable.Export export = exports.export(target);
        if (promise) {
            descriptor.setSenderPromise(export.id);
            if (export.references == 1) {
                target.whenResolved().whenComplete((resolution, error) -> sendResolve(export, resolution, error));
            }
        } else {
            descriptor.setSenderHosted(export.id);
        }
        return export.id;
    }

    private void sendResolve(ExportTable.Export export, ClientHook resolution, Throwable error) {
        lock.lock();
        try {
            if (!isOpen() || exports.get(export.id) != export) {
                return;
            }
            MessageBuilder message = new MessageBuilder(32);
            Rpc.Resolve.Builder resolve = message.initRoot(Rpc.Message.factory).initResolve();
            resolve.setPromiseId(export.id);
            if (error != null) {
                writeException(resolve.initException(), RpcException.of(error));
            } else {
                writeDescriptor(resolve.initCap(), resolution);
                exports.redirect(export, resolution);
            }
            send(message);
        } finally {
            lock.unlock();
        }
    }

    /** Addresses a message to a capability the peer hosts; false if the hook does not live there. */
    private boolean writeTarget(Rpc.MessageTarget.Builder out, ClientHook target) {
        if (target instanceof ImportHook imported && imported.connection() == this) {
            out.setImportedCap(imported.importId());
            return true;
        }
        if (target instanceof PipelinedHook pipelined && pipelined.connection() == this && pipelined.isPending()) {
            writePromisedAnswer(out.initPromisedAnswer(), pipelined);
            return true;
        }
        return false;
    }

    private static void writePromisedAnswer(Rpc.PromisedAnswer.Builder promised, PipelinedHook pipelined) {
        promised.setQuestionId(pipelined.question().id);
        short[] path = pipelined.path();
        StructList.Builder<Rpc.PromisedAnswer.Op.Builder> ops = promised.initTransform(path.length);
        for (int i = 0; i < path.length; i++) {
            ops.get(i).setGetPointerField(path[i]);
        }
    }

    // ---------------------------------------------------------------- outgoing calls

    /** A call to a capability the peer hosts (an import or a promised answer). */
    OutgoingCall newCall(ClientHook target, long interfaceId, short methodId) {
        return new RemoteCall(target, interfaceId, methodId);
    }

    private final class RemoteCall implements OutgoingCall {
        private final ClientHook target;
        private final MessageBuilder message = new MessageBuilder(256);
        private final Rpc.Call.Builder call;

        RemoteCall(ClientHook target, long interfaceId, short methodId) {
            this.target = target;
            this.call = message.initRoot(Rpc.Message.factory).initCall();
            call.setInterfaceId(interfaceId);
            call.setMethodId(methodId);
        }

        @Override
        public AnyPointer.Builder params() {
            return call.initParams().getContent();
        }

        @Override
        public CallResult send() {
            Rpc.Payload.Builder payload = call.getParams();
            QuestionTable.Question question;
            lock.lock();
            try {
                if (!isOpen()) {
                    RpcException reason = closed.getNow(RpcException.disconnected("connection closed"));
                    return new CallResult(CompletableFuture.failedFuture(reason), path -> new BrokenHook(reason));
                }
                ClientHook resolved = target.resolved();
                if (!writeTarget(call.initTarget(), resolved)) {
                    return deliverLocally(payload);
                }
                if (resolved instanceof PipelinedHook pipelined) {
                    pipelined.question().pipelinedPaths.putIfAbsent(java.util.Arrays.toString(pipelined.path()),
                            pipelined.path());
                } else if (resolved instanceof ImportHook imported && imported.isPromise()) {
                    imported.callsSent = true; // a Resolve pointing back to us will need an embargo
                }
                question = questions.allocate();
                call.setQuestionId(question.id);
                question.paramExports = writeCapTable(payload, Capabilities.tableOf(CapnpInternals.arenaOf(call)));
                RpcConnection.this.send(message);
            } finally {
                lock.unlock();
            }
            return new CallResult(question.response,
                    path -> new PipelinedHook(RpcConnection.this, question, path));
        }

        /** The target resolved to something not hosted by the peer (e.g. our own export came back). */
        private CallResult deliverLocally(Rpc.Payload.Builder payload) {
            MessageBuilder results = new MessageBuilder(256);
            CallContext<AnyPointer.Reader, AnyPointer.Builder> context = CallContext.untyped(
                    CapnpInternals.asReader(payload.getContent(), options.nestingLimit()),
                    () -> results.getRoot(AnyPointer.factory));
            CompletableFuture<Response> response = target.resolved()
                    .deliver(call.getInterfaceId(), call.getMethodId(), context)
                    .thenApply(v -> new Response(CapnpInternals.asReader(results.getRoot(AnyPointer.factory),
                            options.nestingLimit())));
            return new CallResult(response, new LocalHook.LocalPipeline(response));
        }
    }

    // ---------------------------------------------------------------- plumbing

    /** Writes a message; the caller holds the lock, so messages leave in table-change order. */
    private void send(MessageBuilder message) {
        if (!isOpen()) {
            return;
        }
        try {
            wire.write(FrameCodec.encode(message.getSegmentsForOutput()));
        } catch (IOException e) {
            wire.close(); // the reading side sees the failure and shuts the connection down
        }
    }

    /** Sends frames the wire held back (it batches replies written while handling input). */
    void flushWire() {
        lock.lock();
        try {
            if (isOpen()) {
                wire.flush();
            }
        } catch (IOException e) {
            wire.close();
        } finally {
            lock.unlock();
        }
    }

    private static void writeException(Rpc.Exception.Builder out, RpcException error) {
        out.setReason(error.getMessage() == null ? "" : error.getMessage());
        out.setType(Rpc.Exception.Type.values()[error.type().ordinal()]);
    }

    private static RpcException toJava(Rpc.Exception.Reader exception, String prefix) {
        Rpc.Exception.Type type = exception.getType();
        RpcException.Type javaType = type == Rpc.Exception.Type._NOT_IN_SCHEMA
                ? RpcException.Type.FAILED : RpcException.Type.values()[type.ordinal()];
        return new RpcException(javaType, prefix + exception.getReason().toString());
    }

    private static void releaseCaps(IncomingMessage message) {
        List<ClientHook> table = message.capTable();
        message.setCapTable(List.of());
        table.forEach(ClientHook::release);
    }

    /** Result capabilities stay usable while any reader of the message is reachable. */
    private static void releaseCapsWhenUnreachable(IncomingMessage message) {
        List<ClientHook> table = message.capTable();
        if (!table.isEmpty()) {
            AtomicBoolean done = new AtomicBoolean();
            MESSAGE_CLEANER.register(message, () -> {
                if (done.compareAndSet(false, true)) {
                    table.forEach(ClientHook::release);
                }
            });
        }
    }

    private void shutdown(RpcException reason, boolean sendAbort) {
        List<CompletableFuture<Void>> lifted;
        List<QuestionTable.Question> pending;
        List<ClientHook> exported;
        lock.lock();
        try {
            if (closed.isDone()) {
                return;
            }
            if (sendAbort) {
                try {
                    MessageBuilder abort = new MessageBuilder(64);
                    writeException(abort.initRoot(Rpc.Message.factory).initAbort(), reason);
                    wire.write(FrameCodec.encode(abort.getSegmentsForOutput()));
                    wire.flush();
                } catch (IOException | RuntimeException ignored) {
                    // the peer may already be gone
                }
            }
            closed.complete(reason);
            lifted = embargoes.drain();
            pending = questions.drain();
            exported = exports.drain();
            answers.clear();
            imports.drain();
        } finally {
            lock.unlock();
        }
        wire.close();
        if (reason.type() != RpcException.Type.DISCONNECTED) {
            LOG.log(Level.FINE, () -> this + " closed: " + reason);
        }
        RpcException failure = reason.type() == RpcException.Type.DISCONNECTED ? reason
                : RpcException.disconnected("connection aborted: " + reason.getMessage());
        pending.forEach(q -> q.response.completeExceptionally(failure));
        lifted.forEach(e -> e.completeExceptionally(failure));
        exported.forEach(ClientHook::release);
    }
}
