package dev.procurator.cache.protocol;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Executor;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import org.springframework.http.HttpStatus;

import dev.procurator.cache.CacheProperties;
import dev.procurator.cache.binarycache.CacheRef;
import dev.procurator.cache.binarycache.CacheRegistry;
import dev.procurator.cache.metrics.CacheMetrics;
import dev.procurator.cache.nix.Compression;
import dev.procurator.cache.nix.NarInfo;
import dev.procurator.cache.nix.StorePath;
import dev.procurator.cache.path.AccessRecorder;
import dev.procurator.cache.path.NarReceiver;
import dev.procurator.cache.path.PathService;
import dev.procurator.cache.path.ServedNarinfo;
import dev.procurator.cache.storage.BlobStore;
import dev.procurator.cache.token.AccessLevel;
import dev.procurator.cache.token.CacheAccess;
import dev.procurator.common.auth.Caller;
import dev.procurator.common.auth.TokenAuthenticator;
import dev.procurator.common.error.ApiException;

/**
 * The Nix binary cache protocol under {@code /<cache>/}: {@code nix-cache-info}, {@code <hash>.narinfo} and
 * {@code nar/<file>}, GET/HEAD/PUT. These are the hot requests (five per path of a {@code nix copy --to}, which sends
 * them one at a time), so the front serves them itself instead of relaying them to the servlet container: narinfos
 * from memory, NARs with sendfile, uploads measured as their bytes arrive. Tokens mean what they mean everywhere else
 * (common's {@link TokenAuthenticator}). Every method here may block (database, blob store); {@link ProtocolExchange}
 * decides on which thread it runs.
 */
public class NixProtocol {

    static final byte[] NIX_CACHE_INFO = "StoreDir: /nix/store\nWantMassQuery: 1\nPriority: 40\n"
            .getBytes(StandardCharsets.US_ASCII);
    /** narinfos and nix-cache-info are small; their bodies are read into memory whole. */
    static final int SMALL_BODY_LIMIT = 1024 * 1024;

    private final CacheRegistry caches;
    private final CacheAccess access;
    private final PathService store;
    private final BlobStore blobs;
    private final AccessRecorder accesses;
    private final CacheMetrics metrics;
    private final TokenAuthenticator authenticator;
    private final long maxUpload;
    private final boolean localCalls;
    private final Executor executor;

    /**
     * @param localCalls whether every call here is local (embedded database, NARs on this machine's disk): then
     *                   requests are served on the event loop, like a static file server, with no thread hand-off
     * @param executor   where what may wait runs (remote calls, slow verification) and big uploads are hashed
     */
    public NixProtocol(CacheRegistry caches, CacheAccess access, PathService store, BlobStore blobs,
                       AccessRecorder accesses, CacheMetrics metrics, CacheProperties properties,
                       TokenAuthenticator authenticator, boolean localCalls, Executor executor) {
        this.caches = caches;
        this.access = access;
        this.store = store;
        this.blobs = blobs;
        this.accesses = accesses;
        this.metrics = metrics;
        this.authenticator = authenticator;
        this.maxUpload = properties.maxUploadSize().toBytes();
        this.localCalls = localCalls;
        this.executor = executor;
    }

    boolean localCalls() {
        return localCalls;
    }

    Executor executor() {
        return executor;
    }

    /** An upload the cache will take: its body goes to {@code temp}. */
    record Upload(CacheRef cache, String fileName, Compression compression, BlobStore.TempFile temp) {
    }

    static boolean isNarUpload(HttpRequest request, ProtocolRoute route) {
        return route.kind() == ProtocolRoute.Kind.NAR && request.method().equals(HttpMethod.PUT);
    }

