package org.orbis.server.observe;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.eclipse.leshan.core.link.Link;
import org.eclipse.leshan.core.node.LwM2mPath;

/**
 * The objects whose instances Orbis observes as soon as a device registers. Observing an object instance makes the
 * device notify every readable resource of it, so one observation per instance covers the whole instance.
 *
 * <p>Written as a list of object ids and inclusive ranges, e.g. {@code 3,4,5,6,3300-3350} (the default: Device,
 * Connectivity Monitoring, Firmware Update, Location and the IPSO sensor range). Firmware campaigns follow a device's
 * update through the notifications of Firmware Update (5) and of Device (3, for the new version).
 */
public record ObservePolicy(List<ObservePolicy.ObjectRange> ranges) {

    /** Object ids {@code from} to {@code to}, both included. */
    public record ObjectRange(int from, int to) {
    }

    public static final String DEFAULT = "3,4,5,6,3300-3350";

    public ObservePolicy {
        ranges = List.copyOf(ranges);
    }

    public static ObservePolicy defaults() {
        return parse(DEFAULT);
    }

    public static ObservePolicy none() {
        return new ObservePolicy(List.of());
    }

    /** Parses {@code 3,4,6,3300-3350}; an empty string observes nothing. */
    public static ObservePolicy parse(String text) {
        List<ObjectRange> ranges = new ArrayList<>();
        for (String part : text.split(",")) {
            String item = part.strip();
            if (item.isEmpty()) {
                continue;
            }
            try {
                int dash = item.indexOf('-');
                int from = Integer.parseInt(dash < 0 ? item : item.substring(0, dash).strip());
                int to = dash < 0 ? from : Integer.parseInt(item.substring(dash + 1).strip());
                if (from < 0 || to < from || to > 65535) {
                    throw new NumberFormatException();
                }
                ranges.add(new ObjectRange(from, to));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("observe policy item '" + item
                        + "' is not an object id or a range like 3300-3350");
            }
        }
        return new ObservePolicy(ranges);
    }

    public boolean covers(int objectId) {
        for (ObjectRange range : ranges) {
            if (objectId >= range.from() && objectId <= range.to()) {
                return true;
            }
        }
        return false;
    }

    /** The object instances of a registration's object links that this policy observes, in path order. */
    public List<LwM2mPath> targets(Link[] objectLinks, String rootPath) {
        Set<LwM2mPath> targets = new TreeSet<>();
        for (Link link : objectLinks) {
            String uri = link.getUriReference();
            if (rootPath != null && !"/".equals(rootPath)) {
                if (!uri.startsWith(rootPath)) {
                    continue;
                }
                uri = uri.substring(rootPath.length() - 1);
            }
            LwM2mPath path;
            try {
                path = new LwM2mPath(uri);
            } catch (RuntimeException e) {
                continue;
            }
            if (path.isObjectInstance() && covers(path.getObjectId())) {
                targets.add(path);
            }
        }
        return new ArrayList<>(targets);
    }

    @Override
    public String toString() {
        List<String> items = new ArrayList<>();
        for (ObjectRange range : ranges) {
            items.add(range.from() == range.to() ? Integer.toString(range.from()) : range.from() + "-" + range.to());
        }
        return items.isEmpty() ? "none" : String.join(",", items);
    }
}
