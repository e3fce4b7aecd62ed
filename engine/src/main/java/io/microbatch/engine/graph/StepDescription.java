package io.microbatch.engine.graph;

import java.util.List;

/**
 * What a checkpoint must match to be reused: a step's name, its kind and the coders of what it
 * produces. A changed name, kind or coder means state or offsets written by the old pipeline cannot
 * be read back safely.
 *
 * @param name the user-visible step name
 * @param kind the kind of step (source, element, keyed, union, view) and its operator
 * @param outputCoders each output dataset's coder, described; {@code unknown} when it has none
 */
public record StepDescription(String name, String kind, List<String> outputCoders) {}
