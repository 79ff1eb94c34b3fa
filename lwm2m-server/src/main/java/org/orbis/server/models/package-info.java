/** The LwM2M object models (DDF) the server decodes with: Leshan's bundled OMA objects plus Orbis's extra DDF files. */
package org.orbis.server.models;
