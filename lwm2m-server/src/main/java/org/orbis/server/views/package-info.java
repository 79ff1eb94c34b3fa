/**
 * Device views: each device given a view holds a copy of the view's entries in a World View object instance (33100),
 * and {@link org.orbis.server.views.DeviceViewDelivery} keeps those copies current. Copies are written through the
 * device's durable command queue, so they respect queue mode (held while the device sleeps) and survive restarts, and a
 * newer copy supersedes an older one still queued (latest value wins). Runs on its own named thread.
 */
package org.orbis.server.views;
