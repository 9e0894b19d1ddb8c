package io.dcx.hub.storage;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.aws2.s3.AWS2S3Constants;
import org.apache.camel.component.aws2.s3.AWS2S3Operations;
import java.net.URI;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * Artifacts in an S3 bucket through camel-aws2-s3: bucket, region, optional endpoint override and path-style access
 * for MinIO and other S3-compatible stores, static keys or the AWS default credentials chain.
 *
 * <p>The endpoint uses an S3 client built here (bound in Camel's registry as {@value #CLIENT_BEAN}) rather than the
 * one camel-aws2-s3 would build, for one setting the component does not expose: checksums only when an operation
 * requires them. Since AWS SDK 2.30 uploads otherwise go out {@code aws-chunked} with trailing CRC checksums, which
 * S3-compatible stores that do not implement that encoding save verbatim, frames and all.
 */
public class S3Storage extends SignedStorage {

    private final ProducerTemplate camel;
    private final String endpoint;

    static final String CLIENT_BEAN = "dcxS3Client";

    public S3Storage(ProducerTemplate camel, StorageProperties.S3 s3, ArtifactSigner signer) {
        super(signer);
        this.camel = camel;
        camel.getCamelContext().getRegistry().bind(CLIENT_BEAN, S3Client.class, client(s3));
        this.endpoint = "aws2-s3://" + s3.bucket() + "?amazonS3Client=#" + CLIENT_BEAN
                + "&autoCreateBucket=" + s3.autoCreateBucket();
    }

    /** The S3 client for the settings: region, endpoint override, path style, static keys or the default chain. */
    static S3Client client(StorageProperties.S3 s3) {
        S3ClientBuilder builder = S3Client.builder()
                .region(Region.of(s3.region()))
                .forcePathStyle(s3.pathStyle())
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
        if (s3.endpoint() != null && !s3.endpoint().isBlank()) {
            builder.endpointOverride(URI.create(s3.endpoint().trim()));
        }
        if (s3.accessKey() != null && !s3.accessKey().isBlank()) {
            builder.credentialsProvider(StaticCredentialsProvider.create(
                    AwsBasicCredentials.create(s3.accessKey(), s3.secretKey() == null ? "" : s3.secretKey())));
        } else {
            builder.credentialsProvider(DefaultCredentialsProvider.builder().build());
        }
        return builder.build();
    }

    @Override
    public void putObject(String key, byte[] content, String contentType) {
        Map<String, Object> headers = new HashMap<>();
        headers.put(AWS2S3Constants.KEY, StorageKeys.check(key));
        headers.put(AWS2S3Constants.CONTENT_LENGTH, (long) content.length);
        if (contentType != null) {
            headers.put(AWS2S3Constants.CONTENT_TYPE, contentType);
        }
        camel.requestBodyAndHeaders(endpoint, content, headers);
    }

    @Override
    public Optional<byte[]> getObject(String key) {
        Map<String, Object> headers = Map.of(AWS2S3Constants.KEY, StorageKeys.check(key),
                AWS2S3Constants.S3_OPERATION, AWS2S3Operations.getObject);
        try {
            Object body = camel.requestBodyAndHeaders(endpoint, null, headers);
            if (body instanceof byte[] bytes) {
                return Optional.of(bytes);
            }
            try (InputStream in = (InputStream) body) {
                return Optional.of(in.readAllBytes());
            }
        } catch (CamelExecutionException e) {
            if (e.getCause() instanceof NoSuchKeyException) {
                return Optional.empty();
            }
            throw e;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read " + key, e);
        }
    }

    @Override
    public void delete(String key) {
        camel.requestBodyAndHeaders(endpoint, null, Map.of(AWS2S3Constants.KEY, StorageKeys.check(key),
                AWS2S3Constants.S3_OPERATION, AWS2S3Operations.deleteObject));
    }

    @Override
    public String backend() {
        return "s3";
    }
}
