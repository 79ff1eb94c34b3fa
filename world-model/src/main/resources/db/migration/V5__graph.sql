-- Issue 3: operator entities and typed edges, object models, value history, feed retention and console views.
-- Portable SQL: this file runs unchanged on H2 2.x and PostgreSQL 13+.

-- Entity and edge changes concern no device.
ALTER TABLE change_feed ALTER COLUMN endpoint DROP NOT NULL;

-- Every node has a revision: entities bump it on update, devices on every state change. Resource nodes carry theirs
-- in resource_value.revision.
ALTER TABLE node ADD COLUMN revision BIGINT DEFAULT 1 NOT NULL;
-- Set for operator entities (node.kind = 'entity'): the operator's kind (site, zone, asset, ...) and a display name.
ALTER TABLE node ADD COLUMN entity_kind VARCHAR(64);
ALTER TABLE node ADD COLUMN label VARCHAR(256);
ALTER TABLE node ADD COLUMN updated_at TIMESTAMP WITH TIME ZONE;
CREATE INDEX node_entity_kind ON node (entity_kind, node_key);
CREATE INDEX node_kind ON node (kind, node_key);

CREATE TABLE node_attribute (
    node_key VARCHAR(512)  NOT NULL REFERENCES node (node_key) ON DELETE CASCADE,
    name     VARCHAR(64)   NOT NULL,
    attr_value VARCHAR(1024) NOT NULL,
    PRIMARY KEY (node_key, name)
);
CREATE INDEX node_attribute_value ON node_attribute (name, attr_value);

-- Typed, directed edges between any two nodes (device in zone, zone partOf site, actuator controls zone, ...).
CREATE TABLE edge (
    from_key   VARCHAR(512) NOT NULL REFERENCES node (node_key) ON DELETE CASCADE,
    kind       VARCHAR(64)  NOT NULL,
    to_key     VARCHAR(512) NOT NULL REFERENCES node (node_key) ON DELETE CASCADE,
    created_at TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (from_key, kind, to_key)
);
CREATE INDEX edge_to ON edge (to_key, kind);

-- The object versions a device declared at registration; they select the object model of each resource.
CREATE TABLE device_object (
    endpoint       VARCHAR(128) NOT NULL REFERENCES device (endpoint) ON DELETE CASCADE,
    object_id      INTEGER      NOT NULL,
    object_version VARCHAR(16)  NOT NULL,
    PRIMARY KEY (endpoint, object_id)
);

-- Object models (from DDF files) as the DM server knows them, one row per object version.
CREATE TABLE object_model (
    object_id      INTEGER      NOT NULL,
    object_version VARCHAR(16)  NOT NULL,
    name           VARCHAR(256) NOT NULL,
    urn            VARCHAR(256),
    lwm2m_version  VARCHAR(16),
    multiple       BOOLEAN      NOT NULL,
    mandatory      BOOLEAN      NOT NULL,
    description    VARCHAR(8000),
    PRIMARY KEY (object_id, object_version)
);
CREATE TABLE resource_model (
    object_id         INTEGER      NOT NULL,
    object_version    VARCHAR(16)  NOT NULL,
    resource_id       INTEGER      NOT NULL,
    name              VARCHAR(256) NOT NULL,
    value_type        VARCHAR(16)  NOT NULL,
    operations        VARCHAR(8)   NOT NULL,
    multiple          BOOLEAN      NOT NULL,
    mandatory         BOOLEAN      NOT NULL,
    units             VARCHAR(64),
    range_enumeration VARCHAR(512),
    description       VARCHAR(8000),
    PRIMARY KEY (object_id, object_version, resource_id)
);

-- Path-pattern queries (*/3303/*/5700) walk this index in key order, which also serves keyset paging.
DROP INDEX resource_value_path;
CREATE INDEX resource_value_path ON resource_value (object_id, resource_id, node_key);

-- Every committed value change, for charts. seq is the change's feed sequence; at_ms is the device's timestamp when
-- it gave one, else the server's receive time, in epoch milliseconds (portable arithmetic for downsampling).
CREATE TABLE value_history (
    seq         BIGINT PRIMARY KEY,
    node_key    VARCHAR(512) NOT NULL,
    at_ms       BIGINT       NOT NULL,
    server_time TIMESTAMP WITH TIME ZONE NOT NULL,
    value_type  VARCHAR(16)  NOT NULL,
    value_text  VARCHAR(1000000) NOT NULL,
    value_num   DOUBLE PRECISION
);
CREATE INDEX value_history_node ON value_history (node_key, at_ms);

-- Retention prunes the change feed from the oldest end; readers asking for changes at or below pruned_through are
-- told to resync. A separate row from feed_head so that pruning never waits on (or blocks) committing writers.
CREATE TABLE feed_horizon (
    id             INTEGER PRIMARY KEY,
    pruned_through BIGINT NOT NULL
);
INSERT INTO feed_horizon (id, pruned_through) VALUES (1, 0);

-- Named queries whose result Orbis keeps current (console/API views).
CREATE TABLE view_definition (
    name               VARCHAR(128)  PRIMARY KEY,
    query              VARCHAR(4000) NOT NULL,
    description        VARCHAR(1000),
    revision           BIGINT        NOT NULL,
    -- the revision whose result view_member holds; while it lags behind revision, the view is being (re)computed
    evaluated_revision BIGINT        NOT NULL,
    -- the feed sequence at which that revision was computed: a subscriber cannot resume from before it
    evaluated_seq      BIGINT        NOT NULL,
    created_at         TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at         TIMESTAMP WITH TIME ZONE NOT NULL
);
-- The feed sequence up to which the view maintainer has applied every change to every view's membership.
CREATE TABLE view_progress (
    id             INTEGER PRIMARY KEY,
    maintained_seq BIGINT NOT NULL
);
INSERT INTO view_progress (id, maintained_seq) VALUES (1, 0);
-- The current result of each view, and the log of nodes entering and leaving it, by the feed sequence that caused it.
CREATE TABLE view_member (
    view_name VARCHAR(128) NOT NULL REFERENCES view_definition (name) ON DELETE CASCADE,
    node_key  VARCHAR(512) NOT NULL,
    PRIMARY KEY (view_name, node_key)
);
CREATE TABLE view_change (
    view_name VARCHAR(128) NOT NULL REFERENCES view_definition (name) ON DELETE CASCADE,
    seq       BIGINT       NOT NULL,
    node_key  VARCHAR(512) NOT NULL,
    op        VARCHAR(8)   NOT NULL,
    PRIMARY KEY (view_name, seq, node_key)
);
