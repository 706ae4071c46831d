package io.tidemill.window;

import io.tidemill.api.OutputTag;
import io.tidemill.operator.OperatorContext;
import io.tidemill.operator.Output;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a window operator does with an element late for all its windows: sends it to a side output,
 * or counts it as dropped. In the merging step of a two-phase window, whose elements are
 * {@link WindowPartial}s, what goes to the side output is the record a partial carries, with its own
 * timestamp.
 *
 * @param <IN> the operator's element type
 */
public final class LateRecords<IN> {
    private static final Logger LOG = LoggerFactory.getLogger(LateRecords.class);
    private static final LateRecords<Object> DROPPED = new LateRecords<>(null, false);

    private final OutputTag<Object> tag;
    private final boolean partials;

    @SuppressWarnings("unchecked")
    private LateRecords(OutputTag<?> tag, boolean partials) {
        this.tag = (OutputTag<Object>) tag;
        this.partials = partials;
    }

    /** Late elements go to {@code tag}; counted as dropped when {@code tag} is null. */
    @SuppressWarnings("unchecked")
    public static <IN> LateRecords<IN> to(OutputTag<IN> tag) {
        return tag == null ? (LateRecords<IN>) DROPPED : new LateRecords<>(tag, false);
    }

    /**
     * For the merging step of a two-phase window: the record a late partial carries goes to
     * {@code tag}. A partial without one is counted as dropped.
     */
    public static <IN> LateRecords<IN> ofPartials(OutputTag<?> tag) {
        return new LateRecords<>(tag, true);
    }

    /**
     * An element none of whose windows fits in a long (its timestamp is within a window's length of
     * the ends of the range): handled as late, with a warning naming the reason the first time
     * ({@code warned} false). Returns true, for the caller's "warned" flag.
     */
    boolean handleUnassignable(IN element, long timestamp, WindowAssigner assigner, Output<?> out,
                               OperatorContext ctx, boolean warned) {
        if (!warned) {
            LOG.warn("operator '{}' subtask {}: a record's timestamp {} has no {} window that fits in a long; it is "
                            + "handled as a late record ({}); later ones are not logged", ctx.operatorName(),
                    ctx.subtaskIndex(), timestamp, assigner, tag == null ? "counted as dropped"
                            : "sent to the late side output '" + tag.id() + "'");
        }
        handle(element, timestamp, out, ctx);
        return true;
    }

    void handle(IN element, long timestamp, Output<?> out, OperatorContext ctx) {
        WindowPartial.Late late;
        if (tag == null) {
            ctx.countLateRecord();
        } else if (!partials) {
            out.emitSide(tag, element, timestamp);
            ctx.countLateRecordToSideOutput();
        } else if ((late = ((WindowPartial<?, ?>) element).late()) != null) {
            out.emitSide(tag, late.record(), late.timestamp());
            ctx.countLateRecordToSideOutput();
        } else {
            ctx.countLateRecord();
        }
    }
}
