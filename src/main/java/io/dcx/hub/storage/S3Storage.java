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
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * Artifacts in an S3 bucket through camel-aws2-s3: bucket, region, optional endpoint override and path-style access
 * for MinIO and other S3-compatible stores, static keys or the AWS default credentials chain.
 */
public class S3Storage implements Storage {

    private final ProducerTemplate camel;
    private final String endpoint;
    private final ArtifactSigner signer;

    public S3Storage(ProducerTemplate camel, StorageProperties.S3 s3, ArtifactSigner signer) {
        this.camel = camel;
        this.endpoint = endpointUri(s3);
        this.signer = signer;
    }

    /** The camel-aws2-s3 endpoint for the settings (secrets wrapped in RAW() so no character is reinterpreted). */
    static String endpointUri(StorageProperties.S3 s3) {
        StringBuilder uri = new StringBuilder("aws2-s3://").append(s3.bucket())
                .append("?region=").append(s3.region())
                .append("&autoCreateBucket=").append(s3.autoCreateBucket())
                .append("&forcePathStyle=").append(s3.pathStyle());
        if (s3.endpoint() != null && !s3.endpoint().isBlank()) {
            uri.append("&overrideEndpoint=true&uriEndpointOverride=RAW(").append(s3.endpoint()).append(')');
        }
        if (s3.accessKey() != null && !s3.accessKey().isBlank()) {
            uri.append("&accessKey=RAW(").append(s3.accessKey()).append(")&secretKey=RAW(")
                    .append(s3.secretKey() == null ? "" : s3.secretKey()).append(')');
        } else {
            uri.append("&useDefaultCredentialsProvider=true");
        }
        return uri.toString();
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
    public String signUrl(String key) {
        return signer.sign(StorageKeys.check(key));
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
