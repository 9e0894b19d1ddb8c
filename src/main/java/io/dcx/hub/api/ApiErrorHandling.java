package io.dcx.hub.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.nio.charset.CharacterCodingException;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteConfigurationBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Component;

/**
 * Error handling of every API route, declared once. Routes opt in with
 * {@code routeConfigurationId(ApiErrorHandling.ID)}; provider webhooks have their own (they must never see a 5xx
 * caused by us).
 */
@Component
public class ApiErrorHandling extends RouteConfigurationBuilder {

    public static final String ID = "api-errors";
    private static final Logger log = LoggerFactory.getLogger(ApiErrorHandling.class);

    @Override
    public void configuration() {
        routeConfiguration(ID)
                .onException(ProblemException.class).handled(true)
                    .process(e -> Problems.answer(e, e.getProperty(Exchange.EXCEPTION_CAUGHT, ProblemException.class)))
                .end()
                .onException(JsonProcessingException.class).handled(true)
                    .process(e -> Problems.answer(e, new ProblemException(400, "MALFORMED_JSON",
                            "The request body is not valid JSON")))
                .end()
                // a body that does not decode where a step reads it as text (the contract's routes get it decoded
                // by BadBytes first; this covers the others): the caller's bytes, not our bug
                .onException(CharacterCodingException.class, org.apache.camel.StreamCacheException.class).handled(true)
                    .process(e -> {
                        log.warn("Route {} refused a body that is not valid UTF-8", e.getFromRouteId());
                        Problems.answer(e, new ProblemException(400, "MALFORMED_JSON", "The request body is not valid JSON: it is not UTF-8"));
                    })
                .end()
                .onException(DuplicateKeyException.class).handled(true)
                    .process(e -> Problems.answer(e, new ProblemException(409, "CONFLICT",
                            "The request conflicts with an existing resource")))
                .end()
                .onException(DataIntegrityViolationException.class).handled(true)
                    .process(e -> Problems.answer(e, new ProblemException(422, "CONSTRAINT_VIOLATION",
                            "The request violates a data constraint")))
                .end()
                .onException(Exception.class).handled(true)
                    .process(e -> {
                        Exception cause = e.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
                        log.error("Unhandled error in route {}", e.getFromRouteId(), cause);
                        Problems.answer(e, new ProblemException(500, "INTERNAL_ERROR",
                                "The hub could not process the request; it has been logged"));
                    })
                .end();
    }
}
