package org.orbis.bootstrap.provisioning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.util.HexFormat;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.orbis.bootstrap.testing.CredentialDatabaseTest;
import org.orbis.world.credentials.CredentialPurpose;
import org.orbis.world.credentials.DuplicateCredentialException;
import org.orbis.world.credentials.PskCredential;
import org.orbis.world.graph.DeviceState;
import org.orbis.world.store.DeviceQuery;

/** Provisioning a device's two credentials, on a real database; run once per backend by the subclasses. */
abstract class DeviceProvisioningContract extends CredentialDatabaseTest {

    private static final byte[] BOOTSTRAP_KEY = HexFormat.of().parseHex("0102030405060708");
    private static final byte[] DM_KEY = HexFormat.of().parseHex("a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4");

    private DeviceProvisioning provisioning;

    @BeforeEach
    void createProvisioning() {
        provisioning = new DeviceProvisioning(credentials, new SecureRandom());
    }

    @Test
    void generatedCredentialsUseTheEndpointAsIdentityAndSixteenRandomBytesAsKey() {
        ProvisionedDevice device = provisioning.provision(ProvisioningRequest.generated("dev-1"));

        assertThat(device.endpoint()).isEqualTo("dev-1");
        assertThat(device.bootstrap().purpose()).isEqualTo(CredentialPurpose.BOOTSTRAP);
        assertThat(device.bootstrap().identity()).isEqualTo("dev-1");
        assertThat(device.bootstrap().key()).hasSize(16);
        assertThat(device.server().purpose()).isEqualTo(CredentialPurpose.DM);
        assertThat(device.server().identity()).isEqualTo("dev-1");
        assertThat(device.server().key()).hasSize(16);
        assertThat(device.server().key()).as("the DM key is not the bootstrap key")
                .isNotEqualTo(device.bootstrap().key());
    }

    @Test
    void provisionedDeviceExistsAsNeverRegisteredWithBothCredentialsStored() {
        ProvisionedDevice device = provisioning.provision(ProvisioningRequest.generated("dev-1"));

        assertThat(world.device("dev-1")).hasValueSatisfying(stored -> {
            assertThat(stored.state()).isEqualTo(DeviceState.NEVER);
            assertThat(stored.registration()).isNull();
        });
        assertThat(credentials.findByEndpoint(CredentialPurpose.BOOTSTRAP, "dev-1")).contains(device.bootstrap());
        assertThat(credentials.findByEndpoint(CredentialPurpose.DM, "dev-1")).contains(device.server());
    }

    @Test
    void everyDeviceGetsFreshKeys() {
        ProvisionedDevice first = provisioning.provision(ProvisioningRequest.generated("dev-1"));
        ProvisionedDevice second = provisioning.provision(ProvisioningRequest.generated("dev-2"));

        assertThat(second.bootstrap().key()).isNotEqualTo(first.bootstrap().key());
        assertThat(second.server().key()).isNotEqualTo(first.server().key());
    }

    @Test
    void suppliedIdentitiesAndKeysAreKept() {
        ProvisionedDevice device = provisioning.provision(
                new ProvisioningRequest("dev-1", "bs-identity", BOOTSTRAP_KEY, "dm-identity", DM_KEY));

        assertThat(device.bootstrap()).isEqualTo(
                new PskCredential("dev-1", CredentialPurpose.BOOTSTRAP, "bs-identity", BOOTSTRAP_KEY));
        assertThat(device.server()).isEqualTo(new PskCredential("dev-1", CredentialPurpose.DM, "dm-identity", DM_KEY));
        assertThat(credentials.findByIdentity(CredentialPurpose.BOOTSTRAP, "bs-identity")).contains(device.bootstrap());
        assertThat(credentials.findByIdentity(CredentialPurpose.DM, "dm-identity")).contains(device.server());
    }

    @Test
    void onlyWhatIsMissingIsGenerated() {
        ProvisionedDevice device = provisioning.provision(
                new ProvisioningRequest("dev-1", null, BOOTSTRAP_KEY, "dm-identity", null));

        assertThat(device.bootstrap().identity()).isEqualTo("dev-1");
        assertThat(device.bootstrap().key()).isEqualTo(BOOTSTRAP_KEY);
        assertThat(device.server().identity()).isEqualTo("dm-identity");
        assertThat(device.server().key()).hasSize(16);
        assertThat(credentials.findByEndpoint(CredentialPurpose.DM, "dev-1")).contains(device.server());
    }

