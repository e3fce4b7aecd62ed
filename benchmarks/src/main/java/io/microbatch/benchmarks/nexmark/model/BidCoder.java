package io.microbatch.benchmarks.nexmark.model;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.util.VarInt;

/** Compact binary coder for {@link Bid}: four varints. */
public final class BidCoder extends AtomicCoder<Bid> {
  private static final BidCoder INSTANCE = new BidCoder();

  public static BidCoder of() {
    return INSTANCE;
  }

  @Override
  public void encode(Bid b, OutputStream out) throws IOException {
    VarInt.encode(b.auction(), out);
    VarInt.encode(b.bidder(), out);
    VarInt.encode(b.price(), out);
    VarInt.encode(b.dateTime(), out);
  }

  @Override
  public Bid decode(InputStream in) throws IOException {
    return new Bid(
        VarInt.decodeLong(in), VarInt.decodeLong(in), VarInt.decodeLong(in), VarInt.decodeLong(in));
  }

  @Override
  public void verifyDeterministic() {}
}
