package dev.procurator.capnp.compiler;

import java.nio.ByteBuffer;
import org.capnproto.AnyPointer;
import org.capnproto.MessageBuilder;

/** Java literal spellings of schema values. */
final class Literals {
    private Literals() {
    }

    /**
     * A Java string literal holding one char per byte (ISO-8859-1), read back by
     * {@code GeneratedClassSupport.decodeRawBytes}. Octal escapes are used for everything outside
     * printable ASCII because unicode escapes are translated before the lexer runs.
     */
    static String byteString(byte[] bytes) {
        StringBuilder s = new StringBuilder("\"");
        for (byte b : bytes) {
            int c = b & 0xff;
            if (c == '"' || c == '\\') {
                s.append('\\').append((char) c);
            } else if (c >= 0x20 && c < 0x7f) {
                s.append((char) c);
            } else {
                // three digits always: a shorter octal escape would swallow a following digit
                s.append(String.format("\\%03o", c));
            }
        }
        return s.append('"').toString();
    }

    /** A Java string literal for ordinary text. */
    static String string(String text) {
        StringBuilder s = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> s.append("\\\"");
                case '\\' -> s.append("\\\\");
                case '\n' -> s.append("\\n");
                case '\r' -> s.append("\\r");
                case '\t' -> s.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        s.append(String.format("\\%03o", (int) c));
                    } else {
                        s.append(c);
                    }
                }
            }
        }
        return s.append('"').toString();
    }

    /**
     * Copies a pointer value (a struct, list or AnyPointer default) into a flat single-segment
     * message whose root pointer is word 0, as {@code _getPointerField(factory, i, segment, 0)} expects.
     */
    static byte[] flatten(AnyPointer.Reader value) {
        MessageBuilder message = new MessageBuilder(1 << 16);
        message.setRoot(AnyPointer.factory, value);
        ByteBuffer[] segments = message.getSegmentsForOutput();
        if (segments.length != 1) {
            throw new IllegalStateException("default value larger than one segment");
        }
        byte[] bytes = new byte[segments[0].remaining()];
        segments[0].get(bytes);
        return bytes;
    }

    static String hex(long id) {
        return "0x" + Long.toHexString(id) + "L";
    }
}
