package org.orbis.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;

import org.junit.jupiter.api.Test;

import picocli.CommandLine;

/** The CLI's parsing and messages, exercised in-process (no System.exit, no client started). */
class ClientCliTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @Test
    void helpPrintsUsageWithEveryOption() {
        int exitCode = run("--help");

        assertThat(exitCode).isZero();
        assertThat(out.toString()).contains("Usage: orbis-client", "--server", "--bootstrap", "--endpoint",
                "--psk-identity", "--psk-key", "--drift-period", "--local-address");
    }

    @Test
    void aPskKeyThatIsNotHexIsAUsageErrorThatDoesNotRepeatTheKey() {
        int exitCode = run("--server", "coaps://127.0.0.1:5684", "--endpoint", "dev-1", "--psk-key", "s3cretzz");

        assertThat(exitCode).isEqualTo(2);
        assertThat(err.toString()).contains("--psk-key", "hexadecimal").doesNotContain("s3cretzz");
    }

    @Test
    void needsExactlyOneOfServerAndBootstrap() {
        assertThat(run("--endpoint", "dev-1", "--psk-key", "00ff")).isEqualTo(2);
        assertThat(err.toString()).contains("--server", "--bootstrap");

        assertThat(run("--server", "coaps://a:1", "--bootstrap", "coaps://b:2", "--endpoint", "dev-1",
                "--psk-key", "00ff")).isEqualTo(2);
        assertThat(err.toString()).contains("mutually exclusive");
    }

    @Test
    void aPlainCoapServerIsAUsageError() {
        assertThat(run("--server", "coap://127.0.0.1:5683", "--endpoint", "dev-1", "--psk-key", "00ff")).isEqualTo(2);
        assertThat(err.toString()).contains("coaps://");
    }

    @Test
    void optionsBecomeTheClientsSettings() {
        CommandLine commandLine = ClientCli.commandLine();
        commandLine.parseArgs("--server", "coaps://127.0.0.1", "--endpoint", "dev-7", "--psk-key", "0x00ff",
                "--drift-period", "250ms", "--local-address", "127.0.0.1");
        ReferenceClient client = ((ClientCli) commandLine.getCommand()).buildClient();
        try {
            assertThat(client.endpoint()).isEqualTo("dev-7");
            assertThat(client.configuredServer()).isEqualTo(URI.create("coaps://127.0.0.1:5684"));
            assertThat(client.usesBootstrap()).isFalse();
        } finally {
            client.destroy(false);
        }
    }

    @Test
    void firmwareOptionsSetVersionAndSimulatedFailure() {
        CommandLine commandLine = ClientCli.commandLine();
        commandLine.parseArgs("--server", "coaps://127.0.0.1", "--endpoint", "dev-8", "--psk-key", "00ff",
                "--firmware-version", "1.4.2", "--fw-delivery", "push", "--fw-storage", "64KiB", "--fw-fail",
                "out-of-storage", "--local-address", "127.0.0.1");
        ReferenceClient client = ((ClientCli) commandLine.getCommand()).buildClient();
        try {
            assertThat(client.firmwareVersion()).isEqualTo("1.4.2");
            assertThat(client.firmware().state()).isZero();
        } finally {
            client.destroy(false);
        }
    }

    @Test
    void anUnknownSimulatedFirmwareFailureIsAUsageErrorThatListsTheKnownOnes() {
        assertThat(run("--server", "coaps://127.0.0.1:5684", "--endpoint", "dev-1", "--psk-key", "00ff",
                "--fw-fail", "gremlins")).isEqualTo(2);
        assertThat(err.toString()).contains("gremlins", "integrity", "out-of-storage", "reboot-mid-download");
    }

    private int run(String... args) {
        CommandLine commandLine = ClientCli.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        return commandLine.execute(args);
    }
}
