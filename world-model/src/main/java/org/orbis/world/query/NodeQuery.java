package org.orbis.world.query;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.orbis.world.graph.DeviceState;
import org.orbis.world.graph.NodeKey;

/**
 * A parsed query. The syntax is clauses joined by {@code and}:
 *
 * <pre>
 *   path=*&#47;3303/*&#47;5700            resources matching an LwM2M path pattern on any device (see {@link PathPattern})
 *   within 2 of zone/hq/floor-2     nodes reachable from a node in at most 2 hops (1..10); add
 *                                   "via in,partOf" to follow only those edge kinds, "inbound" or "outbound"
 *                                   to follow edges one way (default: both ways)
 *   state=online|sleeping           devices in one of these states (online, sleeping, offline, never)
 *   endpoint=sensor-*               devices whose endpoint matches (* is a wildcard)
 *   lwm2m=1.1  binding=UQ  queue=true   devices by registration attributes
 *   kind=zone|device                nodes of these kinds (device, or an entity kind)
 *   attr.floor=2                    entities with this attribute value (quote values with spaces: attr.name="Floor 2")
 *   value>25                        with path: resources whose value compares so (= != &lt; &lt;= &gt; &gt;=; numbers
 *                                   compare numerically, anything else as text with = and !=)
 * </pre>
 *
 * With a {@code path} clause the result is resources (of the devices the other clauses select); without one it is
 * devices and entities (those reachable, with {@code within}; else devices, or entities when only entity clauses
 * are given).
 */
