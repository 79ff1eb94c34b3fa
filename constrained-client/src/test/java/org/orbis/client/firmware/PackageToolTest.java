package org.orbis.client.firmware;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.orbis.client.cli.PackageTool;
import picocli.CommandLine;

class PackageToolTest {

    @TempDir
    Path dir;

    @Test
    void writesAPackageTheClientAcceptsAndPrintsItsSha256ForTheUpload() throws Exception {
        Path out = dir.resolve("fw.bin");
        StringWriter printed = new StringWriter();
        CommandLine tool = new CommandLine(new PackageTool());
        tool.setOut(new PrintWriter(printed, true));

        int exit = tool.execute("--version", "2.1.0", "--image-size", "20KiB", "--out", out.toString());

        assertThat(exit).isZero();
        byte[] bytes = Files.readAllBytes(out);
        FirmwarePackage read = FirmwarePackage.decode(bytes);
        assertThat(read.version()).isEqualTo("2.1.0");
        assertThat(read.model()).isEqualTo("orbis-reference");
        assertThat(read.payload()).hasSize(20 * 1024);
        assertThat(printed.toString()).contains("sha256 " + HexFormat.of().formatHex(FirmwarePackage.sha256(bytes)));
    }
}
