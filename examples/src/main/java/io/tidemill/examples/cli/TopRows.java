package io.tidemill.examples.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tidemill.examples.nexmark.Q11UserSessions;
import io.tidemill.examples.nexmark.Q5HotItems;
import io.tidemill.examples.nexmark.Q7HighestBid;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * The result rows {@code tidemill nexmark --generator} prints without {@code --output}: the top
 * {@code n} by the query's ranking where it has one, else the first {@code n} to arrive; as JSON lines,
 * the JSON the file sink writes.
 *
 * <p>Each sink subtask keeps its own candidates in a {@link Keeper} (no lock per row) and hands them
 * over when its input ends; the merged top {@code n} of all subtasks is the top {@code n} overall.
 */
final class TopRows {
    /** As {@code JsonLinesFileSink} configures its mapper, so a printed row is a line of an output file. */
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** How a query's rows rank: best first; ties fall back to the rows' text so a run prints the same rows. */
    record Ranking(String description, Comparator<Object> best) {
        String describe() {
            return description;
        }
    }

    private final int n;
    private final Ranking ranking;
    /** Candidates handed over by finished keepers; guarded by {@code this}. */
    private final List<Object> merged = new ArrayList<>();

    TopRows(int n, Ranking ranking) {
        this.n = n;
        this.ranking = ranking;
    }

    /** The ranking of {@code query}'s rows, or null if it has none (its rows are shown as they arrive). */
    static Ranking rankingOf(String query) {
        return switch (query) {
            case "q5" -> ranking("most bids first", Q5HotItems.Row.class,
                    Comparator.comparingLong(Q5HotItems.Row::num).reversed());
            case "q7" -> ranking("highest price first", Q7HighestBid.Row.class,
                    Comparator.comparingLong(Q7HighestBid.Row::price).reversed());
            case "q11" -> ranking("most bids in a session first", Q11UserSessions.Row.class,
                    Comparator.comparingLong(Q11UserSessions.Row::bidCount).reversed());
            default -> null;
        };
    }

    private static <R> Ranking ranking(String description, Class<R> type, Comparator<R> byValue) {
        Comparator<Object> best = Comparator.comparing(type::cast, byValue);
        return new Ranking(description, best.thenComparing(String::valueOf));
    }

    /** A keeper for one sink subtask; not thread-safe, as a subtask writes from one thread at a time. */
    Keeper keeper() {
        return new Keeper();
    }

    /** The rows to show, best first (or in arrival order), as JSON lines. */
    synchronized List<String> rows() {
        List<Object> rows = new ArrayList<>(merged);
        if (ranking != null) {
            rows.sort(ranking.best());
        }
        List<String> lines = new ArrayList<>();
        for (Object row : rows.subList(0, Math.min(n, rows.size()))) {
            lines.add(json(row));
        }
        return lines;
    }

    private synchronized void handOver(List<Object> candidates) {
        if (ranking == null) {
            // Arrival order across subtasks: whichever finished first comes first, up to n.
            merged.addAll(candidates.subList(0, Math.min(candidates.size(), n - Math.min(n, merged.size()))));
        } else {
            merged.addAll(candidates);
        }
    }

    private static String json(Object row) {
        try {
            return MAPPER.writeValueAsString(row);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("result row " + row + " cannot be written as JSON: "
                    + e.getOriginalMessage(), e);
        }
    }

    /** One subtask's candidates: a bounded heap whose head is the worst kept row, or the first rows. */
    final class Keeper {
        private final PriorityQueue<Object> worstFirst = ranking == null ? null
                : new PriorityQueue<>(Math.max(1, n), ranking.best().reversed());
        private final List<Object> first = new ArrayList<>();

        void offer(Object row) {
            if (n == 0) {
                return;
            }
            if (worstFirst == null) {
                if (first.size() < n) {
                    first.add(row);
                }
            } else if (worstFirst.size() < n) {
                worstFirst.add(row);
            } else if (ranking.best().compare(row, worstFirst.peek()) < 0) {
                worstFirst.poll();
                worstFirst.add(row);
            }
        }

        /** Hands the candidates to the {@link TopRows} when the subtask's input has ended. */
        void flush() {
            handOver(worstFirst == null ? first : new ArrayList<>(worstFirst));
        }
    }
}
