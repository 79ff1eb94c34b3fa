-- The DM server's LwM2M registrations and observations (lwm2m-server's JdbcRegistrationStore), so that a restarted
-- server still knows every registered device and keeps matching its notifications; and the server's own secrets.
-- Portable SQL: this file runs unchanged on H2 2.x and PostgreSQL 13+ (BYTEA is H2's alias for BINARY VARYING).

-- One row per registered device (one registration per endpoint). Written behind the server's in-memory index by a
-- single journal thread, so a row may lag the live registration by the journal's flush interval.
CREATE TABLE lwm2m_registration (
    registration_id       VARCHAR(64)   PRIMARY KEY,
    endpoint              VARCHAR(128)  NOT NULL,
    identity_kind         VARCHAR(16)   NOT NULL,
    identity_value        VARCHAR(8192),
    peer_host             VARCHAR(64)   NOT NULL,
    peer_port             INTEGER       NOT NULL,
    lifetime_s            BIGINT        NOT NULL,
    lwm2m_version         VARCHAR(16)   NOT NULL,
    binding               VARCHAR(16)   NOT NULL,
    queue_mode            BOOLEAN,
    sms_number            VARCHAR(64),
    object_links          VARCHAR(65536),
    root_path             VARCHAR(256)  NOT NULL,
    additional_attributes VARCHAR(8192),
    application_data      VARCHAR(16384),
    registered_at         TIMESTAMP WITH TIME ZONE NOT NULL,
    last_update           TIMESTAMP WITH TIME ZONE NOT NULL,
    expires_at            TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE UNIQUE INDEX lwm2m_registration_endpoint ON lwm2m_registration (endpoint);
CREATE INDEX lwm2m_registration_expires ON lwm2m_registration (expires_at);

-- Active observations by CoAP token (hex): the Californium observe request and the DTLS endpoint context it was
-- established in, encoded by ObservationCodec.
CREATE TABLE lwm2m_observation (
    token           VARCHAR(32)  PRIMARY KEY,
    registration_id VARCHAR(64)  NOT NULL,
    observation     BYTEA        NOT NULL,
    created_at      TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX lwm2m_observation_registration ON lwm2m_observation (registration_id);

-- Random secrets a server generates once and keeps with the data it protects, e.g. the key that encrypts the DTLS
-- connection state saved across a planned restart.
CREATE TABLE server_secret (
    name        VARCHAR(64)  PRIMARY KEY,
    secret_hex  VARCHAR(512) NOT NULL,
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL
);

-- The DTLS connections (sessions, keys, sequence numbers) the DM server saved at its last planned stop, encrypted with
-- the 'dtls-connection-state' secret, in chunks because H2 caps a binary value at 1 MB. Read and deleted at start-up.
CREATE TABLE dtls_connection_state (
    chunk     INTEGER    PRIMARY KEY,
    data      BYTEA      NOT NULL,
    saved_at  TIMESTAMP WITH TIME ZONE NOT NULL
);
