package org.orbis.server.firmware;

import java.util.List;

/**
 * Which devices a campaign updates: those of {@code model} (the image's by default) that report one of
 * {@code versions} (any other than the image's by default), among {@code endpoints} if given. Devices already on the
 * image's version are left out.
 *
 * @param zone only devices placed in this zone of the world graph ({@code device -in-> zone}) or in zones that are
 *        part of it, or {@code null}
 */
public record TargetQuery(String model, List<String> versions, List<String> endpoints, String zone) {

    public TargetQuery {
        versions = versions == null ? List.of() : List.copyOf(versions);
        endpoints = endpoints == null ? null : List.copyOf(endpoints);
    }

    public static TargetQuery endpoints(List<String> endpoints) {
        return new TargetQuery(null, null, endpoints, null);
    }
}
