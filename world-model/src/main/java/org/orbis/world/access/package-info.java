/**
 * Who may use the platform: users with a role (viewer, operator, admin) and a password hash, API tokens for scripts
 * and cookie sessions for the console, stored in the database. This package stores and checks hashes; it never sees a
 * password or a token in the clear longer than a call, never logs one, and hashing of passwords is the caller's
 * (the console's) business. No network code.
 */
package org.orbis.world.access;
