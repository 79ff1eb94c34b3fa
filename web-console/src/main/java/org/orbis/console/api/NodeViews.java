package org.orbis.console.api;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.orbis.world.graph.Edge;
import org.orbis.world.graph.Entity;
import org.orbis.world.graph.ResourceValue;
import org.orbis.world.history.HistoryBucket;
import org.orbis.world.history.HistoryPoint;
import org.orbis.world.models.ObjectModel;
import org.orbis.world.models.ResourceDescription;
import org.orbis.world.models.ResourceModel;
import org.orbis.world.query.QueryHit;
import org.orbis.world.views.ViewDefinition;

/** The JSON shapes of graph nodes, queries, history, models and views. */
final class NodeViews {

    private NodeViews() {
    }

    /** What the API knows of a resource's model; {@code known: false} with a reason for unknown objects. */
    record ModelView(boolean known, int object, String objectVersion, String objectName, String name, String type,
            String units, String operations, Boolean multiple, Boolean mandatory, String reason) {
        static ModelView of(ResourceDescription description) {
            if (description == null) {
                return null;
            }
            ResourceModel resource = description.resource();
            return new ModelView(description.known(), description.objectId(), description.objectVersion(),
                    description.objectName(), resource == null ? null : resource.name(),
                    resource == null ? null : resource.type(), resource == null ? null : resource.units(),
                    resource == null ? null : resource.operations(), resource == null ? null : resource.multiple(),
                    resource == null ? null : resource.mandatory(), description.unknownReason());
        }
    }

    /** One node of a result: a resource, a device or an entity (fields by kind; absent ones are left out). */
    record NodeView(String key, String kind, String endpoint, String path, String type, Object value, long revision,
            Long sequence, Instant deviceTime, Instant serverTime, ModelView model, String state, Instant lastSeen,
            String lwm2mVersion, String binding, Boolean queueMode, String entityKind, String label,
            Map<String, String> attributes, Instant createdAt, Instant updatedAt) {

        static NodeView of(QueryHit hit) {
            if (hit instanceof QueryHit.ResourceHit resource) {
                ResourceValue value = resource.value();
                return new NodeView(value.key().value(), "resource", value.endpoint(), value.path().toString(),
                        value.value().type().name(), value.value().json(), value.revision(), value.sequence(),
                        value.deviceTime(), value.serverTime(), ModelView.of(resource.model()), null, null, null, null,
                        null, null, null, null, null, null);
            }
            if (hit instanceof QueryHit.DeviceHit device) {
                var registration = device.device().registration();
                return new NodeView(device.key().value(), "device", device.device().endpoint(), null, null, null,
                        device.revision(), null, null, null, null, device.device().state().label(),
                        device.device().lastSeen(), registration == null ? null : registration.lwm2mVersion(),
                        registration == null ? null : registration.binding(),
                        registration == null ? null : registration.queueMode(), null, null, null,
                        device.device().createdAt(), null);
            }
            Entity entity = ((QueryHit.EntityHit) hit).entity();
            return of(entity);
        }

        static NodeView of(Entity entity) {
            return new NodeView(entity.key().value(), "entity", null, null, null, null, entity.revision(), null, null,
                    null, null, null, null, null, null, null, entity.kind(), entity.label(), entity.attributes(),
                    entity.createdAt(), entity.updatedAt());
        }
    }

    record EdgeView(String from, String kind, String to, Instant createdAt) {
        static EdgeView of(Edge edge) {
            return new EdgeView(edge.from().value(), edge.kind(), edge.to().value(), edge.createdAt());
        }
    }

    record EntityDetailView(NodeView entity, List<EdgeView> edges) {
    }

    record PageView(String query, List<NodeView> items, String next) {
    }

    record PointView(Instant at, String type, Object value, long seq) {
        static PointView of(HistoryPoint point) {
            return new PointView(point.at(), point.value().type().name(), point.value().json(), point.sequence());
        }
    }

    record BucketView(Instant start, Instant end, long count, double min, double max, double avg) {
        static BucketView of(HistoryBucket bucket) {
            return new BucketView(bucket.start(), bucket.end(), bucket.count(), bucket.min(), bucket.max(), bucket.avg());
        }
    }

    record HistoryView(String key, Instant from, Instant to, List<PointView> points, String bucketWidth,
            List<BucketView> buckets) {
    }

    record ObjectSummaryView(int id, String version, String name, String urn, boolean multiple, int resources) {
        static ObjectSummaryView of(ObjectModel model) {
            return new ObjectSummaryView(model.id(), model.version(), model.name(), model.urn(), model.multiple(),
                    model.resources().size());
        }
    }

    record ViewDefinitionView(String name, String query, String description, long revision, boolean ready,
            Instant createdAt, Instant updatedAt) {
        static ViewDefinitionView of(ViewDefinition view) {
            return new ViewDefinitionView(view.name(), view.query(), view.description(), view.revision(), view.ready(),
                    view.createdAt(), view.updatedAt());
        }
    }

    record ViewResultView(ViewDefinitionView view, long seq, List<NodeView> items, String next) {
    }
}
