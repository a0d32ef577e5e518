package dev.chainrule.graph;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Limits of {@code POST /v1/graph} beside the service's own (body size, multiply-adds, numbers in an answer), each
 * settable as a property ({@code chainrule.graph.max-nodes}) or an environment variable
 * ({@code CHAINRULE_GRAPH_MAX_NODES}).
 *
 * @param maxExpressionChars characters of {@code expression} (default 100,000)
 * @param maxNodes           nodes of the graph: names, numbers and operations (default 2,000)
 * @param maxDepth           nesting of parentheses, unary minus, exponents and calls (default 100)
 */
@ConfigurationProperties("chainrule.graph")
public record GraphProperties(Integer maxExpressionChars, Integer maxNodes, Integer maxDepth) {

    public GraphProperties {
        maxExpressionChars = maxExpressionChars == null ? 100_000 : maxExpressionChars;
        maxNodes = maxNodes == null ? 2_000 : maxNodes;
        maxDepth = maxDepth == null ? 100 : maxDepth;
    }

    public static GraphProperties defaults() {
        return new GraphProperties(null, null, null);
    }
}
