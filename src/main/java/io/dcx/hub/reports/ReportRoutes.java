package io.dcx.hub.reports;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dcx.hub.api.ApiRouteBuilder;
import io.dcx.hub.api.ProblemException;
import io.dcx.hub.api.QueryParameters;
import io.dcx.hub.security.Caller;
import jakarta.servlet.http.HttpServletRequest;
import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

/**
 * {@code GET /api/reports/summary} and {@code GET /api/reports/dashboard}: sums over every call's money, so ADMIN only
 * (checked here as well as in the security chain).
 */
@Component
class ReportRoutes extends ApiRouteBuilder {

    private final Reports reports;

    ReportRoutes(Reports reports, ObjectMapper json) {
        super(json);
        this.reports = reports;
    }

    @Override
    public void configure() {
        operation("getReportSummary")
                .process(ReportRoutes::adminOnly)
                .process(e -> e.getMessage().setBody(reports.summary(QueryParameters.of(e))))
                .process(reply(200));
        operation("getReportDashboard")
                .process(ReportRoutes::adminOnly)
                .process(e -> e.getMessage().setBody(reports.dashboard(QueryParameters.of(e))))
                .process(reply(200));
    }

    private static void adminOnly(Exchange e) {
        if (!Caller.of(e.getMessage().getHeader(Exchange.HTTP_SERVLET_REQUEST, HttpServletRequest.class)).isAdmin()) {
            throw ProblemException.forbidden();
        }
    }
}
