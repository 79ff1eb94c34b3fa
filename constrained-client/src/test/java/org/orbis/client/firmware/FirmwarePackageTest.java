package org.orbis.client.firmware;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

class FirmwarePackageTest {

    private static final byte[] IMAGE = image(5000);

    @Test
    void aPackageReadsBackAsWritten() {
        FirmwarePackage written = new FirmwarePackage("orbis-reference", "2.0.0", "orbis-fw", IMAGE);

        FirmwarePackage read = FirmwarePackage.decode(written.encode());

        assertThat(read).isEqualTo(written);
        assertThat(read.packageName()).isEqualTo("orbis-fw");
    }

    @Test
    void theHeaderIsReadableTextThatEndsWithAnEmptyLine() {
        String start = new String(FirmwarePackage.of("orbis-reference", "2.0.0", IMAGE).encode(), 0, 200,
                StandardCharsets.US_ASCII);

        assertThat(start).startsWith("OFW1\nmodel: orbis-reference\nversion: 2.0.0\npayload-size: 5000\npayload-sha256: ")
                .contains("\n\n");
    }

    @Test
    void aDamagedImageFailsTheIntegrityCheck() {
        byte[] bytes = FirmwarePackage.of("orbis-reference", "2.0.0", IMAGE).encode();
        bytes[bytes.length - 10] ^= 1;

        assertThatThrownBy(() -> FirmwarePackage.decode(bytes)).isInstanceOfSatisfying(
                FirmwarePackage.PackageException.class,
                e -> assertThat(e.kind()).isEqualTo(FirmwarePackage.PackageException.Kind.INTEGRITY))
                .hasMessageContaining("SHA-256");
    }

    @Test
    void aTruncatedImageFailsTheIntegrityCheck() {
        byte[] bytes = FirmwarePackage.of("orbis-reference", "2.0.0", IMAGE).encode();
        byte[] truncated = java.util.Arrays.copyOf(bytes, bytes.length - 1);

        assertThatThrownBy(() -> FirmwarePackage.decode(truncated)).isInstanceOfSatisfying(
                FirmwarePackage.PackageException.class,
                e -> assertThat(e.kind()).isEqualTo(FirmwarePackage.PackageException.Kind.INTEGRITY))
                .hasMessageContaining("4999 bytes, the header says 5000");
    }

    @Test
    void somethingElseIsAnUnsupportedPackage() {
        assertThatThrownBy(() -> FirmwarePackage.decode(IMAGE)).isInstanceOfSatisfying(
                FirmwarePackage.PackageException.class,
                e -> assertThat(e.kind()).isEqualTo(FirmwarePackage.PackageException.Kind.UNSUPPORTED));
        assertThatThrownBy(() -> FirmwarePackage.decode("OFW1\nmodel: x\n\nbody".getBytes(StandardCharsets.US_ASCII)))
                .hasMessageContaining("no 'version'");
    }

    static byte[] image(int size) {
        byte[] image = new byte[size];
        new Random(size).nextBytes(image);
        return image;
    }
}
