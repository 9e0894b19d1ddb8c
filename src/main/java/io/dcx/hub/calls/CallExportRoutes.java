package io.dcx.hub.calls;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dcx.hub.api.ApiRouteBuilder;
import io.dcx.hub.api.ProblemException;
import io.dcx.hub.api.QueryParameters;
import io.dcx.hub.security.Caller;
import java.util.Locale;
import java.util.Map;
import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

/**
 * {@code GET /api/calls/export?from=&to=&format=csv|ndjson|json} + the list's filters: every call's numbers, buyers
 * and revenue, so ADMIN only. Checked here as well as in the security chain: the operation also answers spellings of
 * its path (a trailing slash) that a path rule may not name. The body is a stream over a database cursor
 * ({@link CallExport}), written to the client chunk by chunk after the route has run.
 */
@Component
class CallExportRoutes extends ApiRouteBuilder {

    private final CallExport export;

    CallExportRoutes(CallExport export, ObjectMapper json) {
        super(json);
        this.export = export;
    }

    @Override
    public void configure() {
        operation("exportCalls")
                .process(e -> {
                    if (!Caller.of(e).isAdmin()) {
                        throw ProblemException.forbidden();
                    }
                    Map<String, String> query = QueryParameters.of(e);
                    if (query.get("from") == null || query.get("to") == null) {
                        throw ProblemException.validation(query.get("from") == null ? "from" : "to",
                                "from and to are required RFC 3339 date-times");
                    }
                    CallFilters filters = CallFilters.of(query);
                    CallExport.Format format = CallExport.Format.valueOf(
                            query.getOrDefault("format", "csv").toUpperCase(Locale.ROOT));
                    var m = e.getMessage();
                    m.removeHeaders("*");
                    m.setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
                    m.setHeader(Exchange.CONTENT_TYPE, format.contentType);
                    m.setHeader("Content-Disposition", "attachment; filename=\"" + format.fileName + "\"");
                    m.setHeader("Cache-Control", "private, no-store");
                    // the steps after this route would otherwise cache the whole stream (stream caching is on for
                    // request bodies) before the response is written: this exchange's body is read once, by the client
                    e.getExchangeExtension().setStreamCacheDisabled(true);
                    m.setBody(export.open(filters, format));
                });
    }
}
