package io.dcx.hub.vapiconfig;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The Vapi assistant and its tools as files ({@code config/vapi/}, the seed's {@code /vapi/} folder):
 * {@code assistant.json}, {@code tools/*.json} (one tool each) and {@code prompts/system.txt},
 * {@code first_message.txt}, {@code end_call.txt}. {@code {{public_base_url}}} in any file becomes the hub's public
 * URL; Vapi's own {@code {{variables}}} (contact_name, company_name, …) are left for Vapi to fill per call.
 */
final class VapiConfigFiles {

    /** A tool file: its name (the file's, without {@code .json}) and body. */
    record Tool(String name, ObjectNode body) {}

    /** What is published: the tools, and the assistant with the prompts merged in (its toolIds are added later). */
    record Config(List<Tool> tools, ObjectNode assistant) {}

    private VapiConfigFiles() {}

    static Config read(Path dir, String publicBaseUrl, ObjectMapper json) throws IOException {
        Map<String, String> values = Map.of("public_base_url", publicBaseUrl.replaceAll("/+$", ""));
        Path assistantFile = dir.resolve("assistant.json");
        if (!Files.isRegularFile(assistantFile)) {
            throw new IOException("no assistant.json in " + dir.toAbsolutePath());
        }
        ObjectNode assistant = object(json.readTree(fill(Files.readString(assistantFile, StandardCharsets.UTF_8), values)),
                "assistant.json");
        String system = prompt(dir, "system.txt", values);
        if (system != null) {
            ObjectNode model = assistant.has("model") && assistant.get("model").isObject()
                    ? (ObjectNode) assistant.get("model") : assistant.putObject("model");
            ArrayNode messages = model.putArray("messages");
            messages.addObject().put("role", "system").put("content", system);
        }
        String first = prompt(dir, "first_message.txt", values);
        if (first != null) {
            assistant.put("firstMessage", first);
        }
        String end = prompt(dir, "end_call.txt", values);
        if (end != null) {
            assistant.put("endCallMessage", end);
        }
        List<Tool> tools = new ArrayList<>();
        Path toolDir = dir.resolve("tools");
        if (Files.isDirectory(toolDir)) {
            try (Stream<Path> files = Files.list(toolDir)) {
                for (Path f : files.filter(p -> p.getFileName().toString().endsWith(".json")).sorted().toList()) {
                    String name = f.getFileName().toString().replaceFirst("\\.json$", "");
                    tools.add(new Tool(name, object(json.readTree(fill(Files.readString(f, StandardCharsets.UTF_8), values)),
                            "tools/" + f.getFileName())));
                }
            }
        }
        return new Config(tools, assistant);
    }

    /** {@code {{key}}} replaced for the given keys only. */
    static String fill(String text, Map<String, String> values) {
        String out = text;
        for (var v : values.entrySet()) {
            out = out.replace("{{" + v.getKey() + "}}", v.getValue());
        }
        return out;
    }

    private static String prompt(Path dir, String name, Map<String, String> values) throws IOException {
        Path f = dir.resolve("prompts").resolve(name);
        return Files.isRegularFile(f) ? fill(Files.readString(f, StandardCharsets.UTF_8).strip(), values) : null;
    }

    private static ObjectNode object(JsonNode node, String file) throws IOException {
        if (node == null || !node.isObject()) {
            throw new IOException(file + " is not a JSON object");
        }
        return (ObjectNode) node;
    }
}
