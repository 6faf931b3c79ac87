package dev.docsearch.core.chunk;

import dev.docsearch.core.model.Chunk;
import dev.docsearch.core.model.Page;

import java.text.BreakIterator;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Cuts pages into section-aware chunks of a bounded number of tokens.
 *
 * <p>A chunk never crosses a section boundary, except that a section shorter than
 * {@link ChunkingParameters#minTokens()} is folded (with its heading) into the previous chunk of the page
 * when that stays within bounds; otherwise tiny sections become chunks of their own. Within a section,
 * paragraphs are packed greedily; a paragraph too long for one chunk is split at sentences, and a sentence
 * too long at words. Consecutive chunks of one section share about {@link ChunkingParameters#overlapTokens()}
 * tokens so a passage cut in two is still found whole in one of them.
 *
 * <p>Thread-safe if the {@link TokenCounter} is.
 */
public final class Chunker {

    /**
     * Names this cutting algorithm. Change it with any change to how chunks come out, so that builds stop
     * reusing chunks an earlier version cut.
     */
    public static final String ALGORITHM = "sections-v1";

    private final ChunkingParameters params;
    private final TokenCounter tokens;

    public Chunker(ChunkingParameters params, TokenCounter tokens) {
        this.params = Objects.requireNonNull(params, "params");
        this.tokens = Objects.requireNonNull(tokens, "tokens");
    }

    public ChunkingParameters parameters() {
        return params;
    }

    /** The page's chunks in document order, with ids {@code <pageId>#0}, {@code #1}, ... */
    public List<Chunk> chunk(Page page) {
        List<Draft> drafts = new ArrayList<>();
        for (Page.Section section : page.sections()) {
            List<Unit> units = units(section.text());
            if (units.isEmpty()) {
                continue;
            }
            int sectionTokens = units.stream().mapToInt(Unit::tokens).sum();
            if (sectionTokens < params.minTokens() && !drafts.isEmpty() && !section.headingPath().isEmpty()) {
                Draft last = drafts.get(drafts.size() - 1);
                String heading = section.headingPath().get(section.headingPath().size() - 1);
                int extra = sectionTokens + tokens.count(heading);
                if (last.tokens + extra <= params.maxTokens()) {
                    last.text.append("\n\n").append(heading).append('\n').append(join(units));
                    last.tokens += extra;
                    continue;
                }
            }
            for (List<Unit> window : pack(units)) {
                drafts.add(new Draft(section.headingPath(), section.anchor(), join(window),
                        window.stream().mapToInt(Unit::tokens).sum()));
            }
        }
        List<Chunk> chunks = new ArrayList<>(drafts.size());
        for (Draft d : drafts) {
            chunks.add(new Chunk(page.id() + "#" + chunks.size(), page.id(), page.url(), page.title(), page.guide(),
                    d.headingPath, d.text.toString(), d.anchor));
        }
        return chunks;
    }

    /** Greedy packing of units into windows of at most maxTokens, each starting with the previous one's tail. */
    private List<List<Unit>> pack(List<Unit> units) {
        List<List<Unit>> windows = new ArrayList<>();
        List<Unit> current = new ArrayList<>();
        int currentTokens = 0;
        int fresh = 0; // units in current that are not overlap from the previous window
        for (Unit unit : units) {
            if (currentTokens + unit.tokens() > params.maxTokens() && fresh > 0) {
                windows.add(current);
                List<Unit> tail = new ArrayList<>();
                int tailTokens = 0;
                for (int i = current.size() - 1; i >= 0; i--) {
                    Unit u = current.get(i);
                    if (tailTokens + u.tokens() > params.overlapTokens()
                            || tailTokens + u.tokens() + unit.tokens() > params.maxTokens()) {
                        break;
                    }
                    tail.add(0, u);
                    tailTokens += u.tokens();
                }
                if (tail.isEmpty() && params.overlapTokens() > 0) {
                    Unit fragment = trailingWords(current.get(current.size() - 1), params.overlapTokens(),
                            params.maxTokens() - unit.tokens());
                    if (fragment != null) {
                        tail.add(fragment);
                        tailTokens = fragment.tokens();
                    }
                }
                current = tail;
                currentTokens = tailTokens;
                fresh = 0;
            }
            current.add(unit);
            currentTokens += unit.tokens();
            fresh++;
        }
        if (fresh > 0) {
            windows.add(current);
        }
        return windows;
    }

    /**
     * The last words of a unit worth at most {@code budget} tokens (and at most {@code room}), for overlap
     * when whole units are too big to repeat; null when not even one word fits.
     */
    private Unit trailingWords(Unit unit, int budget, int room) {
        String[] words = unit.text().split("\\s+");
        int limit = Math.min(budget, room);
        int tokensSoFar = 0;
        int first = words.length;
        while (first > 0) {
            int t = Math.max(1, tokens.count(words[first - 1]));
            if (tokensSoFar + t > limit) {
                break;
            }
            tokensSoFar += t;
            first--;
        }
        if (first == words.length || first == 0) {
            return null; // nothing fits, or the whole unit would be repeated (then it was too big anyway)
        }
        return new Unit(String.join(" ", java.util.Arrays.asList(words).subList(first, words.length)), tokensSoFar, true);
    }

    /** Paragraphs, or sentences of over-long paragraphs, or word runs of over-long sentences. */
    private List<Unit> units(String text) {
        List<Unit> out = new ArrayList<>();
        for (String paragraph : text.split("\\n\\s*\\n")) {
            String p = paragraph.strip();
            if (p.isEmpty()) {
                continue;
            }
            int n = tokens.count(p);
            if (n <= params.maxTokens()) {
                out.add(new Unit(p, n, true));
                continue;
            }
            boolean first = true;
            for (String sentence : sentences(p)) {
                int m = tokens.count(sentence);
                if (m <= params.maxTokens()) {
                    out.add(new Unit(sentence, m, first));
                } else {
                    for (Unit words : wordRuns(sentence)) {
                        out.add(new Unit(words.text(), words.tokens(), first));
                        first = false;
                    }
                }
                first = false;
            }
        }
        return out;
    }

    private static List<String> sentences(String paragraph) {
        BreakIterator it = BreakIterator.getSentenceInstance(Locale.ENGLISH);
        it.setText(paragraph);
        List<String> out = new ArrayList<>();
        int start = it.first();
        for (int end = it.next(); end != BreakIterator.DONE; start = end, end = it.next()) {
            String s = paragraph.substring(start, end).strip();
            if (!s.isEmpty()) {
                out.add(s);
            }
        }
        return out;
    }

    private List<Unit> wordRuns(String sentence) {
        String[] words = sentence.split("\\s+");
        List<Unit> out = new ArrayList<>();
        StringBuilder run = new StringBuilder();
        int runTokens = 0;
        int budget = Math.max(8, params.maxTokens() / 2);
        for (String w : words) {
            int wt = Math.max(1, tokens.count(w));
            if (runTokens + wt > budget && run.length() > 0) {
                out.add(new Unit(run.toString(), runTokens, false));
                run.setLength(0);
                runTokens = 0;
            }
            if (run.length() > 0) {
                run.append(' ');
            }
            run.append(w);
            runTokens += wt;
        }
        if (run.length() > 0) {
            out.add(new Unit(run.toString(), runTokens, false));
        }
        return out;
    }

    /** Paragraph units are joined by blank lines, sentence and word units of one paragraph by spaces. */
    private static String join(List<Unit> units) {
        StringBuilder sb = new StringBuilder();
        for (Unit u : units) {
            if (sb.length() > 0) {
                sb.append(u.startsParagraph() ? "\n\n" : " ");
            }
            sb.append(u.text());
        }
        return sb.toString();
    }

    private record Unit(String text, int tokens, boolean startsParagraph) {
    }

    private static final class Draft {
        final List<String> headingPath;
        final String anchor;
        final StringBuilder text;
        int tokens;

        Draft(List<String> headingPath, String anchor, String text, int tokens) {
            this.headingPath = headingPath;
            this.anchor = anchor;
            this.text = new StringBuilder(text);
            this.tokens = tokens;
        }
    }
}
