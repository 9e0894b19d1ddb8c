package io.dcx.hub.storage;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of artifact storage ({@code dcx.storage.*}); docs/configuration.md lists each with its environment variable.
 *
 * @param backend        {@code local} (files under {@code localPath}) or {@code s3}
 * @param localPath      root folder of the local backend
 * @param signingSecret  HMAC key of signed artifact URLs; blank = a random key per process (URLs then die with it)
 * @param urlTtlSeconds  how long a signed artifact URL stays valid
 * @param s3             the S3 backend
 */
@ConfigurationProperties("dcx.storage")
public record StorageProperties(
        @DefaultValue("local") String backend,
        @DefaultValue("./data") String localPath,
        String signingSecret,
        @DefaultValue("3600") long urlTtlSeconds,
        @DefaultValue S3 s3) {

    /**
     * @param bucket           bucket holding the artifacts
     * @param region           AWS region (any value for MinIO)
     * @param endpoint         endpoint override, e.g. {@code http://minio:9000}; blank = AWS
     * @param pathStyle        path-style addressing ({@code endpoint/bucket/key}), needed by MinIO
     * @param accessKey        access key; blank = the AWS default credentials chain (AWS_ACCESS_KEY_ID, roles, ...)
     * @param secretKey        secret key, with accessKey
     * @param autoCreateBucket create the bucket at start-up when it is missing
     */
    public record S3(
            @DefaultValue("dcx-hub") String bucket,
            @DefaultValue("us-east-1") String region,
            String endpoint,
            @DefaultValue("false") boolean pathStyle,
            String accessKey,
            String secretKey,
            @DefaultValue("false") boolean autoCreateBucket) {}
}
