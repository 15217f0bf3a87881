package dev.procurator.capnp.rpc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The non-blocking frame assembler (used by the event loop) against the blocking decoder (used by
 * the fuzz test): fed the same bytes in random pieces, it must cut out the same frames and reject
 * the same hostile headers.
 */
class FrameAssemblerTest {
    private static final RpcOptions LIMITS = RpcOptions.DEFAULT.withLimits(64, 1 << 16, 1 << 16, 32);

    private static List<String> viaDecoder(byte[] input) {
        List<String> frames = new ArrayList<>();
        ByteArrayInputStream in = new ByteArrayInputStream(input);
        try {
            ByteBuffer[] frame;
            while ((frame = FrameCodec.read(in, LIMITS)) != null) {
                frames.add(describe(frame));
            }
        } catch (FrameCodec.FrameException e) {
            frames.add("rejected");
        } catch (IOException e) {
            // truncated frame: the assembler simply keeps waiting for the rest
        }
        return frames;
    }

    private static List<String> viaAssembler(byte[] input, SplittableRandom random) {
        List<String> frames = new ArrayList<>();
        FrameAssembler assembler = new FrameAssembler(LIMITS);
        int at = 0;
        try {
            while (at < input.length) {
                ByteBuffer target = assembler.readTarget();
                int piece = Math.min(Math.min(target.remaining(), 1 + random.nextInt(64)), input.length - at);
                target.put(input, at, piece);
                at += piece;
                assembler.drain(frame -> frames.add(describe(frame)));
            }
        } catch (FrameCodec.FrameException e) {
            frames.add("rejected");
        }
        return frames;
    }

    private static String describe(ByteBuffer[] frame) {
        StringBuilder out = new StringBuilder();
        for (ByteBuffer segment : frame) {
            byte[] bytes = new byte[segment.remaining()];
            segment.duplicate().get(bytes);
            out.append(Arrays.hashCode(bytes)).append('/').append(bytes.length).append(' ');
        }
        return out.toString();
    }

    @Test
    void cutsTheSameFramesAsTheBlockingDecoderFromRandomPieces() {
        List<byte[]> seeds = DecoderFuzzTest.corpus();
        SplittableRandom random = new SplittableRandom(42);
        for (int i = 0; i < 20_000; i++) {
            byte[] input;
            if (random.nextBoolean()) {
                // several valid frames back to back
                java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
                for (int n = random.nextInt(5); n >= 0; n--) {
                    all.writeBytes(seeds.get(random.nextInt(seeds.size())));
                }
                input = all.toByteArray();
            } else {
                input = seeds.get(random.nextInt(seeds.size())).clone();
                for (int flips = 1 + random.nextInt(4); flips > 0; flips--) {
                    input[random.nextInt(Math.min(input.length, 24))] ^= (byte) (1 << random.nextInt(8));
                }
            }
            assertEquals(viaDecoder(input), viaAssembler(input, random), "case " + i);
        }
    }

    @Test
    void growsForAFrameLargerThanItsBuffer() throws Exception {
        ByteBuffer segment = ByteBuffer.allocate(200_000 * 8);
        segment.putLong(0, 0x0000_0001_0000_0000L); // a root struct pointer, then zeros
        byte[] big = FrameCodec.encode(new ByteBuffer[] {segment});
        List<String> frames = new ArrayList<>();
        FrameAssembler assembler = new FrameAssembler(RpcOptions.DEFAULT);
        int at = 0;
        while (at < big.length) {
            ByteBuffer target = assembler.readTarget();
            int piece = Math.min(target.remaining(), big.length - at);
            target.put(big, at, piece);
            at += piece;
            assembler.drain(frame -> frames.add(describe(frame)));
        }
        assertEquals(List.of(describe(new ByteBuffer[] {segment})), frames);
    }
}
