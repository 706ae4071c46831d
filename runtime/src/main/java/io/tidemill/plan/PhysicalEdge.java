package io.tidemill.plan;

import io.tidemill.api.OutputTag;
import io.tidemill.graph.Node;
import io.tidemill.graph.Partitioning;

/**
 * A resolved edge between two real nodes (virtual union, side-output and partition nodes folded in).
 *
 * @param tag the side output it carries, or null for the main output
 */
public record PhysicalEdge(Node from, Node to, OutputTag<?> tag, Partitioning partitioning) {}
