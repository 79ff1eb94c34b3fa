package org.orbis.server.firmware;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.leshan.core.link.Link;
import org.eclipse.leshan.core.request.Identity;
import org.eclipse.leshan.server.registration.Registration;
import org.junit.jupiter.api.Test;

/** How a package request's DTLS identity is recognised without touching the database. */
class PackageAccessTest {

    private static final InetSocketAddress LWM2M_SESSION = new InetSocketAddress("127.0.0.1", 40001);
    private static final InetSocketAddress DOWNLOAD_SOCKET = new InetSocketAddress("127.0.0.1", 40002);

    @Test
    void aDeviceDownloadingFromItsOwnSocketIsKnownByItsCredentialNotItsAddress() {
        Identity session = Identity.psk(LWM2M_SESSION, "dev-1");
        Registration registration = new Registration.Builder("reg-1", "dev-1", session)
                .objectLinks(new Link[] {new Link("/5/0")}).build();
        AtomicInteger lookups = new AtomicInteger();
        PackageAccess access = new PackageAccess(null, identity -> {
            lookups.incrementAndGet();
            return identity.equals(session) ? registration : null;
        }, null);

        assertThat(access.endpointFromMemory(session)).isEqualTo("dev-1");
        assertThat(access.endpointFromMemory(Identity.psk(DOWNLOAD_SOCKET, "dev-1"))).isEqualTo("dev-1");
        assertThat(lookups.get()).as("the second request is answered from the credential cache").isEqualTo(1);
        assertThat(access.endpointFromMemory(Identity.psk(DOWNLOAD_SOCKET, "dev-2"))).isNull();
    }

    @Test
    void onlyTheImageTheCampaignSendsIsAllowedAndServedBytesAreCounted() {
        PackageAccess access = new PackageAccess(null, identity -> null, null);
        access.allow("dev-1", 7);

        assertThat(access.allowedFromMemory("dev-1", 7)).isTrue();
        assertThat(access.allowedFromMemory("dev-1", 8)).isNull();
        access.served("dev-1", 1024);
        access.served("dev-1", 100);
        assertThat(access.bytesServed("dev-1")).isEqualTo(1124);
        assertThat(access.stats()).isEqualTo(new TransferStats(1124, 2, 0));

        access.revoke("dev-1");
        assertThat(access.allowedFromMemory("dev-1", 7)).isNull();
    }
}
