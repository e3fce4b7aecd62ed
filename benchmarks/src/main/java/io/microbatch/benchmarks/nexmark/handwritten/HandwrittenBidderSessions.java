package io.microbatch.benchmarks.nexmark.handwritten;

import io.microbatch.benchmarks.harness.OutputDigest;
import io.microbatch.benchmarks.nexmark.generator.ElementGenerator;
import io.microbatch.benchmarks.nexmark.model.Bid;
import io.microbatch.benchmarks.nexmark.model.BidderSession;
import io.microbatch.benchmarks.nexmark.model.Event;
import io.microbatch.benchmarks.nexmark.queries.BidderSessions;
import java.util.HashMap;
import java.util.Map;

/**
 * Query 11 by hand: events arrive in time order, so one open session per bidder suffices; a bid at
 * or after the session's end ({@code last bid + gap}) closes it, as Beam's session merging does.
 */
public final class HandwrittenBidderSessions implements HandwrittenQuery<Event, BidderSession> {
  private static final class Session {
    long start;
    long end;
    long bids;
  }

  @Override
  public void run(ElementGenerator<Event> generator, int threads, OutputDigest out) {
    Map<Long, Session> open = new HashMap<>();
    long count = generator.config().count();
    for (long i = 0; i < count; i++) {
      Bid bid = generator.element(i).bid();
      if (bid == null) {
        continue;
      }
      long t = bid.dateTime();
      Session s = open.get(bid.bidder());
      if (s != null && t >= s.end) {
        out.add(new BidderSession(bid.bidder(), s.bids, s.start, s.end));
        s = null;
      }
      if (s == null) {
        s = new Session();
        s.start = t;
        open.put(bid.bidder(), s);
      }
      s.end = Math.max(s.end, t + BidderSessions.GAP_MILLIS);
      s.bids++;
    }
    open.forEach((bidder, s) -> out.add(new BidderSession(bidder, s.bids, s.start, s.end)));
  }
}
