package io.tidemill.task;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The watermark alignment groups ({@code WatermarkStrategy.withWatermarkAlignment}) of the source
 * subtasks one task builder built: one execution on one node. Each source subtask of a group is a
 * member that publishes its watermark (the maximum while it has no active split, so idle and
 * finished sources do not hold the group back); the group's slowest is the minimum over its members.
 * A member starts at the minimum watermark, so until every member has read, nobody runs ahead.
 * Members publish from their worker threads and read the others' with plain volatile reads.
 */
final class WatermarkAlignment {
    private final Map<String, Group> groups = new HashMap<>();

    /** A new member of {@code group}; called while building tasks, before any runs. */
    synchronized Member join(String group) {
        return groups.computeIfAbsent(group, g -> new Group()).join();
    }

    /** The source subtasks aligned with each other. */
    static final class Group {
        private final List<AtomicLong> members = new CopyOnWriteArrayList<>();

        Member join() {
            AtomicLong watermark = new AtomicLong(Long.MIN_VALUE);
            members.add(watermark);
            return new Member(this, watermark);
        }

        /** The smallest watermark a member published. */
        long slowest() {
            long min = Long.MAX_VALUE;
            for (AtomicLong m : members) {
                min = Math.min(min, m.get());
            }
            return min;
        }
    }

    /** One source subtask of a group. */
    record Member(Group group, AtomicLong watermark) {
        void publish(long wm) {
            watermark.lazySet(wm);
        }
    }
}
