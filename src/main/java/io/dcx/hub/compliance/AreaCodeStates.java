package io.dcx.hub.compliance;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The US state (or territory) of a North American number, from its area code: the table
 * {@code compliance/nanp-area-codes.csv} (generated from libphonenumber's geocoding data) plus configured overrides.
 * A number's area code says where the line was issued, not where its owner is now; that is the usual proxy the
 * state calling-hour laws are applied with when no address is known.
 */
public final class AreaCodeStates {

    static final String RESOURCE = "compliance/nanp-area-codes.csv";
    private final Map<String, String> byAreaCode;

    public AreaCodeStates(Map<String, String> byAreaCode) {
        this.byAreaCode = Map.copyOf(byAreaCode);
    }

    /** The bundled table with {@code overrides} (area code → USPS code) applied on top. */
    public static AreaCodeStates bundled(Map<String, String> overrides) {
        Map<String, String> table = new HashMap<>();
        try (InputStream in = AreaCodeStates.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the classpath");
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            String line;
            while ((line = reader.readLine()) != null) {
                line = line.trim();
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                String[] cells = line.split(",");
                table.put(cells[0].trim(), cells[1].trim().toUpperCase(Locale.ROOT));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (overrides != null) {
            overrides.forEach((npa, state) -> table.put(npa.trim(), state.trim().toUpperCase(Locale.ROOT)));
        }
        return new AreaCodeStates(table);
    }

    /** The state of an E.164 number of the North American plan ({@code +1NPA…}); empty for others and unknown codes. */
    public Optional<String> stateOf(String e164) {
        if (e164 == null || !e164.startsWith("+1") || e164.length() != 12) {
            return Optional.empty();
        }
        return Optional.ofNullable(byAreaCode.get(e164.substring(2, 5)));
    }
}
