package dev.procurator.capnp.compiler;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.procurator.capnp.testschema.TestSchema;
import dev.procurator.capnp.testschema.TestSchema.AllTypes;
import dev.procurator.capnp.testschema.TestSchema.Color;
import dev.procurator.capnp.testschema.TestSchema.Defaults;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import org.capnproto.ListList;
import org.capnproto.MessageBuilder;
import org.capnproto.MessageReader;
import org.capnproto.PrimitiveList;
import org.capnproto.Serialize;
import org.capnproto.StructList;
import org.capnproto.TextList;
import org.junit.jupiter.api.Test;

/** Round trips every field kind of test.capnp through the generated readers and builders. */
class GeneratedStructsTest {

    private static MessageReader roundTrip(MessageBuilder message) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Serialize.write(Channels.newChannel(bytes), message);
        return Serialize.read(ByteBuffer.wrap(bytes.toByteArray()));
    }

    @Test
    void primitivesTextDataEnumsAndNestedStructsRoundTrip() throws IOException {
        MessageBuilder message = new MessageBuilder();
        AllTypes.Builder b = message.initRoot(AllTypes.factory);
        b.setBoolField(true);
        b.setInt8Field((byte) -5);
        b.setInt16Field((short) -300);
        b.setInt32Field(-70000);
        b.setInt64Field(-5_000_000_000L);
        b.setUint8Field((byte) 250);
        b.setUint16Field((short) 65000);
        b.setUint32Field((int) 4_000_000_000L);
        b.setUint64Field(-1L);
        b.setFloat32Field(1.5f);
        b.setFloat64Field(-0.125);
        b.setTextField("héllo");
        b.setDataField(new byte[] {1, 2, 3});
        b.initStructField().setInt32Field(99);
        b.setEnumField(Color.BLUE);
        b.initAnyField().initAs(TestSchema.Inner.factory).setN(5);
        b.getNested().setKind(AllTypes.Nested.Kind.LARGE);

        AllTypes.Reader r = roundTrip(message).getRoot(AllTypes.factory);
        assertTrue(r.getBoolField());
        assertEquals(-5, r.getInt8Field());
        assertEquals(-300, r.getInt16Field());
        assertEquals(-70000, r.getInt32Field());
        assertEquals(-5_000_000_000L, r.getInt64Field());
        assertEquals(250, r.getUint8Field() & 0xff);
        assertEquals(65000, r.getUint16Field() & 0xffff);
        assertEquals(4_000_000_000L, r.getUint32Field() & 0xffffffffL);
        assertEquals(-1L, r.getUint64Field());
        assertEquals(1.5f, r.getFloat32Field());
        assertEquals(-0.125, r.getFloat64Field());
        assertEquals("héllo", r.getTextField().toString());
        assertArrayEquals(new byte[] {1, 2, 3}, r.getDataField().toArray());
        assertEquals(99, r.getStructField().getInt32Field());
        assertEquals(Color.BLUE, r.getEnumField());
        assertEquals(5, r.getAnyField().getAs(TestSchema.Inner.factory).getN());
        assertEquals(AllTypes.Nested.Kind.LARGE, r.getNested().getKind());
        assertFalse(r.getStructField().hasTextField());
    }

    @Test
    void listsOfEveryKindAndListsOfListsRoundTrip() throws IOException {
        MessageBuilder message = new MessageBuilder();
        AllTypes.Builder b = message.initRoot(AllTypes.factory);
        PrimitiveList.Boolean.Builder bools = b.initBoolList(3);
        bools.set(1, true);
        b.initInt32List(2).set(1, -7);
        b.initFloat64List(1).set(0, 2.5);
        TextList.Builder texts = b.initTextList(2);
        texts.set(0, new org.capnproto.Text.Reader("a"));
        texts.set(1, new org.capnproto.Text.Reader("b"));
        b.initDataList(1).set(0, new org.capnproto.Data.Reader(new byte[] {9}));
        StructList.Builder<TestSchema.Inner.Builder> inners = b.initStructList(2);
        inners.get(1).setS("second");
        b.initEnumList(2).set(1, Color.GREEN);
        ListList.Builder<PrimitiveList.Int.Builder> lists = b.initListOfLists(2);
        lists.init(0, 1).set(0, 10);
        lists.init(1, 2).set(1, 21);
        b.initListOfTextLists(1).init(0, 1).set(0, new org.capnproto.Text.Reader("deep"));
        b.initVoidList(4);
        b.initUint64List(1).set(0, Long.MIN_VALUE);

        AllTypes.Reader r = roundTrip(message).getRoot(AllTypes.factory);
        assertTrue(r.getBoolList().get(1));
        assertFalse(r.getBoolList().get(2));
        assertEquals(-7, r.getInt32List().get(1));
        assertEquals(2.5, r.getFloat64List().get(0));
        assertEquals("b", r.getTextList().get(1).toString());
        assertArrayEquals(new byte[] {9}, r.getDataList().get(0).toArray());
        assertEquals("second", r.getStructList().get(1).getS().toString());
        assertEquals(Color.GREEN, r.getEnumList().get(1));
        assertEquals(21, r.getListOfLists().get(1).get(1));
        assertEquals(10, r.getListOfLists().get(0).get(0));
        assertEquals("deep", r.getListOfTextLists().get(0).get(0).toString());
        assertEquals(4, r.getVoidList().size());
        assertEquals(Long.MIN_VALUE, r.getUint64List().get(0));
    }

    @Test
    void unionsAndGroupsKeepTheirTagAndFields() throws IOException {
        MessageBuilder message = new MessageBuilder();
        AllTypes.Builder b = message.initRoot(AllTypes.factory);
        assertEquals(AllTypes.Which.NONE, b.which());
        b.setName("named");
        assertEquals(AllTypes.Which.NAME, b.which());
        AllTypes.Point.Builder point = b.initPoint();
        point.setX(3);
        point.setY(4);
        b.getSettings().setLevel((short) 9);

        AllTypes.Reader r = roundTrip(message).getRoot(AllTypes.factory);
        assertEquals(AllTypes.Which.POINT, r.which());
        assertTrue(r.isPoint());
        assertEquals(3, r.getPoint().getX());
        assertEquals(4, r.getPoint().getY());
        assertEquals(9, r.getSettings().getLevel());
        assertEquals("bee", r.getSettings().getLabel().toString(), "group text default");
    }

    @Test
    void defaultsApplyToUnsetFieldsAndSurviveExplicitZero() throws IOException {
        MessageBuilder message = new MessageBuilder();
        Defaults.Builder b = message.initRoot(Defaults.factory);
        Defaults.Reader r = roundTrip(message).getRoot(Defaults.factory);
        assertTrue(r.getB());
        assertEquals(-8, r.getI8());
        assertEquals(-1600, r.getI16());
        assertEquals(-320000, r.getI32());
        assertEquals(-64000000000L, r.getI64());
        assertEquals(200, r.getU8() & 0xff);
        assertEquals(60000, r.getU16() & 0xffff);
        assertEquals(4000000000L, r.getU32() & 0xffffffffL);
        assertEquals("18000000000000000000", Long.toUnsignedString(r.getU64()));
        assertEquals(3.5f, r.getF32());
        assertEquals(-2.25, r.getF64());
        assertEquals("hello \"world\"\n", r.getText().toString());
        assertArrayEquals(new byte[] {(byte) 0xde, (byte) 0xad, (byte) 0xbe, (byte) 0xef, 0, 10}, r.getData().toArray());
        assertEquals(Color.BLUE, r.getColor());
        assertEquals(42, r.getInner().getN());
        assertEquals("inner", r.getInner().getS().toString());
        assertEquals(3, r.getList().get(2));
        assertEquals("two", r.getInnerList().get(1).getS().toString());

        b.setI32(0);
        b.setB(false);
        b.setColor(Color.RED);
        Defaults.Reader changed = roundTrip(message).getRoot(Defaults.factory);
        assertEquals(0, changed.getI32());
        assertFalse(changed.getB());
        assertEquals(Color.RED, changed.getColor());
    }

    @Test
    void constantsHaveTheirSchemaValues() {
        assertEquals(42, TestSchema.ANSWER);
        assertEquals("hi", TestSchema.GREETING);
        assertEquals(3.14159, TestSchema.PI);
        assertEquals(7, TestSchema.INNER_CONST.getN());
        assertEquals("seven", TestSchema.INNER_CONST.getS().toString());
        assertEquals(4, TestSchema.PRIMES.size());
        assertEquals(7, TestSchema.PRIMES.get(3));
        assertArrayEquals("raw".getBytes(), TestSchema.BLOB.toArray());
        assertEquals(Color.GREEN, TestSchema.FAVORITE);
    }
}
