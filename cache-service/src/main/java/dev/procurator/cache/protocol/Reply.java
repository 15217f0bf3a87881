package dev.procurator.cache.protocol;

import java.io.InputStream;
import java.nio.file.Path;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;

import dev.procurator.common.auth.TokenAuthFilter;
import dev.procurator.common.error.ApiException;
import dev.procurator.common.error.ErrorResponses;

/** The answer to a protocol request: a whole response, or response headers followed by (part of) a NAR file. */
public sealed interface Reply {

    /** A response whose body is in memory (narinfos, errors, nix-cache-info). */
    record Whole(FullHttpResponse response) implements Reply {
    }

    /** NAR bytes from a local file, sent with sendfile(2). */
    record LocalFile(HttpResponse head, Path file, long start, long length) implements Reply {
    }

    /** NAR bytes from a remote store (S3), streamed off the event loop. */
    record Stream(HttpResponse head, InputStream body) implements Reply {
    }

    static Whole of(HttpResponseStatus status, String contentType, byte[] body) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                Unpooled.wrappedBuffer(body));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType)
                .setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
        return new Whole(response);
    }

    static Whole status(HttpResponseStatus status) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status);
        response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, 0);
        return new Whole(response);
    }

    /** The JSON error body every Procurator service answers with; a 401 challenges for Basic credentials. */
    static Whole error(ApiException e) {
        Whole reply = of(HttpResponseStatus.valueOf(e.status().value()), "application/json",
                ErrorResponses.body(e.code(), e.getMessage()).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        if (e.status().value() == 401) {
            reply.response().headers().set(HttpHeaderNames.WWW_AUTHENTICATE, TokenAuthFilter.BASIC_CHALLENGE);
        }
        if (e.status().value() == 405) {
            reply.response().headers().set(HttpHeaderNames.ALLOW, "GET, HEAD, PUT");
        }
        return reply;
    }

    static HttpResponse head(HttpResponseStatus status) {
        return new DefaultHttpResponse(HttpVersion.HTTP_1_1, status);
    }

    /** The answer to a HEAD: the headers a GET would get, Content-Length included, and no body. */
    static Whole headersOnly(HttpResponse head) {
        return new Whole(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, head.status(), Unpooled.EMPTY_BUFFER,
                head.headers(), EmptyHttpHeaders.INSTANCE));
    }
}
