package io.microbatch.translation;

import io.microbatch.translation.translators.BoundedReadTranslator;
import io.microbatch.translation.translators.CombinePerKeyTranslator;
import io.microbatch.translation.translators.CreateViewTranslator;
import io.microbatch.translation.translators.FlattenTranslator;
import io.microbatch.translation.translators.GroupByKeyTranslator;
import io.microbatch.translation.translators.ImpulseTranslator;
import io.microbatch.translation.translators.ParDoTranslator;
import io.microbatch.translation.translators.SplittableProcessTranslator;
import io.microbatch.translation.translators.TestStreamTranslator;
import io.microbatch.translation.translators.WindowAssignTranslator;
import java.util.HashMap;
import java.util.Map;
import org.apache.beam.sdk.util.construction.PTransformTranslation;

/** The one place that says which transform URNs the runner translates, and with what. */
public final class TranslatorRegistry {
  private final Map<String, TransformTranslator> primitives = new HashMap<>();
  private final Map<String, TransformTranslator> composites = new HashMap<>();

  /** The translators of this runner. */
  public static TranslatorRegistry standard() {
    TranslatorRegistry registry = new TranslatorRegistry();
    registry.primitives.put(PTransformTranslation.IMPULSE_TRANSFORM_URN, new ImpulseTranslator());
    registry.primitives.put(PTransformTranslation.READ_TRANSFORM_URN, new BoundedReadTranslator());
    registry.primitives.put(PTransformTranslation.PAR_DO_TRANSFORM_URN, new ParDoTranslator());
    registry.primitives.put(
        PTransformTranslation.GROUP_BY_KEY_TRANSFORM_URN, new GroupByKeyTranslator());
    registry.primitives.put(PTransformTranslation.FLATTEN_TRANSFORM_URN, new FlattenTranslator());
    registry.primitives.put(
        PTransformTranslation.ASSIGN_WINDOWS_TRANSFORM_URN, new WindowAssignTranslator());
    registry.primitives.put(
        PTransformTranslation.CREATE_VIEW_TRANSFORM_URN, new CreateViewTranslator());
    registry.primitives.put(
        PTransformTranslation.SPLITTABLE_PROCESS_KEYED_URN, new SplittableProcessTranslator());
    registry.primitives.put(
        PTransformTranslation.TEST_STREAM_TRANSFORM_URN, new TestStreamTranslator());
    registry.registerComposite(
        PTransformTranslation.COMBINE_PER_KEY_TRANSFORM_URN, new CombinePerKeyTranslator());
    return registry;
  }

  /** The translator of a primitive, or null if the runner does not support it. */
  public TransformTranslator primitive(String urn) {
    return urn == null ? null : primitives.get(urn);
  }

  /** A translator that takes a composite whole instead of its expansion, or null. */
  public TransformTranslator composite(String urn) {
    return urn == null ? null : composites.get(urn);
  }

  void registerComposite(String urn, TransformTranslator translator) {
    composites.put(urn, translator);
  }
}
