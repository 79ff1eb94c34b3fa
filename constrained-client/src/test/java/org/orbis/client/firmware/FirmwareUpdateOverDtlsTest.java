package org.orbis.client.firmware;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

import org.eclipse.leshan.core.ResponseCode;
import org.eclipse.leshan.core.node.LwM2mObjectInstance;
import org.eclipse.leshan.core.node.LwM2mSingleResource;
import org.eclipse.leshan.core.request.ContentFormat;
import org.eclipse.leshan.core.request.ExecuteRequest;
import org.eclipse.leshan.core.request.ReadRequest;
import org.eclipse.leshan.core.request.WriteRequest;
import org.eclipse.leshan.core.response.ExecuteResponse;
import org.eclipse.leshan.core.response.ReadResponse;
import org.eclipse.leshan.core.response.WriteResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.orbis.client.ReferenceClient;
import org.orbis.client.ReferenceClientBuilder;
import org.orbis.client.support.InTestLwM2mServer;
import org.orbis.client.support.InTestPackageResource;

/**
 * The reference client's Firmware Update object against a real Leshan server over DTLS-PSK: pull and push, the
 * integrity check, each simulated failure with its Update Result, resuming after a reboot, and riding out a silent
 * server.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FirmwareUpdateOverDtlsTest {

    private static final Duration WITHIN = Duration.ofSeconds(20);
    private static final byte[] IMAGE = FirmwarePackageTest.image(30 * 1024);
    private static final byte[] PACKAGE = FirmwarePackage.of("orbis-reference", "2.0.0", IMAGE).encode();

    private InTestLwM2mServer server;
    private InTestPackageResource packages;
    private final List<ReferenceClient> clients = new ArrayList<>();

    @BeforeAll
    void startServer() {
        server = InTestLwM2mServer.start();
        packages = new InTestPackageResource();
        server.leshan().coap().getServer().add(packages);
    }

    @AfterEach
    void destroyClients() {
        clients.forEach(client -> client.destroy(false));
        clients.clear();
        packages.ignoreNext(0);
    }

    @AfterAll
    void stopServer() {
        server.close();
    }

    @Test
    void pullDownloadsInKibibyteBlocksOverTheDevicesOwnDtlsIdentityThenUpdateRebootsIntoTheNewVersion()
            throws Exception {
        packages.serve(PACKAGE);
        ReferenceClient client = startRegisteredClient("pull-1", b -> b);
        String firstRegistration = server.registration("pull-1").orElseThrow().getId();

        assertThat(writeUri("pull-1", packageUri()).isSuccess()).isTrue();

        awaitState(client, FirmwareStatus.DOWNLOADED);
        assertThat(packages.blockSizes()).containsOnly(1024);
        assertThat(packages.blocks()).hasSize((PACKAGE.length + 1023) / 1024);
        assertThat(packages.identities()).containsOnly("pull-1");
        assertThat(readInt("pull-1", 5, 0, 3)).isEqualTo(FirmwareStatus.DOWNLOADED);
        assertThat(readString("pull-1", 5, 0, 7)).isEqualTo("2.0.0");

        ExecuteResponse update = server.send("pull-1", new ExecuteRequest(5, 0, 2));
        assertThat(update.isSuccess()).isTrue();

        await().atMost(WITHIN).until(() -> server.registration("pull-1")
                .map(registration -> !registration.getId().equals(firstRegistration)).orElse(false));
        assertThat(client.firmwareVersion()).isEqualTo("2.0.0");
        assertThat(readString("pull-1", 3, 0, 3)).isEqualTo("2.0.0");
        assertThat(readInt("pull-1", 5, 0, 5)).isEqualTo(1);
        assertThat(readInt("pull-1", 5, 0, 3)).isEqualTo(FirmwareStatus.IDLE);
    }

    @Test
    void pushIsABlockwiseWriteOfPackage() throws Exception {
        ReferenceClient client = startRegisteredClient("push-1", b -> b);

        WriteResponse write = server.send("push-1", new WriteRequest(ContentFormat.OPAQUE, 5, 0, 0, PACKAGE));

        assertThat(write.isSuccess()).as(write.toString()).isTrue();
        awaitState(client, FirmwareStatus.DOWNLOADED);
        assertThat(server.send("push-1", new ExecuteRequest(5, 0, 2)).isSuccess()).isTrue();
        await().atMost(WITHIN).until(() -> client.firmwareVersion().equals("2.0.0"));
    }

    @Test
    void aCorruptedImageEndsIdleWithIntegrityFailureAndTheOldVersion() throws Exception {
        byte[] corrupted = PACKAGE.clone();
        corrupted[corrupted.length - 100] ^= 0x10;
        packages.serve(corrupted);
        ReferenceClient client = startRegisteredClient("corrupt-1", b -> b);

        writeUri("corrupt-1", packageUri());

        awaitResult(client, 5);
        assertThat(client.firmware().state()).isEqualTo(FirmwareStatus.IDLE);
        assertThat(readInt("corrupt-1", 5, 0, 5)).isEqualTo(5);
        assertThat(server.send("corrupt-1", new ExecuteRequest(5, 0, 2)).getCode()).isEqualTo(ResponseCode.BAD_REQUEST);
        assertThat(client.firmwareVersion()).isEqualTo("1.0.0");
    }

    @Test
    void aPackageForAnotherModelIsAnUnsupportedPackageType() throws Exception {
        packages.serve(FirmwarePackage.of("toaster-9000", "2.0.0", IMAGE).encode());
        ReferenceClient client = startRegisteredClient("model-1", b -> b);

        writeUri("model-1", packageUri());

        awaitResult(client, 6);
    }

    @Test
    void eachSimulatedFailureEndsWithItsUpdateResult() throws Exception {
        packages.serve(PACKAGE);
        for (FirmwareFailure failure : List.of(FirmwareFailure.INTEGRITY, FirmwareFailure.OUT_OF_STORAGE,
                FirmwareFailure.UNSUPPORTED_PROTOCOL, FirmwareFailure.CONNECTION_LOST)) {
            String endpoint = "fail-" + failure.label();
            ReferenceClient client = startRegisteredClient(endpoint,
                    b -> b.firmware(FirmwareSettings.defaults().withFailure(failure)));

            writeUri(endpoint, packageUri());

            awaitResult(client, failure.updateResult());
            assertThat(client.firmware().state()).as(failure.label()).isEqualTo(FirmwareStatus.IDLE);
        }
    }

    @Test
    void aFailedInstallGoesBackToDownloadedWithResultEight() throws Exception {
        packages.serve(PACKAGE);
        ReferenceClient client = startRegisteredClient("install-1",
                b -> b.firmware(FirmwareSettings.defaults().withFailure(FirmwareFailure.UPDATE_FAILED)));
        writeUri("install-1", packageUri());
        awaitState(client, FirmwareStatus.DOWNLOADED);

        server.send("install-1", new ExecuteRequest(5, 0, 2));

        awaitResult(client, 8);
        assertThat(client.firmware().state()).isEqualTo(FirmwareStatus.DOWNLOADED);
        assertThat(client.firmwareVersion()).isEqualTo("1.0.0");
    }

    @Test
    void aPackageLargerThanStorageFailsWithNotEnoughFlashEitherWay() throws Exception {
        packages.serve(PACKAGE);
        ReferenceClient client = startRegisteredClient("small-1",
                b -> b.firmware(FirmwareSettings.defaults().withStorageBytes(16 * 1024)));

        writeUri("small-1", packageUri());
        awaitResult(client, 2);
        assertThat(packages.blocks()).as("the Size2 of the first block is enough to know").hasSize(1);

        writeUri("small-1", "");
        server.send("small-1", new WriteRequest(ContentFormat.OPAQUE, 5, 0, 0, PACKAGE));
        awaitResult(client, 2);
    }

    @Test
    void aRebootMidDownloadResumesFromTheLastStoredBlock() throws Exception {
        packages.serve(PACKAGE);
        ReferenceClient client = startRegisteredClient("reboot-fw-1",
                b -> b.firmware(FirmwareSettings.defaults().withFailure(FirmwareFailure.REBOOT_MID_DOWNLOAD)));
        String firstRegistration = server.registration("reboot-fw-1").orElseThrow().getId();

        writeUri("reboot-fw-1", packageUri());

        awaitState(client, FirmwareStatus.DOWNLOADED);
        assertThat(server.registration("reboot-fw-1").orElseThrow().getId()).as("the device rebooted")
                .isNotEqualTo(firstRegistration);
        FirmwareStatus status = client.firmware();
        assertThat(status.resumes()).isEqualTo(1);
        assertThat(status.resumedFromByte()).isGreaterThanOrEqualTo(PACKAGE.length / 2);
        int blocks = (PACKAGE.length + 1023) / 1024;
        assertThat(packages.blocks()).as("no block fetched twice").hasSize(blocks).doesNotHaveDuplicates();
    }

    @Test
    void aServerThatFallsSilentForAWhileIsAskedAgainUntilTheDownloadCompletes() throws Exception {
        packages.serve(PACKAGE);
        ReferenceClient client = startRegisteredClient("silence-1",
                b -> b.firmware(FirmwareSettings.defaults().withRetries(Duration.ofMillis(400), 8)));
        packages.ignoreNext(3);

        writeUri("silence-1", packageUri());

        awaitState(client, FirmwareStatus.DOWNLOADED);
        assertThat(client.firmware().downloadsStarted()).isEqualTo(1);
    }

    @Test
    void aPushOnlyDeviceRefusesAPackageUriAndSaysSoInItsDeliveryMethod() throws Exception {
        startRegisteredClient("push-only-1", b -> b.firmware(FirmwareSettings.defaults()
                .withDelivery(FirmwareDelivery.PUSH)));

        assertThat(writeUri("push-only-1", packageUri()).getCode()).isEqualTo(ResponseCode.BAD_REQUEST);
        assertThat(readInt("push-only-1", 5, 0, 9)).isEqualTo(1);
    }

    @Test
    void anEmptyPackageUriCancelsAndResetsToIdle() throws Exception {
        packages.serve(PACKAGE);
        ReferenceClient client = startRegisteredClient("cancel-1", b -> b);
        writeUri("cancel-1", packageUri());
        awaitState(client, FirmwareStatus.DOWNLOADED);

        writeUri("cancel-1", "");

        assertThat(client.firmware().state()).isEqualTo(FirmwareStatus.IDLE);
        assertThat(client.firmware().updateResult()).isZero();
        ReadResponse instance = server.send("cancel-1", new ReadRequest(5, 0));
        assertThat(((LwM2mObjectInstance) instance.getContent()).getResource(7).getValue()).isEqualTo("");
    }

    private ReferenceClient startRegisteredClient(String endpoint, UnaryOperator<ReferenceClientBuilder> custom)
            throws InterruptedException {
        return server.startRegisteredClient(endpoint, custom, clients::add);
    }

    private String packageUri() {
        return server.uri() + "/fw";
    }

    private WriteResponse writeUri(String endpoint, String uri) throws InterruptedException {
        return server.send(endpoint, new WriteRequest(5, 0, 1, uri));
    }

    private long readInt(String endpoint, int object, int instance, int resource) throws InterruptedException {
        ReadResponse response = server.send(endpoint, new ReadRequest(object, instance, resource));
        assertThat(response.isSuccess()).as(response.toString()).isTrue();
        return (Long) ((LwM2mSingleResource) response.getContent()).getValue();
    }

    private String readString(String endpoint, int object, int instance, int resource) throws InterruptedException {
        ReadResponse response = server.send(endpoint, new ReadRequest(object, instance, resource));
        return (String) ((LwM2mSingleResource) response.getContent()).getValue();
    }

    private static void awaitState(ReferenceClient client, int state) {
        await().atMost(WITHIN).untilAsserted(() -> assertThat(FirmwareStatus.stateName(client.firmware().state()))
                .as("%s (result %s)", client.endpoint(), client.firmware().updateResult())
                .isEqualTo(FirmwareStatus.stateName(state)));
    }

    private static void awaitResult(ReferenceClient client, int result) {
        await().atMost(WITHIN).untilAsserted(() -> assertThat(client.firmware().updateResult())
                .as("%s update result", client.endpoint()).isEqualTo(result));
    }
}
