package dev.procurator.capnp.rpc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.procurator.capnp.rpc.proto.Rpc;
import dev.procurator.capnp.testschema.TestSchema.Calculator;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.capnproto.MessageBuilder;
import org.junit.jupiter.api.Test;

/**
 * Feeds random and mutated frames to a connection's decoder and message handlers. Every case must
 * end in a clean close (at the end of input, after sending an Abort, or on the peer's own Abort)
 * with empty tables; nothing may escape the connection, hang or grow without bound.
 * Cases: 100,000 by default; {@code -Dcapnp.fuzz.cases=N} for a longer run, {@code -Dcapnp.fuzz.seed}
 * to replay one.
 */
class DecoderFuzzTest {
    private static final int CASES = Integer.getInteger("capnp.fuzz.cases", 100_000);
    private static final long SEED = Long.getLong("capnp.fuzz.seed", 0x5eed_cafeL);
    private static final RpcOptions LIMITS = RpcOptions.DEFAULT.withLimits(64, 1 << 16, 1 << 16, 32);

    /** An in-memory peer: the frames to read, and a sink for whatever the connection answers. */
    private static final class ScriptedTransport implements Transport {
        private final InputStream in;
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        ScriptedTransport(byte[] input) {
            this.in = new ByteArrayInputStream(input);
        }

        @Override
        public InputStream input() {
            return in;
        }

        @Override
        public OutputStream output() {
            return out;
        }

        @Override
        public String describe() {
            return "fuzz";
        }

        @Override
        public void close() {
        }
    }

    private static byte[] frame(MessageBuilder message) {
        return FrameCodec.encode(message.getSegmentsForOutput());
    }

