package io.dcx.hub.vapiconfig;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dcx.hub.api.ProblemException;
import io.dcx.hub.config.HubProperties;
import io.dcx.hub.provider.vapi.VapiClient;
import io.dcx.hub.provider.vapi.VapiProperties;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Service;

/**
 * {@code POST /api/integrations/vapi/publish}: the assistant and tool files ({@link VapiConfigFiles}) created or
 * updated at Vapi. Each tool is updated when an earlier publish stored its id (else created); the assistant gets the
 * tools' ids and is updated when {@code VAPI_ASSISTANT_ID} is set or an earlier publish created it (else created).
 * The ids are kept (settings {@code vapi_published}); a failed publish keeps the ids of what it did save, so the
 * next one updates instead of creating twice.
 */
@Service
class VapiPublisher {

    private final VapiClient vapi;
    private final VapiProperties vapiProperties;
    private final VapiPublishStore store;
    private final HubProperties hub;
    private final ObjectMapper json;
    private final Path directory;

    VapiPublisher(VapiClient vapi, VapiProperties vapiProperties, VapiPublishStore store, HubProperties hub,
            ObjectMapper json, @Value("${dcx.vapi.config-dir:config/vapi}") String directory) {
        this.vapi = vapi;
        this.vapiProperties = vapiProperties;
        this.store = store;
        this.hub = hub;
        this.json = json;
        this.directory = Path.of(directory);
    }

    synchronized Map<String, Object> publish() throws IOException, InterruptedException {
        if (vapiProperties.apiKey() == null || vapiProperties.apiKey().isBlank()) {
            throw ProblemException.conflict(null, "VAPI_API_KEY is not set: nothing can be published");
        }
        VapiConfigFiles.Config config;
        try {
            config = VapiConfigFiles.read(directory, hub.publicBaseUrl(), json);
        } catch (IOException e) {
            throw new ProblemException(409, "CONFIG_INVALID", "The Vapi configuration files cannot be read: " + e.getMessage());
        }
        ObjectNode published = (ObjectNode) json.readTree(store.published());
        ObjectNode toolIds = published.has("tools") && published.get("tools").isObject()
                ? (ObjectNode) published.get("tools") : published.putObject("tools");
        ArrayNode toolsOut = json.createArrayNode();
        ArrayNode ids = json.createArrayNode();
        try {
            for (VapiConfigFiles.Tool tool : config.tools()) {
                String id = toolIds.path(tool.name()).asText(null);
                ObjectNode body = tool.body().deepCopy();
                if (id != null) {
                    body.remove("type"); // a tool's type cannot change
                }
                JsonNode saved = vapi.saveResource("tool", id, body);
                toolIds.put(tool.name(), saved.get("id").asText());
                ids.add(saved.get("id").asText());
                toolsOut.addObject().put("name", tool.name()).put("id", saved.get("id").asText())
                        .put("action", id == null ? "created" : "updated");
            }
            ObjectNode assistant = config.assistant();
            ObjectNode model = assistant.has("model") && assistant.get("model").isObject()
                    ? (ObjectNode) assistant.get("model") : assistant.putObject("model");
            model.set("toolIds", ids);
            String assistantId = notBlank(vapiProperties.assistantId()) ? vapiProperties.assistantId()
                    : published.path("assistant_id").asText(null);
            JsonNode saved = vapi.saveResource("assistant", assistantId, assistant);
            published.put("assistant_id", saved.get("id").asText());
            published.put("published_at", Instant.now().toString());
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("assistant_id", saved.get("id").asText());
            out.put("assistant_action", assistantId == null ? "created" : "updated");
            out.put("tools", json.convertValue(toolsOut, List.class));
            out.put("published_at", published.get("published_at").asText());
            return out;
        } catch (VapiClient.ConfigRejected e) {
            throw new ProblemException(502, "PROVIDER_ERROR", e.getMessage());
        } catch (IOException e) {
            throw new ProblemException(502, "PROVIDER_ERROR", "Vapi did not answer: " + e.getMessage());
        } finally {
            store.save(json.writeValueAsString(published));
        }
    }

    private static boolean notBlank(String s) {
        return s != null && !s.isBlank();
    }
}
