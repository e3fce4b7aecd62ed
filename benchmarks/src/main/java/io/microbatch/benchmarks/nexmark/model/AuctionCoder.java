package io.microbatch.benchmarks.nexmark.model;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.util.VarInt;

/** Compact binary coder for {@link Auction}. */
public final class AuctionCoder extends AtomicCoder<Auction> {
  private static final AuctionCoder INSTANCE = new AuctionCoder();
  private static final StringUtf8Coder STRING = StringUtf8Coder.of();

  public static AuctionCoder of() {
    return INSTANCE;
  }

  @Override
  public void encode(Auction a, OutputStream out) throws IOException {
    VarInt.encode(a.id(), out);
    STRING.encode(a.itemName(), out);
    VarInt.encode(a.initialBid(), out);
    VarInt.encode(a.reserve(), out);
    VarInt.encode(a.dateTime(), out);
    VarInt.encode(a.expires(), out);
    VarInt.encode(a.seller(), out);
    VarInt.encode(a.category(), out);
  }

  @Override
  public Auction decode(InputStream in) throws IOException {
    return new Auction(
        VarInt.decodeLong(in),
        STRING.decode(in),
        VarInt.decodeLong(in),
        VarInt.decodeLong(in),
        VarInt.decodeLong(in),
        VarInt.decodeLong(in),
        VarInt.decodeLong(in),
        VarInt.decodeInt(in));
  }

  @Override
  public void verifyDeterministic() {}
}
