package io.tidemill.bench.baseline;

import io.tidemill.connector.nexmark.Bid;
import io.tidemill.connector.nexmark.JsonLine;
import io.tidemill.connector.nexmark.NexmarkEvent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * q11: per bidder, session windows with a 10 s gap; one row per session when it fires.
 *
 * <p>As Flink's event-time session windows: each bid opens {@code [ts, ts + GAP)} and merges with
 * every live session of its bidder that it intersects, touching included ({@code start <= end'
 * && end >= start'}), so bids exactly {@code GAP} apart share a session. A session is
 * {@code [first bid, last bid + GAP)} and fires once the watermark reaches {@code end - 1}. A bid
 * is late only if its merged session would already have fired, i.e. it joins no live session and
 * {@code ts + GAP - 1 <= watermark}; a late bid that touches a live session still merges into it.
 *
 * <p>Sessions are due in a heap by end; extending a session pushes a new entry and leaves the
 * old one stale (recognised because its end no longer matches).
 */
final class Q11UserSessions implements BaselineQuery {

    static final long GAP = 10_000;

    private final RowSink out;
    private final JsonLine row = new JsonLine();
    private final Map<Long, List<Session>> liveByBidder = new HashMap<>();
    private final PriorityQueue<Due> due = new PriorityQueue<>();
    private long late;

    Q11UserSessions(RowSink out) {
        this.out = out;
    }

    @Override
    public void onEvent(NexmarkEvent event, long watermark) {
        if (!(event instanceof Bid b)) {
            return;
        }
        long start = b.dateTime();
        long end = start + GAP;
        List<Session> live = liveByBidder.get(b.bidder());
        Session merged = null;
        long dueEnd = 0;
        if (live != null) {
            for (int i = 0; i < live.size(); i++) {
                Session s = live.get(i);
                if (s.start <= end && s.end >= start) {
                    if (merged == null) {
                        merged = s;
                        dueEnd = s.end;
                    } else {
                        merged.absorb(s.start, s.end, s.bids);
                        s.closed = true;
                        live.remove(i--);
                    }
                }
            }
        }
        if (merged == null) {
            if (EventTimeClock.hasFired(end, watermark)) {
                late++;
                return;
            }
            merged = new Session(b.bidder(), start, end);
            if (live == null) {
                live = new ArrayList<>(1);
                liveByBidder.put(b.bidder(), live);
            }
            live.add(merged);
            due.add(new Due(end, merged));
            return;
        }
        merged.absorb(start, end, 1);
        if (merged.end != dueEnd) {
            due.add(new Due(merged.end, merged));
        }
    }

    @Override
    public void onWatermark(long watermark) {
        while (!due.isEmpty() && EventTimeClock.hasFired(due.peek().end, watermark)) {
            Due next = due.poll();
            Session s = next.session;
            if (s.closed || s.end != next.end) {
                continue; // merged away or extended: a newer entry stands for it
            }
            s.closed = true;
            List<Session> live = liveByBidder.get(s.bidder);
            live.remove(s);
            if (live.isEmpty()) {
                liveByBidder.remove(s.bidder);
            }
            out.emit(row.begin().field("bidder", s.bidder).field("bidCount", s.bids)
                    .field("sessionStart", s.start).field("sessionEnd", s.end).end());
        }
    }

    @Override
    public long late() {
        return late;
    }

    /** A live session of one bidder: {@code [start, end)} with {@code end = last bid + GAP}. */
    private static final class Session {
        final long bidder;
        long start;
        long end;
        long bids;
        boolean closed;

        Session(long bidder, long start, long end) {
            this.bidder = bidder;
            this.start = start;
            this.end = end;
            this.bids = 1;
        }

        void absorb(long otherStart, long otherEnd, long otherBids) {
            start = Math.min(start, otherStart);
            end = Math.max(end, otherEnd);
            bids += otherBids;
        }
    }

    /** A session due to fire at {@code end}, as of when the entry was made. */
    private record Due(long end, Session session) implements Comparable<Due> {
        @Override
        public int compareTo(Due other) {
            return Long.compare(end, other.end);
        }
    }
}
