package io.microbatch.benchmarks.nexmark.model;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.util.VarInt;

/** Compact binary coder for {@link Person}: varints and length-prefixed UTF-8. */
public final class PersonCoder extends AtomicCoder<Person> {
  private static final PersonCoder INSTANCE = new PersonCoder();
  private static final StringUtf8Coder STRING = StringUtf8Coder.of();

  public static PersonCoder of() {
    return INSTANCE;
  }

  @Override
  public void encode(Person p, OutputStream out) throws IOException {
    VarInt.encode(p.id(), out);
    STRING.encode(p.name(), out);
    STRING.encode(p.email(), out);
    STRING.encode(p.city(), out);
    STRING.encode(p.state(), out);
    VarInt.encode(p.dateTime(), out);
  }

  @Override
  public Person decode(InputStream in) throws IOException {
    return new Person(
        VarInt.decodeLong(in),
        STRING.decode(in),
        STRING.decode(in),
        STRING.decode(in),
        STRING.decode(in),
        VarInt.decodeLong(in));
  }

  @Override
  public void verifyDeterministic() {}
}
