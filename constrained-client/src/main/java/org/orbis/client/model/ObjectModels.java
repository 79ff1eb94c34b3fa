package org.orbis.client.model;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.eclipse.leshan.core.model.InvalidDDFFileException;
import org.eclipse.leshan.core.model.InvalidModelException;
import org.eclipse.leshan.core.model.ObjectLoader;
import org.eclipse.leshan.core.model.ObjectModel;

/**
 * Loads the object models of the reference client: {@link ObjectLoader#loadDefault()} plus the Orbis DDF files.
 * <p>
 * The DDF files are parsed and validated (XSD and Leshan's model rules) once per JVM, because a fleet simulator
 * builds thousands of clients and {@link ObjectModel}s are immutable.
 */
public final class ObjectModels {

    /** Classpath folder of the Orbis DDF files, as {@link ObjectLoader#loadDdfResources} expects it. */
    public static final String DDF_FOLDER = "/models/";
    /** Classpath resource listing one DDF file name of {@link #DDF_FOLDER} per line. */
    public static final String DDF_INDEX = DDF_FOLDER + "index.txt";

    private ObjectModels() {
    }

    /** Leshan's default OMA objects plus every Orbis DDF; the list is shared and unmodifiable. */
    public static List<ObjectModel> all() {
        return Loaded.ALL;
    }

    /** The DDF file names listed in {@link #DDF_INDEX}, in file order. */
    public static List<String> listedDdfFiles() {
        try (InputStream in = ObjectModels.class.getResourceAsStream(DDF_INDEX)) {
            if (in == null) {
                throw new IllegalStateException(DDF_INDEX + " is not on the classpath: add the org.orbis:lwm2m-models jar");
            }
            List<String> names = new ArrayList<>();
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (!line.isBlank()) {
                    names.add(line.strip());
                }
            }
            return List.copyOf(names);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + DDF_INDEX, e);
        }
    }

    private static List<ObjectModel> load() {
        List<String> ddfFiles = listedDdfFiles();
        List<ObjectModel> models = new ArrayList<>(ObjectLoader.loadDefault());
        try {
            models.addAll(ObjectLoader.loadDdfResources(DDF_FOLDER, ddfFiles.toArray(String[]::new), true));
        } catch (IOException | InvalidModelException | InvalidDDFFileException e) {
            throw new IllegalStateException("Invalid Orbis object model in " + DDF_FOLDER + " " + ddfFiles + ": "
                    + e.getMessage(), e);
        }
        return List.copyOf(models);
    }

    /** Lazy holder: models are loaded on first use, once. */
    private static final class Loaded {
        static final List<ObjectModel> ALL = load();
    }
}
