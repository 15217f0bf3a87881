package dev.procurator.cache.storage;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.S3Exception;

import dev.procurator.cache.CacheProperties;

/**
 * NAR files as objects in an S3-compatible bucket. Uploads are staged in a local temp file (already verified) and
 * sent with one PUT, which S3 makes visible atomically.
 */
public class S3BlobStore implements BlobStore {

    private final S3Client s3;
    private final String bucket;
    private final Path temp;

    public S3BlobStore(CacheProperties.Storage settings, Path dataDir) throws IOException {
        this.bucket = settings.bucket();
        this.temp = Files.createDirectories(dataDir.resolve("tmp"));
        var builder = S3Client.builder()
                .httpClient(UrlConnectionHttpClient.create())
                .region(Region.of(settings.region()))
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(settings.pathStyle()).build());
        if (settings.endpoint() != null && !settings.endpoint().isBlank()) {
            builder.endpointOverride(URI.create(settings.endpoint()));
        }
        builder.credentialsProvider(settings.accessKey() == null || settings.accessKey().isBlank()
                ? DefaultCredentialsProvider.builder().build()
                : StaticCredentialsProvider.create(AwsBasicCredentials.create(settings.accessKey(), settings.secretKey())));
        this.s3 = builder.build();
        ensureBucket();
    }

    private void ensureBucket() {
        try {
            s3.headBucket(b -> b.bucket(bucket));
        } catch (NoSuchBucketException e) {
            s3.createBucket(b -> b.bucket(bucket));
        } catch (S3Exception e) {
            if (e.statusCode() != 404) {
                throw e;
            }
            s3.createBucket(b -> b.bucket(bucket));
        }
    }

    @Override
    public TempFile newTempFile() throws IOException {
        return TempFile.createIn(temp);
    }

    @Override
    public void put(String key, Path completeFile) throws IOException {
        try {
            s3.putObject(b -> b.bucket(bucket).key(key).contentType("application/x-nix-nar"),
                    RequestBody.fromFile(completeFile));
        } catch (S3Exception e) {
            throw new IOException("S3 PUT of " + key + " failed: " + e.getMessage(), e);
        } finally {
            Files.deleteIfExists(completeFile);
        }
    }

    @Override
    public InputStream open(String key, long offset, long length) throws IOException {
        if (length == 0) {
            return InputStream.nullInputStream();
        }
        try {
            return s3.getObject(b -> b.bucket(bucket).key(key).range("bytes=" + offset + "-" + (offset + length - 1)));
        } catch (S3Exception e) {
            throw new IOException("S3 GET of " + key + " failed: " + e.getMessage(), e);
        }
    }

    @Override
    public Path localFile(String key) {
        return null;
    }

    @Override
    public void delete(String key) throws IOException {
        try {
            s3.deleteObject(b -> b.bucket(bucket).key(key));
        } catch (S3Exception e) {
            throw new IOException("S3 DELETE of " + key + " failed: " + e.getMessage(), e);
        }
    }
}
