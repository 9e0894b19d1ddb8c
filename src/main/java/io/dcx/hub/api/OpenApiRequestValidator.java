package io.dcx.hub.api;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.SimpleRequest;
import com.atlassian.oai.validator.report.ValidationReport;
import io.swagger.v3.oas.models.OpenAPI;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.camel.Exchange;
import org.apache.camel.spi.RestClientRequestValidator;
import org.apache.camel.support.ExchangeHelper;
import org.apache.camel.support.MessageHelper;
import org.springframework.stereotype.Component;

/**
 * Validates each API request against the OpenAPI contract with the Atlassian validator (the library behind
 * camel-openapi-validator) and answers failures as problem+json naming the offending field.
 *
 * <p>Registered as a bean, so camel-rest-openapi uses it instead of its own. Why not camel-openapi-validator's
 * validator as is: in 4.17 it rebuilds the validator on every request, does not URL-decode query parameters and
 * answers a plain-text report.
 */
@Component
public class OpenApiRequestValidator implements RestClientRequestValidator {

    private static final Pattern QUOTED = Pattern.compile("\"([^\"]+)\"");
    private static final List<String> SECURITY_HEADERS = List.of("Authorization", "X-Api-Key");

    private volatile OpenAPI cachedFor;
    private volatile OpenApiInteractionValidator validator;
    private volatile OpenApiInteractionValidator contractValidator;

    @Override
    public ValidationError validate(Exchange exchange, ValidationContext context) {
        OpenAPI openApi = exchange.getProperty(Exchange.REST_OPENAPI, OpenAPI.class);
        if (openApi == null) {
            return null;
        }
        var message = exchange.getMessage();
        String path = message.getHeader(Exchange.HTTP_PATH, String.class);
        if (path == null) {
            path = message.getHeader(Exchange.HTTP_URI, String.class);
        }
        SimpleRequest request;
        try {
            request = request(exchange, path);
        } catch (ProblemException bytes) { // a body that is not UTF-8 (BadBytes)
            message.setHeader(Exchange.CONTENT_TYPE, Problems.CONTENT_TYPE);
            return new ValidationError(bytes.status(), Problems.toJson(bytes));
        }
        ValidationReport report = validatorFor(openApi).validateRequest(request);
        if (!report.hasErrors()) {
            return null;
        }
        ProblemException problem = toProblem(report);
        message.setHeader(Exchange.CONTENT_TYPE, Problems.CONTENT_TYPE);
        return new ValidationError(problem.status(), Problems.toJson(problem));
    }

    /**
     * Validates a request that reached its route without camel-rest-openapi (a servlet fast lane, such as buyers'
     * conversions) against the same contract; a mismatch is the same problem the contract's own route would answer.
     */
    public void check(Exchange exchange, String path) {
        ValidationReport report = contractValidator().validateRequest(request(exchange, path));
        if (report.hasErrors()) {
            throw toProblem(report);
        }
    }

    private static SimpleRequest request(Exchange exchange, String path) {
        io.dcx.hub.api.BadBytes.requireUtf8Body(exchange);
        var message = exchange.getMessage();
        SimpleRequest.Builder request = new SimpleRequest.Builder(message.getHeader(Exchange.HTTP_METHOD, String.class),
                path, false);
        String contentType = ExchangeHelper.getContentType(exchange);
        if (contentType != null) {
            request.withContentType(contentType);
        }
        // checked against the operation's response types (JSON and problem+json): a genuinely unacceptable Accept
        // such as text/csv on a JSON operation is 406
        String accept = message.getHeader("Accept", String.class);
        if (accept != null && !accept.isBlank()) {
            request.withAccept(java.util.Arrays.stream(accept.split(",")).map(String::trim).toArray(String[]::new));
        }
        // the credentials the contract's security schemes name (checked for presence; Spring Security verified them)
        for (String header : SECURITY_HEADERS) {
            String value = message.getHeader(header, String.class);
            if (value != null) {
                request.withHeader(header, value);
            }
        }
        String body = MessageHelper.extractBodyAsString(exchange.getIn());
        if (body != null && !body.isEmpty()) {
            request.withBody(body);
        }
        QueryParameters.of(exchange).forEach(request::withQueryParam);
        return request.build();
    }

    private OpenApiInteractionValidator contractValidator() {
        OpenApiInteractionValidator found = contractValidator;
        if (found == null) {
            synchronized (this) {
                if (contractValidator == null) {
                    contractValidator = OpenApiInteractionValidator
                            .createForInlineApiSpecification(ContractRoutes.read(ContractRoutes.SPEC)).build();
                }
                found = contractValidator;
            }
        }
        return found;
    }

    private OpenApiInteractionValidator validatorFor(OpenAPI openApi) {
        if (cachedFor != openApi) {
            synchronized (this) {
                if (cachedFor != openApi) {
                    validator = OpenApiInteractionValidator.createFor(openApi).build();
                    cachedFor = openApi;
                }
            }
        }
        return validator;
    }

    static ProblemException toProblem(ValidationReport report) {
        List<ProblemException.FieldError> errors = new ArrayList<>();
        int status = 400;
        String code = "VALIDATION_FAILED";
        for (ValidationReport.Message m : report.getMessages()) {
            if (m.getLevel() != ValidationReport.Level.ERROR) {
                continue;
            }
            String key = m.getKey();
            if (key.contains("contentType")) {
                status = 415;
                code = "UNSUPPORTED_MEDIA_TYPE";
            } else if (key.contains("accept")) {
                status = 406;
                code = "NOT_ACCEPTABLE";
            } else if (key.contains("invalidJson")) {
                code = "MALFORMED_JSON";
            } else if (key.endsWith("body.missing")) {
                code = "BODY_REQUIRED";
            }
            errors.add(new ProblemException.FieldError(fieldOf(m), m.getMessage()));
        }
        ProblemException.FieldError first = errors.isEmpty()
                ? new ProblemException.FieldError(null, "The request does not match the API contract")
                : errors.get(0);
        String message = "MALFORMED_JSON".equals(code) ? "The request body is not valid JSON" : first.message();
        return new ProblemException(status, code, message, first.field(), errors);
    }

    /** The offending field as a dotted path: "schedule_rules.0.start"; for missing or unknown properties, their name. */
    static String fieldOf(ValidationReport.Message m) {
        String key = m.getKey();
        if (key.startsWith("validation.request.parameter")) {
            return m.getContext()
                    .flatMap(c -> c.getParameter())
                    .map(p -> p.getName())
                    .orElse(firstQuoted(m.getMessage()));
        }
        String pointer = m.getContext()
                .flatMap(c -> c.getPointers())
                .map(p -> p.getInstance())
                .orElse("");
        String base = pointer.replaceFirst("^/", "").replace('/', '.');
        if (key.endsWith(".required") || key.endsWith(".additionalProperties")) {
            String name = firstQuoted(m.getMessage());
            if (name != null) {
                return base.isEmpty() ? name : base + "." + name;
            }
        }
        return base.isEmpty() ? null : base;
    }

    private static String firstQuoted(String text) {
        Matcher matcher = QUOTED.matcher(text == null ? "" : text);
        return matcher.find() ? matcher.group(1) : null;
    }
}
