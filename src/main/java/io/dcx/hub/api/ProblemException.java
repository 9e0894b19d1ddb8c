package io.dcx.hub.api;

import java.util.List;

/**
 * An error the caller can act on. Thrown anywhere below a route; the API error handling turns it into an
 * {@code application/problem+json} answer with {@code status}, {@code code}, {@code message} and {@code field}.
 */
public class ProblemException extends RuntimeException {

    private final int status;
    private final String code;
    private final String field;
    private final List<FieldError> errors;
    private Integer retryAfterSeconds;

    public record FieldError(String field, String message) {}

    public ProblemException(int status, String code, String message, String field, List<FieldError> errors) {
        super(message);
        this.status = status;
        this.code = code;
        this.field = field;
        this.errors = errors == null ? List.of() : List.copyOf(errors);
    }

    public ProblemException(int status, String code, String message) {
        this(status, code, message, null, null);
    }

    public static ProblemException validation(String field, String message) {
        return new ProblemException(400, "VALIDATION_FAILED", message, field, List.of(new FieldError(field, message)));
    }

    public static ProblemException notFound(String what, String id) {
        return new ProblemException(404, "NOT_FOUND", what + " " + id + " does not exist");
    }

    public static ProblemException conflict(String field, String message) {
        return new ProblemException(409, "CONFLICT", message, field, null);
    }

    /** The caller is authenticated but its role may not do this. */
    public static ProblemException forbidden() {
        return new ProblemException(403, "FORBIDDEN", "Your role may not perform this operation");
    }

    public static ProblemException unknownReference(String field, String what, Object id) {
        return new ProblemException(422, "REFERENCE_NOT_FOUND", what + " " + id + " does not exist", field,
                List.of(new FieldError(field, what + " does not exist")));
    }

    /** Adds {@code Retry-After} to the answer (a 503 or 429 the caller should repeat later). */
    public ProblemException retryAfter(int seconds) {
        this.retryAfterSeconds = seconds;
        return this;
    }

    /** The {@code Retry-After} seconds of the answer, or null. */
    public Integer retryAfterSeconds() {
        return retryAfterSeconds;
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public String field() {
        return field;
    }

    public List<FieldError> errors() {
        return errors;
    }
}
