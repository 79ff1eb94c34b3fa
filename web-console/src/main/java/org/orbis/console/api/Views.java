package org.orbis.console.api;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.orbis.world.graph.NodeKey;
import org.orbis.world.models.ResourceDescription;
import org.orbis.server.operations.OperationResult;
import org.orbis.world.graph.ChangeEvent;
import org.orbis.world.graph.Device;
import org.orbis.world.graph.Registration;
import org.orbis.world.graph.ResourceValue;
import org.orbis.world.store.DevicePage;
import org.orbis.world.store.WorldUpdate.ReportedValue;

/** The JSON shapes of the API's answers, built from world-model records. */
final class Views {

    private Views() {
    }

    record RegistrationView(String id, String lwm2mVersion, String binding, long lifetime, boolean queueMode,
            String address, String objectLinks, Instant registeredAt) {
        static RegistrationView of(Registration registration) {
            return registration == null ? null : new RegistrationView(registration.registrationId(),
                    registration.lwm2mVersion(), registration.binding(), registration.lifetimeSeconds(),
                    registration.queueMode(), registration.address(), registration.objectLinks(),
                    registration.registeredAt());
        }
    }

    record DeviceView(String endpoint, String key, String state, Instant lastSeen, Instant createdAt,
            RegistrationView registration) {
        static DeviceView of(Device device) {
            return new DeviceView(device.endpoint(), device.key().value(), device.state().label(), device.lastSeen(),
                    device.createdAt(), RegistrationView.of(device.registration()));
        }
    }

    record DevicePageView(List<DeviceView> devices, long total, int offset, int limit) {
        static DevicePageView of(DevicePage page) {
            return new DevicePageView(page.devices().stream().map(DeviceView::of).toList(), page.total(), page.offset(),
                    page.limit());
        }
    }

    /** @param model what the resource is, from the DDF of the object version the device registered with */
    record ResourceView(String path, String key, String type, Object value, Instant deviceTime, Instant serverTime,
            long revision, long sequence, NodeViews.ModelView model) {
        static ResourceView of(ResourceValue value, ResourceDescription model) {
            return new ResourceView(value.path().toString(), value.key().value(), value.value().type().name(),
                    value.value().json(), value.deviceTime(), value.serverTime(), value.revision(), value.sequence(),
                    NodeViews.ModelView.of(model));
        }
    }

    record DeviceDetailView(String endpoint, String key, String state, Instant lastSeen, Instant createdAt,
            RegistrationView registration, List<ResourceView> resources) {
        static DeviceDetailView of(Device device, List<ResourceValue> values, Map<NodeKey, ResourceDescription> models) {
            return new DeviceDetailView(device.endpoint(), device.key().value(), device.state().label(),
                    device.lastSeen(), device.createdAt(), RegistrationView.of(device.registration()),
                    values.stream().map(value -> ResourceView.of(value, models.get(value.key()))).toList());
        }
    }

    record ValueView(String path, String type, Object value) {
        static ValueView of(ReportedValue value) {
            return new ValueView(value.path().toString(), value.value().type().name(), value.value().json());
        }
    }

    record OperationView(String endpoint, String path, String outcome, String code, String message,
            List<ValueView> values, List<String> links) {
        static OperationView of(OperationResult result) {
            return new OperationView(result.endpoint(), result.path(), result.outcome().name().toLowerCase(java.util.Locale.ROOT),
                    result.code(), result.message(), result.values().stream().map(ValueView::of).toList(),
                    result.links().isEmpty() ? null : result.links());
        }
    }

    record EventView(long seq, String kind, String endpoint, String key, String path, String type, Object value,
            Long revision, Instant deviceTime, Instant serverTime, String state,
            @com.fasterxml.jackson.annotation.JsonRawValue String detail, Instant committedAt) {
        static EventView of(ChangeEvent event) {
            return new EventView(event.sequence(), event.kind().name().toLowerCase(java.util.Locale.ROOT), event.endpoint(),
                    event.key().value(), event.path() == null ? null : event.path().toString(),
                    event.value() == null ? null : event.value().type().name(),
                    event.value() == null ? null : event.value().json(), event.revision(), event.deviceTime(),
                    event.serverTime(), event.state() == null ? null : event.state().label(), event.detail(),
                    event.committedAt());
        }
    }
}
