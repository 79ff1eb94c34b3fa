package org.orbis.console.access;

import io.javalin.security.RouteRole;
import org.orbis.world.access.Role;

/** What a route needs: nothing ({@link #PUBLIC}) or a signed-in principal with at least a role. */
public enum Access implements RouteRole {
    PUBLIC(null),
    VIEWER(Role.VIEWER),
    OPERATOR(Role.OPERATOR),
    ADMIN(Role.ADMIN);

    private final Role role;

    Access(Role role) {
        this.role = role;
    }

    /** The role needed, or {@code null} for a public route. */
    public Role role() {
        return role;
    }
}
