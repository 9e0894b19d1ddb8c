package io.dcx.hub.recordings;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The summary used when no chat model is configured (or it fails): the transcript's most representative sentences,
 * deterministic. Sentences are scored by how often their content words occur in the whole transcript (stop words
 * ignored, long sentences normalised); the best {@link #MAX_SENTENCES} are kept in their original order. Never empty.
 */
public final class ExtractiveSummary {

    static final int MAX_SENTENCES = 3;
    static final int MAX_CHARS = 600;
    static final String NOTHING = "No speech was transcribed.";
    private static final Pattern SENTENCE_END = Pattern.compile("(?<=[.!?])\\s+");
    private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{N}']+");
    private static final Set<String> STOP = Set.of("a", "an", "and", "are", "as", "at", "be", "but", "by", "can", "do",
            "for", "from", "have", "he", "her", "his", "how", "i", "if", "in", "is", "it", "its", "i'm", "me", "my", "no",
            "not", "of", "on", "or", "our", "she", "so", "that", "the", "their", "them", "there", "they", "this", "to",
            "uh", "um", "was", "we", "were", "what", "when", "which", "who", "will", "with", "would", "yes", "you",
            "your", "okay", "ok", "yeah", "just", "like", "oh", "well", "hi", "hello", "bye", "thanks", "thank");

    private ExtractiveSummary() {}

    public static String of(String transcript) {
        String text = transcript == null ? "" : transcript.strip().replaceAll("\\s+", " ");
        if (text.isEmpty()) {
            return NOTHING;
        }
        List<String> sentences = new ArrayList<>();
        for (String s : SENTENCE_END.split(text)) {
            if (!s.isBlank()) {
                sentences.add(s.strip());
            }
        }
        Map<String, Integer> frequency = new HashMap<>();
        for (String s : sentences) {
            for (String w : words(s)) {
                frequency.merge(w, 1, Integer::sum);
            }
        }
        record Scored(int index, double score) {}
        List<Scored> scored = new ArrayList<>();
        for (int i = 0; i < sentences.size(); i++) {
            List<String> words = words(sentences.get(i));
            double sum = words.stream().mapToInt(w -> frequency.getOrDefault(w, 0)).sum();
            scored.add(new Scored(i, words.isEmpty() ? 0 : sum / Math.sqrt(words.size())));
        }
        List<Integer> chosen = scored.stream()
                .sorted(Comparator.comparingDouble(Scored::score).reversed().thenComparingInt(Scored::index))
                .limit(MAX_SENTENCES)
                .map(Scored::index)
                .sorted()
                .toList();
        StringBuilder out = new StringBuilder();
        for (int i : chosen) {
            String s = sentences.get(i);
            if (out.length() > 0 && out.length() + 1 + s.length() > MAX_CHARS) {
                break;
            }
            out.append(out.length() == 0 ? "" : " ").append(s);
        }
        return out.length() > MAX_CHARS ? out.substring(0, MAX_CHARS - 1).strip() + "…" : out.toString();
    }

    private static List<String> words(String sentence) {
        List<String> out = new ArrayList<>();
        var m = WORD.matcher(sentence.toLowerCase(Locale.ROOT));
        while (m.find()) {
            String w = m.group();
            if (!STOP.contains(w) && w.length() > 1) {
                out.add(w);
            }
        }
        return out;
    }
}
