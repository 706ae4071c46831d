package io.tidemill.api.function;

import java.util.function.Supplier;

/**
 * The base of the functions with a life cycle ({@link KeyedProcessFunction}, window, join and
 * co-process functions): {@link #open} before the first record, {@link #close} after the last.
 *
 * <p><b>Every subtask runs its own instance.</b> Subtasks run on different threads (and, in a
 * cluster, in different JVMs), so an instance is never shared: fields such as a counter or the
 * subtask index kept in {@code open} belong to one subtask. An operator given an instance runs a
 * {@link #copy()} of it in each subtask: by default a field-by-field (shallow) copy made without
 * calling a constructor and without Java serialization. Primitive and immutable fields are then
 * per subtask; objects created in the constructor (a {@code HashMap} field, say) would be shared, so
 * create them in {@code open}, override {@code copy()} to copy them, or give the operator a
 * {@link Supplier} instead ({@code keyed.process(MyFunction::new)}), which it calls once per subtask.
 */
public abstract class RichFunction implements Cloneable {
    /** Called once per subtask before any record; get state handles here. */
    public void open(RuntimeContext ctx) throws Exception {}

    /** Called once per subtask after the last record and timer (also when the job fails). */
    public void close() throws Exception {}

    /**
     * The instance one subtask runs: a shallow copy of this one (see the class comment). Override to
     * copy mutable objects this function creates before {@code open}; call {@code super.copy()}.
     */
    protected RichFunction copy() {
        try {
            return (RichFunction) super.clone();
        } catch (CloneNotSupportedException e) {
            throw new AssertionError("RichFunction is Cloneable", e);
        }
    }

    /**
     * The engine's way to give a subtask its instance of {@code function}: a {@link #copy()} for a
     * rich function, the function itself for a stateless functional interface (map, filter, key
     * selector, aggregate: these must not keep mutable fields).
     */
    @SuppressWarnings("unchecked")
    public static <F> F forSubtask(F function) {
        if (function instanceof RichFunction r) {
            RichFunction copy = r.copy();
            if (copy == null || copy.getClass() != r.getClass()) {
                throw new IllegalStateException(r.getClass().getName() + ".copy() must return an instance of its "
                        + "own class, got " + (copy == null ? "null" : copy.getClass().getName()));
            }
            return (F) copy;
        }
        return function;
    }

    /** A supplier giving each subtask its own copy of {@code function}. */
    public static <F> Supplier<F> perSubtask(F function) {
        return () -> forSubtask(function);
    }
}
