package io.dcx.hub.resource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dcx.hub.api.ApiRouteBuilder;
import io.dcx.hub.api.ProblemException;
import io.dcx.hub.api.QueryParameters;
import io.dcx.hub.api.RequestBodies;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.camel.Exchange;

/**
 * The four admin operations of a {@link ResourceDefinition} as Camel routes:
 * {@code create<Singular>}, {@code list<Plural>}, {@code get<Singular>} and {@code update<Singular>} (PATCH).
 */
public class ResourceApi {

    private final ResourceDefinition def;
    private final ResourceRepository repository;
    private final ObjectMapper json;

    public ResourceApi(ResourceDefinition def, ResourceRepository repository, ObjectMapper json) {
        this.def = def;
        this.repository = repository;
        this.json = json;
    }

    /** Declares the resource's routes on the given builder. */
    public static void routes(ApiRouteBuilder builder, ResourceApi api) {
        String one = api.def.singular();
        builder.operation("create" + one).bean(api, "create").process(builder.reply(201));
        builder.operation("get" + one).bean(api, "get").process(builder.reply(200));
        builder.operation("update" + one).bean(api, "update").process(builder.reply(200));
        builder.operation("list" + api.def.plural()).bean(api, "list").process(builder.reply(200));
    }

    public ObjectNode create(Exchange exchange) {
        return repository.create(def, object(exchange));
    }

    public ObjectNode get(Exchange exchange) {
        return repository.get(def, exchange.getMessage().getHeader("id", String.class));
    }

    public ObjectNode update(Exchange exchange) {
        return repository.patch(def, exchange.getMessage().getHeader("id", String.class), object(exchange));
    }

    public Map<String, Object> list(Exchange exchange) {
        Map<String, String> params = QueryParameters.of(exchange);
        ResourceRepository.Page page =
                repository.list(def, params, QueryParameters.limit(params), params.get("next_token"));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("items", page.items());
        body.put("next_token", page.nextToken());
        return body;
    }

    /** The request body as a JSON object; 400 otherwise. */
    public ObjectNode object(Exchange exchange) {
        JsonNode node = RequestBodies.json(json, exchange);
        if (node == null || !node.isObject()) {
            throw new ProblemException(400, "VALIDATION_FAILED", "The request body must be a JSON object");
        }
        return (ObjectNode) node;
    }
}
