package org.orbis.server.models;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.leshan.core.model.LwM2mModel;
import org.eclipse.leshan.core.model.StaticModel;
import org.eclipse.leshan.core.model.InvalidDDFFileException;
import org.eclipse.leshan.core.model.InvalidModelException;
import org.eclipse.leshan.core.model.ObjectLoader;
import org.eclipse.leshan.core.model.ObjectModel;

/**
 * Loads every object model the server knows: all versions bundled with Leshan, plus the DDF files listed in
 * {@code /models/index.txt} of the {@code lwm2m-models} module (IPSO objects and Orbis's own). A server without a
 * device's model decodes its values lossily, so a missing or invalid file stops start-up.
 */
public final class ObjectModels {

    private static final String DIRECTORY = "/models/";

    private ObjectModels() {
    }

    public static List<ObjectModel> load() {
        List<ObjectModel> models = new ArrayList<>(ObjectLoader.loadAllDefault());
        String[] files = ddfFiles();
        try {
            models.addAll(ObjectLoader.loadDdfResources(DIRECTORY, files));
        } catch (IOException | InvalidModelException | InvalidDDFFileException e) {
            throw new IllegalStateException("cannot load the object models " + String.join(", ", files) + ": " + e.getMessage(), e);
        }
        return models;
    }

    /** The newest version of every known object, for devices whose registration (and so versions) is unknown. */
    public static LwM2mModel latest(List<ObjectModel> models) {
        Map<Integer, ObjectModel> newest = new HashMap<>();
        for (ObjectModel model : models) {
            newest.merge(model.id, model, (a, b) -> compareVersions(a.version, b.version) >= 0 ? a : b);
        }
        return new StaticModel(newest.values());
    }

    private static int compareVersions(String a, String b) {
        String[] left = (a == null ? "1.0" : a).split("\\.");
        String[] right = (b == null ? "1.0" : b).split("\\.");
        for (int i = 0; i < Math.max(left.length, right.length); i++) {
            int l = i < left.length ? Integer.parseInt(left[i]) : 0;
            int r = i < right.length ? Integer.parseInt(right[i]) : 0;
            if (l != r) {
                return Integer.compare(l, r);
            }
        }
        return 0;
    }

    private static String[] ddfFiles() {
        InputStream index = ObjectModels.class.getResourceAsStream(DIRECTORY + "index.txt");
        if (index == null) {
            throw new IllegalStateException("models/index.txt is missing from the class path (module lwm2m-models)");
        }
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(index, StandardCharsets.UTF_8))) {
            return reader.lines().map(String::strip).filter(line -> !line.isEmpty() && !line.startsWith("#"))
                    .toArray(String[]::new);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read models/index.txt", e);
        }
    }
}
