package io.dcx.hub.resource;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An admin API resource backed by one table: its fields, filters, unique constraints and the checks the contract
 * cannot express. {@code id}, {@code created_at} and {@code updated_at} are implied.
 *
 * @param singular  operation name part, e.g. "Supplier" → createSupplier, getSupplier, updateSupplier
 * @param plural    e.g. "Suppliers" → listSuppliers
 * @param filters   field names that may be used as list query parameters
 * @param uniqueConstraints constraint or index name → the field to name in the 409 answer
 */
public record ResourceDefinition(
        String singular,
        String plural,
        String table,
        List<Field> fields,
        List<String> filters,
        Map<String, String> uniqueConstraints,
        Rules rules) {

    /** A reference target: the table and how the resource is called in messages. */
    public record Ref(String table, String label) {}

    /** Checks on the whole resource after create input or a merged patch, beyond what the schema says. */
    @FunctionalInterface
    public interface Rules {
        void check(ObjectNode resource);

        Rules NONE = resource -> {};
    }

    public ResourceDefinition {
        List<Field> all = new ArrayList<>();
        all.add(Field.readOnly("id", Field.Type.UUID));
        all.addAll(fields);
        all.add(Field.readOnly("created_at", Field.Type.TIMESTAMP));
        all.add(Field.readOnly("updated_at", Field.Type.TIMESTAMP));
        fields = List.copyOf(all);
        filters = List.copyOf(filters);
        uniqueConstraints = Map.copyOf(uniqueConstraints);
    }

    public Optional<Field> field(String name) {
        return fields.stream().filter(f -> f.name().equals(name)).findFirst();
    }

    public String label() {
        return singular.toLowerCase();
    }
}