    /**
     * Checks a NAR upload on its headers alone, then prepares to receive it.
     *
     * @param acceptable run once the headers pass (cache, token, name, type, size), so that the client sends the
     *                   body while the cache looks for the file and opens a temp file for it
     * @return the upload, or empty if the cache holds the file already
     */
    Optional<Upload> admitUpload(HttpRequest request, ProtocolRoute route, Runnable acceptable) throws IOException {
        CacheRef cache = authorize(request, route);
        String fileName = route.narFileName();
        Compression compression = PathService.requireNarFileName(fileName);
        requireContentType(request, "application/x-nix-nar", "application/octet-stream");
        requireLength(request, maxUpload);
        acceptable.run();
        if (store.hasNarFile(cache, fileName)) {
            return Optional.empty();
        }
        return Optional.of(new Upload(cache, fileName, compression, store.newUploadFile()));
    }

    /** Makes a received upload visible; true if stored now, false if the cache had it already. */
    boolean commitUpload(Upload upload, NarReceiver.Measured measured) throws IOException {
        return store.commitNar(upload.cache(), upload.fileName(), upload.temp().path(), measured);
    }

    /** Checks a small-bodied request on its headers, before its body is asked for. */
    void admitSmallBody(HttpRequest request) {
        requireMethod(request);
        if (request.method().equals(HttpMethod.PUT)) {
            requireLength(request, SMALL_BODY_LIMIT);
        }
    }

    /** Every request but a NAR upload, with its whole (small) body. */
    Reply handle(HttpRequest request, ProtocolRoute route, byte[] body) throws IOException {
        boolean put = request.method().equals(HttpMethod.PUT);
        if (route.kind() == ProtocolRoute.Kind.CACHE_INFO) {
            if (put) {
                // The client uploads one only when GET fails; ours is fixed, so accept and keep it.
                authorize(request, route);
                requireContentType(request, "text/x-nix-cache-info", "text/plain");
                return Reply.status(HttpResponseStatus.NO_CONTENT);
            }
            // The same for every cache and open to all, so a client without credentials learns "401" at its first
            // upload or download rather than "not a binary cache".
            caches.require(route.cacheName());
            requireMethod(request);
            return Reply.of(HttpResponseStatus.OK, "text/x-nix-cache-info", NIX_CACHE_INFO);
        }
        CacheRef cache = authorize(request, route);
        if (route.kind() == ProtocolRoute.Kind.NARINFO) {
            String hash = route.narinfoHash();
            if (!StorePath.isHash(hash)) {
                throw ApiException.badRequest("invalid_store_hash",
                        "A narinfo is named <32-character base32 store hash>.narinfo.");
            }
            return put ? putNarinfo(request, cache, hash, body) : getNarinfo(cache, hash);
        }
        String fileName = route.narFileName();
        PathService.requireNarFileName(fileName);
        return getNar(request, cache, fileName);
    }

    /** The cache a request names, if its caller may do what the method asks. */
    private CacheRef authorize(HttpRequest request, ProtocolRoute route) {
        CacheRef cache = caches.require(route.cacheName());
        requireMethod(request);
        Caller caller = authenticator.authenticate(request.headers().get(HttpHeaderNames.AUTHORIZATION)).orElse(null);
        access.require(caller, cache, request.method().equals(HttpMethod.PUT) ? AccessLevel.WRITE : AccessLevel.READ);
        return cache;
    }

    private Reply getNarinfo(CacheRef cache, String hash) {
        Optional<ServedNarinfo> served = store.narinfo(cache, hash);
        if (served.isEmpty()) {
            metrics.miss(cache.name());
            throw ApiException.notFound("Cache '" + cache.name() + "' has no path with hash " + hash + ".");
        }
        metrics.hit(cache.name());
        accesses.accessed(served.get().id());
        return Reply.of(HttpResponseStatus.OK, NarInfo.CONTENT_TYPE, served.get().body());
    }

