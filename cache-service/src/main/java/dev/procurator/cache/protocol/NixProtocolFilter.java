package dev.procurator.cache.protocol;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;

import dev.procurator.cache.binarycache.CacheRef;
import dev.procurator.cache.binarycache.CacheRegistry;
import dev.procurator.cache.config.CacheSettings;
import dev.procurator.cache.metrics.CacheMetrics;
import dev.procurator.cache.nix.NarInfo;
import dev.procurator.cache.nix.StorePath;
import dev.procurator.cache.path.AccessRecorder;
import dev.procurator.cache.path.PathStore;
import dev.procurator.cache.path.ServedNarinfo;
import dev.procurator.cache.storage.BlobStore;
import dev.procurator.cache.token.AccessLevel;
import dev.procurator.cache.token.CacheAccess;
import dev.procurator.common.auth.TokenAuthFilter;
import dev.procurator.common.error.ApiException;
import dev.procurator.common.error.ErrorResponses;

/**
 * The Nix binary cache protocol under {@code /<cache>/}: {@code nix-cache-info}, {@code <hash>.narinfo} and
 * {@code nar/<file>}, GET/HEAD/PUT. Served by a servlet filter rather than a controller because these are the hot
 * requests (hundreds per {@code nix copy}): no handler lookup, no message conversion, NARs streamed or sent with
 * sendfile, narinfos from memory. It is the first filter of the chain; requests with credentials pass through
 * common's {@link TokenAuthFilter} on the way, so tokens mean exactly what they mean everywhere else.
 */
public class NixProtocolFilter extends HttpFilter {

    static final byte[] NIX_CACHE_INFO = "StoreDir: /nix/store\nWantMassQuery: 1\nPriority: 40\n"
            .getBytes(StandardCharsets.US_ASCII);

    private static final Logger log = LoggerFactory.getLogger(NixProtocolFilter.class);
    private static final String NARINFO_SUFFIX = ".narinfo";
    private static final long SENDFILE_MIN = 48 * 1024;

    private final CacheRegistry caches;
    private final CacheAccess access;
    private final PathStore store;
    private final BlobStore blobs;
    private final AccessRecorder accesses;
    private final CacheMetrics metrics;
    private final long maxUpload;
    private final TokenAuthFilter tokens;

    /**
     * @param tokens common's token filter, run here only for protocol requests that carry credentials: this filter
     *               comes first in the chain, so protocol requests skip request observation and handler mapping
     */
    public NixProtocolFilter(CacheRegistry caches, CacheAccess access, PathStore store, BlobStore blobs,
                             AccessRecorder accesses, CacheMetrics metrics, CacheSettings settings,
                             TokenAuthFilter tokens) {
        this.tokens = tokens;
        this.caches = caches;
        this.access = access;
        this.store = store;
        this.blobs = blobs;
        this.accesses = accesses;
        this.metrics = metrics;
        this.maxUpload = settings.maxUploadSize().toBytes();
    }

