package dev.procurator.cache.support;

import java.net.URI;
import java.util.List;

import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.nio2blob.TransientNio2BlobStore;
import org.springframework.test.context.DynamicPropertyRegistry;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/** A real S3-compatible server for a test class (s3proxy, objects in memory), started on a free port when first used. */
public final class S3ProxyServer implements AutoCloseable {

    public static final String ACCESS = "access-key";
    public static final String SECRET = "secret-key";

    private final S3Proxy proxy;

    private S3ProxyServer(S3Proxy proxy) {
        this.proxy = proxy;
    }

    public static S3ProxyServer start() {
        try {
            S3Proxy proxy = S3Proxy.builder().blobStore(new TransientNio2BlobStore())
                    .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS, SECRET)
                    .endpoint(URI.create("http://127.0.0.1:0")).build();
            proxy.start();
            long deadline = System.currentTimeMillis() + 20_000;
            while (!"STARTED".equals(proxy.getState()) && System.currentTimeMillis() < deadline) {
                Thread.sleep(20);
            }
            return new S3ProxyServer(proxy);
        } catch (Exception e) {
            throw new IllegalStateException("s3proxy did not start", e);
        }
    }

    public String endpoint() {
        return "http://127.0.0.1:" + proxy.getPort();
    }

    /** The cache's storage settings for this server and {@code bucket}. */
    public void register(DynamicPropertyRegistry registry, String bucket) {
        registry.add("procurator.cache.storage.type", () -> "s3");
        registry.add("procurator.cache.storage.endpoint", this::endpoint);
        registry.add("procurator.cache.storage.bucket", () -> bucket);
        registry.add("procurator.cache.storage.access-key", () -> ACCESS);
        registry.add("procurator.cache.storage.secret-key", () -> SECRET);
    }

    /** The keys in {@code bucket}. */
    public List<String> objects(String bucket) {
        try (S3Client s3 = S3Client.builder().httpClient(UrlConnectionHttpClient.create())
                .endpointOverride(URI.create(endpoint())).region(Region.US_EAST_1).forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS, SECRET)))
                .build()) {
            return s3.listObjectsV2(b -> b.bucket(bucket)).contents().stream().map(S3Object::key).toList();
        }
    }

    @Override
    public void close() throws Exception {
        proxy.stop();
    }
}
