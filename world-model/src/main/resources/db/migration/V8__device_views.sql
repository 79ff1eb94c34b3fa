-- Device views (issue 3): which view each device is given, in which World View instance (object 33100), and how far
-- its delivery has come. pending_seq > delivered_seq means the device's copy is behind.
CREATE TABLE device_view (
    endpoint        VARCHAR(128) NOT NULL REFERENCES device (endpoint) ON DELETE CASCADE,
    view_name       VARCHAR(128) NOT NULL,
    instance_id     INTEGER      NOT NULL,
    min_interval_ms BIGINT       NOT NULL,
    pending_seq     BIGINT       NOT NULL,
    delivered_seq   BIGINT       NOT NULL,
    last_queued_at  TIMESTAMP WITH TIME ZONE,
    owned_view      BOOLEAN      NOT NULL,
    created_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (endpoint, view_name)
);
CREATE UNIQUE INDEX device_view_instance ON device_view (endpoint, instance_id);
CREATE INDEX device_view_view ON device_view (view_name);