    /** Valid frames of every message kind, and a realistic conversation, to mutate. */
    static List<byte[]> corpus() {
        List<byte[]> seeds = new ArrayList<>();
        MessageBuilder m = new MessageBuilder();
        m.initRoot(Rpc.Message.factory).initBootstrap().setQuestionId(0);
        byte[] bootstrap = frame(m);
        seeds.add(bootstrap);

        m = new MessageBuilder();
        Rpc.Call.Builder call = m.initRoot(Rpc.Message.factory).initCall();
        call.setQuestionId(1);
        call.initTarget().initPromisedAnswer().setQuestionId(0);
        call.setInterfaceId(Calculator.TYPE_ID);
        call.setMethodId((short) 1);
        Rpc.Payload.Builder payload = call.initParams();
        payload.getContent().initAs(Calculator.GetAdderParams.factory).setBase(3);
        Rpc.CapDescriptor.Builder cap = payload.initCapTable(2).get(0);
        cap.setSenderHosted(7);
        payload.getCapTable().get(1).initReceiverAnswer().setQuestionId(0);
        byte[] pipelinedCall = frame(m);
        seeds.add(pipelinedCall);

        m = new MessageBuilder();
        Rpc.Call.Builder call2 = m.initRoot(Rpc.Message.factory).initCall();
        call2.setQuestionId(2);
        call2.initTarget().setImportedCap(0);
        call2.setInterfaceId(Calculator.TYPE_ID);
        call2.setMethodId((short) 2);
        Calculator.CallBackParams.Builder params = call2.initParams().getContent().initAs(Calculator.CallBackParams.factory);
        params.setValue("x");
        call2.getParams().initCapTable(1).get(0).setSenderPromise(9);
        seeds.add(frame(m));

        m = new MessageBuilder();
        Rpc.Return.Builder ret = m.initRoot(Rpc.Message.factory).initReturn();
        ret.setAnswerId(0);
        ret.initResults().initCapTable(1).get(0).setSenderHosted(3);
        seeds.add(frame(m));

        m = new MessageBuilder();
        Rpc.Return.Builder failed = m.initRoot(Rpc.Message.factory).initReturn();
        failed.initException().setReason("nope");
        seeds.add(frame(m));

        m = new MessageBuilder();
        m.initRoot(Rpc.Message.factory).initFinish().setQuestionId(1);
        byte[] finish = frame(m);
        seeds.add(finish);

        m = new MessageBuilder();
        Rpc.Release.Builder release = m.initRoot(Rpc.Message.factory).initRelease();
        release.setId(0);
        release.setReferenceCount(1);
        seeds.add(frame(m));

        m = new MessageBuilder();
        Rpc.Resolve.Builder resolve = m.initRoot(Rpc.Message.factory).initResolve();
        resolve.setPromiseId(9);
        resolve.initCap().setReceiverHosted(0);
        seeds.add(frame(m));

        m = new MessageBuilder();
        Rpc.Disembargo.Builder disembargo = m.initRoot(Rpc.Message.factory).initDisembargo();
        disembargo.initTarget().setImportedCap(0);
        disembargo.initContext().setSenderLoopback(1);
        seeds.add(frame(m));

        m = new MessageBuilder();
        m.initRoot(Rpc.Message.factory).initAbort().setReason("bye");
        seeds.add(frame(m));

        // a whole conversation in one input: bootstrap, pipelined call, finish
        seeds.add(concat(bootstrap, pipelinedCall, finish));
        return seeds;
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            all.writeBytes(part);
        }
        return all.toByteArray();
    }

    private static byte[] mutate(byte[] seed, SplittableRandom random) {
        byte[] out = seed.clone();
        switch (random.nextInt(6)) {
            case 0 -> { // flip a few bits anywhere
                int flips = 1 + random.nextInt(8);
                for (int i = 0; i < flips; i++) {
                    int at = random.nextInt(out.length);
                    out[at] ^= (byte) (1 << random.nextInt(8));
                }
            }
            case 1 -> { // overwrite whole words of the message body with random ones
                int words = 1 + random.nextInt(3);
                for (int i = 0; i < words && out.length > 8; i++) {
                    int at = 8 * random.nextInt(out.length / 8);
                    for (int b = 0; b < 8 && at + b < out.length; b++) {
                        out[at + b] = (byte) random.nextInt(256);
                    }
                }
            }
            case 2 -> out = Arrays.copyOf(out, random.nextInt(out.length)); // truncated
            case 3 -> { // a hostile segment table
                int field = random.nextInt(2);
                int value = switch (random.nextInt(4)) {
                    case 0 -> -1;
                    case 1 -> Integer.MAX_VALUE;
                    case 2 -> random.nextInt(1 << 20);
                    default -> random.nextInt(4);
                };
                int at = field * 4;
                out[at] = (byte) value;
                out[at + 1] = (byte) (value >>> 8);
                out[at + 2] = (byte) (value >>> 16);
                out[at + 3] = (byte) (value >>> 24);
            }
            case 4 -> { // random bytes of a random length
                out = new byte[random.nextInt(256)];
                for (int i = 0; i < out.length; i++) {
                    out[i] = (byte) random.nextInt(256);
                }
            }
            default -> { // a valid frame followed by a mutated one: state carries across messages
                out = concat(seed, mutate(seed, random));
            }
        }
        return out;
    }

    private static void runCase(byte[] input, long caseSeed) {
        ScriptedTransport transport = new ScriptedTransport(input);
        StreamWire wire = new StreamWire(transport);
        RpcConnection connection = new RpcConnection(wire, new LocalHook(new CalculatorImpl()), LIMITS);
        try {
            wire.runOnCurrentThread(connection);
        } catch (Throwable t) {
            fail("case " + Long.toHexString(caseSeed) + " escaped the connection: " + t, t);
        }
        RpcException reason = connection.closed().getNow(null);
        if (reason == null) {
            fail("case " + Long.toHexString(caseSeed) + " left the connection open");
        }
        assertArrayEquals(new int[] {0, 0, 0, 0}, connection.tableSizes(),
                "case " + Long.toHexString(caseSeed) + " left table entries");
    }

    @Test
    void validConversationIsAnsweredThenClosedCleanly() {
        List<byte[]> seeds = corpus();
        byte[] conversation = seeds.get(seeds.size() - 1);
        ScriptedTransport transport = new ScriptedTransport(conversation);
        StreamWire wire = new StreamWire(transport);
        RpcConnection connection = new RpcConnection(wire, new LocalHook(new CalculatorImpl()), LIMITS);
        wire.runOnCurrentThread(connection);
        assertTrue(transport.out.size() > 0, "the bootstrap and the call were answered");
        RpcException reason = connection.closed().getNow(null);
        assertTrue(reason != null && reason.type() == RpcException.Type.DISCONNECTED, String.valueOf(reason));
    }

    @Test
    void randomAndMutatedFramesOnlyEverCloseTheConnection() {
        List<byte[]> seeds = corpus();
        SplittableRandom random = new SplittableRandom(SEED);
        long started = System.nanoTime();
        for (int i = 0; i < CASES; i++) {
            long caseSeed = random.nextLong();
            SplittableRandom caseRandom = new SplittableRandom(caseSeed);
            byte[] seed = seeds.get(caseRandom.nextInt(seeds.size()));
            runCase(mutate(seed, caseRandom), caseSeed);
        }
        long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);
        assertTrue(seconds < 240, "fuzzing took " + seconds + " s: a case is pathologically slow");
    }
}
