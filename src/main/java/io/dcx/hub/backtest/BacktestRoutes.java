package io.dcx.hub.backtest;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dcx.hub.api.ApiRouteBuilder;
import java.util.Objects;
import org.springframework.stereotype.Component;

/** {@code POST /api/routing/backtest} (ADMIN): parse → replay the period → 200 with the side-by-side figures. */
@Component
class BacktestRoutes extends ApiRouteBuilder {

    private final Backtests backtests;
    private final ObjectMapper json;

    BacktestRoutes(Backtests backtests, ObjectMapper json) {
        super(json);
        this.backtests = backtests;
        this.json = json;
    }

    @Override
    public void configure() {
        operation("backtestRouting")
                .process(e -> e.getMessage().setBody(BacktestRequest.parse(
                        json.readTree(Objects.requireNonNullElse(e.getMessage().getBody(String.class), "{}")))))
                .process(e -> e.getMessage().setBody(backtests.run(e.getMessage().getBody(BacktestRequest.class))))
                .process(reply(200));
    }
}
