-- The world model: devices, graph nodes, current resource values, the change feed, and device credentials.
-- Portable SQL: this file runs unchanged on H2 2.x and PostgreSQL 13+.

CREATE TABLE device (
    endpoint        VARCHAR(128) PRIMARY KEY,
    state           VARCHAR(16)  NOT NULL,
    registration_id VARCHAR(64),
    lwm2m_version   VARCHAR(16),
    binding         VARCHAR(16),
    lifetime_s      BIGINT,
    queue_mode      BOOLEAN,
    address         VARCHAR(128),
    object_links    VARCHAR(16384),
    registered_at   TIMESTAMP WITH TIME ZONE,
    last_seen       TIMESTAMP WITH TIME ZONE,
    created_at      TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX device_state ON device (state);

-- Every node of the graph: devices, object instances, resources, resource instances.
-- node_key is the human-readable stable key, e.g. device/dev-1/3303/0/5700.
CREATE TABLE node (
    node_key             VARCHAR(512) PRIMARY KEY,
    kind                 VARCHAR(24)  NOT NULL,
    parent_key           VARCHAR(512),
    endpoint             VARCHAR(128),
    object_id            INTEGER,
    instance_id          INTEGER,
    resource_id          INTEGER,
    resource_instance_id INTEGER,
    created_at           TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX node_parent ON node (parent_key);
CREATE INDEX node_endpoint ON node (endpoint);

-- The current value of each resource (or resource instance) node.
CREATE TABLE resource_value (
    node_key             VARCHAR(512) PRIMARY KEY REFERENCES node (node_key) ON DELETE CASCADE,
    endpoint             VARCHAR(128) NOT NULL,
    object_id            INTEGER      NOT NULL,
    instance_id          INTEGER      NOT NULL,
    resource_id          INTEGER      NOT NULL,
    resource_instance_id INTEGER,
    value_type           VARCHAR(16)  NOT NULL,
    value_text           VARCHAR(1000000) NOT NULL,
    value_num            DOUBLE PRECISION,
    device_time          TIMESTAMP WITH TIME ZONE,
    server_time          TIMESTAMP WITH TIME ZONE NOT NULL,
    revision             BIGINT       NOT NULL,
    seq                  BIGINT       NOT NULL
);
CREATE INDEX resource_value_endpoint ON resource_value (endpoint);
CREATE INDEX resource_value_path ON resource_value (object_id, resource_id);

-- Every committed change, in commit order. seq is strictly increasing and gap-free per commit:
-- writers take the feed_head row lock, so sequence order is commit order.
CREATE TABLE change_feed (
    seq          BIGINT PRIMARY KEY,
    committed_at TIMESTAMP WITH TIME ZONE NOT NULL,
    kind         VARCHAR(16)  NOT NULL,
    endpoint     VARCHAR(128) NOT NULL,
    node_key     VARCHAR(512) NOT NULL,
    value_type   VARCHAR(16),
    value_text   VARCHAR(1000000),
    device_time  TIMESTAMP WITH TIME ZONE,
    server_time  TIMESTAMP WITH TIME ZONE,
    revision     BIGINT,
    state        VARCHAR(16)
);

CREATE TABLE feed_head (
    id       INTEGER PRIMARY KEY,
    last_seq BIGINT NOT NULL
);
INSERT INTO feed_head (id, last_seq) VALUES (1, 0);

-- Credentials a device uses towards the bootstrap server ('bootstrap') and the DM server ('dm').
CREATE TABLE security_credential (
    endpoint     VARCHAR(128) NOT NULL REFERENCES device (endpoint) ON DELETE CASCADE,
    purpose      VARCHAR(16)  NOT NULL,
    mode         VARCHAR(8)   NOT NULL,
    psk_identity VARCHAR(128),
    psk_key_hex  VARCHAR(256),
    created_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (endpoint, purpose)
);
CREATE UNIQUE INDEX security_credential_psk_identity ON security_credential (purpose, psk_identity);
