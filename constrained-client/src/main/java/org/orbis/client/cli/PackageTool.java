package org.orbis.client.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Random;
import java.util.concurrent.Callable;

import org.orbis.client.firmware.FirmwarePackage;
import org.orbis.client.objects.DeviceInfo;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Writes an Orbis firmware package (see {@link FirmwarePackage} for the format) and prints what an upload needs: its
 * size and SHA-256.
 */
@Command(name = "orbis-firmware-package", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Writes an Orbis firmware package (header with model, version and the image's SHA-256, then the "
                + "image) that the reference client installs, and prints the package's size and SHA-256 for the upload.%n",
        footer = {"%nExample:",
                "  java -cp orbis-client.jar org.orbis.client.cli.PackageTool --version 2.0.0 --image-size 1MiB --out fw-2.0.0.bin",
                "  curl -X POST --data-binary @fw-2.0.0.bin -H 'Content-Type: application/octet-stream' \\",
                "       'http://127.0.0.1:8080/api/firmware?version=2.0.0&model=orbis-reference&sha256=<printed sha256>'"})
public final class PackageTool implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--model", defaultValue = DeviceInfo.MODEL_NUMBER,
            description = "Device model the package is for (default: ${DEFAULT-VALUE}).")
    private String model;

    @Option(names = "--version", required = true, description = "Firmware version the package installs.")
    private String version;

    @Option(names = "--image", paramLabel = "FILE", description = "The firmware image to wrap.")
    private Path image;

    @Option(names = "--image-size", paramLabel = "SIZE", converter = ByteSizeConverter.class,
            description = "Instead of --image: a generated image of this size (1MiB, 20KiB), for tests and benchmarks.")
    private Long imageSize;

    @Option(names = "--corrupt", description = "Damage one image byte after the header is written (the package then fails its integrity check on the device).")
    private boolean corrupt;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "Where to write the package.")
    private Path out;

    public static void main(String[] args) {
        System.exit(new CommandLine(new PackageTool()).execute(args));
    }

    @Override
    public Integer call() throws IOException {
        if ((image == null) == (imageSize == null)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "give exactly one of --image and --image-size");
        }
        byte[] payload = image != null ? Files.readAllBytes(image) : generated(imageSize);
        byte[] bytes = FirmwarePackage.of(model, version, payload).encode();
        if (corrupt) {
            bytes[bytes.length - 1] ^= 0x01;
        }
        Files.write(out, bytes);
        PrintWriter printer = spec.commandLine().getOut();
        printer.printf("%s: %d bytes, model %s, version %s%nsha256 %s%n", out, bytes.length, model, version,
                HexFormat.of().formatHex(FirmwarePackage.sha256(bytes)));
        printer.flush();
        return 0;
    }

    private static byte[] generated(long size) {
        if (size < 0 || size > 256L * 1024 * 1024) {
            throw new IllegalArgumentException("--image-size must be at most 256 MiB");
        }
        byte[] payload = new byte[(int) size];
        new Random(size).nextBytes(payload);
        return payload;
    }
}