    @ParameterizedTest
    @ValueSource(strings = { "", "has space", "a/b", "dev#1", "é" })
    void invalidEndpointNameIsRefusedAndNothingIsCreated(String endpoint) {
        assertThatThrownBy(() -> provisioning.provision(ProvisioningRequest.generated(endpoint)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'" + endpoint + "'");

        assertThat(world.devices(DeviceQuery.all()).total()).isZero();
    }

    @Test
    void tooShortSuppliedKeyIsRefusedAndNothingIsCreated() {
        assertThatThrownBy(() -> provisioning.provision(
                new ProvisioningRequest("dev-1", null, new byte[4], null, null)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("PSK key");

        assertThat(world.device("dev-1")).isEmpty();
    }

    @Test
    void dmIdentityOfAnotherDeviceIsRefusedAndNothingIsCreated() {
        ProvisionedDevice existing = provisioning.provision(
                new ProvisioningRequest("dev-1", null, null, "shared-identity", DM_KEY));

        assertThatThrownBy(() -> provisioning.provision(
                new ProvisioningRequest("dev-2", null, null, "shared-identity", null)))
                .isInstanceOf(DuplicateCredentialException.class)
                .hasMessageContaining("'shared-identity'");

        assertNothingExistsFor("dev-2");
        assertThat(credentials.findByIdentity(CredentialPurpose.DM, "shared-identity")).contains(existing.server());
    }

    @Test
    void bootstrapIdentityOfAnotherDeviceIsRefusedAndNothingIsCreated() {
        provisioning.provision(new ProvisioningRequest("dev-1", "shared-identity", BOOTSTRAP_KEY, null, null));

        assertThatThrownBy(() -> provisioning.provision(
                new ProvisioningRequest("dev-2", "shared-identity", null, null, null)))
                .isInstanceOf(DuplicateCredentialException.class)
                .hasMessageContaining("'shared-identity'");

        assertNothingExistsFor("dev-2");
        assertThat(credentials.findByIdentity(CredentialPurpose.BOOTSTRAP, "shared-identity"))
                .hasValueSatisfying(credential -> assertThat(credential.endpoint()).isEqualTo("dev-1"));
    }

    @Test
    void identityGeneratedFromTheEndpointCollidesWithAnIdentityChosenEarlier() {
        provisioning.provision(new ProvisioningRequest("dev-1", null, null, "dev-2", null));

        assertThatThrownBy(() -> provisioning.provision(ProvisioningRequest.generated("dev-2")))
                .isInstanceOf(DuplicateCredentialException.class);

        assertNothingExistsFor("dev-2");
    }

    @Test
    void endpointProvisionedTwiceIsRefusedAndTheFirstCredentialsStay() {
        ProvisionedDevice first = provisioning.provision(ProvisioningRequest.generated("dev-1"));

        assertThatThrownBy(() -> provisioning.provision(
                new ProvisioningRequest("dev-1", "other-bs", null, "other-dm", null)))
                .isInstanceOf(DuplicateCredentialException.class)
                .hasMessageContaining("'dev-1'");

        assertThat(credentials.findByEndpoint(CredentialPurpose.BOOTSTRAP, "dev-1")).contains(first.bootstrap());
        assertThat(credentials.findByEndpoint(CredentialPurpose.DM, "dev-1")).contains(first.server());
        assertThat(credentials.findByIdentity(CredentialPurpose.DM, "other-dm")).isEmpty();
    }

    @Test
    void requestDescriptionNeverShowsKeys() {
        ProvisioningRequest request = new ProvisioningRequest("dev-1", "bs", BOOTSTRAP_KEY, "dm", DM_KEY);
        ProvisionedDevice device = provisioning.provision(request);

        assertThat(request.toString()).doesNotContain(HexFormat.of().formatHex(BOOTSTRAP_KEY))
                .doesNotContain(HexFormat.of().formatHex(DM_KEY)).contains("dev-1");
        assertThat(device.toString()).doesNotContain(HexFormat.of().formatHex(BOOTSTRAP_KEY))
                .doesNotContain(HexFormat.of().formatHex(DM_KEY));
    }

    private void assertNothingExistsFor(String endpoint) {
        assertThat(world.device(endpoint)).as("device row of %s", endpoint).isEmpty();
        assertThat(credentials.findByEndpoint(CredentialPurpose.BOOTSTRAP, endpoint)).isEmpty();
        assertThat(credentials.findByEndpoint(CredentialPurpose.DM, endpoint)).isEmpty();
    }
}