    private Reply putNarinfo(HttpRequest request, CacheRef cache, String hash, byte[] body) {
        requireContentType(request, NarInfo.CONTENT_TYPE, "text/plain");
        NarInfo info;
        try {
            info = NarInfo.parse(new String(body, StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("malformed_narinfo", "The narinfo is malformed: " + e.getMessage());
        }
        boolean created = store.acceptNarinfo(cache, hash, info);
        return Reply.status(created ? HttpResponseStatus.CREATED : HttpResponseStatus.OK);
    }

    private Reply getNar(HttpRequest request, CacheRef cache, String fileName) throws IOException {
        PathService.StoredNar nar = store.narFile(cache, fileName).orElseThrow(() -> ApiException.notFound(
                "Cache '" + cache.name() + "' has no NAR file " + fileName + "."));
        long size = nar.fileSize();
        ByteRange range;
        try {
            range = ByteRange.parse(request.headers().get(HttpHeaderNames.RANGE), size).orElse(null);
        } catch (ByteRange.Unsatisfiable e) {
            Reply.Whole reply = Reply.error(new ApiException(HttpStatus.REQUESTED_RANGE_NOT_SATISFIABLE,
                    "range_not_satisfiable", "The requested range is outside the file's " + size + " bytes."));
            reply.response().headers().set(HttpHeaderNames.CONTENT_RANGE, "bytes */" + size);
            return reply;
        }
        long start = range == null ? 0 : range.start();
        long length = range == null ? size : range.length();
        HttpResponse head = Reply.head(range == null ? HttpResponseStatus.OK : HttpResponseStatus.PARTIAL_CONTENT);
        HttpHeaders headers = head.headers();
        headers.set(HttpHeaderNames.CONTENT_TYPE, "application/x-nix-nar")
                .set(HttpHeaderNames.ACCEPT_RANGES, "bytes")
                .set(HttpHeaderNames.CACHE_CONTROL, "public, max-age=31536000, immutable");
        if (range != null) {
            headers.set(HttpHeaderNames.CONTENT_RANGE, "bytes " + start + "-" + range.end() + "/" + size);
        }
        HttpUtil.setContentLength(head, length);
        if (request.method().equals(HttpMethod.HEAD)) {
            return Reply.headersOnly(head);
        }
        String key = PathService.blobKey(cache.name(), fileName);
        Path local = blobs.localFile(key);
        metrics.served(cache.name(), length);
        if (local != null) {
            return new Reply.LocalFile(head, local, start, length);
        }
        return new Reply.Stream(head, blobs.open(key, start, length));
    }

    private static void requireMethod(HttpRequest request) {
        HttpMethod method = request.method();
        if (!method.equals(HttpMethod.GET) && !method.equals(HttpMethod.HEAD) && !method.equals(HttpMethod.PUT)) {
            throw new ApiException(HttpStatus.METHOD_NOT_ALLOWED, "method_not_allowed",
                    "Method " + method + " is not allowed here.");
        }
    }

    private static void requireLength(HttpRequest request, long limit) {
        long length = HttpUtil.getContentLength(request, -1L);
        if (length < 0) {
            throw new ApiException(HttpStatus.LENGTH_REQUIRED, "length_required", "Uploads need a Content-Length.");
        }
        if (length > limit) {
            throw new ApiException(HttpStatus.CONTENT_TOO_LARGE, "too_large", "The body has " + length
                    + " bytes; " + (limit == SMALL_BODY_LIMIT ? "a narinfo is at most 1 MiB."
                    : "this cache accepts at most " + limit + "."));
        }
    }

    private static void requireContentType(HttpRequest request, String... accepted) {
        String type = request.headers().get(HttpHeaderNames.CONTENT_TYPE);
        if (type == null) {
            return;
        }
        String bare = type.split(";", 2)[0].strip().toLowerCase();
        for (String ok : accepted) {
            if (ok.equals(bare)) {
                return;
            }
        }
        throw new ApiException(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type",
                "Content type " + bare + " is not accepted here; send " + accepted[0] + ".");
    }
}
