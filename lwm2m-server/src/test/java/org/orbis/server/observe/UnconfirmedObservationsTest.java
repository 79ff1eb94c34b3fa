package org.orbis.server.observe;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.util.EnumSet;
import java.util.List;
import org.eclipse.leshan.core.node.LwM2mPath;
import org.eclipse.leshan.core.node.LwM2mSingleResource;
import org.eclipse.leshan.core.observation.SingleObservation;
import org.eclipse.leshan.core.request.BindingMode;
import org.eclipse.leshan.core.request.Identity;
import org.eclipse.leshan.core.response.ObserveResponse;
import org.eclipse.leshan.server.registration.Registration;
import org.junit.jupiter.api.Test;

/** Which registrations get their objects observed again at their next Update. */
class UnconfirmedObservationsTest {

    private final UnconfirmedObservations unconfirmed = new UnconfirmedObservations();

    @Test
    void registrationKeptThroughACrashIsConfirmedByItsFirstNotification() {
        unconfirmed.markAll(List.of("reg-1", "reg-2"));

        unconfirmed.onResponse(observation("reg-1"), registration("reg-1"), ObserveResponse.success(LwM2mSingleResource.newFloatResource(5700, 21.5)));

        assertThat(unconfirmed.take("reg-1")).as("a notification proved it alive").isFalse();
        assertThat(unconfirmed.take("reg-2")).isTrue();
        assertThat(unconfirmed.take("reg-2")).as("observed again only once").isFalse();
    }

    @Test
    void failedObserveIsRetriedAtTheNextUpdateEvenIfOtherObservationsNotify() {
        unconfirmed.markFailed("reg-1");

        unconfirmed.onResponse(observation("reg-1"), registration("reg-1"), ObserveResponse.success(LwM2mSingleResource.newFloatResource(5700, 21.5)));

        assertThat(unconfirmed.take("reg-1")).isTrue();
        assertThat(unconfirmed.size()).isZero();
    }

    private static SingleObservation observation(String registrationId) {
        return new SingleObservation(new byte[] {1}, registrationId, new LwM2mPath("/3/0"), null, null);
    }

    private static Registration registration(String id) {
        return new Registration.Builder(id, "dev-" + id, Identity.psk(new InetSocketAddress("127.0.0.1", 5000), id))
                .bindingMode(EnumSet.of(BindingMode.U)).build();
    }
}
