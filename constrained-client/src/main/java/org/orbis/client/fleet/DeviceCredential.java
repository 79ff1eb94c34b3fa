package org.orbis.client.fleet;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * One simulated device's DM-server credentials. A credentials file holds one per line, {@code endpoint,identity,keyhex}
 * ({@code #} starts a comment); it contains secrets, so keep it private.
 */
public record DeviceCredential(String endpoint, String identity, byte[] key) {

    public static List<DeviceCredential> read(Path file) {
        List<DeviceCredential> credentials = new ArrayList<>();
        try {
            int number = 0;
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                number++;
                String trimmed = line.strip();
                if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                    continue;
                }
                String[] parts = trimmed.split(",");
                if (parts.length != 3) {
                    throw new IllegalArgumentException(file + " line " + number
                            + ": expected endpoint,identity,keyhex");
                }
                try {
                    credentials.add(new DeviceCredential(parts[0], parts[1], HexFormat.of().parseHex(parts[2])));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(file + " line " + number + ": the key is not hex");
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read credentials file " + file, e);
        }
        return credentials;
    }

    public static void write(Path file, List<DeviceCredential> credentials) {
        StringBuilder text = new StringBuilder("# endpoint,psk identity,psk key (hex): secrets, keep private\n");
        for (DeviceCredential credential : credentials) {
            text.append(credential.endpoint()).append(',').append(credential.identity()).append(',')
                    .append(HexFormat.of().formatHex(credential.key())).append('\n');
        }
        try {
            Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write credentials file " + file, e);
        }
    }

    @Override
    public String toString() {
        return "DeviceCredential[" + endpoint + ", identity=" + identity + "]";
    }
}
