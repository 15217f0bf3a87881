package dev.procurator.capnp.rpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.procurator.capnp.rpc.proto.Rpc;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import org.capnproto.MessageBuilder;
import org.junit.jupiter.api.Test;

/** What a server answers to messages a well-behaved Java client never sends, over a raw socket. */
class ProtocolEdgesTest {

    private static void send(Socket socket, MessageBuilder message) throws Exception {
        socket.getOutputStream().write(FrameCodec.encode(message.getSegmentsForOutput()));
        socket.getOutputStream().flush();
    }

    private static Rpc.Message.Reader receive(InputStream in) throws Exception {
        ByteBuffer[] frame = FrameCodec.read(in, RpcOptions.DEFAULT);
        return new IncomingMessage(frame, 1 << 20, 64).root().getAs(Rpc.Message.factory);
    }

    @Test
    void aLevelThreeMessageIsAnsweredWithUnimplementedAndTheConnectionLives() throws Exception {
        try (RpcServer server = RpcServer.bind(new InetSocketAddress("127.0.0.1", 0), new CalculatorImpl());
             Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(10_000);
            MessageBuilder provide = new MessageBuilder();
            provide.initRoot(Rpc.Message.factory).initProvide().setQuestionId(5);
            send(socket, provide);
            Rpc.Message.Reader reply = receive(socket.getInputStream());
            assertTrue(reply.isUnimplemented(), reply.which().toString());
            assertTrue(reply.getUnimplemented().isProvide());
            assertEquals(5, reply.getUnimplemented().getProvide().getQuestionId());

            MessageBuilder bootstrap = new MessageBuilder();
            bootstrap.initRoot(Rpc.Message.factory).initBootstrap().setQuestionId(0);
            send(socket, bootstrap);
            Rpc.Message.Reader ret = receive(socket.getInputStream());
            assertTrue(ret.isReturn() && ret.getReturn().isResults(), "still serving after Unimplemented");
            assertEquals(1, ret.getReturn().getResults().getCapTable().size());
            assertTrue(ret.getReturn().getResults().getCapTable().get(0).isSenderHosted());
        }
    }

    @Test
    void aCallToAnUnknownExportAbortsTheConnection() throws Exception {
        try (RpcServer server = RpcServer.bind(new InetSocketAddress("127.0.0.1", 0), new CalculatorImpl());
             Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(10_000);
            MessageBuilder call = new MessageBuilder();
            Rpc.Call.Builder c = call.initRoot(Rpc.Message.factory).initCall();
            c.setQuestionId(0);
            c.initTarget().setImportedCap(42);
            c.initParams();
            send(socket, call);
            Rpc.Message.Reader reply = receive(socket.getInputStream());
            assertTrue(reply.isAbort(), reply.which().toString());
            assertTrue(reply.getAbort().getReason().toString().contains("unknown export 42"),
                    reply.getAbort().getReason().toString());
            assertEquals(-1, socket.getInputStream().read(), "then the server closes the connection");
        }
    }

    @Test
    void reusingAQuestionIdStillInUseAbortsTheConnection() throws Exception {
        try (RpcServer server = RpcServer.bind(new InetSocketAddress("127.0.0.1", 0), new CalculatorImpl());
             Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(10_000);
            MessageBuilder bootstrap = new MessageBuilder();
            bootstrap.initRoot(Rpc.Message.factory).initBootstrap().setQuestionId(0);
            send(socket, bootstrap);
            assertTrue(receive(socket.getInputStream()).isReturn());
            send(socket, bootstrap); // question 0 was never finished
            Rpc.Message.Reader reply = receive(socket.getInputStream());
            assertTrue(reply.isAbort(), reply.which().toString());
        }
    }
}
