package io.microbatch.benchmarks.nexmark.generator;

import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.StringUtf8Coder;

/**
 * Lines of generated text for WordCount: 6 to 14 words per line from a 20,000-word vocabulary with
 * a skewed (roughly Zipf-like) frequency, words separated by single spaces.
 */
public final class TextGenerator implements ElementGenerator<String> {
  static final int VOCABULARY_SIZE = 20_000;
  private static final String[] SYLLABLES = {
    "ka", "lo", "mi", "re", "tu", "sa", "ne", "po", "di", "ga", "fe", "zu", "ri", "bo", "te", "an"
  };
  private static final String[] VOCABULARY = new String[VOCABULARY_SIZE];

  static {
    for (int w = 0; w < VOCABULARY_SIZE; w++) {
      StringBuilder word = new StringBuilder();
      int n = w;
      do {
        word.append(SYLLABLES[n % SYLLABLES.length]);
        n /= SYLLABLES.length;
      } while (n > 0);
      VOCABULARY[w] = word.toString();
    }
  }

  private final GeneratorConfig config;
  private transient SeededRandom random;
  private transient StringBuilder line;

  public TextGenerator(GeneratorConfig config) {
    this.config = config;
  }

  @Override
  public GeneratorConfig config() {
    return config;
  }

  @Override
  public Coder<String> coder() {
    return StringUtf8Coder.of();
  }

  @Override
  public TextGenerator copy() {
    return new TextGenerator(config);
  }

  @Override
  public String element(long index) {
    if (random == null) {
      random = new SeededRandom();
      line = new StringBuilder(128);
    }
    random.reset(config.seed(), index);
    line.setLength(0);
    int words = 6 + random.nextInt(9);
    for (int i = 0; i < words; i++) {
      if (i > 0) {
        line.append(' ');
      }
      double u = (random.nextLong() >>> 11) * 0x1.0p-53;
      line.append(VOCABULARY[(int) (VOCABULARY_SIZE * u * u * u)]);
    }
    return line.toString();
  }
}