    /** What a protocol request names: the cache and the resource under it. */
    enum Kind { CACHE_INFO, NARINFO, NAR }

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        String uri = request.getRequestURI();
        int slash = uri.indexOf('/', 1);
        if (slash < 0) {
            chain.doFilter(request, response);
            return;
        }
        String rest = uri.substring(slash + 1);
        Kind kind = rest.equals("nix-cache-info") ? Kind.CACHE_INFO
                : rest.endsWith(NARINFO_SUFFIX) && rest.indexOf('/') < 0 ? Kind.NARINFO
                : rest.startsWith("nar/") ? Kind.NAR : null;
        String cacheName = uri.substring(1, slash);
        if (kind == null || cacheName.equals("api") || cacheName.equals("actuator")) {
            chain.doFilter(request, response);
            return;
        }
        if (request.getHeader(HttpHeaders.AUTHORIZATION) != null) {
            // Establishes the caller (or answers 401 for a bad token), then comes back to handle().
            tokens.doFilter(request, response, (rq, rs) -> handle((HttpServletRequest) rq, (HttpServletResponse) rs,
                    cacheName, rest, kind));
        } else {
            handle(request, response, cacheName, rest, kind);
        }
    }

    private void handle(HttpServletRequest request, HttpServletResponse response, String cacheName, String rest,
                        Kind kind) throws IOException {
        try {
            CacheRef cache = caches.require(cacheName);
            String method = request.getMethod();
            boolean put = method.equals("PUT");
            if (!put && !method.equals("GET") && !method.equals("HEAD")) {
                response.setHeader(HttpHeaders.ALLOW, "GET, HEAD, PUT");
                throw new ApiException(org.springframework.http.HttpStatus.METHOD_NOT_ALLOWED, "method_not_allowed",
                        "Method " + method + " is not allowed here.");
            }
            if (put || kind != Kind.CACHE_INFO) {
                // nix-cache-info is the same for every cache and open to all, so a client without credentials
                // learns "401" at its first upload or download rather than "not a binary cache".
                access.require(request, cache, put ? AccessLevel.WRITE : AccessLevel.READ);
            }
            switch (kind) {
                case CACHE_INFO -> cacheInfo(request, response, put);
                case NARINFO -> {
                    String hash = rest.substring(0, rest.length() - NARINFO_SUFFIX.length());
                    if (!StorePath.isHash(hash)) {
                        throw ApiException.badRequest("invalid_store_hash",
                                "A narinfo is named <32-character base32 store hash>.narinfo.");
                    }
                    if (put) {
                        putNarinfo(request, response, cache, hash);
                    } else {
                        getNarinfo(request, response, cache, hash);
                    }
                }
                case NAR -> {
                    String fileName = rest.substring(4);
                    PathStore.requireNarFileName(fileName);
                    if (put) {
                        putNar(request, response, cache, fileName);
                    } else {
                        getNar(request, response, cache, fileName);
                    }
                }
            }
        } catch (ApiException e) {
            fail(response, e);
        }
    }

    private void cacheInfo(HttpServletRequest request, HttpServletResponse response, boolean put) throws IOException {
        if (put) {
            // The client uploads one only when GET fails; ours is fixed, so accept and keep it.
            readSmallBody(request, "text/x-nix-cache-info");
            response.setStatus(HttpServletResponse.SC_NO_CONTENT);
            return;
        }
        send(request, response, "text/x-nix-cache-info", NIX_CACHE_INFO);
    }

    private void getNarinfo(HttpServletRequest request, HttpServletResponse response, CacheRef cache, String hash)
            throws IOException {
        Optional<ServedNarinfo> served = store.narinfo(cache, hash);
        if (served.isEmpty()) {
            metrics.miss(cache.name());
            throw ApiException.notFound("Cache '" + cache.name() + "' has no path with hash " + hash + ".");
        }
        metrics.hit(cache.name());
        accesses.accessed(served.get().id());
        send(request, response, NarInfo.CONTENT_TYPE, served.get().body());
    }

    private void putNarinfo(HttpServletRequest request, HttpServletResponse response, CacheRef cache, String hash)
            throws IOException {
        String text = new String(readSmallBody(request, NarInfo.CONTENT_TYPE), StandardCharsets.UTF_8);
        NarInfo info;
        try {
            info = NarInfo.parse(text);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("malformed_narinfo", "The narinfo is malformed: " + e.getMessage());
        }
        boolean created = store.acceptNarinfo(cache, hash, info);
        response.setStatus(created ? HttpServletResponse.SC_CREATED : HttpServletResponse.SC_OK);
    }

    private void putNar(HttpServletRequest request, HttpServletResponse response, CacheRef cache, String fileName)
            throws IOException {
        requireContentType(request, "application/x-nix-nar", "application/octet-stream");
        long length = requireLength(request);
        boolean created = store.storeNar(cache, fileName, request.getInputStream(), length);
        response.setStatus(created ? HttpServletResponse.SC_CREATED : HttpServletResponse.SC_OK);
    }

    private void getNar(HttpServletRequest request, HttpServletResponse response, CacheRef cache, String fileName)
            throws IOException {
        PathStore.StoredNar nar = store.narFile(cache, fileName).orElseThrow(() -> ApiException.notFound(
                "Cache '" + cache.name() + "' has no NAR file " + fileName + "."));
        long size = nar.fileSize();
        ByteRange range;
        try {
            range = ByteRange.parse(request.getHeader(HttpHeaders.RANGE), size).orElse(null);
        } catch (ByteRange.Unsatisfiable e) {
            response.setHeader(HttpHeaders.CONTENT_RANGE, "bytes */" + size);
            throw new ApiException(org.springframework.http.HttpStatus.REQUESTED_RANGE_NOT_SATISFIABLE,
                    "range_not_satisfiable", "The requested range is outside the file's " + size + " bytes.");
        }
        long start = range == null ? 0 : range.start();
        long length = range == null ? size : range.length();
        response.setContentType("application/x-nix-nar");
        response.setHeader(HttpHeaders.ACCEPT_RANGES, "bytes");
        response.setHeader(HttpHeaders.CACHE_CONTROL, "public, max-age=31536000, immutable");
        if (range != null) {
            response.setStatus(HttpServletResponse.SC_PARTIAL_CONTENT);
            response.setHeader(HttpHeaders.CONTENT_RANGE, "bytes " + start + "-" + range.end() + "/" + size);
        }
        response.setContentLengthLong(length);
        if (request.getMethod().equals("HEAD")) {
            return;
        }
        String key = PathStore.blobKey(cache.name(), fileName);
        Path local = blobs.localFile(key);
        metrics.served(cache.name(), length);
        if (local != null && length >= SENDFILE_MIN
                && Boolean.TRUE.equals(request.getAttribute("org.apache.tomcat.sendfile.support"))) {
            // Tomcat sends the file with sendfile(2) after this returns: no copy through the heap.
            request.setAttribute("org.apache.tomcat.sendfile.filename", local.toString());
            request.setAttribute("org.apache.tomcat.sendfile.start", start);
            request.setAttribute("org.apache.tomcat.sendfile.end", start + length);
            return;
        }
        try (InputStream in = blobs.open(key, start, length)) {
            OutputStream out = response.getOutputStream();
            in.transferTo(out);
        }
    }

    private static void send(HttpServletRequest request, HttpServletResponse response, String contentType,
                             byte[] body) throws IOException {
        response.setContentType(contentType);
        response.setContentLength(body.length);
        if (body.length > response.getBufferSize()) {
            // Buffered whole, so headers and body leave in one write rather than a flush per 8 KiB.
            response.setBufferSize(body.length);
        }
        if (!request.getMethod().equals("HEAD")) {
            response.getOutputStream().write(body);
        }
    }

    private byte[] readSmallBody(HttpServletRequest request, String contentType) throws IOException {
        requireContentType(request, contentType, "text/plain");
        long length = requireLength(request);
        if (length > 1024 * 1024) {
            throw new ApiException(org.springframework.http.HttpStatus.CONTENT_TOO_LARGE, "too_large",
                    "A narinfo is at most 1 MiB.");
        }
        byte[] body = request.getInputStream().readNBytes((int) length);
        if (body.length < length) {
            throw ApiException.badRequest("truncated_upload",
                    "The upload ended after " + body.length + " of " + length + " bytes.");
        }
        return body;
    }

    private long requireLength(HttpServletRequest request) {
        long length = request.getContentLengthLong();
        if (length < 0) {
            throw new ApiException(org.springframework.http.HttpStatus.LENGTH_REQUIRED, "length_required",
                    "Uploads need a Content-Length.");
        }
        if (length > maxUpload) {
            throw new ApiException(org.springframework.http.HttpStatus.CONTENT_TOO_LARGE, "too_large",
                    "The body has " + length + " bytes; this cache accepts at most " + maxUpload + ".");
        }
        return length;
    }

    private static void requireContentType(HttpServletRequest request, String... accepted) {
        String type = request.getContentType();
        if (type == null) {
            return;
        }
        String bare = type.split(";", 2)[0].strip().toLowerCase();
        for (String ok : accepted) {
            if (ok.equals(bare)) {
                return;
            }
        }
        throw new ApiException(org.springframework.http.HttpStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type",
                "Content type " + bare + " is not accepted here; send " + accepted[0] + ".");
    }

    private static void fail(HttpServletResponse response, ApiException e) throws IOException {
        if (response.isCommitted()) {
            log.warn("Cannot report {} to the client, the response is already committed", e.code());
            return;
        }
        response.resetBuffer();
        if (e.status().value() == 401) {
            response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Basic realm=\"procurator\", charset=\"UTF-8\"");
        }
        ErrorResponses.write(response, e.status().value(), e.code(), e.getMessage());
    }
}
