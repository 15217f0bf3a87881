package dev.procurator.capnp.rpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.procurator.capnp.rpc.proto.Rpc;
import dev.procurator.capnp.testschema.TestSchema.Calculator;
import java.io.FileInputStream;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** TLS (with client certificates) and the frame limits that protect a server from one bad peer. */
class TlsAndLimitsTest {
    @TempDir
    Path tmp;

    private SSLContext selfSignedContext() throws Exception {
        Path keystore = tmp.resolve("rpc.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "rpc", "-keyalg", "EC", "-keystore", keystore.toString(), "-storetype",
                "PKCS12", "-storepass", "changeit", "-dname", "CN=localhost", "-validity", "1")
                .redirectErrorStream(true).start();
        keytool.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
        assertEquals(0, keytool.waitFor());
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = new FileInputStream(keystore.toFile())) {
            store.load(in, "changeit".toCharArray());
        }
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, "changeit".toCharArray());
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(store);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys.getKeyManagers(), trust.getTrustManagers(), null);
        return context;
    }

    @Test
    void callsWorkOverMutualTls() throws Exception {
        RpcOptions tls = RpcOptions.DEFAULT.withTls(selfSignedContext(), true);
        CalculatorImpl impl = new CalculatorImpl();
        try (RpcServer server = RpcServer.bind(new InetSocketAddress("127.0.0.1", 0), impl, tls);
             RpcClient client = RpcClient.connect(server.localAddress(), tls)) {
            Calculator.Client calc = client.bootstrap(Calculator.Client::new);
            var sum = calc.add(p -> {
                p.setA(20);
                p.setB(22);
            }).get(10, TimeUnit.SECONDS);
            assertEquals(42, sum.getSum());
            var adder = calc.getAdder(p -> p.setBase(1)).pipeline().getAdder();
            assertEquals(3, adder.add(p -> p.setN(2)).get(10, TimeUnit.SECONDS).getTotal());
        }
    }

    @Test
    void aClientWithoutCertificateIsRefusedByAnMtlsServer() throws Exception {
        SSLContext serverContext = selfSignedContext();
        try (RpcServer server = RpcServer.bind(new InetSocketAddress("127.0.0.1", 0), new CalculatorImpl(),
                RpcOptions.DEFAULT.withTls(serverContext, true))) {
            // trusts the server but has no key of its own
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            KeyStore store = KeyStore.getInstance("PKCS12");
            try (InputStream in = new FileInputStream(tmp.resolve("rpc.p12").toFile())) {
                store.load(in, "changeit".toCharArray());
            }
            trust.init(store);
            SSLContext anonymous = SSLContext.getInstance("TLS");
            anonymous.init(null, trust.getTrustManagers(), null);
            assertThrows(Exception.class, () -> {
                try (RpcClient client = RpcClient.connect(server.localAddress(),
                        RpcOptions.DEFAULT.withTls(anonymous, false))) {
                    client.bootstrap(Calculator.Client::new).add(p -> p.setA(1)).get(10, TimeUnit.SECONDS);
                }
            });
        }
    }

    @Test
    void anOversizedFrameAbortsOnlyThatConnection() throws Exception {
        RpcOptions small = RpcOptions.DEFAULT.withLimits(4, 1024, 4096, 16);
        try (RpcServer server = RpcServer.bind(new InetSocketAddress("127.0.0.1", 0), new CalculatorImpl(), small);
             RpcClient good = RpcClient.connect(server.localAddress(), small)) {
            Calculator.Client calc = good.bootstrap(Calculator.Client::new);
            assertEquals(2, calc.add(p -> {
                p.setA(1);
                p.setB(1);
            }).get(10, TimeUnit.SECONDS).getSum());

            try (Socket bad = new Socket("127.0.0.1", server.port())) {
                // one segment declared at a million words: over the 1024-word limit
                ByteBuffer header = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putInt(0).putInt(1 << 20);
                bad.getOutputStream().write(header.array());
                bad.setSoTimeout(10_000);
                byte[] reply = bad.getInputStream().readAllBytes(); // an Abort, then the server closes
                assertTrue(reply.length > 8, "expected an Abort before the close");
                var frame = FrameCodec.read(new java.io.ByteArrayInputStream(reply), RpcOptions.DEFAULT);
                var abort = new IncomingMessage(frame, 1 << 20, 64).root().getAs(Rpc.Message.factory);
                assertTrue(abort.isAbort());
                assertTrue(abort.getAbort().getReason().toString().contains("limit"),
                        abort.getAbort().getReason().toString());
            }
            // the other connection is untouched
            assertEquals(4, calc.add(p -> {
                p.setA(2);
                p.setB(2);
            }).get(10, TimeUnit.SECONDS).getSum());
        }
    }

    @Test
    void tooManySegmentsAreRejected() throws Exception {
        try (RpcServer server = RpcServer.bind(new InetSocketAddress("127.0.0.1", 0), new CalculatorImpl(),
                RpcOptions.DEFAULT.withLimits(4, 1024, 4096, 16));
             Socket bad = new Socket("127.0.0.1", server.port())) {
            bad.getOutputStream().write(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(1000).array());
            bad.setSoTimeout(10_000);
            byte[] reply = bad.getInputStream().readAllBytes();
            var frame = FrameCodec.read(new java.io.ByteArrayInputStream(reply), RpcOptions.DEFAULT);
            var abort = new IncomingMessage(frame, 1 << 20, 64).root().getAs(Rpc.Message.factory);
            assertTrue(abort.getAbort().getReason().toString().contains("segments"));
        }
    }

    @Test
    void aPeerThatNeverAnswersLeavesCallsPendingUntilClose() throws Exception {
        try (java.net.ServerSocket silent = new java.net.ServerSocket(0)) {
            RpcClient client = RpcClient.connect(new InetSocketAddress("127.0.0.1", silent.getLocalPort()));
            Socket accepted = silent.accept();
            var pending = client.bootstrap(Calculator.Client::new).add(p -> p.setA(1));
            Thread.sleep(50);
            assertTrue(!pending.isDone());
            client.close();
            ExecutionException e = assertThrows(ExecutionException.class, () -> pending.get(10, TimeUnit.SECONDS));
            assertEquals(RpcException.Type.DISCONNECTED, RpcException.of(e).type());
            accepted.close();
        }
    }
}
