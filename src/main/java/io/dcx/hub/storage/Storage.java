package io.dcx.hub.storage;

import java.util.Optional;

/**
 * Object storage for call artifacts (recordings, transcripts), keyed by paths such as {@code recordings/<CallSid>.mp3}.
 * Two backends: S3 (camel-aws2-s3; MinIO and other S3-compatible stores through an endpoint override) and the local
 * file system. Whatever the backend, the hub serves artifacts itself at signed URLs ({@link #signUrl}).
 */
public interface Storage {

    /** Stores (or replaces) the object. */
    void putObject(String key, byte[] content, String contentType);

    /** The object's bytes, or empty when there is no such object. */
    Optional<byte[]> getObject(String key);

    /** A URL of the hub that serves the object until it expires ({@code ARTIFACT_URL_TTL_SECONDS}). */
    String signUrl(String key);

    /** Deletes the object; deleting a missing object is not an error. */
    void delete(String key);

    /** {@code local} or {@code s3}. */
    String backend();
}