public record NodeQuery(String text, PathPattern path, Traversal traversal, Set<DeviceState> states,
        String endpointGlob, String lwm2mVersion, String binding, Boolean queueMode, Set<String> kinds,
        Map<String, String> attributes, ValueFilter value) {

    public static final int MAX_HOPS = 10;

    public enum Direction { BOTH, INBOUND, OUTBOUND }

    /** @param via edge kinds to follow, empty for all */
    public record Traversal(NodeKey root, int hops, Set<String> via, Direction direction) {
    }

    public record ValueFilter(String operator, String operand) {
        public boolean numeric() {
            try {
                Double.parseDouble(operand);
                return true;
            } catch (NumberFormatException e) {
                return false;
            }
        }
    }

    public boolean selectsResources() {
        return path != null;
    }

    public boolean hasDeviceClauses() {
        return !states.isEmpty() || endpointGlob != null || lwm2mVersion != null || binding != null || queueMode != null;
    }

    public boolean hasEntityClauses() {
        return !attributes.isEmpty() || kinds.stream().anyMatch(kind -> !kind.equals("device"));
    }

    /** Parses the query syntax above; {@link QueryException} says where it is wrong. */
    public static NodeQuery parse(String text) {
        if (text == null || text.isBlank()) {
            throw new QueryException("the query is empty; e.g. path=*/3303/*/5700 and state=online");
        }
        if (text.length() > 2000) {
            throw new QueryException("the query is longer than 2000 characters");
        }
        return new Parser(text).parse();
    }

    private static final class Parser {
        private final String text;
        private final List<String> tokens;
        private int at;
        private PathPattern path;
        private Traversal traversal;
        private final Set<DeviceState> states = EnumSet.noneOf(DeviceState.class);
        private String endpointGlob;
        private String lwm2m;
        private String binding;
        private Boolean queue;
        private final Set<String> kinds = new LinkedHashSet<>();
        private final Map<String, String> attributes = new TreeMap<>();
        private ValueFilter value;

        Parser(String text) {
            this.text = text;
            this.tokens = tokenize(text);
        }

        NodeQuery parse() {
            clause();
            while (at < tokens.size()) {
                String and = next("'and' between clauses");
                if (!and.equalsIgnoreCase("and")) {
                    throw error("expected 'and' before '" + and + "'");
                }
                clause();
            }
            NodeQuery query = new NodeQuery(text, path, traversal, Set.copyOf(states), endpointGlob, lwm2m, binding, queue,
                    Set.copyOf(kinds), Map.copyOf(attributes), value);
            if (value != null && path == null) {
                throw error("a value filter needs a path clause, e.g. path=*/3303/*/5700 and value>25");
            }
            if (path != null && query.hasEntityClauses()) {
                throw error("kind and attr. clauses select entities, but a path clause selects resources: drop one");
            }
            if (path == null && traversal == null && query.hasDeviceClauses() && query.hasEntityClauses()) {
                throw error("device clauses (state, endpoint, lwm2m, binding, queue) and entity clauses (kind, attr.) "
                        + "select different nodes; combine them under 'within N of <key>'");
            }
            return query;
        }

        private void clause() {
            String word = next("a clause");
            String lower = word.toLowerCase(Locale.ROOT);
            if (lower.equals("within")) {
                within();
                return;
            }
            String operator = next("an operator after '" + word + "'");
            String operand = next("a value after '" + word + " " + operator + "'");
            if (lower.equals("value")) {
                once(value, "value");
                if (!List.of("=", "!=", "<", "<=", ">", ">=").contains(operator)) {
                    throw error("value compares with = != < <= > >=, not '" + operator + "'");
                }
                value = new ValueFilter(operator, operand);
                if (!operator.equals("=") && !operator.equals("!=") && !value.numeric()) {
                    throw error("value " + operator + " needs a number, not '" + operand + "'");
                }
                return;
            }
            if (!operator.equals("=")) {
                throw error("'" + word + "' is followed by '=', not '" + operator + "'");
            }
            if (lower.startsWith("attr.") && lower.length() > 5) {
                attributes.put(word.substring(5), operand);
                return;
            }
            switch (lower) {
                case "path" -> {
                    once(path, "path");
                    path = PathPattern.parse(operand);
                }
                case "state" -> {
                    for (String state : operand.split("\\|")) {
                        try {
                            states.add(DeviceState.fromLabel(state));
                        } catch (IllegalArgumentException e) {
                            throw error(e.getMessage());
                        }
                    }
                }
                case "endpoint" -> endpointGlob = operand;
                case "lwm2m" -> lwm2m = operand;
                case "binding" -> binding = operand.toUpperCase(Locale.ROOT);
                case "queue" -> {
                    if (!operand.equals("true") && !operand.equals("false")) {
                        throw error("queue is true or false, not '" + operand + "'");
                    }
                    queue = Boolean.parseBoolean(operand);
                }
                case "kind" -> kinds.addAll(List.of(operand.split("\\|")));
                default -> throw error("unknown clause '" + word + "'; use path, within, state, endpoint, lwm2m, "
                        + "binding, queue, kind, attr.<name> or value");
            }
        }

        private void within() {
            once(traversal, "within");
            String count = next("a hop count after 'within'");
            int hops;
            try {
                hops = Integer.parseInt(count);
            } catch (NumberFormatException e) {
                throw error("'within' is followed by a hop count, not '" + count + "'");
            }
            if (hops < 1 || hops > MAX_HOPS) {
                throw error("hop count must be between 1 and " + MAX_HOPS + ", was " + hops);
            }
            if (!next("'of' after the hop count").equalsIgnoreCase("of")) {
                throw error("write 'within " + hops + " of <node key>'");
            }
            NodeKey root;
            String key = next("a node key after 'of'");
            try {
                root = NodeKey.parse(key);
            } catch (IllegalArgumentException e) {
                throw error(e.getMessage());
            }
            Set<String> via = new LinkedHashSet<>();
            Direction direction = Direction.BOTH;
            while (at < tokens.size()) {
                String option = tokens.get(at).toLowerCase(Locale.ROOT);
                if (option.equals("via")) {
                    at++;
                    via.addAll(List.of(next("edge kinds after 'via'").split(",")));
                } else if (option.equals("inbound") || option.equals("outbound")) {
                    at++;
                    direction = Direction.valueOf(option.toUpperCase(Locale.ROOT));
                } else {
                    break;
                }
            }
            traversal = new Traversal(root, hops, Set.copyOf(via), direction);
        }

        private void once(Object existing, String clause) {
            if (existing != null) {
                throw error("'" + clause + "' may appear only once");
            }
        }

        private String next(String what) {
            if (at >= tokens.size()) {
                throw error("the query ends where " + what + " was expected");
            }
            return tokens.get(at++);
        }

        private QueryException error(String message) {
            return new QueryException("query '" + text + "': " + message);
        }

        private static List<String> tokenize(String text) {
            List<String> tokens = new ArrayList<>();
            StringBuilder word = new StringBuilder();
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                if (Character.isWhitespace(c)) {
                    flush(tokens, word);
                } else if (c == '"') {
                    int end = text.indexOf('"', i + 1);
                    if (end < 0) {
                        throw new QueryException("query '" + text + "': a quoted value is not closed");
                    }
                    flush(tokens, word);
                    tokens.add(text.substring(i + 1, end));
                    i = end;
                } else if (c == '=' || c == '<' || c == '>' || c == '!') {
                    flush(tokens, word);
                    if (i + 1 < text.length() && text.charAt(i + 1) == '=' && c != '=') {
                        tokens.add(c + "=");
                        i++;
                    } else {
                        tokens.add(String.valueOf(c));
                    }
                } else {
                    word.append(c);
                }
            }
            flush(tokens, word);
            return tokens;
        }

        private static void flush(List<String> tokens, StringBuilder word) {
            if (word.length() > 0) {
                tokens.add(word.toString());
                word.setLength(0);
            }
        }
    }
}
