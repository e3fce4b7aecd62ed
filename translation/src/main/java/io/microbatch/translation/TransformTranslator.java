package io.microbatch.translation;

import org.apache.beam.sdk.runners.AppliedPTransform;

/** Turns one kind of Beam transform (one URN) into steps of the engine graph. */
public interface TransformTranslator {

  void translate(AppliedPTransform<?, ?, ?> transform, TranslationContext context);

  /** For composites: whether this instance can be translated whole instead of expanded. */
  default boolean canTranslate(AppliedPTransform<?, ?, ?> transform, TranslationContext context) {
    return true;
  }
}
