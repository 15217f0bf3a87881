# Annotations read by the Java code generator (dev.procurator.capnp.compiler.CapnpcJava).
# The ids are those of capnproto-java's java.capnp, so schemas written for it keep working.
@0xc5f1af96651f70ea;


# The Java package of a file's generated outer class.
annotation package @0x9ee4c8f803b3b596 (file) : Text;

# The name of the outer class (default: the file name in UpperCamelCase, e.g. master.capnp -> Master).
annotation outerClassname @0x9b066bb4881f7cd3 (file) : Text;
