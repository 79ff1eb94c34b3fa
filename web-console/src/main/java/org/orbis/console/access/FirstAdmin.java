package org.orbis.console.access;

import org.orbis.world.access.AccessStore;
import org.orbis.world.access.Role;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The first admin from the environment at start ({@code ORBIS_ADMIN_USER} and {@code ORBIS_ADMIN_PASSWORD}), for
 * containers and scripts; an existing user of that name is left alone. Without users the log says how to create one.
 */
public final class FirstAdmin {

    private static final Logger LOG = LoggerFactory.getLogger(FirstAdmin.class);

    private FirstAdmin() {
    }

    public static void fromEnvironment(AccessStore store, Passwords passwords, String username, String password) {
        if (username != null && !username.isBlank()) {
            if (password == null || password.isEmpty()) {
                throw new IllegalArgumentException("ORBIS_ADMIN_USER is set but ORBIS_ADMIN_PASSWORD is not");
            }
            if (store.user(username).isPresent()) {
                LOG.info("ORBIS_ADMIN_USER '{}' exists already; left unchanged", username);
            } else {
                store.createUser(username, Role.ADMIN, passwords.hash(password));
                LOG.info("created admin '{}' from ORBIS_ADMIN_USER", username);
            }
        }
        if (store.countActiveAdmins() == 0) {
            LOG.warn("no admin can sign in yet: create one with 'java -jar orbis.jar admin create --user NAME' "
                    + "(password from standard input or ORBIS_ADMIN_PASSWORD), or start with ORBIS_ADMIN_USER and "
                    + "ORBIS_ADMIN_PASSWORD set");
        }
    }
}
