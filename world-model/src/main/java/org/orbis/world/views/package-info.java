/**
 * Views: named queries whose result Orbis keeps current. {@link org.orbis.world.views.ViewStore} holds the
 * definitions, each view's current membership and the log of nodes entering and leaving it (by the feed sequence that
 * caused the change); {@link org.orbis.world.views.ViewMaintainer} follows the change feed on one named thread and
 * keeps memberships current. A subscriber combines the membership log with the feed's value changes of members, so it
 * can resume from any sequence the feed still holds. Device views (delivery over LwM2M) build on the same membership.
 */
package org.orbis.world.views;
