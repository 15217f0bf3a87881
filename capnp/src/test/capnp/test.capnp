# Exercises every construct the Java generator supports; its generated Java is committed under
# src/test/java/dev/procurator/capnp/testschema and checked by GeneratedCodeTest.
@0xd6a8c2e5f1b3a901;

using Java = import "/java.capnp";
$Java.package("dev.procurator.capnp.testschema");
$Java.outerClassname("TestSchema");

enum Color {
  red @0;
  green @1;
  blue @2;
}

struct Inner {
  n @0 :Int32;
  s @1 :Text;
}

struct AllTypes {
  voidField @0 :Void;
  boolField @1 :Bool;
  int8Field @2 :Int8;
  int16Field @3 :Int16;
  int32Field @4 :Int32;
  int64Field @5 :Int64;
  uint8Field @6 :UInt8;
  uint16Field @7 :UInt16;
  uint32Field @8 :UInt32;
  uint64Field @9 :UInt64;
  float32Field @10 :Float32;
  float64Field @11 :Float64;
  textField @12 :Text;
  dataField @13 :Data;
  structField @14 :AllTypes;
  enumField @15 :Color;
  anyField @16 :AnyPointer;
  boolList @17 :List(Bool);
  int32List @18 :List(Int32);
  float64List @19 :List(Float64);
  textList @20 :List(Text);
  dataList @21 :List(Data);
  structList @22 :List(Inner);
  enumList @23 :List(Color);
  listOfLists @24 :List(List(Int32));
  listOfTextLists @25 :List(List(Text));
  voidList @26 :List(Void);
  uint64List @27 :List(UInt64);

  union {
    none @28 :Void;
    number @29 :Int32;
    name @30 :Text;
    point :group {
      x @31 :Int32;
      y @32 :Int32;
    }
  }

  settings :group {
    level @33 :UInt16 = 7;
    label @34 :Text = "bee";
  }

  nested @35 :Nested;
  struct Nested {
    kind @0 :Kind;
    enum Kind {
      small @0;
      large @1;
    }
  }
}

struct Defaults {
  b @0 :Bool = true;
  i8 @1 :Int8 = -8;
  i16 @2 :Int16 = -1600;
  i32 @3 :Int32 = -320000;
  i64 @4 :Int64 = -64000000000;
  u8 @5 :UInt8 = 200;
  u16 @6 :UInt16 = 60000;
  u32 @7 :UInt32 = 4000000000;
  u64 @8 :UInt64 = 18000000000000000000;
  f32 @9 :Float32 = 3.5;
  f64 @10 :Float64 = -2.25;
  text @11 :Text = "hello \"world\"\n";
  data @12 :Data = 0x"de ad be ef 00 0a";
  color @13 :Color = blue;
  inner @14 :Inner = (n = 42, s = "inner");
  list @15 :List(Int32) = [1, 2, 3];
  innerList @16 :List(Inner) = [(n = 1), (n = 2, s = "two")];
}

const answer :Int32 = 42;
const greeting :Text = "hi";
const pi :Float64 = 3.14159;
const innerConst :Inner = (n = 7, s = "seven");
const primes :List(UInt16) = [2, 3, 5, 7];
const blob :Data = "raw";
const favorite :Color = green;

interface Calculator {
  add @0 (a :Int32, b :Int32) -> (sum :Int32);
  # Returns a capability: callers can pipeline on `adder` before this call returns.
  getAdder @1 (base :Int32) -> (adder :Adder);
  # Calls `callback` with `value` and returns its reply: a capability passed in params.
  callBack @2 (callback :Callback, value :Text) -> (reply :Text);
  # Fails with the rpc.capnp exception type given (0 failed, 1 overloaded, 2 disconnected, 3 unimplemented).
  fail @3 (type :UInt8) -> ();
  # Returns after `millis` ms (completed by another thread: tests asynchronous servers).
  slow @4 (millis :UInt32) -> (done :Bool);
  # Returns the capability it was given (a receiverHosted descriptor on the way back).
  echo @5 (cap :Callback) -> (cap :Callback);
  # Stores a callback until `release` (tests Release and export refcounts).
  hold @6 (cap :Callback) -> ();
  drop @7 () -> ();
}

interface Adder {
  add @0 (n :Int32) -> (total :Int32);
}

interface Callback {
  call @0 (value :Text) -> (reply :Text);
}

interface CountingAdder extends(Adder) {
  count @0 () -> (calls :UInt32);
}

# Names that are Java keywords or clash with java.lang.Object: the generator must escape them.
struct Awkward {
  class @0 :Int32;
  package @1 :Text;
  default @2 :Bool;
}

interface AwkwardService {
  import @0 () -> (value :Int32);
  wait @1 () -> ();
  notify @2 () -> ();
}
