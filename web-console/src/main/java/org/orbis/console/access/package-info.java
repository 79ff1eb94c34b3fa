/**
 * Sign-in and authorisation for the console and the HTTP API: password hashing, cookie sessions with CSRF protection,
 * Bearer API tokens, and the check that runs before every API route and enforces the role the route needs (viewer,
 * operator, admin). A route registered without a role is refused to everyone but admins (fail closed). Never logs a
 * password, token, session id or CSRF token.
 */
package org.orbis.console.access;
